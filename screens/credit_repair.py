"""信用修复 (失信惩戒 第十二条): what repair means, the materials to hand in, each captured
with the document camera, submitted to the platform, a printed acknowledgement. Reached
from the credit check's blacklisted path (the subject is known) or its home tile (the ID
card identifies the citizen; one who is not blacklisted is told no repair is needed)."""
from __future__ import annotations

from kiosk.citizen import credit_repair
from kiosk.devices.doccam import Pages
from kiosk.platform.errors import PlatformRejected
from screens.appointment_base import ServiceScreen
from screens.supplement_capture import PageCapture


class CreditRepairScreen(PageCapture, ServiceScreen):
    """States: intro | identify | checking | not_needed | documents | capture | taking |
    submitting | done."""

    def on_enter(self, *_):
        self.pages, self.receipt = Pages(), None
        self.subject = self.session.data.get("credit_repair_subject")
        self.message = self.print_status = ""
        self.state = "intro"
        self.render()

    def _draw_intro(self) -> None:
        t = self.t
        self.label(t("credit_repair.what"))
        self.label(t("credit_repair.materials"), bold=True)
        for kind in credit_repair.KINDS:
            self.label(t("credit_repair.kind_required" if kind.required else "credit_repair.kind_if_any",
                         name=kind.name))
        self.label(t("credit_repair.where"), "FlowNote")
        self.bar_action("start", t("credit_repair.start"), self.start)

    def _draw_identify(self) -> None:
        t = self.t
        self.label(t("credit_repair.place_card"), bold=True)

    def _draw_checking_submitting(self) -> None:
        t = self.t
        self.label(t("services.working"))

    def _draw_not_needed(self) -> None:
        t = self.t
        self.label(t("credit_repair.not_needed"), "FlowAlert", color=self.app.theme["primary"])

    def _draw_documents(self) -> None:
        t = self.t
        self.label(t("credit_repair.documents_hint"), bold=True)
        for kind in credit_repair.KINDS:
            count = self.pages.count(kind.code)
            mark = t("credit_repair.required") if kind.required else t("credit_repair.optional")
            text = t("credit_repair.kind_button", name=kind.name, mark=mark, count=count)
            self.button(f"kind:{kind.code}", text, lambda k=kind: self.start_capture(k.code, k.name),
                        kind="secondary" if count else "primary")
        if not credit_repair.missing(self.pages.by_code):
            self.bar_action("submit", t("credit_repair.submit"), self.submit)

    def _draw_capture_taking(self) -> None:
        t = self.t
        self.render_capture()
        if self.pages.count(self.capture_code) and self.state == "capture":
            self.bar_action("kind_done", t("credit_repair.kind_done"), self.documents)

    def _draw_done(self) -> None:
        t = self.t
        self.success(t("credit_repair.received", number=self.receipt.number))
        self.label(t("credit_repair.next_steps"))

    # what each state draws (ServiceScreen.render looks it up)
    STATES = {
        "intro": _draw_intro,
        "identify": _draw_identify,
        "checking": _draw_checking_submitting,
        "submitting": _draw_checking_submitting,
        "not_needed": _draw_not_needed,
        "documents": _draw_documents,
        "capture": _draw_capture_taking,
        "taking": _draw_capture_taking,
        "done": _draw_done,
    }

    def start(self) -> None:
        if self.subject:
            self.documents()
            return
        self.state, self.message = "identify", ""
        self.render()
        self.watch_card(self.identified)

    def identified(self, person) -> None:
        self.state = "checking"
        self.render()
        self.run(lambda: self.services.platform.credit_status("person", person.id_number),
                 lambda status: self.checked(person, status))

    def checked(self, person, status) -> None:
        if not status.blacklisted:
            self.state = "not_needed"
            self.render()
            return
        self.subject = ("person", person.id_number)
        self.documents()

    def documents(self) -> None:
        self.state, self.message = "documents", ""
        self.render()

    def submit(self) -> None:
        if self.state != "documents" or credit_repair.missing(self.pages.by_code):
            return
        self.state = "submitting"
        self.render()
        (subject_type, subject_id), pages = self.subject, dict(self.pages.by_code)
        self.run(lambda: credit_repair.submit(self.services.platform, subject_type, subject_id, pages),
                 self.submitted, self.submit_failed)

    def submitted(self, receipt) -> None:
        self.receipt, self.state = receipt, "done"
        subject_type, subject_id = self.subject
        kinds = [k for k in credit_repair.KINDS if self.pages.count(k.code)]
        counts = {k.code: self.pages.count(k.code) for k in kinds}
        self.pages.clear()
        self.render()
        self.print_document(credit_repair.acknowledgement(
            receipt=receipt, subject_type=subject_type, subject_id=subject_id, kinds=kinds, page_counts=counts,
            hotline=self.services.wording.hotline, terminal_id=self.terminal_id, printed_at=self.now()))

    def submit_failed(self, exc) -> None:
        self.documents()
        if isinstance(exc, PlatformRejected) and exc.slug == "not-blacklisted":
            self.message = self.t("credit_repair.not_needed")
        else:
            self.failed(exc)

    def back(self) -> None:
        if self.state in ("capture", "taking"):
            self.documents()
        elif self.state in ("identify", "documents", "not_needed"):
            self.stop_watching()
            self.state, self.message = "intro", ""
            self.render()
        else:
            self.app.go("home")

    def reset(self) -> None:
        super().reset()
        if getattr(self, "pages", None) is not None:
            self.pages.clear()
        self.subject = self.receipt = None
