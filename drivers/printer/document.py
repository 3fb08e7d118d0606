"""A printable document as blocks (title, text, rows, QR, cut), independent of ESC/POS.

The kiosk builds receipts and guide sheets as Documents; a printer renders
them for its profile (encoding, paper width, native or image QR).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    align: str = "left"      # left | center | right


@dataclass(frozen=True)
class Row:
    """Two columns: label on the left, value on the right (wrapped if too long)."""
    left: str
    right: str


@dataclass(frozen=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True)
class QR:
    data: str
    caption: str = ""


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    pass


Block = Union[Title, Text, Row, Separator, QR, Feed, Cut]


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> "Document":
        self.blocks.extend(blocks)
        return self
