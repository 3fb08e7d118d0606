"""The catalog loader: the demo catalog is valid and complete; every kind of broken
catalog is rejected with a message naming the item code and field; a rejected
catalog never replaces the working one."""
import json
import shutil
from pathlib import Path

import pytest

from kiosk.catalog import CatalogError, CatalogStore, load_catalog
from kiosk.config import REPO_CONFIG

DEMO = REPO_CONFIG / "catalog"
REQUIRED = ["出生医学证明", "生育登记", "居民身份证申领", "居住证", "户口迁移", "结婚登记", "社会保障卡补办",
            "失业登记", "灵活就业人员参保登记", "异地就医备案", "住房公积金提取", "机动车驾驶证换证",
            "老年人优待证", "残疾人证", "不动产登记", "食品经营许可", "个体工商户登记", "企业设立登记",
            "公共场所卫生许可", "建筑工程施工许可", "道路运输经营许可", "娱乐场所经营许可", "排污许可",
            "药品经营许可", "劳务派遣经营许可"]


@pytest.fixture(scope="module")
def demo():
    return load_catalog(DEMO)


def test_demo_catalog_is_complete(demo):
    listed = demo.listed()
    assert demo.demo and "演示" in demo.title
    assert len(listed) >= 60 and len(demo.departments) >= 8
    assert len({i.department.id for i in listed}) >= 8
    names = [i.name for i in listed]
    for required in REQUIRED:
        assert any(required in n for n in names), required
    assert sum(i.allows_commitment for i in listed) >= 15
    assert sum(bool(i.questions) for i in listed) >= 5
    assert any("自然人" in i.audience for i in listed) and any("法人" in i.audience for i in listed)
    for excluded in ("排污许可", "药品经营许可"):
        item = next(i for i in listed if i.name == excluded)
        assert not item.allows_commitment and "第四条" in item.commitment.reason
    assert all(i.synonyms for i in listed)
    assert sum(len(i.convenience.faq) for i in listed) >= 10


def test_every_variant_is_a_complete_guide_sheet(demo):
    food = demo.item("TJ-SCJG-001")
    assert food.variants and food.questions
    change = demo.item("TJ-SCJG-001-02")
    assert change.level_name == "variant" and change.parent == food.code
    assert change.procedure.window == food.procedure.window      # inherited
    assert change.materials != food.materials                     # overridden
    assert change.time_limits.promised_days == 3


def _broken(tmp_path, mutate):
    target = tmp_path / "catalog"
    shutil.copytree(DEMO, target)
    mutate(target)
    with pytest.raises(CatalogError) as info:
        load_catalog(target)
    return info.value


def _edit(file, code, change):
    def mutate(root: Path):
        path = root / "items" / file
        doc = json.loads(path.read_text("utf-8"))
        item = next(i for i in doc["items"] if i["code"] == code)
        change(item, doc)
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return mutate


def _set(path, value):
    def change(item, _doc):
        node = item
        for key in path[:-1]:
            node = node[key]
        if value is DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return change


DELETE = object()

