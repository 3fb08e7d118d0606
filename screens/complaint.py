"""投诉咨询: a complaint (效能投诉) about an item or the service, with the item's supervision
phone and 88908890 shown, submitted to the platform, acknowledgement printed;
consultation: the catalog's FAQ searched by pinyin on the on-screen keyboard, plus the phones."""
from __future__ import annotations

from kiosk.citizen import complaints
from kiosk.printing.slips import complaint_ack
from screens.appointment_base import ServiceScreen
from screens.keyboard import PinyinKeyboard


class ComplaintScreen(ServiceScreen):
    """States: choose | form | sent | faq."""

    def on_enter(self, *_):
        catalog = self.services.catalog.catalog if self.services.catalog else None
        code = self.session.data.get("item_code")
        self.item = catalog.get(code) if catalog and code else None
        self.category, self.topics, self.text, self.query = "efficiency", [], "", ""
        self.receipt = None
        self.message = self.print_status = ""
        self.state = "choose"
        self.render()

    def entered(self) -> bool:
        """A complaint being written and not yet sent."""
        return getattr(self, "state", "") == "form" and bool(getattr(self, "text", "") or getattr(self, "topics", []))

    @property
    def complaint_phone(self) -> str:
        return self.item.complaint_phone if self.item else complaints.HOTLINE

    @property
    def phones(self) -> str:
        return self.t("services.complaint.phones", phone=self.complaint_phone, hotline=complaints.HOTLINE)

    def draw_common(self) -> None:
        if self.item is not None and self.state != "faq":
            self.label(self.t("services.appointment.item", name=self.item_name(self.item)), bold=True)

    def _draw_choose(self) -> None:
        t = self.t
        self.button("complain", t("services.complaint.complain"), lambda: self.go_to("form"))
        self.button("consult", t("services.complaint.consult"), lambda: self.go_to("faq"), kind="secondary")
        self.label(self.phones, "FlowAlert", color=self.app.theme["primary"])

    def _draw_form(self) -> None:
        t = self.t
        self.label(t("services.complaint.category"), bold=True)
        grid = self.grid(cols=1 if self.app.elder else 3)
        for code in complaints.CATEGORIES:
            self.button(f"category:{code}", t(f"services.complaint.categories.{code}"),
                        lambda c=code: self.set_category(c), container=grid,
                        kind="primary" if code == self.category else "secondary")
        self.label(t("services.complaint.topics"), bold=True)
        grid = self.grid(cols=1 if self.app.elder else 3)
        for topic in complaints.TOPICS:
            chosen = topic in self.topics
            self.button(f"topic:{topic}", ("✓ " if chosen else "") + self.word(topic), lambda p=topic: self.toggle(p),
                        container=grid, kind="primary" if chosen else "secondary")
        self.label(t("services.complaint.typed", text=self.text or "—"), "FlowNote")
        keyboard = PinyinKeyboard(text=self.text)
        keyboard.bind(text=lambda _k, v: setattr(self, "text", v))
        self.ids.body.add_widget(keyboard)
        self.label(self.phones, "FlowNote")
        self.bar_action("submit", t("services.complaint.submit"), self.submit)

    def _draw_sending(self) -> None:
        self.label(self.t("services.working"))

    def _draw_sent(self) -> None:
        self.label(self.t("services.complaint.sent", number=self.receipt.number), "FlowHeading")
        self.take_slip(self.t("services.appointment.take_slip"))

    def _draw_faq(self) -> None:
        t = self.t
        keyboard = PinyinKeyboard(text=self.query)
        keyboard.bind(text=lambda _k, v: self.search(v))
        self.label(t("services.complaint.search", text=self.query or "—"), "FlowNote")
        self.ids.body.add_widget(keyboard)
        found = complaints.faq(self.services.catalog, self.query, limit=10)
        if not found:
            self.label(t("services.complaint.no_faq"))
        for name, question, answer in found:
            self.label(f"[b]{name}：{question}[/b]\n{answer}")
        self.label(self.phones, "FlowAlert", color=self.app.theme["primary"])

    # what each state draws (ServiceScreen.render looks it up)
    STATES = {"choose": _draw_choose, "form": _draw_form, "sending": _draw_sending, "sent": _draw_sent,
              "faq": _draw_faq}

    def go_to(self, state: str) -> None:
        self.state, self.message = state, ""
        self.render()

    def set_category(self, code: str) -> None:
        self.category = code
        self.render()

    def toggle(self, topic: str) -> None:
        self.topics = [p for p in self.topics if p != topic] if topic in self.topics else self.topics + [topic]
        self.message = ""
        self.render()

    def search(self, query: str) -> None:
        self.query = query
        self.render()

    def submit(self) -> None:
        draft = complaints.Complaint(self.category, tuple(self.topics), self.text,
                                     item_code=self.item.code if self.item else None)
        try:
            draft.check()
        except complaints.ComplaintIncomplete as exc:
            self.message = self.t(f"services.complaint.{exc.reason}")
            return
        self.state = "sending"
        self.render()
        self.draft = draft
        self.run(lambda: complaints.submit(self.services.platform, draft), self.sent, self.send_failed)

    def sent(self, receipt) -> None:
        self.receipt, self.state = receipt, "sent"
        self.render()
        self.print_document(complaint_ack(
            receipt=receipt, category=complaints.CATEGORY_NAMES[self.draft.category],
            item_name=self.item.name if self.item else "", content=self.draft.content,
            complaint_phone=self.complaint_phone, terminal_id=self.terminal_id, printed_at=self.now(),
            location=self.location))

    def send_failed(self, exc) -> None:
        self.state = "form"
        self.render()
        self.failed(exc)

    def back(self) -> None:
        if self.state in ("form", "faq"):
            self.go_to("choose")
        else:
            self.app.go("home")

    def reset(self) -> None:
        super().reset()
        self.item = self.receipt = None
        self.topics, self.text, self.query = [], "", ""
