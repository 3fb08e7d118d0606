"""Search by life event (kiosk/catalog/life_events.py): the whole set of items, not one."""
import pytest

from kiosk.catalog.life_events import matching_events
from kiosk.catalog.store import CatalogStore
from kiosk.catalog.translations import DEFAULT


@pytest.fixture(scope="module")
def catalog():
    return CatalogStore.open(DEFAULT.parent).catalog


@pytest.mark.parametrize("query,event,needs", [
    ("生孩子", "birth", {"TJ-GAJ-006", "TJ-WJW-001", "TJ-YBJ-002"}),
    ("我要结婚", "marriage", {"TJ-MZJ-001", "TJ-GAJ-003"}),
    ("搬家", "housing", {"TJ-GAJ-003", "TJ-ZJW-002"}),
    ("开公司", "start_business", {"TJ-SCJG-003", "TJ-RSJ-007", "TJ-GJJ-002"}),
    ("退休", "elderly", {"TJ-RSJ-009", "TJ-MZJ-003"}),
    ("jiehun", "marriage", {"TJ-MZJ-001"}),
])
def test_a_life_event_brings_its_whole_set(catalog, query, event, needs):
    events = {e.id: {i.code for i in items} for e, items in matching_events(catalog, query)}
    assert event in events and needs <= events[event]
    assert len(events[event]) >= 2                                   # a set, never a single item


def test_an_item_name_is_not_a_life_event(catalog):
    assert matching_events(catalog, "身份证") == [] and matching_events(catalog, "s") == []
