"""承诺办理, step 5: the signature pad (draw, clear; an empty signature is refused)."""
from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.citizen.commitment import SignatureEmpty, signature_png
from screens.commitment_base import FlowScreen
from screens.signature import SignaturePad  # noqa: F401  (used in the kv rule)


class CommitmentSignScreen(FlowScreen):
    message = StringProperty("")

    def on_enter(self, *_):
        self.message = ""

    def clear(self) -> None:
        self.ids.pad.clear()
        self.message = ""

    def next(self) -> None:
        pad = self.ids.pad
        try:
            self.draft.signature = signature_png(pad.strokes, pad.size)
        except SignatureEmpty:
            self.message = self.t("commitment.sign.empty")
            return
        self.next_step()

    def reset(self) -> None:
        self.ids.pad.clear()
        self.message = ""
