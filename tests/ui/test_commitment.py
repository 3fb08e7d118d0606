"""Commitment approval in the real app: emulated ID card reader and printer, the sandbox
platform as a real subprocess over HTTP. The whole flow with the decoded receipt; the
blacklisted path; the offline path (待提交 receipt, then the letter arrives exactly once)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from drivers.idcard import cards

pytestmark = pytest.mark.ui
ITEM = "TJ-SCJG-002"       # 个体工商户登记: natural persons; 经营场所使用证明 may be deferred
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "commitment"



def _start(app):
    app.app.start_session()
    app.app.services.sessions.current.data["item_code"] = ITEM
    app.app.go("commitment")
    app.frames(3)


def _place(app, identity="resident"):
    app.app.services.devices.idcard.emulator.place(identity)


def _identified(app, shot=None):
    _place(app)                                           # the test person is an honest subject
    screen = app.screen("commitment")
    assert app.wait_until(lambda: screen.state == "green", 10), screen.message
    app.frames(2)
    assert "绿色通道" in screen.ids.heading.text and "优先受理" in screen.ids.green.text
    app.tap(screen.ids.go_on)
    assert app.wait_until(lambda: app.app.current == "commitment_materials", 10), screen.message
    app.frames(3)


def _through_to_review(app, shot=False):
    materials = app.screen("commitment_materials")
    assert materials.ids.next.disabled is False           # the deferrable material starts deferred
    shot and app.screenshot(SHOTS / "3-materials.png")
    app.tap(materials.ids.next)
    confirm = app.screen("commitment_confirm")
    app.frames(2)
    assert app.app.current == "commitment_confirm"
    rows = [w for w in confirm.ids.texts.children if hasattr(w, "acknowledged")]
    assert len(rows) == 8
    for row in rows:
        row.acknowledged = True
    app.frames(2)
    confirm.read_to_end = False
    confirm.ids.scroll.scroll_y = 1
    app.frames(2)
    assert confirm.ids.agree.disabled                     # not read to the end yet
    confirm.ids.scroll.scroll_y = 0
    app.frames(3)
    assert not confirm.ids.agree.disabled
    shot and app.screenshot(SHOTS / "4-confirm.png")
    app.tap(confirm.ids.agree)
    sign = app.screen("commitment_sign")
    app.tap(sign.ids.next)
    assert app.app.current == "commitment_sign" and sign.message   # empty signature refused
    sign.ids.pad.draw([(40 + i * 12, 80 + (i % 5) * 15) for i in range(40)])
    shot and app.screenshot(SHOTS / "5-sign.png")
    app.tap(sign.ids.next)
    assert app.app.current == "commitment_review"
    shot and app.screenshot(SHOTS / "6-review.png")
    return app.screen("commitment_review")


def test_whole_flow_prints_the_receipt(app):
    _start(app)
    app.screenshot(SHOTS / "1-identify.png")
    _identified(app)
    review = _through_to_review(app, shot=True)
    assert "张三丰" in review.summary and "120101********" in review.summary
    app.tap(review.ids.submit)
    assert app.wait_until(lambda: app.app.current == "commitment_result", 10), review.message
    app.frames(3)
    result = app.screen("commitment_result")
    assert "承诺审批" in result.details and "受理号" in result.details
    job = app.printed(1, timeout=10)
    app.screenshot(SHOTS / "7-result.png")
    text = job.text
    identity = cards.resident()
    for needle in ("承诺审批", "个体工商户登记", ITEM, identity.name, "120101********" + identity.id_number[-4:],
                   "经营场所使用证明", "88908890", "TJ-DEMO-0001", "20个工作日", "受理号"):
        assert needle in text, needle
    assert identity.id_number not in text
    assert "待提交" not in text
    case_number = next(line for line in text.splitlines() if "受理号" in line).split()[-1]
    assert job.qr[0] == f"TJCASE:{case_number}"           # the second QR: the copy (test_article_13_*)
    # the printer's "done" reaches the screen from the driver's thread: a frame or more after the job
    assert app.wait_until(lambda: "请取走身份证和凭条" in result.ids.take_away.text, 5), result.ids.take_away.text
    cases = app.client.cases_of("person", identity.id_number)
    assert case_number in [c.case_number for c in cases]
    app.tap(result.ids.evaluate)                          # 评价本次服务: the evaluation knows the case
    assert app.app.current == "evaluation" and app.screen("evaluation").case_number == case_number
    app.tap(app.screen("evaluation").ids.finish)
    assert app.app.current == "attract" and not app.app.services.sessions.current.data


def _submitted_with_paper_out(app):
    """The whole flow up to 提交 with the paper out: the result screen, no receipt."""
    printer = app.app.services.devices.printer.emulator
    review = _reviewed(app)
    printer.paper = "out"
    app.tap(review.ids.submit)
    result = app.screen("commitment_result")
    # print_status too: the screen may be current a frame before on_enter has started printing
    assert app.wait_until(lambda: app.app.current == "commitment_result" and result.print_status
                          and not result.printing, 10), result.print_status
    return printer, result


def test_paper_out_is_told_and_the_receipt_is_offered_once_paper_is_back(app):
    printer, result = _submitted_with_paper_out(app)
    assert "打印纸已用完" in result.print_status and "询问是否补打" in result.print_status, result.print_status
    assert "受理号" in result.details and not printer.jobs          # the case stands; no paper, no receipt
    assert result.ids.take_away.text == "请取走身份证"               # no slip to take: the big line says so
    app.frames(3)
    app.screenshot(SHOTS / "8-paper-out.png")
    printer.paper = "ok"                                              # staff refill the paper
    ask = app.app.root.ids.ask
    assert app.wait_until(lambda: ask.shown and ask.topic == "reprint", 10)
    assert ask.question == "打印机已恢复，现在打印凭条？"
    app.screenshot(SHOTS / "9-reprint-offer.png")
    app.frames(10)
    assert not printer.jobs                                           # offered, never printed by itself
    app.tap(ask.ids.first)                                            # 现在打印
    assert app.wait_until(lambda: result.print_status == "凭条已补打，请取走。", 10), result.print_status
    job = app.printed(1, timeout=5)
    assert "受理号" in job.text and len(printer.jobs) == 1
    assert result.ids.take_away.text == "✓ 请取走身份证和凭条"


def test_a_failed_receipt_is_forgotten_when_the_citizen_finishes_and_never_offered_later(app):
    printer, result = _submitted_with_paper_out(app)
    app.tap(result.ids.finish)                                        # the citizen leaves without it
    assert app.app.current == "attract" and not app.app.services.receipts.available
    printer.paper = "ok"
    app.frames(20)
    ask = app.app.root.ids.ask
    assert not ask.shown and not printer.jobs                         # nothing for the next citizen


def test_blacklisted_applicant_stops_at_the_credit_check(app):
    from sandbox.seed import BLACKLISTED_PERSON
    _start(app)
    _place(app, replace(cards.resident(), name=BLACKLISTED_PERSON[2], id_number=BLACKLISTED_PERSON[1]))
    screen = app.screen("commitment")
    assert app.wait_until(lambda: screen.state == "blacklisted", 10), screen.message
    app.frames(3)
    assert "黑名单" in screen.message and "信用修复" in screen.ids.repair.text
    assert "88908890" in screen.ids.hotline.text
    app.screenshot(SHOTS / "2-blacklisted.png")
    app.frames(10)
    assert app.app.current == "commitment"               # nothing else proceeds
    assert screen.ids.go_on.disabled and not screen.ids.repair_button.disabled


def test_expired_card_is_refused(app):
    _start(app)
    _place(app, "hmt")                                    # valid to 2025-01-02
    screen = app.screen("commitment")
    assert app.wait_until(lambda: "有效期" in screen.message, 10)
    assert app.app.current == "commitment"


def _reviewed(app):
    """A natural person (the test resident) through identification and the steps to the review."""
    _start(app)
    _identified(app)
    return _through_to_review(app)


def _submit_queued(app, review):
    """提交 while the platform is stopped: the result screen with the letter kept in the outbox."""
    app.tap(review.ids.submit)
    assert app.wait_until(lambda: app.app.current == "commitment_result", 20), review.message
    app.frames(3)
    result = app.screen("commitment_result")
    assert result.queued
    return result


def test_offline_letter_is_queued_then_arrives_once(app, sandbox):
    identity = cards.resident()
    before = len(app.client.cases_of("person", identity.id_number))
    review = _reviewed(app)
    sandbox.stop()
    try:
        result = _submit_queued(app, review)
        assert "保存在本终端" in result.details
        job = app.printed(1, timeout=10)
        app.screenshot(SHOTS / "7-queued.png")
        assert "待提交" in job.text and job.qr[0].startswith("TJREF:")
        outbox = app.app.services.outbox
        assert outbox.depth() == 1
    finally:
        sandbox.start()
    assert app.wait_until(lambda: outbox.depth() == 0, 20)
    ref = job.qr[0].removeprefix("TJREF:")
    assert outbox.outcome(ref).outcome == "accepted"
    cases = app.client.cases_of("person", identity.id_number)
    assert len(cases) == before + 1
    assert [c.case_number for c in cases].count(outbox.outcome(ref).result) == 1


def test_company_applies_through_its_agent(app):
    """法人 item: the USCC typed on the keyboard, the card holder as 委托代理人 (the authorisation
    letter is said to be required and photographed before the letter goes, 信用承诺 第十四条(二)),
    the company's credit check, its name on the letter and receipt."""
    from sandbox.seed import GOOD_COMPANY
    app.app.start_session()
    app.app.services.sessions.current.data["item_code"] = "TJ-SCJG-003"     # 企业设立登记: 法人 only
    app.app.go("commitment")
    app.frames(3)
    screen = app.screen("commitment")
    assert screen.state == "company"
    uscc = GOOD_COMPANY[1]
    for char in "1" + uscc[:-1]:                           # a wrong first character, then backspace
        app.tap(screen.keyboard.keys[char.lower()])
        if char == "1" and len(screen.company["uscc"]) == 1:
            app.tap(screen.ids.go_on)
            assert "统一社会信用代码" in screen.message       # refused: not a valid code
            app.tap(screen.keyboard.keys["backspace"])
    app.tap(screen.keyboard.keys[uscc[-1].lower()])
    assert screen.company["uscc"] == uscc and uscc in screen.uscc_label.text
    app.tap(screen.company_buttons["role:agent"])
    assert "授权委托书" in "\n".join(w.text for w in screen.ids.company.children if hasattr(w, "text"))
    app.tap(screen.ids.go_on)
    assert screen.state == "identify" and "委托代理人" in screen.ids.heading.text
    _identified(app)                                       # the company is an honest subject too
    review = _through_to_review(app)
    assert GOOD_COMPANY[2] in review.summary and uscc in review.summary and "委托代理人：张三丰" in review.summary
    app.tap(review.ids.submit)                             # 信用承诺 第十四条(二): not without the 授权委托书
    assert "授权委托书" in review.message and app.app.current == "commitment_review"
    app.tap(review.authorisation_button)                   # photographed with the document camera
    assert app.wait_until(lambda: len(review.draft.authorisation) == 1, 10), review.message
    assert "授权委托书：已拍摄1页" in review.summary
    app.tap(review.ids.submit)
    assert app.wait_until(lambda: app.app.current == "commitment_result", 10), review.message
    text = app.printed(1, timeout=10).text
    for needle in ("申请单位", GOOD_COMPANY[2], uscc, "企业设立登记", "受理号"):
        assert needle in text, needle
    assert cards.resident().id_number not in text


