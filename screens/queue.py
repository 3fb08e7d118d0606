"""取号排队: choose the business type / window group of this hall (configuration), or
"我有预约": the appointment slip's QR names the appointment, or the ID card finds today's; the
ticket is prioritised as the platform says, once per appointment. The ticket (number, people
waiting ahead) is printed."""
from __future__ import annotations

from kivy.factory import Factory

from kiosk.citizen import appointments, queue_tickets
from kiosk.platform.errors import PlatformRejected
from kiosk.printing.slips import parse_appointment_code, queue_ticket
from screens.appointment_base import ServiceScreen


class QueueScreen(ServiceScreen):
    """States: choose | identify (a slip's QR or the ID card) | checking | taking | ticket."""

    def on_enter(self, *_):
        self.hall = queue_tickets.hall_from_settings(self.services.settings)
        self.ticket = None
        self.appointment = None
        self.message = self.print_status = ""
        self.state = "choose"
        self.render()

    def _draw_choose(self) -> None:
        t = self.t
        self.label(t("services.queue.choose", hall=self.hall.name), bold=True)
        grid = self.grid()
        for q in self.hall.queues:
            self.button(f"queue:{q.letter}", f"{q.letter}  {self.word(q.name)}\n{self.word(q.windows)}",
                        lambda q=q: self.take(q), container=grid)
        self.button("appointment", t("services.queue.with_appointment"), self.with_appointment, kind="secondary")

    def _draw_identify(self) -> None:
        t = self.t
        self.label(t("services.queue.place_card"), bold=True)
        self.ids.body.add_widget(Factory.CardPicture(offset=0))

    def _draw_checking_taking(self) -> None:
        t = self.t
        self.label(t("services.working"))

    def _draw_ticket(self) -> None:
        t = self.t
        ticket = self.ticket
        self.label(t("services.queue.your_number"), "FlowHeading", halign="center")
        self.label(ticket.ticket_number, "FlowHeading", halign="center", font_size=self.app.f * 200)
        self.label(t("services.queue.ahead", count=ticket.waiting_ahead), halign="center")
        if ticket.priority:
            self.label(t("services.queue.priority"), "FlowAlert", halign="center")
        self.take_slip(t("services.queue.take_ticket"), halign="center")
        self.bar_action("evaluate", t("services.evaluate"), lambda: self.app.go("evaluation"), kind="secondary")

    # what each state draws (ServiceScreen.render looks it up)
    STATES = {
        "choose": _draw_choose,
        "identify": _draw_identify,
        "checking": _draw_checking_taking,
        "taking": _draw_checking_taking,
        "ticket": _draw_ticket,
    }

    def with_appointment(self) -> None:
        self.state, self.message = "identify", ""
        self.render()
        self.watch_card(self.identified, scanned=self.scanned)

    def scanned(self, text: str) -> None:
        """A code scanned at 我有预约: the slip's names its appointment; any other is explained."""
        number = parse_appointment_code(text)
        if number is None:
            self.message = self.t("services.queue.not_appointment_code")
            return
        self.stop_watching()
        self.state, self.message = "checking", ""
        self.render()
        self.run(lambda: appointments.by_number(self.services.platform, number), self.scanned_found,
                 self.scan_failed)

    def scanned_found(self, appointment) -> None:
        if appointment.status != "booked":
            self.ask_again("services.appointment." + ("used" if appointment.status == "checked_in" else "was_cancelled"))
        elif appointment.slot.hall != self.hall.id:
            self.ask_again("services.queue.other_hall", hall=self.hall_name(appointment.slot.hall))
        else:
            self.appointment = appointment
            self.take(self.hall.queues[0], appointment)

    def scan_failed(self, exc) -> None:
        if isinstance(exc, PlatformRejected):
            self.ask_again("services.appointment." + appointments.refusal(exc))
        else:
            self.state = "choose"
            self.render()
            self.failed(exc)

    def ask_again(self, key: str, **params) -> None:
        """Say why, and wait for another slip or the ID card."""
        self.with_appointment()
        self.message = self.t(key, **params)

    def identified(self, person) -> None:
        self.state = "checking"
        self.render()
        self.run(lambda: appointments.mine(self.services.platform, person), self.found)

    def found(self, booked) -> None:
        """Today's appointment in this hall first, else the next one: the platform says whether
        the ticket is prioritised."""
        today = self.now().date()
        mine = sorted((a for a in booked if a.slot.hall == self.hall.id),
                      key=lambda a: (a.slot.starts_at.date() != today, a.slot.starts_at))
        if not mine:
            self.state, self.message = "choose", self.t("services.queue.no_appointment_today")
            self.render()
            return
        self.appointment = mine[0]
        self.take(self.hall.queues[0], mine[0])

    def take(self, queue, appointment=None) -> None:
        if self.state == "taking":
            return
        self.state, self.message = "taking", ""
        self.render()
        self.queue = queue
        self.run(lambda: queue_tickets.take(self.services.platform, self.hall, queue, appointment), self.taken,
                 self.take_failed)

    def taken(self, ticket) -> None:
        self.ticket, self.state = ticket, "ticket"
        self.render()
        self.print_document(queue_ticket(ticket=ticket, queue_name=self.queue.name, windows=self.queue.windows,
                                         hall_name=self.hall.name, terminal_id=self.terminal_id,
                                         printed_at=self.now(), location=self.location), prompt="take_ticket")

    def take_failed(self, exc) -> None:
        self.state = "choose"
        self.render()
        if isinstance(exc, PlatformRejected) and exc.slug in appointments.REFUSALS:
            self.message = self.t("services.appointment." + appointments.refusal(exc))
        else:
            self.failed(exc)

    def back(self) -> None:
        if self.state in ("identify", "checking"):
            self.stop_watching()
            self.state, self.message = "choose", ""
            self.render()
        else:
            self.app.go("home")

    def reset(self) -> None:
        super().reset()
        self.ticket = self.appointment = None
