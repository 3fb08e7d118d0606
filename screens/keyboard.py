"""PinyinKeyboard: an on-screen keyboard of letters and digits, backspace and clear.

The citizen types pinyin or initials (no system IME on a kiosk). The widget
edits its own `text`; screens bind to it. Keys are >= 120 design px high.
"""
from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
MAX_LENGTH = 30


class PinyinKeyboard(BoxLayout):
    text = StringProperty("")
    key_height = NumericProperty(120)      # design px

    def __init__(self, **kwargs):
        kwargs.setdefault("orientation", "vertical")
        super().__init__(**kwargs)
        self.keys: dict[str, object] = {}
        self.size_hint_y = None
        app = App.get_running_app()
        app.bind(u=self._resize, f=self._resize)
        for row in ROWS:
            line = BoxLayout(spacing=0)
            pad = (10 - len(row) - (3 if row == ROWS[-1] else 0)) / 2
            if pad:
                line.add_widget(Factory.Widget(size_hint_x=pad))
            for char in row:
                line.add_widget(self._key(char, char, 1))
            if row == ROWS[-1]:
                line.add_widget(self._key("backspace", app.t("guide.keyboard.backspace"), 1.5))
                line.add_widget(self._key("clear", app.t("guide.keyboard.clear"), 1.5))
            elif pad:
                line.add_widget(Factory.Widget(size_hint_x=pad))
            self.add_widget(line)
        app.bind(lang=self._relabel)
        self._resize()

    def _key(self, name: str, label: str, weight: float):
        key = Factory.KButton(text=label, kind="secondary", size_hint_x=weight)
        key.bind(width=lambda k, w: setattr(k, "text_size", (max(w, 1), None)))   # never wrap a key label
        key.key_name = name
        key.bind(on_release=lambda _b: self.press(name))
        self.keys[name] = key
        return key

    def _relabel(self, *_):
        app = App.get_running_app()
        self.keys["backspace"].text = app.t("guide.keyboard.backspace")
        self.keys["clear"].text = app.t("guide.keyboard.clear")

    def _resize(self, *_):
        app = App.get_running_app()
        gap = app.u * 10
        self.spacing = gap
        for line in self.children:
            line.spacing = gap
            line.size_hint_y = None
            line.height = app.u * self.key_height
        for name, key in self.keys.items():
            key.font_size = app.f * (40 if len(name) == 1 else 30)
            key.height = app.u * self.key_height
        self.height = len(ROWS) * app.u * self.key_height + (len(ROWS) - 1) * gap

    def press(self, name: str) -> None:
        if name == "backspace":
            self.text = self.text[:-1]
        elif name == "clear":
            self.text = ""
        elif len(self.text) < MAX_LENGTH:
            self.text += name