def test_review_shows_the_signature_and_corrections_keep_the_draft(app):
    _start(app)
    _identified(app)
    review = _through_to_review(app)
    texture = review.ids.signature.texture
    assert texture is not None and texture.width > 10                   # the signature as drawn
    draft = app.app.services.sessions.current.data["commitment"]
    app.tap(review.ids.previous)                                        # 上一步: back to the signature
    assert app.app.current == "commitment_sign"
    app.tap(app.screen("commitment_sign").ids.next)                     # the pad kept the strokes
    assert app.app.current == "commitment_review"
    app.tap(review.ids.change)                                          # 修改材料
    assert app.app.current == "commitment_materials"
    assert app.app.services.sessions.current.data["commitment"] is draft   # nothing was lost
    app.screenshot(SHOTS / "6b-change-materials.png")


# -- the applicant's copy of the letter (信用承诺 第十三条 "承诺书一式两份……由双方各保存一份") -----------

def _submitted(app):
    review = _reviewed(app)
    app.tap(review.ids.submit)
    assert app.wait_until(lambda: app.app.current == "commitment_result", 10), review.message
    app.frames(3)
    result = app.screen("commitment_result")
    case_number = result.submission.case.case_number
    return result, case_number


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_article_13_without_an_a4_printer_the_receipt_downloads_the_copy(app, sandbox):
    """No A4 printer: the receipt carries a second QR, the copy's download URL (platform base URL +
    /api/v1/letter-copies/{token}), with "扫码下载您的承诺书"; the URL serves the letter; IDs masked."""
    import requests
    result, case_number = _submitted(app)
    assert result.ids.print_copy.disabled and result.ids.print_copy.opacity == 0   # nothing to print on
    job = app.printed(1, timeout=10)
    assert job.qr[0] == f"TJCASE:{case_number}" and len(job.qr) == 2
    url = job.qr[1]
    assert url.startswith(sandbox.url + "/api/v1/letter-copies/")
    assert "扫码下载您的承诺书" in job.text
    identity = cards.resident()
    assert "120101********" + identity.id_number[-4:] in job.text and identity.id_number not in job.text
    copy = requests.get(url, timeout=10)
    assert copy.status_code == 200 and copy.headers["content-type"].startswith("application/pdf")
    assert case_number in _pdf_text(copy.content)


