"""服务评价 (好差评): five levels; 不满意 / 非常不满意 ask for reasons (chosen from a list)
and an optional comment typed on the on-screen keyboard. A receipt's QR code scanned
here names the case evaluated. Submitted through the outbox (kiosk/citizen/evaluation.py), so
an evaluation made while the platform is down is sent later, exactly once."""
from __future__ import annotations

from kivy.clock import Clock

from kiosk.citizen import evaluation
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.outbox import OutboxUnavailable
from kiosk.printing.receipts import parse_lookup
from screens.appointment_base import ServiceScreen
from screens.keyboard import Keyboard


class EvaluationScreen(ServiceScreen):
    """States: levels | reasons | sent | queued."""

    def on_enter(self, *_):
        self.level, self.reasons = "", set()
        self.case_number = self.session.data.get("evaluate_case")
        self.item_code = self.session.data.get("item_code")
        self.keyboard = None
        self.message = ""
        self.state = "levels"
        self.render()
        self.say("evaluate")
        self._unscan = self.services.devices.listen(self._on_device)

    def entered(self) -> bool:
        """A level chosen or reasons picked and not yet sent."""
        return getattr(self, "state", "") in ("levels", "reasons") and bool(
            getattr(self, "level", "") or getattr(self, "reasons", None) or getattr(self, "comment", ""))

    def on_leave(self, *_):
        super().on_leave()
        getattr(self, "_unscan", lambda: None)()
        self._unscan = lambda: None

    def _on_device(self, family, event) -> None:
        text = getattr(event, "text", None)
        if family == "scanner" and text:
            Clock.schedule_once(lambda _dt: self.scanned(text), 0)

    def scanned(self, text: str) -> None:
        found = parse_lookup(text)
        if found and found[0] == "case" and self.state in ("levels", "reasons"):
            self.case_number = found[1]
            self.render()

    def draw_common(self) -> None:
        if self.case_number:
            self.label(self.t("services.evaluation.case", number=self.case_number), "FlowNote")
        elif self.state == "levels":
            self.label(self.t("services.evaluation.scan_hint"), "FlowNote")

    def _draw_levels(self) -> None:
        t = self.t
        self.label(t("services.evaluation.ask"), bold=True)
        grid = self.grid(cols=1 if self.app.portrait else 5, fixed=True)   # landscape: the five levels in one row
        for level in evaluation.LEVELS:
            self.button(f"level:{level}", t(f"services.evaluation.level.{level}"),
                        lambda lv=level: self.choose(lv), container=grid,
                        kind="primary" if level == self.level else "secondary")

    def _draw_reasons(self) -> None:
        t = self.t
        self.label(t("services.evaluation.chosen", level=t(f"services.evaluation.level.{self.level}")),
                   "FlowHeading")
        self.label(t("services.evaluation.why"), bold=True)
        grid = self.grid(cols=2 if self.app.elder else 3)     # the reasons are short: fewer rows above the keyboard
        for code, _text in evaluation.REASONS:
            mark = "✓ " if code in self.reasons else ""
            self.button(f"reason:{code}", mark + t(f"services.evaluation.reason.{code}"),
                        lambda c=code: self.toggle(c), container=grid,
                        kind="primary" if code in self.reasons else "secondary")
        self.comment_label = self.label("", "FlowNote")
        if self.keyboard is None:        # kept across redraws: a composition under way survives
            self.keyboard = Keyboard(text=self.comment, max_length=evaluation.MAX_COMMENT)
            self.keyboard.bind(text=lambda _k, v: setattr(self, "comment", v),
                               display=lambda _k, v: self.show_comment(v))
        self.show_comment(self.keyboard.display)
        self.place_keyboard(self.keyboard)
        self.bar_action("submit", t("services.evaluation.submit"), self.submit)

    def show_comment(self, typed: str) -> None:
        self.comment_label.text = self.t("services.evaluation.comment", text=typed or "—")

    def _draw_finished(self) -> None:
        self.label(self.t(f"services.evaluation.{self.state}", ref=getattr(self, "ref", "")), "FlowHeading")
        self.button("done", self.t("services.finish"), lambda: self.app.end_session("evaluation finished"))

    # what each state draws (ServiceScreen.render looks it up); "sending" shows the common part only
    STATES = {"levels": _draw_levels, "reasons": _draw_reasons, "sent": _draw_finished, "queued": _draw_finished}

    comment = ""

    def choose(self, level: str) -> None:
        self.level, self.message = level, ""
        if level in evaluation.BAD:
            self.state = "reasons"
            self.render()
        else:
            self.reasons = set()
            self.submit()

    def toggle(self, code: str) -> None:
        self.reasons ^= {code}
        self.message = ""
        self.render()

    def submit(self) -> None:
        draft = evaluation.Evaluation(self.level, tuple(c for c, _ in evaluation.REASONS if c in self.reasons),
                                      self.comment, self.case_number, self.item_code)
        try:
            draft.check()
        except evaluation.EvaluationIncomplete as exc:
            self.message = self.t(f"services.evaluation.{exc.reason}")
            return
        self.state = "sending"
        self.run(lambda: evaluation.submit(self.services.sender, draft), self.submitted, self.submit_failed)

    def submitted(self, result) -> None:
        entry, receipt = result
        self.ref = entry.ref
        self.state = "sent" if receipt is not None else "queued"
        self.render()
        self.say("thanks")

    def submit_failed(self, exc) -> None:
        self.state = "reasons" if self.level in evaluation.BAD else "levels"
        self.render()
        self.message = self.t("services.refused" if isinstance(exc, PlatformRejected) else
                              "services.outbox_unavailable" if isinstance(exc, OutboxUnavailable) else
                              "services.offline")

    def back(self) -> None:
        if self.state == "reasons":
            self.state, self.level, self.message = "levels", "", ""
            self.render()
        else:
            self.app.go("home")

    def reset(self) -> None:
        super().reset()
        self.level, self.reasons, self.comment, self.case_number = "", set(), "", None
        if getattr(self, "keyboard", None) is not None:
            self.keyboard.reset()
        self.keyboard = None
