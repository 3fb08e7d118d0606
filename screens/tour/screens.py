"""The tour's states of the screens outside the commitment and lookup flows: for each screen
name, a generator `(driver, screen)` that arranges each state worth seeing and yields its
short name (screens/tour/__init__.py `states`). Not production code."""
from __future__ import annotations


def _appointment(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "items"
    screen.choose_item(screen.services.catalog.catalog.get("TJ-GAJ-001"))
    yield "identify"
    import datetime as dt
    from kiosk.identity import Person
    from kiosk.platform.models import Appointment, Slot
    start = screen.now().replace(hour=9, minute=30, second=0, microsecond=0) + dt.timedelta(days=1)
    slots = [Slot(f"S{n}", hall, f"{5 + n}号窗口", "TJ-GAJ-001", start + dt.timedelta(minutes=30 * n),
                  start + dt.timedelta(minutes=30 * (n + 1)), 4, 4 - n) for n, hall in
             enumerate(("TJ-CITY", "TJ-CITY", "TJ-HEPING"))]
    screen.person = Person("张三", "120101199003071235")
    screen.show_slots(slots)
    yield "slots"
    screen.book(slots[2])
    yield "confirm-slot"
    driver.app.root.ids.ask.close()
    screen.booked(Appointment("YY-20261204-0007", slots[2], "TJ-GAJ-001", "booked"))
    driver.wait_until(lambda: "…" not in screen.print_status, 5)
    yield "booked"


def _credit_repair(driver, screen):
    from kiosk.citizen import credit_repair
    from kiosk.platform.models import Receipt
    driver.app.start_session()
    driver.app.services.sessions.current.data["credit_repair_subject"] = ("person", "120103197805127898")
    driver.app.go(screen.name)
    driver.frames(2)
    yield "intro"
    screen.documents()
    yield "documents"
    screen.start_capture("application", credit_repair.KINDS[0].name)
    screen.pages.add("application", screen.services.doccam.snapshot())
    screen.render()
    yield "capture"
    screen.pages.add("subject_qualification", screen.services.doccam.snapshot())
    screen.documents()
    yield "ready"
    screen.submitted(Receipt("XF-20261128-0042", screen.now(), "received"))
    yield "done"


def _guide(driver, screen):
    driver.app.start_session()
    driver.app.go("guide")
    yield "empty"
    for letter in "spjy":
        screen.keyboard.press(letter)
    yield "typed-spjy"


def open_sheet(driver, code: str):
    """The guide sheet of item `code` on screen, complete (every row built), at page 1."""
    sheet = driver.screen("guide_sheet")
    sheet.show(code, "guide")
    driver.app.go("guide_sheet")
    if not driver.wait_until(lambda: sheet.complete, 30):
        raise RuntimeError(f"the guide sheet of {code} was not complete after 30 s")
    driver.frames(3)
    sheet.go_to_page(1)
    driver.frames(2)
    return sheet


def _guide_sheet(driver, screen):
    """Every page of a long sheet, and the first page of a short one."""
    driver.app.start_session()
    for code, state, every_page in (("TJ-SCJG-001", "food-licence", True), ("TJ-GAJ-001", "id-card", False)):
        open_sheet(driver, code)
        yield f"{state}-page-1"
        while every_page and screen.page < screen.pages:
            screen.turn(1)
            yield f"{state}-page-{screen.page}"


def _maintenance(driver, screen):
    screen.services.fleet.maintenance.set(True, "tour")
    screen.sync()
    driver.frames(3)
    yield ""
    screen.services.fleet.maintenance.set(False)
    screen.sync()


def _questions(driver, screen):
    from screens.guide_nav import open_item
    driver.app.start_session()
    open_item("TJ-GJJ-001", "guide")
    yield "first-question"


def _queue(driver, screen):
    from kiosk.platform.models import QueueTicket
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "choose"
    screen.queue = screen.hall.queues[0]
    screen.taken(QueueTicket("A012", screen.hall.id, "A", 9, screen.now(), True))     # printed too
    driver.wait_until(lambda: "…" not in screen.print_status, 5)
    yield "ticket"


def _technician(driver, screen):
    driver.app.go("technician")
    driver.wait_until(lambda: "…" not in screen.platform_text, 5)
    driver.frames(3)
    yield ""


def _technician_pin(driver, screen):
    driver.app.go("technician_pin")
    driver.frames(3)
    yield ""
    for key in "1111":
        screen.press(key)
    screen.press("ok")
    driver.frames(3)
    yield "wrong"
    screen.services.fleet.technician.reset()        # the tour must not lock the PIN


def _evaluation(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "levels"
    screen.level, screen.state = "very_dissatisfied", "reasons"
    screen.reasons = {"too_slow"}
    screen.render()
    yield "reasons"


def _complaint(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "choose"
    screen.topics = ["办理超时"]
    screen.go_to("form")
    yield "form"
    screen.query = "sfz"
    screen.go_to("faq")
    yield "faq"


STATES = {
    "appointment": _appointment, "credit_repair": _credit_repair, "guide": _guide,
    "guide_sheet": _guide_sheet, "maintenance": _maintenance, "guide_questions": _questions,
    "queue": _queue, "technician": _technician, "technician_pin": _technician_pin,
    "evaluation": _evaluation, "complaint": _complaint,
}
