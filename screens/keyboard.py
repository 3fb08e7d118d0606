"""Keyboard: the one on-screen keyboard of every text field.

Layouts: 拼音 with a candidate bar (paging, tap a candidate, the phrase goes on), 手写 (a pad,
candidates after each stroke, undo a stroke, rewrite), English letters with capitals, 符号
(digits and the punctuation people write) — or, for phone and ID numbers, a numeric keypad
alone. The writing itself is a `kiosk.input.Composer`; this widget draws it and forwards taps.
Screens bind to `text` (what is written) or `display` (with the composition after it). The
engines load on first use (a finger on the keyboard) off the UI thread (`Services.inputs`);
keys typed meanwhile wait.

Keys are at least 120 design px high (150 in elder mode) and share the width of a row, so
at least about 90 px wide on a 1080 px side in every orientation; a label never wraps (it is
one line, shrunk to fit if a translation is long).
"""
from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.scrollview import ScrollView

from kiosk.input.composer import ENGINE_LAYOUTS, NUMERIC, TEXT_LAYOUTS, Composer
from screens.keyboard_layouts import ALLOWED, COMMAND_ROW, NUMERIC_ROWS, PAD_COMMANDS, ROWS
from screens.keyboard_pad import HandwritingPad

PAD_COLUMN = 260        # design px: the width of the pad's 撤销一笔 / 重写 / 删除 column

COMMANDS = {"space", "backspace", "clear", "shift", "undo", "rewrite", "previous", "next"}


