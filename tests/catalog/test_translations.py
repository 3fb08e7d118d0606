"""The catalog's English translations (kiosk/catalog/translations.py): the shipped file is valid
against its schema and the catalog, gives every offered item (variants too) its name and its
guide-sheet essentials matching the Chinese field by field, `kioskctl catalog lint` reports what
an item lacks, and bad files are refused with every problem named."""
import json
import re
import shutil

import pytest

from kiosk.catalog.store import CatalogStore
from kiosk.catalog.translations import DEFAULT, ESSENTIALS, TranslationsInvalid, load_translations, missing


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


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def english_days(days: int, unit: str) -> str:
    """A time limit as the English essentials say it (即办 is on the spot; 日 counts calendar days)."""
    if days == 0:
        return "on the spot"
    word = "working day" if unit == "工作日" else "calendar day"
    return f"{days} {word}{'s' if days != 1 else ''}"


def offered(catalog):
    return [i for i in catalog.items.values() if not i.abolished_on]


def test_every_offered_item_has_its_english_essentials_field_by_field(catalog):
    """Items and variants alike: a name of its own, every material (an item's in the Chinese order),
    address and window with every figure of the Chinese, the time limits as both figures in their
    unit (then the note, when the Chinese has one), the fees (free, or every figure of the
    standard); plain English, no Chinese left."""
    english = load_translations(DEFAULT, catalog)
    assert missing(english, catalog) == []
    own = json.loads(DEFAULT.read_text("utf-8"))["items"]
    for item in offered(catalog):
        entry = english.items[item.code]
        if item.level_name != "variant":
            assert list(own[item.code]["materials"]) == [m.id for m in item.materials], item.code
        assert len([m for m in item.materials if english.material(item, m)]) == len(item.materials)
        lim = item.time_limits
        limits = (f"Promised: {english_days(lim.promised_days, lim.unit)}; "
                  f"statutory: {english_days(lim.statutory_days, lim.unit)}")
        assert entry["time_limits"].startswith(limits), (item.code, entry["time_limits"])
        assert (entry["time_limits"] != limits) == bool(lim.note), item.code
        if not item.fees.charged:
            assert entry["fees"] == "Free of charge", item.code
        assert ("demo" in entry["address"]) == ("演示数据" in item.procedure.address), item.code
        texts = [entry["name"], *entry["materials"].values(), *(entry.get(k, "") for k in ESSENTIALS)]
        assert not [t for t in texts if CJK.search(t)], item.code


def test_a_variant_takes_its_items_english_only_where_its_chinese_is_the_items(catalog, tmp_path):
    """食品经营许可（变更）: its own form and time limits in its own English, the power of attorney
    and the window from its item's; without its own entry the lacking English is named, never
    filled with the item's (different) Chinese."""
    english = load_translations(DEFAULT, catalog)
    change, food = catalog.item("TJ-SCJG-001-02"), catalog.item("TJ-SCJG-001")
    mats = {m.id: m for m in change.materials}
    assert "change" in english.material(change, mats["form"]).lower()
    assert english.material(change, mats["agent"]) == english.material(food, food.materials[-1])
    assert english.essential(change, "window") == english.essential(food, "window")
    assert english.essential(change, "time_limits").startswith("Promised: 3 working days")
    doc = json.loads(DEFAULT.read_text("utf-8"))
    del doc["items"]["TJ-SCJG-001-02"]
    (tmp_path / "en.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    lacking = {(code, field) for code, field, _ in missing(load_translations(tmp_path / "en.json", catalog), catalog)}
    assert lacking == {("TJ-SCJG-001-02", f) for f in ("name", "materials.form", "materials.old_permit",
                                                        "materials.change_proof", "time_limits")}


def test_kioskctl_catalog_lint_reports_an_item_lacking_english_and_stale_figures(tmp_path, capsys):
    """An item without its essentials, and one whose Chinese window changed after its English was
    written, are gaps (`en.<field>`): reported, refused with --strict, never an error; the
    shipped catalog has none."""
    from kiosk.tools.kioskctl.cli import main
    assert main(["catalog", "lint", str(DEFAULT.parent)]) == 0
    assert " en." not in capsys.readouterr().out
    target = tmp_path / "catalog"
    shutil.copytree(DEFAULT.parent, target, ignore=shutil.ignore_patterns("schema"))
    doc = json.loads((target / "en.json").read_text("utf-8"))
    doc["items"]["TJ-CL-002"] = {"name": doc["items"]["TJ-CL-002"]["name"]}
    (target / "en.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    items = target / "items" / "mzj.json"
    items.write_text(items.read_text("utf-8").replace("婚姻登记处结婚登记窗口", "婚姻登记处结婚登记窗口（9号）"), "utf-8")
    assert main(["catalog", "lint", str(target)]) == 0
    out = capsys.readouterr().out
    for field in ("materials.id_card", "materials.disability_card", "address", "window", "time_limits", "fees"):
        assert f"gap: TJ-CL-002 en.{field}: no English for " in out, field
    assert "gap: TJ-MZJ-001 en.window: the English lacks 9 of 婚姻登记处结婚登记窗口（9号）" in out
    assert main(["catalog", "lint", "--strict", str(target)]) == 1
    capsys.readouterr()


def test_the_english_search_hint_offers_an_english_word_that_finds_its_service():
    """A foreign resident is not sent to pinyin first: the hint's example finds an item by its
    English name (the search index holds them, kiosk/catalog/store.py)."""
    from kiosk.i18n import Messages
    hint = Messages("en").t("guide.search.hint")
    example = re.search(r"“(\w+)”", hint).group(1)
    hits = CatalogStore.open(DEFAULT.parent).index().search(example)
    assert hits and example in hits[0].matched.lower()
