"""The pinyin memo (kiosk.catalog.pinyin): a terminal's restart builds the search index without
loading pypinyin (54 MiB), finds exactly what a fresh conversion finds, and survives a damaged,
foreign or unwritable memo file. Each build runs in its own interpreter, as a kiosk start does."""
import json
import subprocess
import sys

import pytest

from kiosk.config import REPO_CONFIG

QUERIES = ["shebao", "sfz", "营业执照", "yingyezhizhao", "jiehun", "kaigongsi", "食品", "hz"]

BUILD = """
import json, sys
from kiosk.catalog import CatalogStore
from kiosk.catalog.life_events import matching_events
memo = sys.argv[2] if sys.argv[2] != "-" else None
store = CatalogStore.open(sys.argv[1], pinyin_memo=memo)
index = store.index()
hits = {q: [h.item_code for h in index.search(q, limit=10)] for q in json.loads(sys.argv[3])}
events = {q: [e.id for e, _items in matching_events(store.catalog, q)] for q in json.loads(sys.argv[3])}
print(json.dumps({"hits": hits, "events": events, "pypinyin_now": "pypinyin" in sys.modules}))
"""


def build(memo) -> dict:
    """Index the demo catalog in a fresh interpreter; what it found and whether pypinyin stayed."""
    out = subprocess.run([sys.executable, "-c", BUILD, str(REPO_CONFIG / "catalog"), str(memo) if memo else "-",
                          json.dumps(QUERIES)], capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(REPO_CONFIG.parent.parent), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def imports_pypinyin(memo) -> bool:
    """Whether a build with this memo imports pypinyin at any moment (python -X importtime)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", BUILD, str(REPO_CONFIG / "catalog"), str(memo),
                          json.dumps(QUERIES)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return "pypinyin" in out.stderr


@pytest.fixture(scope="module")
def fresh():
    """What a conversion without any memo finds."""
    return build(None)


def test_a_restart_builds_the_index_without_loading_pypinyin(tmp_path, fresh):
    memo = tmp_path / "cache" / "pinyin.json"
    first = build(memo)
    assert first["hits"] == fresh["hits"] and first["events"] == fresh["events"]
    assert memo.exists() and json.loads(memo.read_text())["syllables"]["结婚登记"] == ["jie", "hun", "deng", "ji"]
    assert first["pypinyin_now"] is False          # converted, then unloaded again
    assert imports_pypinyin(memo) is False          # the restart never imports it
    assert build(memo)["hits"] == fresh["hits"]
    assert any(fresh["hits"][q] for q in QUERIES) and fresh["events"]["jiehun"]


@pytest.mark.parametrize("damage", ["garbage", "flipped bit", "wrong lengths", "foreign format", "empty"])
def test_a_damaged_memo_is_converted_again(tmp_path, fresh, damage):
    memo = tmp_path / "pinyin.json"
    build(memo)
    raw = bytearray(memo.read_bytes())
    if damage == "garbage":
        raw = bytearray(b"\x00\xff not json" * 100)
    elif damage == "flipped bit":
        raw[len(raw) // 2] ^= 0x04
    elif damage == "wrong lengths":
        data = json.loads(raw)
        data["syllables"] = {text: parts[:-1] or ["x", "y"] for text, parts in data["syllables"].items()}
        raw = bytearray(json.dumps(data, ensure_ascii=False).encode())
    elif damage == "foreign format":
        raw = bytearray(json.dumps({"format": 99, "syllables": {"结婚登记": ["a", "b", "c", "d"]}}).encode())
    else:
        raw = bytearray()
    memo.write_bytes(bytes(raw))
    again = build(memo)
    assert again["hits"] == fresh["hits"] and again["events"] == fresh["events"]
    assert json.loads(memo.read_text())["syllables"]["结婚登记"] == ["jie", "hun", "deng", "ji"]   # rewritten whole


def test_a_memo_that_cannot_be_written_costs_only_time(tmp_path, fresh):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be")
    assert build(blocker / "pinyin.json")["hits"] == fresh["hits"]
