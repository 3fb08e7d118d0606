"""The guide screens in the real app: home tile -> type on the on-screen keyboard ->
result -> guide sheet with its fields; a guided-question walk to the right variant;
browsing by 法人 and department; printing through a printer test double."""
import threading

import pytest

pytestmark = pytest.mark.ui


def _open_guide(kiosk):
    kiosk.tap(kiosk.screen("attract").ids.start_button)
    home = kiosk.screen("home")
    tile = next(w for w in home.ids.tiles.children if getattr(w, "tile_key", "") == "guide")
    kiosk.tap(tile)
    assert kiosk.app.current == "guide"
    return kiosk.screen("guide")


def _labels(widget):
    return "\n".join(w.text for w in widget.walk() if hasattr(w, "text") and isinstance(w.text, str))


def test_search_by_typing_then_guide_sheet_shows_fields(kiosk, tmp_path):
    guide = _open_guide(kiosk)
    for key in "laowu":
        kiosk.tap(guide.keyboard.keys[key])
    assert guide.ids.query.text == "laowu"
    kiosk.tap(guide.keyboard.keys["backspace"])
    kiosk.tap(guide.keyboard.keys["u"])
    results = list(reversed(guide.ids.results.children))
    assert results and results[0].item_code == "TJ-RSJ-005"
    assert min(r.height for r in results) >= kiosk.app.u * 120 - 0.5
    kiosk.tap(results[0])
    assert kiosk.app.current == "guide_sheet"
    sheet = kiosk.screen("guide_sheet")
    assert kiosk.wait_until(lambda: sheet.complete, 30)
    text = _labels(sheet)
    for expected in ("劳务派遣经营许可", "TJ-RSJ-005", "行政主体", "服务对象", "办理类别", "设定依据", "行使层级",
                     "申请条件", "注册资本不得少于人民币200万元", "申请材料", "主审材料", "准备要点", "办理地点",
                     "窗口", "咨询电话", "审查环节", "有效期限", "3年", "法定办结时限", "承诺办结时限", "收费",
                     "投诉电话", "物流快递", "通办范围", "可以信用承诺办理", "可容缺", "网上办"):
        assert expected in text, expected
    from screens.qrcode import QRCode
    qr = [w for w in sheet.walk() if isinstance(w, QRCode)]
    assert qr and qr[0].data.endswith("TJ-RSJ-005") and qr[0].texture is not None
    devices = getattr(kiosk.app.services, "devices", None)
    has_printer = getattr(devices, "printer", None) is not None
    assert sheet.can_print == has_printer and sheet.ids.print_button.opacity == (1 if has_printer else 0)
    assert sheet.can_commit                        # eligible item and the commitment screen is registered
    assert sheet.pages > 1
    kiosk.tap(sheet.ids.next_page)
    assert sheet.page == 2
    kiosk.screenshot(tmp_path / "guide_sheet.png")


def test_refused_commitment_says_why(kiosk):
    _open_guide(kiosk)
    from screens.guide_nav import open_item
    open_item("TJ-STHJ-001")
    assert kiosk.wait_until(lambda: kiosk.screen("guide_sheet").complete, 30)
    text = _labels(kiosk.screen("guide_sheet"))
    assert "不能信用承诺办理" in text and "第四条" in text and "生态安全" in text


def test_guided_questions_walk_ends_at_the_variant(kiosk):
    guide = _open_guide(kiosk)
    for key in "gjj":
        kiosk.tap(guide.keyboard.keys[key])
    first = list(reversed(guide.ids.results.children))[0]
    assert first.item_code == "TJ-GJJ-001"
    kiosk.tap(first)
    assert kiosk.app.current == "guide_questions"
    questions = kiosk.screen("guide_questions")
    options = lambda: list(reversed(questions.ids.options.children))  # noqa: E731
    assert "原因" in questions.ids.question.text
    kiosk.tap(options()[0])                       # 买房、租房或还房贷
    assert [o.text for o in options()] == ["购买住房", "租房居住", "偿还住房贷款"]
    kiosk.tap(questions.ids.back)                 # back one step
    assert "原因" in questions.ids.question.text
    kiosk.tap(options()[0])
    kiosk.tap(questions.ids.restart)              # restart
    assert "原因" in questions.ids.question.text and questions.history == []
    kiosk.tap(options()[0])
    kiosk.tap(options()[1])                       # 租房居住
    assert kiosk.app.current == "guide_sheet"
    sheet = kiosk.screen("guide_sheet")
    assert sheet.item_code == "TJ-GJJ-001-02"
    assert kiosk.wait_until(lambda: sheet.complete, 30)       # the administrators' fields come later
    assert "住房公积金提取（租房）" in _labels(sheet) and "类型项" in _labels(sheet)


