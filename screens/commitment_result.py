"""承诺办理, step 7: the result (case number, 承诺审批, each deferred material with its due
date; or 待提交 with the local reference), the receipt printed, "请取走身份证和凭条" (only the card while no receipt came out), and
评价本次服务 opening the evaluation with the case number.

The applicant's copy of the letter (信用承诺 第十三条 "承诺书一式两份……由双方各保存一份"): with an A4
printer fitted, "打印承诺书（A4）" prints it when the citizen asks (never by itself: the citizen may
decline); without one, or once the A4 printer failed, the receipt carries the QR that downloads
it from the platform (/api/v1/letter-copies/{token})."""
from __future__ import annotations

import datetime as dt
import time

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.citizen.commitment import CST, supplement_due
from kiosk.printing.receipts import DeferredLine, commitment_receipt, letter_copy_url
from kiosk.workdays import texts
from screens.commitment_base import FlowScreen


class CommitmentResultScreen(FlowScreen):
    heading = StringProperty("")
    number = StringProperty("")            # the case number, shown large
    details = StringProperty("")
    queued = BooleanProperty(False)
    print_status = StringProperty("")
    printing = BooleanProperty(False)
    slip_out = BooleanProperty(False)      # the receipt came out: "请取走身份证和凭条", else only the card
    a4_fitted = BooleanProperty(False)      # 打印承诺书（A4） is offered
    copy_status = StringProperty("")
    printing_copy = BooleanProperty(False)
    copy_on_receipt = True                  # the receipt carries the copy's download QR
    shown_after = NumericProperty(0)       # seconds from tapping 提交 to this screen (benchmark)

    def on_enter(self, *_):
        submission = self.submission
        if submission is None:
            self.heading = self.details = ""
            return
        letter, case, ref = submission.letter, submission.case, submission.ref
        self.queued = submission.queued
        self.a4_fitted = self.services.devices.a4 is not None
        self.copy_on_receipt = not self.a4_fitted
        self.lines = self.deferred_lines(letter, case)
        t = self.t
        self.number = case.case_number if case is not None else ref
        if case is not None:
            head = [t("commitment.result.case_number", number=case.case_number)]
        else:
            head = [t("commitment.result.queued", ref=ref)]
        body = [t("commitment.result.decision")] + [self.deferred_text(line) for line in self.lines] + [
            t("commitment.result.extension")]
        self.heading = t("commitment.result.heading_queued" if self.queued else "commitment.result.heading_ok")
        self.details = "\n".join(head + [""] + body)
        tapped = self.session.data.get("submit_tapped")
        self.shown_after = time.perf_counter() - tapped if tapped else 0
        self.print_receipt()

    def deferred_text(self, line: DeferredLine) -> str:
        return texts.deferred_item(self.t, line.name, line.due_on, line.source, self.wording.hotline)

    def deferred_lines(self, letter, case) -> list[DeferredLine]:
        """The platform's dates (the authority); while the letter waits offline, this
        terminal's own count on the app's one work calendar, marked as such."""
        if case is not None:
            return [DeferredLine(m.name, m.due_on) for m in case.deferred_materials]
        due = supplement_due(letter.signed_at.astimezone(CST).date(), self.wording, self.services.calendar)
        return [DeferredLine(m.name, due, "local") for m in letter.materials if m.status == "deferred"]

    def receipt(self):
        submission = self.submission
        letter, case = submission.letter, submission.case
        a = letter.applicant
        return commitment_receipt(
            title=self.wording.title, item_name=case.item_name if case else self.draft.item_name,
            item_code=letter.item_code, applicant_name=a.name, subject_id=a.id_number or a.uscc,
            subject_type=a.subject_type, decision=self.wording.decision,
            case_number=case.case_number if case else None, ref=submission.ref, deferred=self.lines,
            extension_rule=self.wording.extension_rule, hotline=self.wording.hotline,
            terminal_id=self.services.settings["kiosk"]["terminal_id"], printed_at=dt.datetime.now(CST),
            location=self.location, copy_url=self.copy_url())

    def copy_url(self) -> str | None:
        """The copy's download URL for the receipt (第十三条), unless it is printed on A4."""
        case = self.submission.case
        if not self.copy_on_receipt or case is None or not case.letter_copy:
            return None
        return letter_copy_url(self.services.platform.base_url, case.letter_copy)

    def print_copy(self) -> None:
        """打印承诺书（A4）: the applicant's copy (申请人留存联) on the A4 printer. If it cannot print,
        the citizen is told why and gets the receipt again, now with the download QR."""
        a4, submission = self.services.devices.a4, self.submission
        if a4 is None or submission is None or self.printing_copy:
            return
        number = submission.case.case_number if submission.case else None
        self.printing_copy, self.copy_status = True, self.t("commitment.result.printing_copy")

        def job():
            from kiosk.citizen.letter_copy import letter_pdf    # fpdf: on the worker, when asked
            pdf = letter_pdf(submission.letter, self.wording.title, case_number=number, ref=submission.ref)
            return a4.print_pdf(pdf, title=f"承诺书 {number or submission.ref}")   # no personal data

        def failed(exc):
            self.printing_copy = False
            if submission.case is None or not submission.case.letter_copy:   # no QR to point to yet
                self.copy_status = self.t("commitment.result.copy_later")
                return
            self.copy_status = getattr(exc, "message", "") or self.t("commitment.rejected.other")
            if not self.copy_on_receipt:
                self.copy_on_receipt = True
                self.print_receipt()

        def done(_):
            self.printing_copy = False
            self.copy_status = self.t("commitment.result.printed_copy")
        self.run(job, done, failed, while_here=False)

    def print_receipt(self) -> None:
        printer = self.services.devices.printer
        if printer is None or self.printing:
            return
        self.printing, self.print_status = True, self.t("commitment.result.printing")
        document = self.receipt()

        def failed(exc):
            self.printing = False
            self.print_status = self.print_failure(exc, self.t("commitment.rejected.other"))

        def done(_):
            self.printing = False
            self.print_status = self.t("commitment.result.printed")
            self.receipt_came_out()
        self.slip_out = False
        self.run(lambda: self.services.receipts.print(document), done, failed, while_here=False)

    def receipt_came_out(self) -> None:
        self.slip_out = True

    def evaluate(self) -> None:
        """评价本次服务: the evaluation screen with this case (or, while queued, the item)."""
        case = self.submission.case if self.submission is not None else None
        self.session.data["evaluate_case"] = case.case_number if case is not None else None
        self.app.go("evaluation")

    def finish(self) -> None:
        self.app.end_session("commitment finished")

    def reset(self) -> None:
        self.heading = self.details = self.print_status = self.number = self.copy_status = ""
        self.printing = self.queued = self.slip_out = self.printing_copy = self.a4_fitted = False
        self.copy_on_receipt = True
        self.lines = []
