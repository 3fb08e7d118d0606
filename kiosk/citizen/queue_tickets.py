"""Queue tickets (取号): the hall's business types / window groups from configuration
([hall] queues), and taking a ticket from the platform, prioritised when taken with a
booked appointment (the platform decides and says so in `priority`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Queue:
    letter: str           # the platform's category: one capital letter
    name: str
    windows: str = ""


@dataclass(frozen=True)
class Hall:
    id: str
    name: str
    queues: tuple[Queue, ...]
    green_channel: tuple[str, ...] = ()

    def queue(self, letter: str) -> Queue:
        return next(q for q in self.queues if q.letter == letter)


def hall_from_settings(settings) -> Hall:
    h = settings["hall"]
    return Hall(h["id"], h["name"], tuple(Queue(q["letter"], q["name"], q.get("windows", "")) for q in h["queues"]),
                tuple(h.get("green_channel", ())))


def take(platform, hall: Hall, queue: Queue, appointment=None):
    """Worker thread: the QueueTicket (raises PlatformUnavailable / PlatformRejected)."""
    return platform.take_queue_ticket(hall.id, queue.letter, item_code=appointment.item_code if appointment else None,
                                      appointment_number=appointment.appointment_number if appointment else None)
