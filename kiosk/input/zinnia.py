"""Handwriting by zinnia (Debian `libzinnia0`) with the tegaki simplified-Chinese model,
through a thin ctypes binding of zinnia.h (Debian ships no Python binding for it).

The recognizer is read-only: it learns nothing, so one model serves every citizen; only
the strokes of the character being written live in a `ZinniaHandwriting`, and `clear()`
drops them.
"""
from __future__ import annotations

import ctypes
import threading
from pathlib import Path

from kiosk.input.base import Handwriting

MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
PAD = 300        # the square the strokes are scaled to (the model's own coordinates)
NBEST = 10


class _Lib:
    """libzinnia.so.0 with its signatures, and the model opened once per process."""
    _instance: "_Lib | None" = None
    _guard = threading.Lock()

    def __init__(self, model: Path):
        lib = ctypes.CDLL("libzinnia.so.0")
        vp, sz = ctypes.c_void_p, ctypes.c_size_t
        for name, restype, argtypes in (
                ("zinnia_recognizer_new", vp, ()),
                ("zinnia_recognizer_open", ctypes.c_int, (vp, ctypes.c_char_p)),
                ("zinnia_recognizer_strerror", ctypes.c_char_p, (vp,)),
                ("zinnia_recognizer_classify", vp, (vp, vp, sz)),
                ("zinnia_character_new", vp, ()),
                ("zinnia_character_destroy", None, (vp,)),
                ("zinnia_character_clear", None, (vp,)),
                ("zinnia_character_set_width", None, (vp, sz)),
                ("zinnia_character_set_height", None, (vp, sz)),
                ("zinnia_character_add", ctypes.c_int, (vp, sz, ctypes.c_int, ctypes.c_int)),
                ("zinnia_result_size", sz, (vp,)),
                ("zinnia_result_value", ctypes.c_char_p, (vp, sz)),
                ("zinnia_result_destroy", None, (vp,))):
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
        self.lib = lib
        self.recognizer = lib.zinnia_recognizer_new()
        if not lib.zinnia_recognizer_open(self.recognizer, str(model).encode()):
            raise RuntimeError("zinnia model %s: %s" % (
                model, (lib.zinnia_recognizer_strerror(self.recognizer) or b"").decode()))
        self.lock = threading.Lock()   # classify on one recognizer from one thread at a time

    @classmethod
    def get(cls, model: Path = MODEL) -> "_Lib":
        with cls._guard:
            if cls._instance is None:
                cls._instance = _Lib(model)
            return cls._instance


class ZinniaHandwriting(Handwriting):
    """One character being written: strokes in pad coordinates (any square of side
    `size`, y downwards), candidates recomputed after each stroke."""

    def __init__(self, size: float = PAD, model: Path = MODEL):
        self._zinnia = _Lib.get(model)
        self.size = float(size)
        self._strokes: list[list[tuple[float, float]]] = []
        self._candidates: list[str] = []

    @property
    def strokes(self) -> int:
        return len(self._strokes)

    def add_stroke(self, points) -> list[str]:
        points = [(float(x), float(y)) for x, y in points]
        if points:
            self._strokes.append(points)
        return self._classify()

    def undo(self) -> list[str]:
        if self._strokes:
            self._strokes.pop()
        return self._classify()

    def clear(self) -> None:
        self._strokes.clear()
        self._candidates = []

    def candidates(self) -> list[str]:
        return list(self._candidates)

    def _classify(self) -> list[str]:
        if not self._strokes:
            self._candidates = []
            return []
        z, scale = self._zinnia, PAD / self.size
        lib = z.lib
        char = lib.zinnia_character_new()
        try:
            lib.zinnia_character_set_width(char, PAD)
            lib.zinnia_character_set_height(char, PAD)
            for n, stroke in enumerate(self._strokes):
                for x, y in stroke:
                    lib.zinnia_character_add(char, n, int(round(x * scale)), int(round(y * scale)))
            with z.lock:
                result = lib.zinnia_recognizer_classify(z.recognizer, char, NBEST)
            if not result:
                self._candidates = []
                return []
            try:
                self._candidates = [lib.zinnia_result_value(result, i).decode()
                                    for i in range(lib.zinnia_result_size(result))]
            finally:
                lib.zinnia_result_destroy(result)
        finally:
            lib.zinnia_character_destroy(char)
        return list(self._candidates)
