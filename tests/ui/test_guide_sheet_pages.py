"""The guide sheet citizen-first, in whole-row pages turned by buttons only, opening at page 1."""
from __future__ import annotations

from pathlib import Path

import pytest

from screens.tour.screens import open_sheet

pytestmark = pytest.mark.ui
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "guide-sheet"
ITEM = "TJ-RSJ-005"          # 劳务派遣经营许可: a long sheet


def _open(kiosk, code=ITEM):
    kiosk.app.start_session()
    return open_sheet(kiosk, code)


def _headings(sheet):
    return [w.text for w in sheet._rows() if type(w).__name__ == "SheetHeading"]


def test_what_to_bring_where_how_long_and_cost_come_first(kiosk):
    sheet = _open(kiosk)
    assert _headings(sheet)[:4] == ["申请材料", "到哪里办、怎么预约", "办理时限", "收费"]
    assert _headings(sheet).index("办理主体") > 4                     # the administrators' fields later
    first = sheet._rows()[1]
    assert first.opacity == 1 and "1. " in first.text                 # page 1 opens with material 1


@pytest.mark.parametrize("kiosk", [{}], indirect=True)
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_every_page_shows_whole_rows_only_and_the_sheet_does_not_scroll(kiosk, elder):
    if elder:
        kiosk.app.toggle_elder()
    sheet = _open(kiosk)
    scroll = sheet.ids.scroll
    assert not scroll.do_scroll_y and scroll.bar_width == 0            # one way of moving: the buttons
    assert sheet.pages > 2
    seen = set()
    for page in range(1, sheet.pages + 1):
        if page > 1:
            kiosk.tap(sheet.ids.next_page)
        assert sheet.page == page
        kiosk.frames(2)
        low, high = scroll.to_window(scroll.x, scroll.y)[1], scroll.to_window(scroll.x, scroll.top)[1]
        shown = [row for row in sheet._rows() if row.opacity > 0]
        assert shown, page
        for row in shown:
            y0, y1 = row.to_window(row.x, row.y)[1], row.to_window(row.x, row.top)[1]
            assert low - 1 <= y0 and y1 <= high + 1, (page, getattr(row, "text", row)[:20])
            seen.add(id(row))
        if page == 1 and not elder:
            kiosk.screenshot(SHOTS / "page-1.png")
    assert sheet.ids.next_page.disabled
    assert seen == {id(row) for row in sheet._rows()}                 # every row was on some page
    kiosk.screenshot(SHOTS / f"{'elder' if elder else 'standard'}-last-page.png")


def test_the_next_citizen_opens_the_sheet_at_page_1(kiosk):
    sheet = _open(kiosk)
    while not sheet.ids.next_page.disabled:
        kiosk.tap(sheet.ids.next_page)
    assert sheet.page == sheet.pages > 1
    kiosk.app.end_session("citizen left")
    sheet = _open(kiosk)
    assert sheet.page == 1 and sheet.ids.scroll.scroll_y == 1
    kiosk.app.go("guide")
    kiosk.app.go("guide_sheet")                                       # back to it within the visit too
    kiosk.frames(2)
    assert sheet.page == 1


@pytest.mark.parametrize("code", ["TJ-SCJG-001", ITEM])
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_a_heading_never_ends_a_page_without_its_first_row(kiosk, elder, code):
    # the elder food licence sheet ended page 3 on "申请条件：", its conditions on page 4
    if elder:
        kiosk.app.toggle_elder()
    sheet = _open(kiosk, code)
    rows = sheet._rows()
    for page in range(1, sheet.pages):
        sheet.go_to_page(page)
        kiosk.frames(1)
        last = max(i for i, row in enumerate(rows) if row.opacity > 0)
        if elder and code == "TJ-SCJG-001":
            kiosk.screenshot(SHOTS / f"elder-food-licence-page-{page}.png")
        from screens.guide_sheet import _introduces
        assert not _introduces(rows, last), (page, rows[last].text[:30])