class Keyboard(BoxLayout):
    text = StringProperty("")       # what is written (committed)
    display = StringProperty("")    # the same with the composition under way after it
    layout = StringProperty("")
    status = StringProperty("")     # loading / unavailable / length notes, shown in the bar

    def __init__(self, text: str = "", layouts=TEXT_LAYOUTS, keypad: str | None = None,
                 max_length: int = 500, caps_lock: bool = False, allowed: str | None = None, **kwargs):
        kwargs.setdefault("orientation", "vertical")
        super().__init__(**kwargs)
        self.size_hint_y = None
        app = App.get_running_app()
        self.keypad = keypad
        if keypad:
            layouts, allowed = (NUMERIC,), ALLOWED[keypad]
        self.inputs = getattr(app.services, "inputs", None)
        self.composer = Composer(self.inputs, text=text, max_length=max_length, layouts=layouts,
                                 caps_lock=caps_lock, allowed=allowed)
        self.keys: dict[str, object] = {}
        self.pad: HandwritingPad | None = None
        self._locked: list[ScrollView] = []
        app.bind(u=self._rebuild, elder=self._rebuild, lang=self._rebuild)
        self.bind(width=self._width_changed, parent=self._parent_changed)
        self._rebuild()

    # --- the engines ------------------------------------------------------------
    def _load_engines(self) -> None:
        if self.inputs is None or not set(self.composer.layouts) & set(ENGINE_LAYOUTS) or self.inputs.ready:
            return
        self.inputs.load(lambda ok: Clock.schedule_once(lambda _dt: self._engines_loaded(ok), 0))

    def _engines_loaded(self, ok: bool) -> None:
        if ok:
            self.composer.engines_ready()
        else:
            self.composer.engines_failed()
        self._sync(rebuild=self.layout != self.composer.layout)

    # --- taps ---------------------------------------------------------------------
    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos):
            self._load_engines()         # first use: start them as the finger lands
        return super().on_touch_down(touch)

    def press(self, name: str) -> None:
        composer = self.composer
        self._load_engines()
        if name.startswith("layout:"):
            composer.switch(name.split(":", 1)[1])
            self._sync(rebuild=True)
            return
        if name.startswith("candidate:"):
            composer.pick(int(name.split(":", 1)[1]))
            if self.pad is not None:
                self.pad.clear()
        elif name == "previous":
            composer.previous_page()
        elif name == "next":
            composer.next_page()
        elif name == "undo":
            composer.undo_stroke()
            if self.pad is not None:
                self.pad.undo()
        elif name == "rewrite":
            composer.clear_pad()
            if self.pad is not None:
                self.pad.clear()
        else:
            strokes = composer.strokes
            composer.key(name)
            if self.pad is not None and composer.strokes < strokes:
                self.pad.undo()
        self._sync()

    def stroke(self, points) -> None:
        self.composer.stroke(points, self.pad.width if self.pad is not None else None)
        self._sync()

    def reset(self, text: str = "") -> None:
        self.composer.reset(text)
        if self.pad is not None:
            self.pad.clear()
        self._sync()

    # --- drawing --------------------------------------------------------------------
    def _sync(self, rebuild: bool = False) -> None:
        composer = self.composer
        self.text, self.display = composer.text, composer.display
        if rebuild or self.layout != composer.layout:
            self._rebuild()
            return
        self._draw_bar()
        if "shift" in self.keys:
            self.keys["shift"].kind = "primary" if composer.upper else "secondary"
            for name, key in self.keys.items():
                if len(name) == 1 and name.isalpha():
                    key.text = name.upper() if composer.upper else name

    def _rebuild(self, *_):
        app = App.get_running_app()
        composer = self.composer
        self.layout = composer.layout
        self.clear_widgets()
        self.keys, self.pad = {}, None
        self._unlock_scrolling()
        composer.page_size = self._page_size()
        if composer.layout in ENGINE_LAYOUTS:
            self.bar = self._row()
            self.add_widget(self.bar)
        else:
            self.bar = None
        if composer.layout == NUMERIC:
            rows = NUMERIC_ROWS[self.keypad or "phone"]
        else:
            rows = ROWS[composer.layout]
        for names in rows:
            row = self._row()
            for name in names:
                row.add_widget(self._key(name) if name else Factory.Widget())
            self.add_widget(row)
        if composer.layout == "handwriting":
            self._draw_pad()
        if composer.layout != NUMERIC:
            row = self._row()
            for layout in composer.layouts:
                if layout != composer.layout:
                    row.add_widget(self._key(f"layout:{layout}", app.t(f"keyboard.{layout}")))
            for name in COMMAND_ROW:
                if not (composer.layout == "handwriting" and name == "backspace"):
                    row.add_widget(self._key(name, weight=2 if name == "space" else 1))
            self.add_widget(row)
        self.spacing = self._gap()
        self.height = sum(c.height for c in self.children) + self.spacing * (len(self.children) - 1)
        self.text, self.display = composer.text, composer.display
        self._draw_bar()
        if "shift" in self.keys:
            self._sync()

    def _pad_side(self) -> float:
        """Three keys high, unless the keyboard is too narrow for that beside the pad's commands."""
        app = App.get_running_app()
        nominal = self._key_height() * 3 + self._gap() * 2
        if self.width <= 100:                   # not laid out yet
            return nominal
        return max(app.u * 240, min(nominal, self.width - PAD_COLUMN * app.u - 3 * self._gap()))

    def _draw_pad(self) -> None:
        app = App.get_running_app()
        side = self._pad_side()
        row = Factory.BoxLayout(size_hint_y=None, height=side, spacing=self._gap())
        row.add_widget(Factory.Widget())
        self.pad = HandwritingPad(on_stroke=self.stroke, size_hint=(None, None), size=(side, side))
        row.add_widget(self.pad)
        column = Factory.BoxLayout(orientation="vertical", spacing=self._gap(), size_hint_x=None,
                                   width=app.u * PAD_COLUMN)
        for name in PAD_COMMANDS:
            key = self._key(name)
            key.size_hint_y = 1
            column.add_widget(key)
        row.add_widget(column)
        row.add_widget(Factory.Widget())
        self.add_widget(row)
        self._lock_scrolling()

    def _draw_bar(self) -> None:
        """The candidate bar: the same keys redrawn in place (new widgets per keystroke would
        cost more than the engine does)."""
        bar, composer = self.bar, self.composer
        if bar is None:
            return
        app = App.get_running_app()
        words = composer.candidates()
        if self.inputs is None or self.inputs.error:
            note = app.t("keyboard.unavailable")
        elif not composer.ready:
            note = app.t("keyboard.loading")
        elif len(composer.text) >= composer.max_length:
            note = app.t("keyboard.full", limit=composer.max_length)
        elif composer.layout == "handwriting" and not words:
            note = app.t("keyboard.write_here")
        else:
            note = ""
        self.status = note
        if not bar.children:
            self._bar_widgets()
        showing_note = bool(note and not words)
        bar.note.text = note if showing_note else ""
        bar.note.size_hint_x, bar.note.opacity = (1, 1) if showing_note else (None, 0)
        bar.note.width = bar.note.width if showing_note else 0
        slots = [self.keys["previous"], *(self.keys[f"candidate:{i}"] for i in range(composer.page_size)),
                 self.keys["next"]]
        for key in slots:
            key.size_hint_x = 0 if showing_note else 1
        if showing_note:
            for key in slots:
                key.disabled, key.opacity = True, 0
            return
        self._enable(self.keys["previous"], composer.has_previous)
        self._enable(self.keys["next"], composer.has_next)
        for index in range(composer.page_size):
            key = self.keys[f"candidate:{index}"]
            word = words[index] if index < len(words) else ""
            if key.text != word:         # a new word starts at full size (_fit shrinks a long one)
                key.font_size, key.text = app.f * 40, word
            self._enable(key, index < len(words))

    def _bar_widgets(self) -> None:
        """The bar's widgets, made once per layout: a note (loading, write here...) and the
        candidate keys; each draw only shows one or the other."""
        bar = self.bar
        bar.clear_widgets()
        for name in [n for n in self.keys if n.startswith("candidate:") or n in ("previous", "next")]:
            del self.keys[name]
        bar.note = Factory.FlowText(text="", size_hint_y=None, height=bar.height, halign="center",
                                    valign="middle")
        bar.note.bind(size=lambda w, s: setattr(w, "text_size", s))
        bar.add_widget(bar.note)
        bar.add_widget(self._key("previous"))
        for index in range(self.composer.page_size):
            bar.add_widget(self._key(f"candidate:{index}", "", kind="primary" if index == 0 else "secondary"))
        bar.add_widget(self._key("next"))

    @staticmethod
    def _enable(key, on: bool) -> None:
        key.disabled, key.opacity = not on, 1      # disabled keys look disabled by the theme (screens/theme.py)

    def _key(self, name: str, label: str | None = None, weight: float = 1, kind: str = "secondary"):
        app = App.get_running_app()
        if label is None:
            label = app.t(f"keyboard.{name}") if name in COMMANDS else name
        single = len(label) == 1
        key = Factory.KTouch(text=label, size_hint_x=weight, size_hint_y=None, height=self._key_height(),
                             font_size=app.f * (44 if single else 32))
        key.kind = kind
        key.key_name = name
        key.bind(texture_size=self._fit, width=self._fit)
        key.bind(on_release=lambda _k: self.press(name))
        self.keys[name] = key
        return key

    @staticmethod
    def _fit(key, *_):
        """One line always: a label wider than its key is set smaller (never wrapped)."""
        room = key.width - App.get_running_app().u * 16
        if key.texture_size[0] > room > 0 and key.font_size > 8:
            key.font_size = max(8, key.font_size * room / key.texture_size[0])

    def _row(self):
        return Factory.BoxLayout(size_hint_y=None, height=self._key_height(), spacing=self._gap())

    @staticmethod
    def _key_height() -> float:
        app = App.get_running_app()
        return app.u * (150 if app.elder else 120)

    @staticmethod
    def _gap() -> float:
        return App.get_running_app().u * 10

    def _page_size(self) -> int:
        """Candidates per page: as many as fit at about 150 design px each (190 in elder mode)."""
        app = App.get_running_app()
        width = self.width if self.width > 100 else app.root.width if app.root else 1080
        each = app.u * (190 if app.elder else 150)
        return max(3, min(8, int(width / each) - 2))

    def _width_changed(self, *_):
        if self.pad is not None and abs(self._pad_side() - self.pad.width) > 1:
            side = self._pad_side()
            self.pad.size = (side, side)
            self.pad.parent.height = side
            self.height = sum(c.height for c in self.children) + self.spacing * (len(self.children) - 1)
        size = self._page_size()
        if size != self.composer.page_size:
            self.composer.page_size, self.composer.offset = size, 0
            if self.bar is not None:
                self._bar_widgets()
                self._draw_bar()

    # --- the handwriting pad in a scrolling body: a stroke must not scroll it, but the bar may
    def _lock_scrolling(self) -> None:
        widget = self.parent
        while widget is not None and widget is not widget.parent:     # the Window is its own parent
            if isinstance(widget, ScrollView) and "content" in widget.scroll_type:
                widget.scroll_to(self, padding=0, animate=False)
                self._locked.append((widget, widget.scroll_type))
                widget.scroll_type = ["bars"]
            widget = widget.parent

    def _unlock_scrolling(self) -> None:
        for view, scroll_type in self._locked:
            view.scroll_type = scroll_type
        self._locked = []

    def _parent_changed(self, *_):
        if self.parent is None:
            self._unlock_scrolling()
        elif self.layout == "handwriting":
            Clock.schedule_once(lambda _dt: self._lock_scrolling(), 0)
