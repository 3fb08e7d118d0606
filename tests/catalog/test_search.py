"""Search quality on the demo catalog: Chinese words, full pinyin, initials, synonyms,
everyday phrases and pinyin typos, for individuals (个人) and companies (法人)."""
import time

import pytest

from kiosk.catalog import load_catalog
from kiosk.config import REPO_CONFIG
from kiosk.catalog.search import EXACT, FUZZY, PREFIX, SYNONYM, WORD, SearchIndex


@pytest.fixture(scope="module")
def index():
    return SearchIndex(load_catalog(REPO_CONFIG / "catalog"))


# (query, expected item code, how far down it may be (1 = first))
CASES = [
    # Chinese words anywhere in the name
    ("食品经营许可", "TJ-SCJG-001", 1), ("食品", "TJ-SCJG-001", 1), ("经营许可", "TJ-SCJG-001", 5),
    ("驾驶证", "TJ-GAJ-004", 1), ("公积金提取", "TJ-GJJ-001", 1), ("身份证", "TJ-GAJ-001", 1),
    ("排污", "TJ-STHJ-001", 1), ("施工许可", "TJ-ZJW-001", 1), ("劳务派遣", "TJ-RSJ-005", 1),
    ("出生医学", "TJ-WJW-001", 1), ("优待证", "TJ-MZJ-003", 1), ("不动产", "TJ-GHZY-001", 1),
    # full pinyin
    ("shipin", "TJ-SCJG-001", 1), ("shipinjingyingxuke", "TJ-SCJG-001", 1), ("jiehundengji", "TJ-MZJ-001", 1),
    ("jiashizheng", "TJ-GAJ-004", 1), ("yidijiuyi", "TJ-YBJ-001", 1), ("paiwu", "TJ-STHJ-001", 1),
    ("gongjijintiqu", "TJ-GJJ-001", 1), ("juzhuzheng", "TJ-GAJ-002", 1), ("canjiren", "TJ-CL-001", 2),
    ("yaopin", "TJ-YJJ-001", 1), ("geti", "TJ-SCJG-002", 1),
    # initials
    ("spjy", "TJ-SCJG-001", 1), ("spjyxk", "TJ-SCJG-001", 1), ("sbk", "TJ-RSJ-001", 1), ("jhdj", "TJ-MZJ-001", 1),
    ("gtgsh", "TJ-SCJG-002", 1), ("qysl", "TJ-SCJG-003", 1), ("ydjy", "TJ-YBJ-001", 1), ("sydj", "TJ-WJW-002", 2),
    ("lwpq", "TJ-RSJ-005", 1), ("ggcswsxk", "TJ-WJW-003", 1),
    # synonyms and everyday phrases
    ("开饭店", "TJ-SCJG-001", 1), ("驾照", "TJ-GAJ-004", 1), ("社保卡丢了", "TJ-RSJ-001", 1),
    ("我的社保卡丢了怎么办", "TJ-RSJ-001", 1), ("开公司", "TJ-SCJG-003", 1), ("准生证", "TJ-WJW-002", 1),
    ("房本", "TJ-GHZY-001", 1), ("开药店", "TJ-YJJ-001", 1), ("领证", "TJ-MZJ-001", 1), ("老年证", "TJ-MZJ-003", 1),
    ("kaifandian", "TJ-SCJG-001", 1), ("jiazhao", "TJ-GAJ-004", 1), ("kfd", "TJ-SCJG-001", 1),
    ("开KTV", "TJ-WHLY-001", 1), ("外地看病", "TJ-YBJ-001", 1), ("失业了", "TJ-RSJ-002", 2),
    # small pinyin typos
    ("shipni", "TJ-SCJG-001", 1), ("shhipin", "TJ-SCJG-001", 1), ("jiashizhen", "TJ-GAJ-004", 1),
    ("yidijuyi", "TJ-YBJ-001", 1), ("gongjjin", "TJ-GJJ-001", 3), ("jeihundengji", "TJ-MZJ-001", 1),
    ("paiwuxuek", "TJ-STHJ-001", 1), ("laowupaiqian", "TJ-RSJ-005", 1),
]


@pytest.mark.parametrize("query,code,within", CASES, ids=[c[0] for c in CASES])
def test_query_finds_item(index, query, code, within):
    hits = index.search(query)
    assert code in [h.item_code for h in hits[:within]], [(h.item_code, h.name, h.score) for h in hits[:5]]


def test_table_covers_both_audiences(index):
    catalog = index.catalog
    audiences = {a for _q, code, _w in CASES for a in catalog.item(code).audience}
    assert audiences == {"自然人", "法人"} and len(CASES) >= 40


def test_ranking_tiers(index):
    assert EXACT > PREFIX > WORD > SYNONYM > FUZZY
    exact = index.search("排污许可")[0]
    assert exact.item_code == "TJ-STHJ-001" and exact.score == EXACT
    assert PREFIX <= index.search("食品")[0].score < EXACT
    assert index.search("食品")[0].item_code == "TJ-SCJG-001"
    word = next(h for h in index.search("经营许可") if h.item_code == "TJ-SCJG-001")
    assert WORD <= word.score < PREFIX
    assert SYNONYM <= index.search("开饭店")[0].score < WORD
    assert FUZZY <= index.search("shipni")[0].score < SYNONYM
    hits = index.search("xuke")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("query", ["", "   ", "!!!", "？？", "qqqqqqqq", "zzzz", "x" * 500, "😀😀",
                                   "的", "1234567890123", "\x00\n\t"])
def test_empty_or_absurd_queries_return_nothing_quickly(index, query):
    start = time.perf_counter()
    hits = index.search(query)
    assert time.perf_counter() - start < 0.05
    assert hits == [] or query == "的"


def test_limit_and_hit_fields(index):
    hits = index.search("x", limit=3)
    assert len(hits) <= 3
    hit = index.search("sbk")[0]
    assert hit.item_code == "TJ-RSJ-001" and hit.name == "社会保障卡补办" and hit.score > 0
    assert index.search("sbk", limit=0) == []


@pytest.mark.parametrize("query,code", [("Resident ID card", "TJ-GAJ-001"), ("residence permit", "TJ-GAJ-002"),
                                        ("disability certificate", "TJ-CL-001")])
def test_english_names_from_the_translations_are_found(query, code):
    """A foreign resident types the English name (config/catalog/en.json) on the English keyboard."""
    from kiosk.catalog.store import CatalogStore
    store = CatalogStore.open(REPO_CONFIG / "catalog")
    hits = store.index().search(query, limit=5)
    assert hits and hits[0].item_code == code, [(h.item_code, h.matched) for h in hits]
    without = SearchIndex(store.catalog).search(query, limit=5)          # the Chinese catalog alone
    assert not without or without[0].item_code != code
