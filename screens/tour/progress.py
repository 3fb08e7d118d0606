"""The screenshot tour of 进度查询 and 补交材料 (screens/tour/), with demonstration cases
(no platform call); the supplement's captured page comes from the document camera as
configured (the emulator in the tour)."""
from __future__ import annotations

import datetime as dt

from kiosk.citizen import lookup
from kiosk.platform.models import Case, CaseEvent, CaseMaterial, Deadlines, Extension
from kiosk.workdays.calendar import WorkCalendar
from kiosk.workdays.deadlines import case_deadlines, count


def demo_cases(calendar: WorkCalendar, today: dt.date | None = None) -> list[Case]:
    """Demonstration cases with their deadlines counted on `calendar` (the app's one calendar)."""
    today = today or dt.date.today()

    def workdays(start, n):
        return count(calendar, start, n)
    approved = today - dt.timedelta(days=20)
    d = case_deadlines(calendar, approved)
    first = Case(
        case_number="CN-20261108-000042", item_code="TJ-SCJG-002", item_name="个体工商户登记", decision="承诺审批",
        status="verifying", committed_on=approved,
        deadlines=Deadlines(d.supplement_due, d.verification_start_due, d.verification_end_due,
                            d.rectification_due, d.confirmed),
        extension=Extension("none", None, 0),
        materials=[CaseMaterial("M01", "个体工商户登记（备案）申请书", "provided", None, None),
                   CaseMaterial("M03", "经营场所使用证明", "deferred", workdays(approved, 60), None),
                   CaseMaterial("M04", "卫生许可证明", "supplied", workdays(approved, 60), today - dt.timedelta(days=2))],
        timeline=[CaseEvent("approved", approved), CaseEvent("verification_started", approved + dt.timedelta(days=2)),
                  CaseEvent("material_supplied", today - dt.timedelta(days=2))])
    gone = Case(
        case_number="CN-20260801-000007", item_code="TJ-SCJG-002", item_name="个体工商户登记", decision="承诺审批",
        status="revoked", committed_on=approved - dt.timedelta(days=100),
        deadlines=Deadlines(None, None, None, None, True), extension=Extension("none", None, 0),
        materials=[CaseMaterial("M03", "经营场所使用证明", "deferred", None, None)],
        timeline=[CaseEvent("approved", approved - dt.timedelta(days=100)),
                  CaseEvent("revoked", approved - dt.timedelta(days=10))])
    return [first, gone]


SCREENS = ("progress", "supplement")


def tour(driver, screen):
    driver.app.start_session()
    driver.app.go(screen.name)
    driver.frames(2)
    yield "ask"
    screen.stop_watching()
    screen.show_found(lookup.Found("queued", ref="TJ-DEMO-0001-20261128-5F3A9C01"))
    yield "queued"
    screen.show_found(lookup.Found("refused", ref="TJ-DEMO-0001-20261128-5F3A9C02", reason="blacklisted"))
    yield "refused"
    screen.show_found(lookup.Found("cases", demo_cases(screen.services.calendar)))
    yield "cases"
    if hasattr(screen, "choose"):
        case = screen.found.cases[0]
        screen.choose(case, case.deferred_materials[0])
        yield "capture-empty"
        screen.pages.add(screen.capture_code, screen.services.doccam.snapshot())
        screen.pages.add(screen.capture_code, screen.services.doccam.snapshot())
        screen.render()
        yield "capture"
        screen.state = "done"
        screen.render()
        yield "done"
