"""The screenshot tour of the commitment flow (screens/tour/): each step arranged with
demonstration data, without the platform (a credit check or a submission would make the
tour depend on the network and on time).

`tour(driver, name)` yields the state names of the flow screen `name`; screens.tour.states
calls it. The demonstration applicant is the emulated ID card's test person.
"""
from __future__ import annotations

import datetime as dt

from kiosk.citizen.commitment import CST, Submission, new_draft, person_applicant
from kiosk.workdays.deadlines import case_deadlines
from kiosk.identity import Person

ITEM = "TJ-SCJG-002"                     # 个体工商户登记: one material may be deferred
EITHER_ITEM = "TJ-ZJW-002"               # 房屋租赁登记备案: a person or a company may apply
DEMO_USCC = "91120101MA05K0000"          # 17 of the 18 characters: the citizen is still typing
DEMO_PERSON = Person("张三丰", "120101199003071235")
DEMO_CASE_NUMBER = "CN-20261128-000123"


def tour(driver, name: str = "commitment"):
    yield from STEPS[name](driver, driver.screen(name))


def _begin(driver, screen_name: str, applicant: bool = True, code: str = ITEM):
    """A session with the demonstration item (and applicant) chosen, on `screen_name`."""
    app = driver.app
    app.start_session()
    services = app.services
    item = services.catalog.catalog.get(code)
    session = services.sessions.current
    session.data["item_code"] = code
    draft = new_draft(item, services.wording)
    if applicant:
        draft.applicant, draft.signer = person_applicant(DEMO_PERSON)
        session.data["person"] = DEMO_PERSON
    if screen_name != "commitment":
        session.data["commitment"] = draft
    app.go(screen_name)
    driver.frames(3)
    return draft


def _identify(driver, screen):
    _begin(driver, "commitment", applicant=False)
    yield "identify"
    screen._stop_watching()
    screen.state, screen.message = "checking", screen.t("commitment.credit.checking")
    yield "checking"
    screen.state = "blacklisted"
    screen.message = screen.t("commitment.credit.blacklisted", reason="未按时提交约定申请材料（信用承诺办法第九条）")
    yield "blacklisted"
    screen.state = "checking"
    driver.frames(2)
    screen.show_green()
    yield "green"
    _begin(driver, "commitment", applicant=False, code=EITHER_ITEM)
    yield "choose_subject"
    screen.as_company()
    screen.choose_role("agent")
    screen.keyboard.text = DEMO_USCC.lower()
    yield "company"


def _materials(driver, screen):
    _begin(driver, "commitment_materials")
    yield "materials"


def _confirm(driver, screen):
    draft = _begin(driver, "commitment_confirm")
    yield "confirm"
    for row in [w for w in screen.ids.texts.children if hasattr(w, "acknowledged")]:
        row.acknowledged = True
    screen.ids.scroll.scroll_y = 0
    driver.frames(3)
    assert draft.all_acknowledged
    yield "confirm-end"


def _sign(driver, screen):
    draft = _begin(driver, "commitment_sign")
    draft.acknowledged = set(range(len(draft.wording.confirmations)))
    yield "sign-empty"
    pad = screen.ids.pad
    w, h = pad.size
    pad.draw([(w * (0.15 + i * 0.018), h * (0.45 + 0.15 * ((i % 6) / 5 - 0.5))) for i in range(40)])
    driver.frames(2)
    yield "sign"


def _review(driver, screen):
    draft = _begin(driver, "commitment_review")
    draft.acknowledged = set(range(len(draft.wording.confirmations)))
    draft.signature = b"demo"
    yield "review"


def _result(driver, screen):
    from kiosk.platform.models import Case, CaseEvent, CaseMaterial, Deadlines, Extension
    for queued in (False, True):
        draft = _begin(driver, "commitment_review")
        draft.acknowledged = set(range(len(draft.wording.confirmations)))
        draft.signature = _signature()
        letter = draft.letter()
        today = dt.datetime.now(CST).date()
        d = case_deadlines(driver.app.services.calendar, today)      # as the platform would count them
        due = d.supplement_due
        case = None if queued else Case(
            case_number=DEMO_CASE_NUMBER, item_code=ITEM, item_name=draft.item_name,
            decision="承诺审批", status="approved", committed_on=today,
            deadlines=Deadlines(due, d.verification_start_due, d.verification_end_due, d.rectification_due,
                                d.confirmed), extension=Extension("none", None, 0),
            materials=[CaseMaterial(m.code, m.name, "deferred" if m.deferred else "provided",
                                    due if m.deferred else None, None) for m in draft.materials],
            timeline=[CaseEvent("approved", today)])
        session = driver.app.services.sessions.current
        session.data["submission"] = Submission(letter, "TJ-DEMO-0001-20261128-5F3A9C01", case)
        driver.app.go("commitment_result")
        driver.wait_until(lambda: not screen.printing, 5)
        yield "queued" if queued else "result"


def _signature() -> bytes:
    from kiosk.citizen.commitment import signature_png
    return signature_png([[(10 + i * 8, 40 + (i % 5) * 6) for i in range(30)]], (300, 100))


STEPS = {"commitment": _identify, "commitment_materials": _materials, "commitment_confirm": _confirm,
         "commitment_sign": _sign, "commitment_review": _review, "commitment_result": _result}
