"""The pinyin syllables of catalog texts, remembered on disk: pypinyin loads only for new texts.

pypinyin's dictionaries cost about 54 MiB of memory and most of a second to load, for a few
thousand item names and synonyms that change only with a new catalog. `syllables(text)`
answers from memory, else from the file `keep_in(path)` named (`<state>/cache/pinyin.json`),
and only for a text never seen converts it with pypinyin; `save()` writes what this process
used, `release()` unloads pypinyin again. A damaged or foreign file is ignored (the texts are
converted again), a file that cannot be written leaves the memo in memory only.
"""
from __future__ import annotations

import gc
import json
import logging
import os
import sys
import threading
from pathlib import Path

from kiosk.bounded import TooComplex, read_json

log = logging.getLogger("kiosk.catalog")

FORMAT = 1
MAX_BYTES = 8 * 1024 * 1024      # a 10,000-item catalog with synonyms is about 2 MiB

_lock = threading.RLock()
_known: dict[str, tuple[str, ...]] = {}
_used: set[str] = set()
_path: Path | None = None
_changed = False
_segmenter = None                 # pypinyin, while it is loaded


def keep_in(path: str | os.PathLike | None) -> None:
    """Remember syllables in `path` (None: in memory only); reads what it holds now."""
    global _path
    with _lock:
        _path = Path(path) if path is not None else None
        if _path is not None:
            _known.update(_read(_path))


def _read(path: Path) -> dict[str, tuple[str, ...]]:
    try:
        data = read_json(path, max_bytes=MAX_BYTES)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TooComplex) as exc:
        log.warning("pinyin memo unreadable, converting again", extra={"error": type(exc).__name__})
        return {}
    entries = data.get("syllables") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(entries, dict):
        return {}
    # one syllable per character, each a short string: anything else is not ours
    return {text: tuple(parts) for text, parts in entries.items()
            if isinstance(parts, list) and len(parts) == len(text)
            and all(isinstance(p, str) and 0 < len(p) <= 8 for p in parts)}


def syllables(text: str) -> tuple[str, ...]:
    """One pinyin syllable (or the character itself) per character of `text`."""
    with _lock:
        found = _known.get(text)
        if found is None:
            found = _known[text] = _convert(text)
            global _changed
            _changed = True
        _used.add(text)
        return found


def _convert(text: str) -> tuple[str, ...]:
    """pypinyin segments the text into phrases and converts phrase by phrase (the phrase decides
    a polyphonic character's reading)."""
    global _segmenter
    if _segmenter is None:
        from pypinyin import lazy_pinyin
        from pypinyin.core import Pinyin
        _segmenter = (Pinyin(), lazy_pinyin)
    segmenter, lazy_pinyin = _segmenter
    out: list[str] = []
    for segment in segmenter.seg(text):
        out.extend(part.lower() for part in lazy_pinyin(segment, errors=lambda s: list(s)))
    return tuple(out) if len(out) == len(text) else tuple(text)   # keep one per character


def save() -> None:
    """Write the syllables this process used (a replaced catalog's names drop out)."""
    global _changed
    with _lock:
        if _path is None or not (_changed or set(_known) - _used):
            return
        entries = {text: list(_known[text]) for text in sorted(_used)}
        fresh = _path.with_name(_path.name + ".new")
        try:
            _path.parent.mkdir(parents=True, exist_ok=True)
            with open(fresh, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "syllables": entries}, out, ensure_ascii=False, separators=(",", ":"))
                out.flush()
                os.fsync(out.fileno())
            os.replace(fresh, _path)
        except OSError as exc:      # a full disk or read-only state: converted again next start
            log.warning("pinyin memo not saved", extra={"error": type(exc).__name__})
            try:
                fresh.unlink(missing_ok=True)
            except OSError:
                pass
            return
        _changed = False


def release() -> None:
    """Unload pypinyin and its dictionaries: the memo answers until a new text comes."""
    global _segmenter
    with _lock:
        if _segmenter is None:
            return
        _segmenter = None
        for name in [m for m in sys.modules if m == "pypinyin" or m.startswith("pypinyin.")]:
            del sys.modules[name]
    gc.collect()
