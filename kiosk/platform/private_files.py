"""Files only their owner may read (keys, credentials, databases with citizens' data, the
terminal's configuration): mode 0600 in 0700 directories whatever the umask, written
atomically, even over a stale temporary file left with another mode.

`write_private` writes a whole file through a temporary one created O_EXCL 0600 and renamed
over the target; `private_db` prepares an SQLite file (and its -wal/-shm companions) so that
`sqlite3.connect` opens a 0600 file; `private_dir` creates directories 0700. The programs set
their own umask too (PRIVATE_UMASK, PUBLIC_UMASK for kioskctl's published repository), but
these helpers do not count on it.
"""
from __future__ import annotations

import functools
import os
import stat
from pathlib import Path
from typing import Callable

PRIVATE_UMASK = 0o077       # the kiosk app, kiosk-provision, kiosk-selftest, the sandbox server
PUBLIC_UMASK = 0o022        # kioskctl: the repository it writes is published; its keys go through here
FILE_MODE, DIR_MODE = 0o600, 0o700
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_dir(path: str | os.PathLike, *, tighten: bool = False) -> Path:
    """Create `path` and its missing parents with mode 0700 (exactly: the umask may not widen or
    narrow it). An existing directory keeps its mode unless `tighten`: say so only for a
    directory that is this program's own (the state directory and what is under it), never
    for one it may share with others (/etc, /tmp, a --db given on the command line)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=DIR_MODE)
        except FileExistsError:         # made by someone else meanwhile: not ours to change
            continue
        os.chmod(directory, DIR_MODE)
    if tighten and not missing and stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        os.chmod(path, DIR_MODE)
    return path


def fsync_dir(directory: str | os.PathLike) -> None:
    """Make a rename or a new file in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_new(path: Path) -> int:
    """A new, empty file at `path`, mode exactly 0600; a stale one there is removed first
    (O_EXCL also refuses to follow a symlink planted in its place)."""
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            path.unlink()
            continue
        os.fchmod(fd, FILE_MODE)        # the umask may have taken bits away from 0600
        return fd
    raise FileExistsError(f"{path}: recreated while being replaced")


def write_private(path: str | os.PathLike, data: bytes | str, *, replace: bool = True,
                  check: Callable[[Path], None] | None = None) -> Path:
    """Write `data` (str as UTF-8) to `path`, mode 0600, atomically and durably: through
    `<name>.tmp`, fsync'd, then renamed over `path`. `replace=False` refuses an existing
    `path` (FileExistsError) instead of replacing it: a key must never be overwritten.
    `check(tmp)` may inspect the written temporary file and raise to leave `path` as it was.
    The directory is created 0700 when missing."""
    path = Path(path)
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = _open_new(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check(tmp)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)          # atomic, and fails when path exists
            tmp.unlink()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def private_db(path: str | os.PathLike) -> Path:
    """Before `sqlite3.connect(path)`: the database file exists with mode 0600 (SQLite would
    create it 0644 less the umask; its -wal and -shm files take the database's mode), and
    companions left from an earlier run are 0600 too. The directory is created 0700 when
    missing. ":memory:" is returned as it is."""
    if str(path) == ":memory:":
        return Path(path)
    path = Path(path)
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    for name in (path, *(path.with_name(path.name + s) for s in SQLITE_COMPANIONS)):
        try:
            if stat.S_IMODE(name.stat().st_mode) != FILE_MODE:
                os.chmod(name, FILE_MODE)
        except FileNotFoundError:
            pass
    return path


def with_umask(mask: int):
    """Decorator for a program's main(): run it under `mask` whatever umask it was started
    with; the caller's umask is back when main() returns (tests call main() in-process)."""
    def decorate(main):
        @functools.wraps(main)
        def run(*args, **kwargs):
            old = os.umask(mask)
            try:
                return main(*args, **kwargs)
            finally:
                os.umask(old)
        return run
    return decorate