@pytest.fixture(scope="module")
def cups():
    from drivers.a4.testing import PrivateCups
    with PrivateCups() as private:
        yield private


QUEUES = iter(range(1, 100))


@pytest.fixture
def a4_app(make_settings, sandbox, cups):
    """The app with an A4 printer on a fresh queue of a real private cupsd (drivers/a4/testing.py)."""
    from tests.ui.conftest import online_app, stop_online_app
    name = f"a4ui{next(QUEUES)}"
    out = cups.add_file_queue(name)
    driver = online_app(make_settings, sandbox, devices__printer="printer+emu://?profile=generic-80&poll=0.2",
                        devices__a4=cups.url(name))
    driver.a4_queue, driver.a4_out = name, out
    yield driver
    stop_online_app(driver)


def test_article_13_with_an_a4_printer_the_copy_prints_when_the_citizen_asks(a4_app, cups):
    """A4 fitted: the receipt has no download QR, 打印承诺书（A4） is offered and nothing prints by
    itself (the citizen may decline); a tap prints the 申请人留存联 with the case number through CUPS."""
    app = a4_app
    result, case_number = _submitted(app)
    job = app.printed(1, timeout=10)
    assert job.qr == [f"TJCASE:{case_number}"] and "扫码下载您的承诺书" not in job.text
    assert result.ids.print_copy.text == "打印承诺书（A4）" and not result.ids.print_copy.disabled
    app.frames(5)
    assert app.a4_out.read_bytes() == b""                     # not by itself
    app.screenshot(SHOTS / "7b-result-a4.png")
    app.tap(result.ids.print_copy)
    text = _pdf_text(cups.wait_output(app.a4_out))
    assert case_number in text and "申请人留存联" in text
    identity = cards.resident()
    assert "120101********" + identity.id_number[-4:] in text and identity.id_number not in text
    assert app.wait_until(lambda: result.copy_status.startswith("承诺书已送往A4打印机"), 10), result.copy_status


