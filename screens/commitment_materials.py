"""承诺办理, step 3: the materials checklist: each material provided today or deferred (容缺)."""
from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.commitment_base import FlowScreen


class MaterialRow(BoxLayout):
    text = StringProperty("")
    code = StringProperty("")
    deferrable = BooleanProperty(False)
    deferred = BooleanProperty(False)


class CommitmentMaterialsScreen(FlowScreen):
    can_continue = BooleanProperty(False)
    message = StringProperty("")

    def on_enter(self, *_):
        self.rebuild()

    def rebuild(self) -> None:
        box = self.ids.rows
        box.clear_widgets()
        draft = self.draft
        if draft is None:
            return
        for material in draft.materials:
            row = MaterialRow(text=material.name, code=material.code,
                                      deferrable=material.deferrable, deferred=material.deferred)
            row.bind(deferred=lambda r, value: self.toggle(r.code, value))
            box.add_widget(row)
        self._update()

    def toggle(self, code: str, deferred: bool) -> None:
        self.draft.set_deferred(code, deferred)
        self._update()

    def _update(self) -> None:
        self.can_continue = bool(self.draft and self.draft.deferred)
        self.message = "" if self.can_continue else self.t("commitment.materials.none_deferred")

    def next(self) -> None:
        if self.can_continue:
            self.next_step()

    def reset(self) -> None:
        self.ids.rows.clear_widgets()
        self.message = ""
