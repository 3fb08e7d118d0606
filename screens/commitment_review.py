"""承诺办理, step 6: review the letter with the signature as drawn, correct it (上一步 to the
signature, 修改材料 to the materials, each keeping the draft), then submit. The letter goes into the encrypted outbox
(fsync'd) before anything is said; the platform call runs on a worker thread. Unreachable
platform: the letter stays queued and the citizen is told so plainly."""
from __future__ import annotations

import datetime as dt
import time

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.citizen import commitment
from kiosk.citizen.commitment import CST, supplement_due
from kiosk.devices.doccam import CaptureFailed
from kiosk.logs import mask_id_number
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.outbox import OutboxUnavailable
from kiosk.workdays import texts
from screens.commitment_base import FlowScreen


class CommitmentReviewScreen(FlowScreen):
    summary = StringProperty("")
    submitting = BooleanProperty(False)
    message = StringProperty("")

    def on_enter(self, *_):
        self.submitting, self.message = False, ""
        self.show_summary()

    def show_summary(self) -> None:
        draft = self.draft
        if draft is None or draft.applicant is None:
            self.summary = ""
            return
        t = self.t
        due = supplement_due(dt.datetime.now(CST).date(), self.wording, self.services.calendar)
        applicant, signer = draft.applicant, draft.signer
        subject = applicant.uscc if applicant.subject_type == "company" else mask_id_number(applicant.id_number or "")
        lines = [t("commitment.review.item", name=f"{draft.item_name}（{draft.item_code}）"),
                 t("commitment.review.applicant", name=applicant.name, id=subject)]
        if signer is not None and signer.role != "applicant":     # a company's legal representative or agent
            lines.append(t("commitment.review.signer", role=t(f"commitment.company.role.{signer.role}"),
                           name=signer.name, id=mask_id_number(signer.id_number)))
        self.offer_authorisation(signer is not None and signer.role == "agent")
        if signer is not None and signer.role == "agent":
            lines.append(t("commitment.review.authorisation_taken", count=len(draft.authorisation)))
        lines += [t("commitment.review.deferred", names="、".join(m.name for m in draft.deferred)),
                  texts.review_due(t, due, self.wording.hotline),
                  "", self.wording.extension_rule]
        self.summary = "\n".join(lines)
        self.show_signature(draft.signature)

    def show_signature(self, png: bytes | None) -> None:
        """The signature as the citizen drew it, so what is submitted is what they see."""
        image = self.ids.signature
        if not png:
            image.texture = None
            return
        from io import BytesIO
        from kivy.core.image import Image as CoreImage
        image.texture = CoreImage(BytesIO(png), ext="png").texture

    def change_materials(self) -> None:
        """修改材料: back to the materials; the chain of steps leads here again."""
        self.app.go("commitment_materials")

    def offer_authorisation(self, agent: bool) -> None:
        """An agent photographs the 授权委托书 here; it is never deferred (信用承诺 第十四条(二))."""
        box = self.ids.authorisation_box
        box.clear_widgets()
        if agent:
            count = len(self.draft.authorisation)
            text = self.t("commitment.review.authorisation_more", count=count) if count \
                else self.t("commitment.review.authorisation")
            self.authorisation_button = Factory.KButton(text=text, on_release=lambda *_: self.capture_authorisation())
            box.add_widget(self.authorisation_button)

    def capture_authorisation(self) -> None:
        if self.submitting or self.draft is None:
            return
        self.authorisation_button.disabled, self.message = True, self.t("lookup.taking")

        def taken(page):
            if self.draft is not None:
                self.draft.authorisation.append(page)
                self.message = ""
                self.show_summary()

        def failed(exc):
            self.authorisation_button.disabled = False
            self.message = exc.message if isinstance(exc, CaptureFailed) else self.t("lookup.capture_failed")
        self.run(self.services.doccam.snapshot, taken, failed)

    def submit(self) -> None:
        if self.submitting or self.draft is None:
            return
        if "authorisation" in self.draft.missing():
            self.message = self.t("commitment.review.authorisation_needed")
            return
        self.submitting, self.message = True, self.t("commitment.review.submitting")
        self.session.data["submit_tapped"] = time.perf_counter()
        letter = self.draft.letter()
        sender = self.services.sender
        self.run(lambda: commitment.submit(sender, letter), self.submitted, self.failed)

    def submitted(self, submission: commitment.Submission) -> None:
        if self.draft is None:
            return
        self.session.data["submission"] = submission
        self.next_step()

    def failed(self, exc) -> None:
        self.submitting = False
        if isinstance(exc, PlatformRejected):
            key = f"commitment.rejected.{exc.slug}"
            text = self.t(key)
            self.message = self.t("commitment.result.rejected",
                                  reason=text if text != key else self.t("commitment.rejected.other"))
        elif isinstance(exc, OutboxUnavailable):
            self.message = self.t("commitment.outbox_unavailable")
        else:
            self.message = self.t("commitment.rejected.other")

    def reset(self) -> None:
        self.summary, self.message, self.submitting = "", "", False
        self.ids.authorisation_box.clear_widgets()
        self.ids.signature.texture = None