BROKEN = [
    ("duplicate code", _edit("scjg.json", "TJ-SCJG-004", _set(["code"], "TJ-SCJG-002")),
     "TJ-SCJG-002", "code", "duplicate item code"),
    ("unknown department", _edit("scjg.json", "TJ-SCJG-002", _set(["department"], "nowhere")),
     "TJ-SCJG-002", "department", "unknown department"),
    ("unknown life event", _edit("scjg.json", "TJ-SCJG-002", _set(["life_events"], ["moon_landing"])),
     "TJ-SCJG-002", "life_events", "unknown life event"),
    ("dangling parent", _edit("scjg.json", "TJ-SCJG-002", _set(["parent"], "TJ-NOPE-999")),
     "TJ-SCJG-002", "parent", "unknown parent"),
    ("question to unknown variant",
     _edit("scjg.json", "TJ-SCJG-001", lambda i, _d: i["questions"]["nodes"][0]["options"][0].update(variant="TJ-SCJG-001-99")),
     "TJ-SCJG-001", "questions.q1.options[0]", "unknown variant"),
    ("question to unknown question",
     _edit("scjg.json", "TJ-SCJG-001", lambda i, _d: i["questions"]["nodes"][0]["options"][1].update(next="q9")),
     "TJ-SCJG-001", "questions.q1.options[1]", "unknown question"),
    ("questions loop", _edit("gjj.json", "TJ-GJJ-001",
     lambda i, _d: i["questions"]["nodes"][1]["options"][0].update(next="q1", variant=None) or
     i["questions"]["nodes"][1]["options"][0].pop("variant")),
     "TJ-GJJ-001", "questions", ""),
    ("variants without questions", _edit("scjg.json", "TJ-SCJG-003", _set(["questions"], DELETE)),
     "TJ-SCJG-003", "questions", "no guided questions"),
    ("commitment without deferrable material",
     _edit("scjg.json", "TJ-SCJG-002", lambda i, _d: [m.pop("deferrable", None) for m in i["materials"]]),
     "TJ-SCJG-002", "commitment.allowed", "no material is deferrable"),
    ("refused commitment without reason",
     _edit("sthj.json", "TJ-STHJ-001", _set(["commitment"], {"allowed": False})),
     "TJ-STHJ-001", "commitment.reason", "第四条"),
    ("网上办 without URL", _edit("sthj.json", "TJ-STHJ-001", _set(["online_url"], DELETE)),
     "TJ-STHJ-001", "online_url", "网上办 item without its URL"),
    ("URL not a web address", _edit("sthj.json", "TJ-STHJ-001", _set(["online_url"], "zwfw.tj.gov.cn")),
     "TJ-STHJ-001", "online_url", "not a web address"),
    ("promised longer than statutory", _edit("sthj.json", "TJ-STHJ-001", _set(["time_limits", "promised_days"], 99)),
     "TJ-STHJ-001", "time_limits.promised_days", "promised 99 > statutory"),
    ("fee without basis", _edit("sthj.json", "TJ-STHJ-001", _set(["fees"], {"charged": True, "standard": "100元"})),
     "TJ-STHJ-001", "fees", "basis"),
    ("duplicate material", _edit("sthj.json", "TJ-STHJ-001", lambda i, _d: i["materials"].append(dict(i["materials"][0]))),
     "TJ-STHJ-001", "materials", "duplicate material id"),
    ("schema: missing required field", _edit("sthj.json", "TJ-STHJ-001", _set(["procedure", "window"], DELETE)),
     "TJ-STHJ-001", "procedure", "'window' is a required property"),
    ("schema: bad enum", _edit("sthj.json", "TJ-STHJ-001", _set(["category"], "随便")),
     "TJ-STHJ-001", "category", "is not one of"),
    ("schema: bad material rank", _edit("sthj.json", "TJ-STHJ-001", lambda i, _d: i["materials"][0].update(rank="重要")),
     "TJ-STHJ-001", "materials.0.rank", "is not one of"),
    ("not JSON", lambda root: (root / "items" / "cl.json").write_text("{ not json", "utf-8"),
     "", "", "not valid JSON"),
]


@pytest.mark.parametrize("mutate,code,field,message", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_catalog_reports_code_field_and_message(tmp_path, mutate, code, field, message):
    error = _broken(tmp_path, mutate)
    assert any(p.item_code == code and p.field == field and message in p.message for p in error.problems), \
        [str(p) for p in error.problems]
    assert message in str(error)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    def mutate(root):
        _edit("sthj.json", "TJ-STHJ-001", _set(["online_url"], DELETE))(root)
        _edit("scjg.json", "TJ-SCJG-002", _set(["department"], "nowhere"))(root)
    problems = _broken(tmp_path, mutate).problems
    assert {p.item_code for p in problems} >= {"TJ-STHJ-001", "TJ-SCJG-002"}


def test_store_keeps_the_last_good_catalog(tmp_path):
    store = CatalogStore.open(DEMO)
    good = store.catalog
    assert good is not None and store.index().search("spjy")
    bad = tmp_path / "bad"
    shutil.copytree(DEMO, bad)
    _edit("sthj.json", "TJ-STHJ-001", _set(["online_url"], DELETE))(bad)
    assert store.load(bad) is False
    assert store.catalog is good and store.problems
    assert store.index().search("spjy")[0].item_code == "TJ-SCJG-001"
    assert store.load(tmp_path / "missing") is False and store.catalog is good
