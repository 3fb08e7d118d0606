"""Guided questions: a few taps through an item's decision tree, ending at its variant.

Back undoes one answer, restart goes to the first question; the last answer
opens the variant's guide sheet.
"""
from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import ListProperty, StringProperty

from screens.base import KioskScreen
from screens.guide_nav import open_sheet


class QuestionsScreen(KioskScreen):
    item_code = StringProperty("")
    question_id = StringProperty("")
    history = ListProperty([])              # question ids answered so far
    came_from = StringProperty("guide")

    def on_kv_post(self, *_):
        App.get_running_app().bind(lang=lambda *_: self.rebuild())

    @property
    def item(self):
        catalog = self.services.catalog.catalog
        return catalog.get(self.item_code) if catalog and self.item_code else None

    def start(self, code: str, came_from: str = "guide") -> None:
        self.item_code, self.came_from = code, came_from
        self.restart()

    def restart(self) -> None:
        item = self.item
        self.history = []
        self.question_id = item.questions.start if item and item.questions else ""
        self.rebuild()

    def answer(self, index: int) -> None:
        option = self.item.questions.question(self.question_id).options[index]
        if option.variant:
            open_sheet(option.variant, "guide_questions")
            return
        self.history.append(self.question_id)
        self.question_id = option.next
        self.rebuild()

    def back(self) -> None:
        if self.history:
            self.question_id = self.history.pop()
            self.rebuild()
        else:
            App.get_running_app().go(self.came_from)

    def rebuild(self) -> None:
        app = App.get_running_app()
        options = self.ids.options
        options.clear_widgets()
        item = self.item
        if item is None or not self.question_id:
            self.ids.item_name.text = self.ids.question.text = ""
            return
        question = item.questions.question(self.question_id)
        self.ids.item_name.text = self.item_name(item)
        self.ids.step.text = app.t("guide.questions.step", step=len(self.history) + 1)
        self.ids.question.text = question.text
        for index, option in enumerate(question.options):
            button = Factory.KButton(text=option.label, font_size=app.f * 40)
            button.option_index = index
            button.bind(on_release=lambda _b, i=index: self.answer(i))
            options.add_widget(button)
        self.ids.scroll.scroll_y = 1

    def reset(self) -> None:
        self.item_code, self.question_id, self.history = "", "", []

    def show_item(self) -> None:
        """Not sure which variant: the item's own guide sheet lists what they share."""
        if self.item is not None:
            open_sheet(self.item_code, "guide_questions")
