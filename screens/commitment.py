"""承诺办理, step 1–2: eligibility of the chosen item, identification (ID card or the city
app's electronic identity code) and the credit check. A blacklisted applicant gets the
explanation, how to apply for credit repair (a button opens 信用修复) and the hotline; nothing
else proceeds. For 法人 items a company applies (screens/commitment_company.py): its USCC,
then the ID card of its legal representative or agent. A natural person may commit through an
agent (信用承诺 第十四条(二) "行政相对人可以委托代理人作出承诺"): "委托他人代办" on the identify step; the
applicant's ID card is read first (the credit check is the applicant's), then the agent's; the
授权委托书 is photographed at the review step. An honest subject (诚信主体) is shown the green channel and the hall's benefits
(失信惩戒 第十条; settings hall.green_channel) before going on."""
from __future__ import annotations

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.citizen.commitment import eligibility, new_draft, person_applicant
from kiosk.identity import IdentityRefused
from kiosk.platform.errors import PlatformError, PlatformUnavailable
from screens.commitment_base import FlowScreen
from screens.commitment_company import CompanyEntry

NO_CARD_HINT_SECONDS = 15


class CommitmentScreen(CompanyEntry, FlowScreen):
    # no_item | not_allowed | choose_subject | company | identify | checking | blacklisted | green
    state = StringProperty("identify")
    identify_heading = StringProperty("")
    message = StringProperty("")
    item_title = StringProperty("")        # the chosen item's name, in the screen's language
    benefits = StringProperty("")        # the green channel's benefits, one per line
    agent_offered = BooleanProperty(False)   # 委托他人代办 can be chosen now (a natural person, no card yet)

    @property
    def by_agent(self) -> dict | None:
        """{"applicant_checked": bool, "agent": Person | None} while a natural person commits
        through an agent (第十四条(二))."""
        return self.session.data.get("by_agent")

    def open_item(self, code: str) -> None:
        self.session.data["item_code"] = code

    def on_enter(self, *_):
        self._unlisten = lambda: None
        code = self.session.data.get("item_code", "")
        item = self.services.catalog.catalog.get(code) if code and self.services.catalog else None
        self.item_title = self.item_name(item) if item else ""
        self.message = ""
        self.ids.item_list.clear_widgets()
        if item is None:
            self.show_items()
            return
        if not self.services.outbox.available:     # nowhere to keep a signed letter safely
            self.state, self.message = "not_allowed", self.t("commitment.outbox_unavailable")
            return
        verdict = eligibility(item, self.wording)
        if not verdict.allowed:
            self.state, self.message = "not_allowed", self.t("commitment.not_allowed", reason=verdict.reason)
            return
        self.session.data["commitment"] = new_draft(item, self.wording)
        self.session.data.pop("company", None)
        self.session.data.pop("by_agent", None)
        self.ids.company.clear_widgets()
        if "法人" in item.audience and "自然人" in item.audience:
            self.choose_subject()
        elif "法人" in item.audience:
            self.as_company()
        else:
            self.start_identify()

    def show_items(self) -> None:
        """承诺办理 without an item (the home tile): the items this hall handles by commitment,
        one button each, and the way to the guide; never a dead end."""
        from kivy.factory import Factory
        self.state, self.message = "no_item", ""
        catalog = self.services.catalog.catalog if self.services.catalog else None
        items = [i for i in (catalog.listed() if catalog else []) if eligibility(i, self.wording).allowed]
        for item in items:
            button = Factory.KButton(text=self.item_name(item), kind="secondary", font_size=self.app.f * 34)
            button.item_code = item.code
            button.bind(on_release=lambda _b, code=item.code: self.choose_item(code))
            self.ids.item_list.add_widget(button)

    def choose_item(self, code: str) -> None:
        self.open_item(code)
        self.on_enter()

    def start_identify(self) -> None:
        """Wait for the ID card (or an identity code): the applicant, the company's signer, or the
        natural person's agent once the applicant's card was read."""
        company, by_agent = self.company, self.by_agent
        if company:
            self.identify_heading = self.t(f"commitment.company.identify.{company['role']}")
        elif by_agent is not None:
            self.identify_heading = self.t("commitment.agent.identify_agent" if self.waiting_for_agent
                                           else "commitment.agent.identify_applicant")
        else:
            self.identify_heading = self.t("commitment.identify.heading")
        self.agent_offered = not company and by_agent is None
        self.state = "identify"
        self._stop_watching()
        self._unlisten = self.services.identifier.watch(
            lambda outcome: Clock.schedule_once(lambda _dt: self.on_outcome(outcome), 0))
        self._waited = 0.0
        self._tick = Clock.schedule_interval(self._check_reader, 1.0)
        self._check_reader(0)
        self._animate()

    def on_leave(self, *_):
        self._stop_watching()

    # -- a natural person through an agent (信用承诺 第十四条(二)) --------------------------------
    @property
    def waiting_for_agent(self) -> bool:
        """The applicant's card was read and checked; the agent's is awaited."""
        return self.by_agent is not None and self.by_agent["applicant_checked"]

    def choose_agent(self) -> None:
        """委托他人代办: the applicant's ID card first, then the agent's."""
        self.session.data["by_agent"] = {"applicant_checked": False, "agent": None}
        self.message = self.t("commitment.agent.chosen")
        self.start_identify()

    def agent_identified(self, agent) -> None:
        applicant = self.session.data["person"]
        try:
            self.draft.applicant, self.draft.signer = person_applicant(applicant, agent=agent)
        except IdentityRefused:       # the applicant's own card again
            self.message = self.t("commitment.agent.same_person")
            return
        self.by_agent["agent"] = agent
        self._stop_watching()
        self.next_step()

    def _stop_watching(self) -> None:
        getattr(self, "_unlisten", lambda: None)()
        self._unlisten = lambda: None
        tick = getattr(self, "_tick", None)
        if tick is not None:
            tick.cancel()
            self._tick = None
        Animation.cancel_all(self.ids.card)

    def _animate(self) -> None:
        """The card slides down onto the reader pad, again and again."""
        card = self.ids.card
        Animation.cancel_all(card)
        card.offset = 1.0
        anim = Animation(offset=0.0, duration=1.2, t="out_quad") + Animation(offset=0.0, duration=0.8) \
            + Animation(offset=1.0, duration=0.01)
        anim.repeat = True
        anim.start(card)

    def _check_reader(self, dt) -> None:
        if self.state != "identify":
            return
        self._waited += dt
        reader = self.services.identifier.reader_state()
        if reader != "ok":
            self.message = self.t(f"commitment.identify.reader_{reader}")
        elif self._waited >= NO_CARD_HINT_SECONDS and not self.message:
            self.message = self.t("commitment.identify.no_card")
        elif self.message.startswith(self.t("commitment.identify.reader_offline")[:6]):
            self.message = ""

    # -- identification ------------------------------------------------------------------
    def on_outcome(self, outcome) -> None:
        if self.state != "identify" or self.manager is None or self.manager.current != self.name:
            return
        if outcome.kind == "identified":
            self.identified(outcome.person)
        elif outcome.kind == "refused":
            self.message = self.t(f"commitment.identify.{outcome.reason}")
        elif outcome.kind == "reading_failed":
            self.message = self.t("commitment.identify.unreadable", detail=outcome.detail)
        elif outcome.kind == "scanned":
            self.resolve_code(outcome.text)

    def resolve_code(self, code: str) -> None:
        self.state, self.message = "checking", self.t("commitment.identify.code_checking")

        def failed(exc):
            self.state = "identify"
            if isinstance(exc, IdentityRefused):
                self.message = self.t(f"commitment.identify.{exc.reason}")
            else:
                self.message = self.t("commitment.identify.offline")
        self.run(lambda: self.services.identifier.resolve_code(code), self.identified, failed)

    def identified(self, person) -> None:
        """A card read or a code resolved: the agent's, once the applicant was checked; else the
        applicant's (or the company's signer's), whose credit is checked."""
        if self.waiting_for_agent:
            self.state = "identify"
            self.agent_identified(person)
        else:
            self.check_credit(person)

    # -- credit check ----------------------------------------------------------------------
    def check_credit(self, person) -> None:
        self.state, self.message = "checking", self.t("commitment.credit.checking")
        self.session.data["person"] = person
        subject = ("company", self.company["uscc"]) if self.company else ("person", person.id_number)
        self.run(lambda: self.services.platform.credit_status(*subject),
                 lambda status: self.credit_checked(person, status), self.credit_failed)

    def credit_checked(self, person, status) -> None:
        if self.draft is None:      # the session ended meanwhile
            return
        if status.blacklisted:
            self._stop_watching()
            self.state = "blacklisted"
            self.message = self.t("commitment.credit.blacklisted", reason=status.reason or "—")
            self.session.data["credit_repair_subject"] = \
                ("company", self.company["uscc"]) if self.company else ("person", person.id_number)
            return
        if self.company:
            self.company["name"] = status.name
        if status.honest:
            self.show_green()
            return
        self.proceed()

    def show_green(self) -> None:
        """诚信主体: the green channel and what this hall offers, then 继续办理."""
        self._stop_watching()
        self.message = ""
        self.benefits = "\n".join(f"· {b}" for b in self.services.settings["hall"].get("green_channel", []))
        self.state = "green"

    def proceed(self) -> None:
        person = self.session.data.get("person")
        if self.draft is None or person is None:
            return
        if self.by_agent is not None:          # the agent's card next (第十四条(二))
            self.by_agent["applicant_checked"] = True
            self.message = ""
            self.start_identify()
            return
        try:
            parties = self.company_letter_parties(person) if self.company else person_applicant(person)
        except IdentityRefused:         # the platform has no record of that company
            self.start_identify()
            self.message = self.t("commitment.company.unknown")
            return
        self.draft.applicant, self.draft.signer = parties
        self._stop_watching()
        self.next_step()

    def credit_repair(self) -> None:
        self._stop_watching()
        self.app.go("credit_repair")

    def credit_failed(self, exc) -> None:
        self.state = "identify"
        self.message = self.t("commitment.identify.offline") if isinstance(exc, (PlatformUnavailable, PlatformError)) \
            else self.t("commitment.rejected.other")

    def reset(self) -> None:
        self._stop_watching()
        self.state, self.message, self.item_title, self.benefits = "identify", "", "", ""
        self.agent_offered = False
        self.ids.company.clear_widgets()
