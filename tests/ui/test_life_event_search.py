"""办事指南 search by life event in the real app: the whole set first, opened in the browser."""
import pytest

pytestmark = pytest.mark.ui


def test_a_life_event_query_offers_its_whole_set(kiosk):
    kiosk.app.start_session()
    kiosk.app.go("guide")
    kiosk.frames(2)
    guide = kiosk.screen("guide")
    guide.refresh("生孩子")
    kiosk.frames(2)
    first = list(reversed(guide.ids.results.children))[0]
    assert getattr(first, "event_id", "") == "birth" and "5 项" in first.text
    kiosk.tap(first)
    assert kiosk.app.current == "guide_browse"
    browse = kiosk.screen("guide_browse")
    codes = {b.item_code for b in browse.ids.entries.children if hasattr(b, "item_code")}
    assert {"TJ-GAJ-006", "TJ-WJW-001", "TJ-YBJ-002"} <= codes and len(codes) >= 3
