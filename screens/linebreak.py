"""Chinese line breaking (the usual 禁则 rules), once, for every label and every printed line.

`wrap(text, width, measure)` breaks each paragraph of `text` into lines no wider than `width`
as `measure(str)` counts it (pixels for a screen font, columns for a receipt), so that:

- closing punctuation (，。、；：？！）》」】” …) never starts a line and opening punctuation
  (（《「【“ …) never ends one: each is glued to its neighbour;
- numbers, codes, reference numbers and ID fragments ("202611-28", "TJ2026-000777",
  "120101********1234", "88908890", "2026-12-19") are never split, nor Latin words, nor a
  file's extension from its name ("…文本）.pdf");
- a paragraph never ends on a one-character line ("评价本次服 / 务"): the last line takes one
  more unit from the line before.

Only a unit wider than the whole line is cut, character by character. Markup tags
(`[b]`, `[/color]`) count as zero width and stay with the text they open. Pure: no Kivy (unit-tested without a display).
"""
from __future__ import annotations

import re
from typing import Callable

CLOSING = set("，。、；：？！）》」』】〕〉”’％%…‥·・—～,.;:?!)]}>/") | {"\u3000"}
OPENING = set("（《「『【〔〈“‘([{<")
# an unbreakable run: Latin letters, digits, and the joiners that live inside codes and numbers
_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9*＊.\-_/:#@+]*[A-Za-z0-9*＊]|[A-Za-z0-9]")
_TAG = re.compile(r"\[/?[a-z_]+(?:=[^\]]*)?\]")

Measure = Callable[[str], float]


def units(paragraph: str, markup: bool = False) -> list[str]:
    """The paragraph cut where a line may break: each unit is kept whole on one line."""
    atoms: list[str] = []
    i = 0
    while i < len(paragraph):
        tag = _TAG.match(paragraph, i) if markup else None
        run = tag or _RUN.match(paragraph, i)
        piece = run.group(0) if run else paragraph[i]
        atoms.append(piece)
        i += len(piece)
    glued: list[str] = []
    pending = ""                       # opening punctuation and opening tags wait for what follows
    for atom in atoms:
        is_tag = bool(markup and _TAG.fullmatch(atom))
        if is_tag and atom.startswith("[/") and glued and not pending:
            glued[-1] += atom          # a closing tag stays with what it closes
        elif is_tag or atom in OPENING:
            pending += atom
        elif (atom in CLOSING or atom == " ") and glued and not pending:
            glued[-1] += atom          # never at a line start (a space ends the line instead)
        elif glued and not pending and glued[-1].endswith(".") and _RUN.fullmatch(atom):
            glued[-1] += atom          # a file's extension (".pdf") stays with its name
        else:
            glued.append(pending + atom)
            pending = ""
    if pending:
        if glued:
            glued[-1] += pending
        else:
            glued.append(pending)
    return glued


def _visible(text: str, markup: bool) -> str:
    return _TAG.sub("", text) if markup else text


def wrap(text: str, width: float, measure: Measure, markup: bool = False) -> list[str]:
    """`text` as lines no wider than `width` (see the module doc for the rules)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, measure, markup))
    return lines


def _fits(line: str, width: float, measure: Measure, markup: bool) -> bool:
    return measure(_visible(line, markup).rstrip(" ")) <= width


def _wrap_paragraph(paragraph: str, width: float, measure: Measure, markup: bool) -> list[str]:
    if not paragraph or _fits(paragraph, width, measure, markup):
        return [paragraph]
    rows: list[list[str]] = [[]]
    for unit in units(paragraph, markup):
        row = rows[-1]
        if _fits("".join(row) + unit, width, measure, markup):
            row.append(unit)
        elif row and _fits(unit, width, measure, markup):
            rows.append([unit])
        else:                            # wider than a whole line: cut it, the only cut allowed
            for char in unit:
                if rows[-1] and not _fits("".join(rows[-1]) + char, width, measure, markup):
                    rows.append([])
                rows[-1].append(char)
    _no_orphan(rows, width, measure, markup)
    return ["".join(row).rstrip(" ") for row in rows]


def _no_orphan(rows: list[list[str]], width: float, measure: Measure, markup: bool) -> None:
    """A last line of one character takes the last unit of the line above, when that fits."""
    if len(rows) < 2 or len(_visible("".join(rows[-1]), markup).strip(" ").rstrip("".join(CLOSING))) > 1:
        return
    above = rows[-2]
    if len(above) > 1:
        moved = [above.pop()] + rows[-1]
        if _fits("".join(moved), width, measure, markup):
            rows[-1] = moved
        else:
            above.append(moved[0])
