"""进度查询, and what 补交材料 shares with it (LookupScreen): the citizen scans the receipt's QR
code or places the ID card; the cases are found through kiosk/citizen/lookup.py (a local reference
still in the outbox is reported as queued, to be sent automatically). Progress shows each
case's timeline with dates, the deferred materials with their due dates, where the case stands
and what the citizen can do (lookup.progress), and offers the extension (信用承诺 第十六条)."""
from __future__ import annotations

import datetime as dt

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.citizen import extension, lookup
from kiosk.platform.contract import CHINA_TZ
from screens.appointment_base import ServiceScreen


class LookupScreen(ServiceScreen):
    """States: ask | searching | cases | queued | none (subclasses add their own)."""
    title_key = "lookup.heading_progress"
    offers_extension = False               # 进度查询 offers it (信用承诺 第十六条); 补交材料 does not
    title = StringProperty("")

    def on_enter(self, *_):
        self.title = self.t(self.title_key)
        self.found, self.message, self.print_status = None, "", ""
        self.ask()

    def ask(self) -> None:
        self.state = "ask"
        self.render()
        self.watch()
        self.say("place_card")

    def watch(self) -> None:
        """Scanned receipt codes and placed ID cards, handed to the UI thread."""
        self.stop_watching()

        def on_outcome(outcome):
            Clock.schedule_once(lambda _dt: self.on_outcome(outcome), 0)
        self._unlisten = self.services.identifier.watch(on_outcome)

    def on_outcome(self, outcome) -> None:
        if self.state != "ask" or self.manager is None or self.manager.current != self.name:
            return
        platform, outbox = self.services.platform, self.services.outbox
        if outcome.kind == "scanned":
            text = outcome.text
            self.search(lambda: lookup.by_code(platform, outbox, text))
        elif outcome.kind == "identified":
            person = outcome.person
            self.search(lambda: lookup.by_person(platform, person))
        elif outcome.kind == "refused":
            self.message = self.t(f"commitment.identify.{outcome.reason}")
        elif outcome.kind == "reading_failed":
            self.message = self.t("commitment.identify.unreadable", detail=outcome.detail)

    def search(self, work) -> None:
        self.stop_watching()
        self.state, self.message = "searching", ""
        self.render()
        self.run(work, self.show_found, self.search_failed)

    def show_found(self, found) -> None:
        self.found = found
        if found.kind == "not_ours":
            self.message = self.t("lookup.not_ours")
            self.ask()
            return
        self.state = {"cases": "cases", "queued": "queued", "refused": "refused"}.get(found.kind, "none")
        self.render()

    def search_failed(self, exc) -> None:
        self.message = self.t("lookup.offline")
        self.ask()

    def _draw_ask(self) -> None:
        self.label(self.t("lookup.hint"), bold=True)
        self.ids.body.add_widget(Factory.CardPicture(offset=0))
        self.label(self.t("lookup.hint_detail"))

    def _draw_searching(self) -> None:
        self.label(self.t("lookup.searching"))

    def _draw_queued(self) -> None:
        self.label(self.t("lookup.pending", ref=self.found.ref), "FlowAlert", color=self.app.theme["primary"])

    def _draw_refused(self) -> None:
        key = f"commitment.rejected.{self.found.reason}"
        reason = self.t(key)
        self.label(self.t("lookup.refused", ref=self.found.ref,
                          reason=reason if reason != key else self.t("lookup.refused_generic")),
                   "FlowAlert")

    def _draw_none(self) -> None:
        self.label(self.t("lookup.none"))
        self.button("again", self.t("lookup.again"), self.ask, kind="secondary")

    def _draw_cases(self) -> None:
        for index, case in enumerate(self.found.cases):
            if index:
                self.ids.body.add_widget(Factory.Widget(size_hint_y=None, height=self.app.u * 24))
            self.label(self.t("lookup.case", number=case.case_number, item=case.item_name), bold=True,
                       color=self.app.theme["primary"])
            self.label(self.t(f"lookup.status.{case.status}"), "FlowNote")
            self.progress_lines(case)
            for step in lookup.timeline(case):
                name = self.t(f"lookup.events.{step.event}")
                if step.done:
                    self.label(self.t("lookup.happened", on=_day(step.on), event=name))
                elif step.on:
                    self.label(self.t("lookup.expected", event=name, due=_day(step.on)), "FlowNote")
                else:
                    self.label(self.t("calendar.lookup_expected_unknown", event=name), "FlowNote")
            if case.status not in ("revoked", "completed"):
                self.material_lines(case)

    # what each state draws (ServiceScreen.render looks it up); subclasses extend the table
    STATES = {"ask": _draw_ask, "searching": _draw_searching, "queued": _draw_queued, "refused": _draw_refused,
              "none": _draw_none, "cases": _draw_cases}

    def progress_lines(self, case) -> None:
        """Where the case stands and what can be done now (信用承诺 第七、九、十四、十六条)."""
        progress = lookup.progress(case, dt.datetime.now(CHINA_TZ).date())
        for line in (progress.state, *progress.notes):
            self.label(self.t(line.key, **line.params), "FlowNote")
        for action in progress.actions:
            self.label(self.t(f"lookup.action.{action}"), "FlowNote")
        if "request_extension" in progress.actions and self.offers_extension:
            self.button(f"extend:{case.case_number}", self.t("extension.button"),
                        lambda c=case: self.ask_extension(c), kind="secondary")

    def material_lines(self, case) -> None:
        for m in case.materials:
            if m.status == "supplied":
                self.label(self.t("lookup.supplied", name=m.name), "FlowNote")
            elif m.status == "deferred" and m.due_on:
                self.label(self.t("lookup.due", name=m.name, due=_day(m.due_on)), "FlowAlert")
            elif m.status == "deferred":        # beyond every holiday table: the agency sets it
                self.label(self.t("calendar.lookup_due_unknown", name=m.name,
                                  hotline=self.services.wording.hotline), "FlowAlert")

    def back(self) -> None:
        if self.state in ("ask", "searching"):
            self.app.go("home")
        else:
            self.message = ""
            self.ask()

    def reset(self) -> None:
        super().reset()
        self.found = None