def test_browse_by_org_and_department(kiosk):
    guide = _open_guide(kiosk)
    kiosk.tap(guide.ids.browse_org)
    browse = kiosk.screen("guide_browse")
    assert kiosk.app.current == "guide_browse" and browse.audience == "法人"
    groups = {b.text: b for b in browse.ids.entries.children}
    assert "开办企业" in groups and "生育收养" not in groups
    kiosk.tap(groups["开办企业"])
    names = [b.text for b in browse.ids.entries.children]
    assert "企业设立登记" in names and "居民身份证申领" not in names
    kiosk.tap(browse.ids.back)
    kiosk.tap(browse.ids.by_department)
    groups = {b.text: b for b in browse.ids.entries.children}
    kiosk.tap(groups["生态环境局"])
    item = next(b for b in browse.ids.entries.children if b.text == "排污许可")
    kiosk.tap(item)
    assert kiosk.app.current == "guide_sheet" and kiosk.screen("guide_sheet").item_code == "TJ-STHJ-001"


@pytest.mark.parametrize("fails", [False, True])
def test_print_runs_off_the_ui_thread_and_reports(kiosk, fails):
    """The real printer driver against its emulator; the paper sensor says out when `fails`."""
    emulator = kiosk.app.services.devices.printer.emulator
    receipts = kiosk.app.services.receipts
    threads = []
    real_print = receipts.print

    def spy(document):
        threads.append(threading.current_thread())
        return real_print(document)
    receipts.print = spy
    emulator.paper = "out" if fails else "ok"
    try:
        _open_guide(kiosk)
        from screens.guide_nav import open_item
        open_item("TJ-MZJ-001")
        kiosk.frames(2)
        sheet = kiosk.screen("guide_sheet")
        assert sheet.can_print and sheet.ids.print_button.opacity == 1
        kiosk.tap(sheet.ids.print_button)
        assert kiosk.wait_until(lambda: not sheet.printing, timeout=5)
        assert threads and threads[0] is not threading.main_thread()
        if fails:
            assert sheet.print_status.startswith("打印纸已用完，请联系工作人员更换打印纸"), sheet.print_status
            assert "询问是否补打" in sheet.print_status and not emulator.jobs
        else:
            assert "打印完成" in sheet.print_status
            assert "结婚登记" in emulator.wait_job(1, timeout=5).text
    finally:
        del receipts.print
        emulator.paper = "ok"


@pytest.mark.parametrize("kiosk", [{"devices__printer": ""}], indirect=True)   # a terminal without one
def test_no_printer_no_print_button(kiosk):
    assert kiosk.app.services.devices.printer is None
    _open_guide(kiosk)
    from screens.guide_nav import open_item
    open_item("TJ-MZJ-001")
    kiosk.frames(2)
    sheet = kiosk.screen("guide_sheet")
    assert not sheet.can_print and sheet.ids.print_button.opacity == 0


def test_session_end_forgets_the_search(kiosk):
    guide = _open_guide(kiosk)
    kiosk.tap(guide.keyboard.keys["s"])
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.home_button)
    assert guide.keyboard.text == "" and kiosk.screen("guide_sheet").item_code == ""


def test_sheet_shows_units_review_content_and_delivery(kiosk):
    """公开公示 第十四条 (each limit in its unit: 建筑法 第八条 七日), 第十三条(三) (each 审查 step with
    its content and standard), 第十七条(一) (materials in and results out on their own)."""
    _open_guide(kiosk)
    from screens.guide_nav import open_item
    open_item("TJ-ZJW-001")
    assert kiosk.wait_until(lambda: kiosk.screen("guide_sheet").complete, 30)
    text = _labels(kiosk.screen("guide_sheet"))
    assert "法定办结时限：[/b]7日" in text and "7个工作日" not in text
    assert "纸质审查（申请材料是否齐全" in text and "三个月内开工" in text
    assert "申请材料寄送：" in text and "审批结果邮寄：" in text
