"""The session's input engines: loaded on first use off the UI thread, wiped when the
citizen's session ends.

The engines are slow to start (librime deploys its schema, zinnia maps a 26 MB model), so
`load()` starts them on a worker thread and calls back when they are ready; the keyboard
shows 正在准备输入法 meanwhile. Rime's user data (learned phrases, its user dictionary, the
built schema) lives in a temporary directory of this session only; `end_session` closes the
engine and deletes that directory, so nothing one citizen typed reaches the next, then
starts fresh engines for the next citizen in the background.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable, Optional

from kiosk.input.base import Handwriting, InputMethod

log = logging.getLogger(__name__)


def _rime(user_dir: Path) -> InputMethod:
    from kiosk.input.rime import RimePinyin
    return RimePinyin(user_dir)


def _zinnia() -> Handwriting:
    from kiosk.input.zinnia import ZinniaHandwriting
    return ZinniaHandwriting()


class InputMethods:
    """Pinyin and handwriting for the current session. Thread-safe: `load()` may run while
    the session ends; the engine calls themselves belong to the UI thread."""

    def __init__(self, root: Optional[Path] = None,
                 pinyin_factory: Callable[[Path], InputMethod] = _rime,
                 handwriting_factory: Callable[[], Handwriting] = _zinnia):
        self._root = Path(root) if root else None
        self._pinyin_factory, self._handwriting_factory = pinyin_factory, handwriting_factory
        self._lock = threading.RLock()
        self._pinyin: Optional[InputMethod] = None
        self._handwriting: Optional[Handwriting] = None
        self._user_dir: Optional[Path] = None
        self.error = ""

    # --- loading ------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._pinyin is not None and self._handwriting is not None

    def load(self, done: Optional[Callable[[bool], None]] = None) -> None:
        """Start the engines on a worker thread (if not started); `done(ok)` is called on
        that thread when they are ready or failed (marshal it to the UI thread yourself)."""
        with self._lock:
            if self.ready:
                if done:
                    done(True)
                return
        threading.Thread(target=self._load, args=(done,), name="input-load", daemon=True).start()

    def load_now(self) -> bool:
        """Load in this thread if needed (worker threads, tests, benchmarks); True if ready."""
        self._load(None)
        return self.ready

    def _load(self, done) -> None:
        ok = True
        with self._lock:
            try:
                if self._pinyin is None:
                    self._user_dir = Path(tempfile.mkdtemp(prefix="kiosk-input-", dir=self._root))
                    self._pinyin = self._pinyin_factory(self._user_dir)
                if self._handwriting is None:
                    self._handwriting = self._handwriting_factory()
                self.error = ""
            except (OSError, RuntimeError) as exc:   # missing library or data: say so, keep going
                log.error("input engines unavailable: %s", exc)
                self.error = str(exc)
                self._wipe()
                ok = False
        if done:
            done(ok)

    # --- the engines ----------------------------------------------------------
    @property
    def pinyin(self) -> Optional[InputMethod]:
        return self._pinyin

    @property
    def handwriting(self) -> Optional[Handwriting]:
        return self._handwriting

    @property
    def user_dir(self) -> Optional[Path]:
        """The session's rime user data directory (None before loading or after the end)."""
        return self._user_dir

    # --- the end of a session -------------------------------------------------
    def end_session(self, _session=None) -> None:
        """Close the pinyin engine, delete its user data, forget the strokes; if the engines
        were in use, start fresh ones for the next citizen (a new, empty directory) in the
        background, so their first key is answered at once."""
        with self._lock:
            used = self._pinyin is not None
            if self._handwriting is not None:
                self._handwriting.clear()
            self._wipe()
        if used:
            self.load()

    def close(self) -> None:
        """Shutdown: close and wipe, start nothing."""
        with self._lock:
            if self._handwriting is not None:
                self._handwriting.clear()
            self._wipe()

    def _wipe(self) -> None:
        if self._pinyin is not None:
            self._pinyin.close()
            self._pinyin = None
        if self._user_dir is not None:
            shutil.rmtree(self._user_dir, ignore_errors=True)
            self._user_dir = None