def _day(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


class ProgressScreen(LookupScreen):
    title_key = "lookup.heading_progress"
    offers_extension = True
    extending = None                       # the case whose extension is being asked for

    def ask_extension(self, case) -> None:
        """信用承诺 第十六条: the citizen names the special circumstance (one tap), then it is sent."""
        self.extending, self.message = case, ""
        self.state = "extension"
        self.render()

    def _draw_extension(self) -> None:
        self.label(self.t("extension.heading"), bold=True)
        self.label(self.t("extension.hint"), "FlowNote")
        self.label(self.t("extension.choose"))
        for index, reason in enumerate(self.app.tl("extension.reasons")):
            self.button(f"reason:{index}", reason, lambda r=reason: self.send_extension(r), kind="secondary")

    def send_extension(self, reason: str) -> None:
        case, platform = self.extending, self.services.platform
        today = dt.datetime.now(CHINA_TZ).date()
        self.state = "searching"
        self.render()
        self.run(lambda: extension.request(platform, case, reason, today), self.extension_sent,
                 self.extension_refused)

    def extension_sent(self, case) -> None:
        self.found = lookup.Found("cases", [case if c.case_number == case.case_number else c
                                            for c in self.found.cases])
        self.state, self.message = "cases", self.t("extension.sent")
        self.render()

    def extension_refused(self, exc) -> None:
        self.state = "cases"
        self.message = self.t(exc.key if isinstance(exc, extension.ExtensionRefused) else "extension.offline")
        self.render()

    STATES = {**LookupScreen.STATES, "extension": _draw_extension}
