"""承诺办理, step 7: the result (case number, 承诺审批, each deferred material with its due
date; or 待提交 with the local reference), the receipt printed, "请取走身份证和凭条" (only the card while no receipt came out), and
评价本次服务 opening the evaluation with the case number."""
from __future__ import annotations

import datetime as dt
import time

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.citizen.commitment import CST, supplement_due
from kiosk.printing.receipts import DeferredLine, commitment_receipt
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
    shown_after = NumericProperty(0)       # seconds from tapping 提交 to this screen (benchmark)

    def on_enter(self, *_):
        submission = self.submission
        if submission is None:
            self.heading = self.details = ""
            return
        letter, case, ref = submission.letter, submission.case, submission.ref
        self.queued = submission.queued
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
            location=self.location)

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
        self.heading = self.details = self.print_status = self.number = ""
        self.printing = self.queued = self.slip_out = False
        self.lines = []
