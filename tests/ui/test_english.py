"""English mode beyond the frame: item names and guide-sheet essentials from config/catalog/en.json,
the eight confirmations in English beside the binding Chinese."""
import pytest

from screens.tour.screens import open_sheet

pytestmark = pytest.mark.ui


def _english(kiosk):
    kiosk.app.start_session()
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.language_button)
    assert kiosk.app.lang == "en"


def _text(sheet) -> str:
    return "\n".join(w.text for w in sheet._rows() if isinstance(getattr(w, "text", None), str))


def test_items_and_the_guide_sheet_essentials_in_english(kiosk):
    _english(kiosk)
    kiosk.app.go("commitment")
    kiosk.frames(3)
    names = [b.text for b in kiosk.screen("commitment").ids.item_list.children]
    assert "Individual business registration" in names and "个体工商户登记" not in names
    sheet = open_sheet(kiosk, "TJ-SCJG-002")
    assert sheet.ids.name.text == "Individual business registration"
    text = _text(sheet)
    assert "Operator's resident ID card（经营者居民身份证）" in text      # English beside the binding Chinese
    assert "3 working days" in text and "Heping District" in text


def test_the_eight_commitments_in_english_beside_the_chinese(kiosk):
    from screens.tour.commitment import _begin
    _english(kiosk)
    _begin(kiosk, "commitment_confirm")
    kiosk.app.go("commitment_confirm")
    kiosk.frames(3)
    rows = [w for w in kiosk.screen("commitment_confirm").ids.texts.children if hasattr(w, "acknowledged")]
    assert len(rows) == 8
    assert all(r.english and r.text.startswith("（") for r in rows)          # Chinese binding, English beside
    assert any("genuine intention" in r.english for r in rows)


def test_complaint_topics_and_queue_groups_in_english(kiosk):
    _english(kiosk)
    kiosk.app.go("queue")
    kiosk.frames(3)
    queue = kiosk.screen("queue")
    texts = [b.text for name, b in queue.buttons.items() if name.startswith("queue:")]
    assert any("General services" in t and "Windows 1-8" in t for t in texts), texts
    kiosk.app.go("complaint")
    kiosk.frames(3)
    complaint = kiosk.screen("complaint")
    complaint.go_to("form")
    kiosk.frames(2)
    topics = [b.text for name, b in complaint.buttons.items() if name.startswith("topic:")]
    assert "Took too long" in topics and "办理超时" not in topics


def test_a_variants_guide_sheet_in_english(kiosk):
    """A variant reached through the questions: its own name, its own materials and time limits in
    English, its item's English where the Chinese is its item's (the window)."""
    _english(kiosk)
    sheet = open_sheet(kiosk, "TJ-SCJG-001-02")
    assert sheet.ids.name.text == "Food business licence (change)"
    text = _text(sheet)
    assert "Application form for a change of the food business licence（食品经营许可变更申请书）" in text
    assert "Promised: 3 working days; statutory: 20 working days" in text
    assert "General market access windows 8-10（市场准入综合窗口（8-10号））" in text


def test_the_catalogs_fixed_words_in_english_and_chinese_as_they_are(kiosk):
    """Handling-mode badges and each material's rank, kind and source ([guide.term]) in English;
    the Chinese sheet shows the catalog's own words."""
    kiosk.app.start_session()
    sheet = open_sheet(kiosk, "TJ-GAJ-004")
    assert [b.text for b in reversed(sheet.ids.badges.children)] == ["网上办", "就近办", "马上办"]
    kiosk.tap(kiosk.app.root.ids.top_bar.ids.language_button)
    assert kiosk.app.lang == "en" and kiosk.wait_until(lambda: sheet.complete, 30)
    assert [b.text for b in reversed(sheet.ids.badges.children)] == ["Online", "Nearby", "Done at once"]
    text = _text(sheet)
    assert "Main material; common to many services; from: a government authority" in text
    assert "Supporting material; specific to this service; from: a third-party institution" in text