def test_article_13_a_jammed_a4_printer_gives_the_receipt_with_the_download_qr(a4_app, cups):
    """卡纸: the citizen is told plainly and gets the receipt again, now with the copy's QR."""
    app = a4_app
    result, case_number = _submitted(app)
    app.printed(1, timeout=10)
    cups.stop_queue(app.a4_queue, "Media jam")
    app.tap(result.ids.print_copy)
    assert app.wait_until(lambda: "卡纸" in result.copy_status, 10), result.copy_status
    assert result.copy_status == "A4打印机暂时无法使用（卡纸），可扫描凭条上的二维码下载承诺书"
    again = app.printed(2, timeout=10)
    assert again.qr[0] == f"TJCASE:{case_number}" and "/api/v1/letter-copies/" in again.qr[1]
    assert "扫码下载您的承诺书" in again.text and app.a4_out.read_bytes() == b""


# -- a natural person through an agent (信用承诺 第十四条(二) "行政相对人可以委托代理人作出承诺") -----------

def _swap_card(app, identity):
    """Take the card away, wait until the reader no longer counts a card on the pad (it may have
    stopped counting it already: a read card is reported once per placement), then place
    `identity`."""
    reader = app.app.services.devices.idcard
    reader.emulator.remove()
    assert app.wait_until(lambda: not reader.card_lying, 30), "the reader did not notice the card was taken away"
    reader.emulator.place(identity)


