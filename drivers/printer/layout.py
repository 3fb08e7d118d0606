"""Monospace receipt layout where a CJK (wide or full-width) character takes two columns:
display width, wrapping, centring, two-column rows."""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break into lines of at most `columns`; breaks at spaces for Latin words, anywhere between CJK."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for word in _tokens(paragraph):
            w = width(word)
            if used + w > columns and line:
                lines.append(line.rstrip())
                line, used = "", 0
                if word == " ":
                    continue
            while w > columns:   # a token longer than the line: hard break
                head, head_w = _take(word, columns)
                lines.append(head)
                word, w = word[len(head):], w - head_w
            line, used = line + word, used + w
        lines.append(line.rstrip())
    return lines


def _tokens(text: str):
    word = ""
    for ch in text:
        if ch == " " or char_width(ch) == 2:
            if word:
                yield word
            word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word


def _take(text: str, columns: int) -> tuple[str, int]:
    out, used = "", 0
    for ch in text:
        w = char_width(ch)
        if used + w > columns:
            break
        out, used = out + ch, used + w
    return out, used


def center(text: str, columns: int) -> list[str]:
    return [" " * ((columns - width(line)) // 2) + line for line in wrap(text, columns)]


def right(text: str, columns: int) -> list[str]:
    return [" " * (columns - width(line)) + line for line in wrap(text, columns)]


def row(left: str, right_text: str, columns: int) -> list[str]:
    """Label left, value right-aligned on the same line when both fit; else the value wraps
    under the label, right-aligned."""
    gap = columns - width(left) - width(right_text)
    if gap >= 1:
        return [left + " " * gap + right_text]
    lines = wrap(left, columns)
    last = lines[-1]
    value_cols = columns - width(last) - 1
    if value_cols >= columns // 2 and width(right_text) <= value_cols:
        lines[-1] = last + " " * (columns - width(last) - width(right_text)) + right_text
        return lines
    return lines + right(right_text, columns)


def separator(char: str, columns: int) -> str:
    char = char or "-"
    return char * (columns // max(width(char), 1))
