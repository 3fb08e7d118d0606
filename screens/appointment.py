"""预约办理: for an item whose guide sheet says appointments are possible, confirm with the
ID card, choose a day and a time slot the platform offers, get a printed appointment
slip. "我的预约": the ID card lists one's appointments, each can be cancelled."""
from __future__ import annotations

from kiosk.citizen import appointments
from kiosk.platform.errors import PlatformRejected
from kiosk.printing.slips import appointment_slip
from screens.appointment_base import ServiceScreen

DAYS_SHOWN = 5


class AppointmentScreen(ServiceScreen):
    """States: items | identify | loading | slots | booked | mine."""

    def on_enter(self, *_):
        catalog = self.services.catalog.catalog
        code = self.session.data.get("item_code")
        item = catalog.get(code) if catalog and code else None
        self.item = item if appointments.appointable(item) else None
        self.person = self.appointment = None
        self.purpose = "book"
        self.days, self.day, self.mine = {}, None, []
        self.message = self.print_status = ""
        self.state = "items" if self.item is None else "identify"
        self.render()
        if self.state == "identify":
            self.watch_card(self.identified)

    # -- what is shown -----------------------------------------------------------------------
    def draw_common(self) -> None:
        t = self.t
        if self.item is not None and self.state not in ("items", "mine"):
            self.label(t("services.appointment.item", name=self.item_name(self.item)), bold=True)

    def _draw_items(self) -> None:
        t = self.t
        self.label(t("services.appointment.choose_item"), bold=True)
        self.button("mine", t("services.appointment.mine"), self.look_up, kind="secondary")
        catalog = self.services.catalog.catalog
        for item in appointments.appointable_items(catalog)[:12]:
            self.button(f"item:{item.code}", self.item_name(item), lambda i=item: self.choose_item(i), kind="secondary")

    def _draw_identify(self) -> None:
        t = self.t
        self.label(t("services.appointment.place_card"))

    def _draw_loading(self) -> None:
        t = self.t
        self.label(t("services.working"))

    def _draw_slots(self) -> None:
        self.render_slots()

    def _draw_booked(self) -> None:
        t = self.t
        a = self.appointment
        self.label(t("services.appointment.booked", number=a.appointment_number,
                     when=f"{a.slot.starts_at:%Y-%m-%d %H:%M}", where=self.hall_name(a.slot.hall),
                     window=a.slot.window), "FlowHeading")
        self.take_slip(t("services.appointment.take_slip"))
        self.bar_action("evaluate", t("services.evaluate"), lambda: self.app.go("evaluation"), kind="secondary")

    def _draw_mine(self) -> None:
        self.render_mine()

    # what each state draws (ServiceScreen.render looks it up)
    STATES = {
        "items": _draw_items,
        "identify": _draw_identify,
        "loading": _draw_loading,
        "slots": _draw_slots,
        "booked": _draw_booked,
        "mine": _draw_mine,
    }

    def render_slots(self) -> None:
        t = self.t
        if not self.days:
            self.label(t("services.appointment.no_slots"), "FlowAlert")
            return
        self.label(t("services.appointment.choose_day"), bold=True)
        grid = self.grid(cols=1 if self.app.elder else 3)
        for day in list(self.days)[:DAYS_SHOWN]:
            self.button(f"day:{day.isoformat()}", f"{day:%m-%d} {t('services.weekday.' + str(day.weekday()))}",
                        lambda d=day: self.choose_day(d), container=grid,
                        kind="primary" if day == self.day else "secondary")
        self.label(t("services.appointment.choose_slot"), bold=True)
        grid = self.grid(fixed=True)          # a slot's hall on one line: as wide as in portrait
        for slot in self.days.get(self.day, []):
            text = t("services.appointment.slot", start=f"{slot.starts_at:%H:%M}", end=f"{slot.ends_at:%H:%M}",
                     where=self.hall_name(slot.hall), window=slot.window, left=slot.remaining)
            self.button(f"slot:{slot.slot_id}", text, lambda s=slot: self.book(s), container=grid)

    def render_mine(self) -> None:
        t = self.t
        if not self.mine:
            self.label(t("services.appointment.none"))
        for a in self.mine:
            catalog = self.services.catalog.catalog
            item = catalog.get(a.item_code) if catalog else None
            self.label(t("services.appointment.entry", number=a.appointment_number,
                         name=item.name if item else a.item_code, when=f"{a.slot.starts_at:%Y-%m-%d %H:%M}",
                         where=self.hall_name(a.slot.hall), window=a.slot.window))
            self.button(f"cancel:{a.appointment_number}", t("services.appointment.cancel"),
                        lambda a=a: self.cancel(a), kind="secondary")

    # -- booking -----------------------------------------------------------------------------
    def choose_item(self, item) -> None:
        self.item, self.purpose, self.state, self.message = item, "book", "identify", ""
        self.render()
        self.watch_card(self.identified)

    def look_up(self) -> None:
        self.item, self.purpose, self.state, self.message = None, "mine", "identify", ""
        self.render()
        self.watch_card(self.identified)

    def identified(self, person) -> None:
        self.person = person
        self.session.data["person"] = person
        self.state = "loading"
        self.render()
        if self.purpose == "mine":
            self.run(lambda: appointments.mine(self.services.platform, person), self.show_mine)
        else:
            code = self.item.code
            self.run(lambda: self.services.platform.appointment_slots(item_code=code), self.show_slots)

    def show_slots(self, slots) -> None:
        self.days = appointments.open_slots(slots)
        self.day = next(iter(self.days), None)
        self.state = "slots"
        self.render()

    def choose_day(self, day) -> None:
        self.day = day
        self.render()

    def book(self, slot) -> None:
        """A slot tapped: confirm it first (day, time, hall, window), then book."""
        if self.state != "slots":
            return
        t = self.t
        detail = t("services.appointment.confirm_detail", name=self.item_name(self.item),
                   when=f"{slot.starts_at:%Y-%m-%d} {t('services.weekday.' + str(slot.starts_at.weekday()))} "
                        f"{slot.starts_at:%H:%M}-{slot.ends_at:%H:%M}",
                   where=self.hall_name(slot.hall), window=slot.window)
        self.app.root.ids.ask.ask("book", t("services.appointment.confirm"), detail,
                                  (t("services.appointment.confirm_yes"), lambda: self.book_now(slot)),
                                  (t("services.appointment.confirm_no"), None))

    def book_now(self, slot) -> None:
        if self.state != "slots":
            return
        self.state, self.message = "loading", ""
        self.render()
        person, code = self.person, self.item.code
        self.run(lambda: appointments.book(self.services.platform, slot, code, person), self.booked,
                 self.book_failed)

    def booked(self, appointment) -> None:
        self.appointment, self.state = appointment, "booked"
        self.render()
        self.print_slip(appointment, self.item.name)

    def print_slip(self, appointment, item_name: str, cancelled: bool = False) -> None:
        self.print_document(appointment_slip(
            appointment=appointment, item_name=item_name, hall_name=self.hall_name(appointment.slot.hall),
            name=self.person.name, id_number=self.person.id_number, terminal_id=self.terminal_id,
            printed_at=self.now(), cancelled=cancelled, location=self.location))

    def book_failed(self, exc) -> None:
        self.state = "slots"
        self.render()
        if isinstance(exc, PlatformRejected):
            self.message = self.t(f"services.appointment.{appointments.refusal(exc)}")
        else:
            self.failed(exc)

    # -- my appointments -------------------------------------------------------------------------
    def show_mine(self, mine) -> None:
        self.mine, self.state = mine, "mine"
        self.render()

    def cancel(self, appointment) -> None:
        self.message = ""
        self.run(lambda: self.services.platform.cancel_appointment(appointment.appointment_number),
                 self.cancelled)

    def cancelled(self, appointment) -> None:
        self.mine = [a for a in self.mine if a.appointment_number != appointment.appointment_number]
        self.message = self.t("services.appointment.cancelled", number=appointment.appointment_number)
        self.render()
        catalog = self.services.catalog.catalog
        item = catalog.get(appointment.item_code) if catalog else None
        self.print_slip(appointment, item.name if item else appointment.item_code, cancelled=True)

    def back(self) -> None:
        self.stop_watching()
        if self.state in ("identify", "slots", "mine") and self.session.data.get("item_code") is None:
            self.state, self.message, self.item = "items", "", None
            self.render()
        else:
            self.app.go("home")

    def reset(self) -> None:
        super().reset()
        self.item = self.person = self.appointment = None
        self.days, self.mine = {}, []
