"""The input-method interface the keyboard talks to; engines live behind it."""
from __future__ import annotations

from abc import ABC, abstractmethod


class InputMethod(ABC):
    """Keys in, candidates out. `preedit` is what is being composed (e.g. raw pinyin)."""

    name = ""
    page_size = 8

    @property
    @abstractmethod
    def preedit(self) -> str: ...

    @abstractmethod
    def feed(self, key: str) -> str:
        """Process one key; return text committed by it ('' if none)."""

    @abstractmethod
    def candidates(self, page: int = 0) -> list[str]: ...

    @abstractmethod
    def choose(self, index: int) -> str:
        """Pick candidate `index` (absolute); return the text committed ('' if the phrase goes on)."""

    def pending(self) -> str:
        """Text already chosen in a phrase still being composed."""
        return ""

    @abstractmethod
    def reset(self) -> None: ...

    def close(self) -> None:
        """Free the engine."""


class Handwriting(ABC):
    """Strokes in (lists of (x, y) points on a square of side `size`, y downwards),
    candidate characters out."""

    size = 300.0

    @abstractmethod
    def add_stroke(self, points) -> list[str]: ...

    @abstractmethod
    def undo(self) -> list[str]: ...

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def candidates(self) -> list[str]: ...

    @property
    def strokes(self) -> int:
        return 0

    def close(self) -> None:
        """Free the engine."""
