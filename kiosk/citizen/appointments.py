"""Appointment (预约) rules without Kivy: which items take appointments (their guide sheet
says how, 公开公示 第十七条), the platform's slots grouped by day, booking, lookup and
cancellation of one's own appointments. Platform calls run on worker threads."""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from kiosk.platform.errors import PlatformRejected

from kiosk.platform.models import Appointment, Slot

# platform refusals the screens explain (message keys under services.appointment)
REFUSALS = {"slot-full": "slot_full", "already-booked": "already_booked", "slot-not-found": "slot_full",
            "appointment-not-found": "not_found", "appointment-used": "used"}


def appointable(item) -> bool:
    return bool(item is not None and item.convenience.appointment)


def appointable_items(catalog) -> list:
    return [i for i in catalog.listed() if appointable(i)] if catalog else []


def open_slots(slots: list[Slot], hall: str | None = None) -> "OrderedDict[dt.date, list[Slot]]":
    """Slots with places left (optionally of one hall), by day, in time order."""
    days: OrderedDict[dt.date, list[Slot]] = OrderedDict()
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.hall, s.window)):
        if slot.remaining > 0 and (hall is None or slot.hall == hall):
            days.setdefault(slot.starts_at.date(), []).append(slot)
    return days


def refusal(exc: PlatformRejected) -> str:
    return REFUSALS.get(exc.slug, "refused")


def book(platform, slot: Slot, item_code: str, person) -> Appointment:
    return platform.book_appointment(slot.slot_id, item_code, person.name, person.id_number)


def by_number(platform, number: str) -> Appointment:
    """Worker thread: the appointment a slip's QR names (raises PlatformRejected if none)."""
    return platform.appointment(number)


def mine(platform, person) -> list[Appointment]:
    return [a for a in platform.appointments_of(person.id_number) if a.status == "booked"]


def for_today(appointments: list[Appointment], today: dt.date) -> list[Appointment]:
    return [a for a in appointments if a.slot.starts_at.date() == today]
