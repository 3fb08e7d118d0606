"""The catalog's English translations (kiosk/catalog/translations.py): the shipped file is valid
against its schema and the catalog, covers every listed item's name, and bad files are refused
with every problem named."""
import json

import pytest

from kiosk.catalog.store import CatalogStore
from kiosk.catalog.translations import DEFAULT, TranslationsInvalid, load_translations


@pytest.fixture(scope="module")
def catalog():
    return CatalogStore.open(DEFAULT.parent).catalog


def test_the_shipped_english_file_is_valid_and_names_every_listed_item(catalog):
    english = load_translations(DEFAULT, catalog)
    assert english.language == "en"
    missing = [i.code for i in catalog.listed() if not english.name(i)]
    assert not missing
    item = catalog.get("TJ-SCJG-002")
    assert english.name(item) == "Individual business registration"
    assert english.material(item, item.materials[0]).startswith("Application form")
    assert "3 working days" in english.essential(item, "time_limits")


def test_a_bad_file_is_refused_with_every_problem(tmp_path, catalog):
    bad = tmp_path / "en.json"
    bad.write_text(json.dumps({"language": "en", "items": {
        "TJ-SCJG-002": {"name": "x"},                                         # too short
        "TJ-NONE-001": {"name": "No such item"}}}), encoding="utf-8")
    with pytest.raises(TranslationsInvalid) as err:
        load_translations(bad, catalog)
    assert any("TJ-SCJG-002" in p for p in err.value.problems)
    bad.write_text(json.dumps({"language": "en", "items": {
        "TJ-NONE-001": {"name": "No such item"},
        "TJ-SCJG-002": {"name": "Individual business", "materials": {"nope": "Nothing"}}}}), encoding="utf-8")
    with pytest.raises(TranslationsInvalid) as err:
        load_translations(bad, catalog)
    assert len(err.value.problems) == 2 and any("no such item" in p for p in err.value.problems)
