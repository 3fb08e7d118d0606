"""AskDialog: one question over the whole app, with two answers ("放弃本次办理？" before work is
lost; "打印机已恢复，现在打印凭条？" when a failed receipt can come out now).

It lies in root.kv above the screens and below the idle countdown; while it shows, it takes
every touch, so nothing beneath is pressed by mistake. The first answer is the safe one and
is drawn as the primary button."""
from __future__ import annotations

from typing import Callable, Optional

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

Answer = Optional[Callable[[], None]]


class AskDialog(FloatLayout):
    shown = BooleanProperty(False)
    topic = StringProperty("")          # what is asked ("leave", "reprint"): tests and the tour
    question = StringProperty("")
    detail = StringProperty("")
    first_text = StringProperty("")
    second_text = StringProperty("")

    def ask(self, topic: str, question: str, detail: str, first: tuple[str, Answer],
            second: tuple[str, Answer]) -> None:
        self.topic, self.question, self.detail = topic, question, detail
        (self.first_text, self._first), (self.second_text, self._second) = first, second
        self.shown = True

    def answer(self, first: bool) -> None:
        callback = self._first if first else self._second
        self.close()
        if callback is not None:
            callback()

    def close(self) -> None:
        self.shown = False
        self.topic = self.question = self.detail = ""
        self._first = self._second = None

    def on_touch_down(self, touch):
        if not self.shown:
            return False
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) or self.shown

    def on_touch_up(self, touch):
        if not self.shown:
            return False
        super().on_touch_up(touch)
        return True
