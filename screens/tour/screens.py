"""The states the tour shows of each service screen: each function arranges one state of its
screen after another and yields a short name for it (screens/tour/__init__.py takes the
screenshots). The flow screens have theirs in commitment.py, the lookup screens in progress.py."""
from __future__ import annotations

from kiosk.citizen.credit_repair import KINDS as REPAIR_KINDS
from kiosk.platform.models import QueueTicket, Receipt
from screens.guide_nav import open_item

def evaluation(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "levels"
    screen.level, screen.state = "very_dissatisfied", "reasons"
    screen.reasons = {"too_slow"}
    screen.render()
    yield "reasons"


def guide_sheet(driver, screen):
    driver.app.start_session()
    for code, state in (("TJ-SCJG-001", "food-licence"), ("TJ-GAJ-001", "id-card")):
        screen.show(code, "guide")
        driver.app.go("guide_sheet")
        yield state


def questions(driver, screen):
    driver.app.start_session()
    open_item("TJ-GJJ-001", "guide")
    yield "first-question"


def maintenance(driver, screen):
    screen.services.fleet.maintenance.set(True, "tour")
    screen.sync()
    driver.frames(3)
    yield ""
    screen.services.fleet.maintenance.set(False)
    screen.sync()


def queue(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "choose"
    screen.queue = screen.hall.queues[0]
    screen.ticket, screen.state = QueueTicket("A012", screen.hall.id, "A", 9, screen.now(), True), "ticket"
    screen.render()
    yield "ticket"


def guide(driver, screen):
    driver.app.start_session()
    driver.app.go("guide")
    yield "empty"
    for letter in "spjy":
        screen.keyboard.press(letter)
    yield "typed-spjy"


def appointment(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "items"
    screen.choose_item(screen.services.catalog.catalog.get("TJ-GAJ-001"))
    yield "identify"


def credit_repair(driver, screen):
    driver.app.start_session()
    driver.app.services.sessions.current.data["credit_repair_subject"] = ("person", "120103197805127898")
    driver.app.go(screen.name)
    driver.frames(2)
    yield "intro"
    screen.documents()
    yield "documents"
    screen.start_capture("application", REPAIR_KINDS[0].name)
    screen.pages.add("application", screen.services.doccam.snapshot())
    screen.render()
    yield "capture"
    screen.pages.add("subject_qualification", screen.services.doccam.snapshot())
    screen.documents()
    yield "ready"
    screen.submitted(Receipt("XF-20261128-0042", screen.now(), "received"))
    yield "done"


def technician_pin(driver, screen):
    driver.app.go("technician_pin")
    driver.frames(3)
    yield ""
    for key in "1111":
        screen.press(key)
    screen.press("ok")
    driver.frames(3)
    yield "wrong"
    screen.services.fleet.technician.reset()        # the tour must not lock the PIN


def complaint(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    yield "choose"
    screen.topics = ["办理超时"]
    screen.go_to("form")
    yield "form"
    screen.query = "sfz"
    screen.go_to("faq")
    yield "faq"


def technician(driver, screen):
    driver.app.go("technician")
    driver.wait_until(lambda: "…" not in screen.platform_text, 5)
    driver.frames(3)
    yield ""


STATES = {"evaluation": evaluation, "guide_sheet": guide_sheet, "questions": questions,
          "maintenance": maintenance, "queue": queue, "guide": guide, "appointment": appointment,
          "credit_repair": credit_repair, "technician_pin": technician_pin, "complaint": complaint,
          "technician": technician}
