"""承诺办理, step 4: the eight confirmations of 第十二条, each acknowledged; 同意 is enabled
only once the full text has been scrolled to the end and every one is acknowledged."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.commitment_base import FlowScreen


class ConfirmationRow(BoxLayout):
    text = StringProperty("")
    index = NumericProperty(0)
    acknowledged = BooleanProperty(False)
    english = StringProperty("")          # the English rendering, in English mode only


class CommitmentConfirmScreen(FlowScreen):
    read_to_end = BooleanProperty(False)
    all_acknowledged = BooleanProperty(False)

    def on_kv_post(self, *_):
        self.ids.scroll.bind(scroll_y=self._scrolled, height=self._scrolled)
        self.ids.texts.bind(height=self._scrolled)

    def on_enter(self, *_):
        box = self.ids.texts
        box.clear_widgets()
        draft = self.draft
        if draft is None:
            return
        self.read_to_end = False
        box.add_widget(Factory.FlowText(text=self.wording.preamble))
        english = self.app.tl("commitment.confirm.english") if self.app.lang == "en" else []
        if english:
            box.add_widget(Factory.FlowNote(text=self.t("commitment.confirm.english_note")))
        for index, text in enumerate(self.wording.confirmations):
            row = ConfirmationRow(text=text, index=index, acknowledged=index in draft.acknowledged,
                                  english=english[index] if index < len(english) else "")
            row.bind(acknowledged=self._acknowledge)
            box.add_widget(row)
        self.ids.scroll.scroll_y = 1
        self._update()
        Clock.schedule_once(self._scrolled, 0)

    def _acknowledge(self, row, value) -> None:
        (self.draft.acknowledged.add if value else self.draft.acknowledged.discard)(row.index)
        self._update()

    def _update(self) -> None:
        self.all_acknowledged = bool(self.draft and self.draft.all_acknowledged)

    def _scrolled(self, *_):
        scroll, content = self.ids.scroll, self.ids.texts
        if content.height <= scroll.height or scroll.scroll_y <= 0.01:
            self.read_to_end = True

    def agree(self) -> None:
        if self.read_to_end and self.all_acknowledged:
            self.next_step()

    def reset(self) -> None:
        self.ids.texts.clear_widgets()
        self.read_to_end = self.all_acknowledged = False
