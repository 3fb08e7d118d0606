"""投诉咨询: a complaint (效能投诉) about an item or the service, with the item's supervision
phone and 88908890 shown, submitted to the platform, acknowledgement printed;
consultation: the catalog's FAQ searched on the on-screen keyboard (hanzi, pinyin or
initials), plus the phones. The comment is written in Chinese (pinyin or handwriting, up to
500 characters); the callback phone on the numeric keypad. One keyboard shows at a time: the
citizen taps the field to write in."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory

from kiosk.citizen import complaints
from kiosk.printing.slips import complaint_ack
from screens.appointment_base import ServiceScreen
from screens.keyboard import Keyboard


class ComplaintScreen(ServiceScreen):
    """States: choose | form | sent | faq."""

    def on_enter(self, *_):
        catalog = self.services.catalog.catalog if self.services.catalog else None
        code = self.session.data.get("item_code")
        self.item = catalog.get(code) if catalog and code else None
        self.category, self.topics, self.text, self.query = "efficiency", [], "", ""
        self.phone, self.field, self.keyboards = "", "text", {}
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
        grid = self.grid(cols=2 if self.app.elder else 3)
        for code in complaints.CATEGORIES:
            self.button(f"category:{code}", t(f"services.complaint.categories.{code}"),
                        lambda c=code: self.set_category(c), container=grid,
                        kind="primary" if code == self.category else "secondary")
        self.label(t("services.complaint.topics"), bold=True)
        grid = self.grid(cols=2 if self.app.elder else 3)
        for topic in complaints.TOPICS:
            chosen = topic in self.topics
            self.button(f"topic:{topic}", ("✓ " if chosen else "") + self.word(topic), lambda p=topic: self.toggle(p),
                        container=grid, kind="primary" if chosen else "secondary")
        self.draw_fields()
        self.label(self.phones, "FlowNote")
        self.bar_action("submit", t("services.complaint.submit"), self.submit)

    def draw_fields(self) -> None:
        """The comment and the callback phone; the keyboard of the field being written."""
        self.field_buttons = {}
        for field in ("text", "phone"):
            button = self.button(f"field:{field}", "", lambda f=field: self.write_in(f),
                                 kind="primary" if field == self.field else "secondary")
            button.halign = "left"
            self.field_buttons[field] = button
            self.show_field(field, self.keyboard_for(field).display)
        self.place_keyboard(self.keyboard)

    def show_field(self, field: str, value: str) -> None:
        button = getattr(self, "field_buttons", {}).get(field)
        if button is not None:
            button.text = self.t(f"services.complaint.{field}_field", text=value or "—", count=len(value),
                                 limit=complaints.MAX_TEXT)

    def keyboard_for(self, field: str) -> Keyboard:
        """One keyboard per field, kept across redraws (a composition under way survives)."""
        if field not in self.keyboards:
            if field == "text":
                keyboard = Keyboard(text=self.text, max_length=complaints.MAX_TEXT)
            elif field == "phone":
                keyboard = Keyboard(text=self.phone, keypad="phone", max_length=complaints.PHONE_LENGTH)
            else:
                keyboard = Keyboard(text=self.query, max_length=30)
            if field == "query":
                keyboard.bind(display=lambda _k, v: self.search(v))
            else:
                keyboard.bind(text=lambda _k, v, f=field: setattr(self, f, v),
                              display=lambda _k, v, f=field: self.show_field(f, v))
            self.keyboards[field] = keyboard
        return self.keyboards[field]

    @property
    def keyboard(self) -> Keyboard:
        return self.keyboard_for(self.field)

    def write_in(self, field: str) -> None:
        self.field = field
        self.render()
        written = self.field_buttons[field]          # the field tapped stays in view above its keyboard
        Clock.schedule_once(lambda _dt: self.ids.scroll.scroll_to(written, padding=self.app.u * 20, animate=False), 0)

    def _draw_sending(self) -> None:
        self.label(self.t("services.working"))

    def _draw_sent(self) -> None:
        self.label(self.t("services.complaint.sent", number=self.receipt.number), "FlowHeading")
        self.take_slip(self.t("services.appointment.take_slip"))

    def _draw_faq(self) -> None:
        t = self.t
        keyboard = self.keyboard_for("query")
        self.query_label = self.label(t("services.complaint.search", text=keyboard.display or "—"), "FlowNote")
        self.place_keyboard(keyboard)
        self.faq_box = Factory.BoxLayout(orientation="vertical", size_hint_y=None, spacing=self.app.u * 16)
        self.faq_box.bind(minimum_height=self.faq_box.setter("height"))
        self.ids.body.add_widget(self.faq_box)
        self.show_faq()
        self.label(self.phones, "FlowAlert", color=self.app.theme["primary"])

    def show_faq(self) -> None:
        """The questions found for what is typed so far (redrawn in place: the keyboard stays)."""
        t = self.t
        self.query_label.text = t("services.complaint.search", text=self.query or "—")
        self.faq_box.clear_widgets()
        found = complaints.faq(self.services.catalog, self.query, limit=10)
        if not found:
            self.faq_box.add_widget(Factory.FlowText(text=t("services.complaint.no_faq")))
        for name, question, answer in found:
            self.faq_box.add_widget(Factory.FlowText(text=f"[b]{name}：{question}[/b]\n{answer}", markup=True))

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
        if self.state == "faq":
            self.show_faq()

    def submit(self) -> None:
        draft = complaints.Complaint(self.category, tuple(self.topics), self.text, contact_phone=self.phone,
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
            callback_phone=self.draft.contact_phone, location=self.location))

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
        self.topics, self.text, self.query, self.phone = [], "", "", ""
        for keyboard in getattr(self, "keyboards", {}).values():
            keyboard.reset()
        self.keyboards = {}