def test_article_14_2_a_natural_person_commits_through_an_agent(app):
    """委托他人代办: the applicant's card (and credit check) first, then the agent's own card (the
    applicant's again is refused plainly); the 授权委托书 photographed before the letter goes; the
    letter names the agent as 委托代理人; the case is the applicant's."""
    from kiosk.identity import id_check_char
    first17 = "12010219880512003"
    agent = replace(cards.resident(), name="李四", id_number=first17 + id_check_char(first17))
    applicant = cards.resident()
    _start(app)
    screen = app.screen("commitment")
    assert screen.ids.by_agent.text == "委托他人代办" and not screen.ids.by_agent.disabled
    app.tap(screen.ids.by_agent)
    app.frames(2)
    app.screenshot(SHOTS / "1b-by-agent.png")
    assert screen.state == "identify" and "申请人（委托人）" in screen.identify_heading
    assert screen.ids.by_agent.disabled                   # chosen
    _place(app)                                           # the applicant: an honest subject
    assert app.wait_until(lambda: screen.state == "green", 10), screen.message
    app.tap(screen.ids.go_on)
    assert screen.state == "identify" and "代理人" in screen.identify_heading, screen.identify_heading
    _swap_card(app, applicant)                            # the applicant's card again: not an agent
    assert app.wait_until(lambda: "申请人本人" in screen.message, 10), screen.message
    assert app.app.current == "commitment"
    _swap_card(app, agent)
    assert app.wait_until(lambda: app.app.current == "commitment_materials", 10), screen.message
    app.frames(3)
    review = _through_to_review(app)
    assert "张三丰" in review.summary and "委托代理人：李四" in review.summary
    assert agent.id_number not in review.summary
    app.tap(review.ids.submit)                            # 第十四条(二): not without the 授权委托书
    assert "授权委托书" in review.message and app.app.current == "commitment_review"
    app.tap(review.authorisation_button)
    assert app.wait_until(lambda: len(review.draft.authorisation) == 1, 10), review.message
    app.tap(review.ids.submit)
    assert app.wait_until(lambda: app.app.current == "commitment_result", 10), review.message
    result = app.screen("commitment_result")
    letter = result.submission.letter
    assert (letter.signer.role, letter.signer.name, letter.signer.id_number) == ("agent", "李四", agent.id_number)
    assert letter.applicant.id_number == applicant.id_number and len(letter.authorisation) == 1
    number = result.submission.case.case_number
    assert number in [c.case_number for c in app.client.cases_of("person", applicant.id_number)]
    text = app.printed(1, timeout=10).text
    assert applicant.name in text and agent.id_number not in text and applicant.id_number not in text


def test_article_13_a_queued_letter_prints_with_its_local_reference_on_a4(a4_app, cups, sandbox):
    """Platform unreachable: the copy still prints (本机编号, 待提交); if the A4 printer cannot, the
    citizen is told where to get the copy once accepted (there is no download QR yet)."""
    app = a4_app
    review = _reviewed(app)
    sandbox.stop()
    try:
        result = _submit_queued(app, review)
        ref = app.printed(1, timeout=10).qr[0].removeprefix("TJREF:")
        app.tap(result.ids.print_copy)
        text = _pdf_text(cups.wait_output(app.a4_out))
        assert ref in text and "待提交" in text
        assert app.wait_until(lambda: not result.printing_copy, 10)
        cups.fresh(app.a4_out)
        cups.stop_queue(app.a4_queue, "Media jam")
        app.tap(result.ids.print_copy)
        assert app.wait_until(lambda: "88908890" in result.copy_status, 10), result.copy_status
        assert "A4打印机暂时无法使用" in result.copy_status and len(app.printer.jobs) == 1
    finally:
        sandbox.start()
