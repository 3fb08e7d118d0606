"""What is being written in one text field: the committed text, the composition under way
(pinyin or the strokes of one character) and its paged candidates. No Kivy: the keyboard
widget (screens/keyboard.py) only draws a Composer and forwards taps to it.

Keys are named: a letter or any single character inserts itself (letters go to the pinyin
engine in the pinyin layout), and "space", "backspace", "clear", "shift" do what they say.
Nothing typed is lost: keys pressed while the engines are still loading wait in `queued`,
and leaving the pinyin layout keeps the letters typed so far.
"""
from __future__ import annotations

from typing import Optional

from kiosk.input.methods import InputMethods

TEXT_LAYOUTS = ("pinyin", "handwriting", "english", "symbols")
NUMERIC = "numeric"
ENGINE_LAYOUTS = ("pinyin", "handwriting")
COMMANDS = ("space", "backspace", "clear", "shift")


class Composer:
    def __init__(self, inputs: Optional[InputMethods], text: str = "", max_length: int = 500,
                 layouts=TEXT_LAYOUTS, caps_lock: bool = False, allowed: Optional[str] = None,
                 page_size: int = 6):
        self.inputs = inputs
        self.layouts = tuple(layouts)
        self.layout = self.layouts[0]
        self.max_length = max_length
        self.text = text[:max_length]
        self.caps_lock, self.shift = caps_lock, False
        self.allowed = allowed            # the characters a field accepts (None: any)
        self.page_size = page_size
        self.offset = 0                   # first candidate shown
        self.queued: list[str] = []       # keys pressed while the engines load
        self._strokes_candidates: list[str] = []
        if self.inputs is not None and self.inputs.pinyin is not None:
            self.inputs.pinyin.reset()    # a new field starts with no composition

    # --- what the keyboard draws ---------------------------------------------
    @property
    def ready(self) -> bool:
        return self.layout not in ENGINE_LAYOUTS or (self.inputs is not None and self.inputs.ready)

    @property
    def preedit(self) -> str:
        if self.layout == "pinyin":
            if not self.ready:
                return "".join(k for k in self.queued if len(k) == 1)
            engine = self.inputs.pinyin
            return engine.pending() + engine.preedit
        return ""

    @property
    def display(self) -> str:
        """The text as the citizen sees it: committed text and the composition after it."""
        return self.text + self.preedit

    @property
    def strokes(self) -> int:
        return self.inputs.handwriting.strokes if self.layout == "handwriting" and self.ready else 0

    def candidates(self) -> list[str]:
        """The page of candidates shown, from `offset`."""
        return self._all(self.offset + self.page_size)[self.offset:self.offset + self.page_size]

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return len(self._all(self.offset + self.page_size + 1)) > self.offset + self.page_size

    @property
    def upper(self) -> bool:
        return self.caps_lock or self.shift

    # --- taps -----------------------------------------------------------------
    def key(self, name: str) -> None:
        if len(name) != 1 and name not in COMMANDS:
            raise ValueError(f"no key {name!r}")
        if self.layout in ENGINE_LAYOUTS and not self.ready:
            self.queued.append(name)
            return
        if name == "shift":
            self.shift = not self.shift
        elif name == "backspace":
            self._backspace()
        elif name == "clear":
            self._drop_composition()
            self.text = ""
        elif self.layout == "pinyin" and len(name) == 1 and name.isascii() and name.isalpha():
            if len(self.display) < self.max_length:
                self._insert(self.inputs.pinyin.feed(name.lower()))
                self.offset = 0
        else:
            char = " " if name == "space" else name
            if self.layout == "pinyin" and self.preedit:      # space or a mark ends the word: first candidate
                self._insert(self.inputs.pinyin.feed("space"))
                if char == " ":
                    return
            if self.layout == "english" and len(char) == 1 and char.isalpha():
                char = char.upper() if self.upper else char.lower()
                self.shift = False
            self._insert(char)

    def pick(self, index: int) -> None:
        """Tap on the candidate `index` of the page shown."""
        absolute = self.offset + index
        if self.layout == "pinyin":
            self._insert(self.inputs.pinyin.choose(absolute))
        elif self.layout == "handwriting":
            chosen = self._all(absolute + 1)[absolute]
            self.inputs.handwriting.clear()
            self._insert(chosen)
        self.offset = 0

    def next_page(self) -> None:
        if self.has_next:
            self.offset += self.page_size

    def previous_page(self) -> None:
        self.offset = max(0, self.offset - self.page_size)

    def stroke(self, points, side: float | None = None) -> None:
        """A finger stroke on the handwriting pad: points on a square of `side` (the pad's,
        y downwards; None: the engine's own square)."""
        if self.ready and len(self.display) < self.max_length:
            engine = self.inputs.handwriting
            scale = engine.size / side if side else 1.0
            engine.add_stroke([(x * scale, y * scale) for x, y in points])
            self.offset = 0

    def undo_stroke(self) -> None:
        if self.ready:
            self.inputs.handwriting.undo()
            self.offset = 0

    def clear_pad(self) -> None:
        if self.ready:
            self.inputs.handwriting.clear()
            self.offset = 0

    def switch(self, layout: str) -> None:
        if layout not in self.layouts or layout == self.layout:
            return
        if self.layout == "pinyin" and self.ready:
            raw = self.inputs.pinyin.preedit            # keep the letters typed so far
            pending = self.inputs.pinyin.pending()
            self.inputs.pinyin.reset()
            self._insert(pending + raw)
        self.clear_pad()
        self.layout, self.offset, self.shift = layout, 0, False

    def engines_ready(self) -> None:
        """The engines have loaded: play back the keys pressed meanwhile."""
        queued, self.queued = self.queued, []
        for name in queued:
            self.key(name)

    def engines_failed(self) -> None:
        """No Chinese input on this terminal now: the first other layout takes the keys."""
        others = [layout for layout in self.layouts if layout not in ENGINE_LAYOUTS]
        if others and self.layout in ENGINE_LAYOUTS:
            self.layout = others[0]
        self.engines_ready()

    def reset(self, text: str = "") -> None:
        self._drop_composition()
        self.queued = []
        self.text, self.offset, self.shift = text[:self.max_length], 0, False

    # --- inside ---------------------------------------------------------------
    def _all(self, count: int) -> list[str]:
        if not self.ready:
            return []
        if self.layout == "handwriting":
            return self.inputs.handwriting.candidates()
        if self.layout != "pinyin" or not self.inputs.pinyin.preedit:
            return []
        engine, words, page = self.inputs.pinyin, [], 0
        while len(words) < count:
            more = engine.candidates(page)
            words += more
            if len(more) < engine.page_size:
                break
            page += 1
        return words

    def _insert(self, text: str) -> None:
        if self.allowed is not None:
            text = "".join(c for c in text if c in self.allowed)
        self.text = (self.text + text)[:self.max_length]

    def _backspace(self) -> None:
        if self.layout == "pinyin" and self.ready and self.inputs.pinyin.preedit:
            self.inputs.pinyin.feed("backspace")
            self.offset = 0
        elif self.layout == "handwriting" and self.strokes:
            self.undo_stroke()
        else:
            self.text = self.text[:-1]

    def _drop_composition(self) -> None:
        if self.ready and self.layout == "pinyin":
            self.inputs.pinyin.reset()
        elif self.ready and self.layout == "handwriting":
            self.inputs.handwriting.clear()
