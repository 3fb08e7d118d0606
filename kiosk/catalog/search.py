"""Search that understands citizens: Chinese words, full pinyin, initials, synonyms, typos.

`SearchIndex(catalog).search(query, limit=20) -> list[Hit]`, best first.

Every listed item (items and sub-items; variants are reached through their
item's guided questions) contributes keys: its name from every character
position, the pinyin of the name from every syllable boundary (full pinyin and
initials), and the same for its synonyms. The keys are kept in three sorted
lists (name start, inside the name, synonyms), so a query is a couple of
bisections per list rather than a scan of the catalog. Ranking, by tier:

    exact name  >  name prefix  >  word inside the name  >  synonym  >  fuzzy

Fuzzy matching (one edit: a missing, extra, wrong or swapped letter) runs
only for pinyin queries of 5+ letters that found little, by probing the same
sorted lists with the query's one-edit neighbours.
"""
from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from operator import itemgetter
from dataclasses import dataclass
from typing import Mapping

from kiosk.catalog import pinyin
from kiosk.catalog.model import Catalog

EXACT, PREFIX, WORD, SYNONYM, FUZZY = 500.0, 400.0, 300.0, 200.0, 100.0   # a hit scores [tier, tier + 100)
MAX_KEY = 32                 # keys are cut to this many characters
MAX_QUERY = 40               # longer input is not a search, it is noise
SCAN = 400                   # candidates looked at per key range (ranking is by tier first)
FUZZY_BELOW = 3              # fuzzy runs when fewer hits than this were found
_HAN = re.compile(r"[\u3400-\u9fff]")
_DROP = re.compile(r"[\s\u3000·•,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】《》<>〈〉/\\|_-]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Hit:
    item_code: str
    name: str
    score: float
    matched: str = ""        # what matched: the name, or the synonym


def normalize(text: str) -> str:
    """Lower case, half width, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _DROP.sub("", text)


def _syllables(text: str) -> tuple[str, ...]:
    """One pinyin syllable (or other character) per character of the normalized text
    (kiosk.catalog.pinyin: remembered on disk, pypinyin only for a text not seen before)."""
    return pinyin.syllables(text)


def _keys(text: str, pinyin_everywhere: bool = True) -> list[tuple[str, int]]:
    """(key, position) for the text: Chinese suffixes, full-pinyin suffixes, initials suffixes
    (pinyin ones from every syllable, or only from the start for synonyms)."""
    keys: list[tuple[str, int]] = []
    syll = _syllables(text)
    for i in range(len(text)):
        keys.append((text[i:i + MAX_KEY], i))
    full = "".join(syll)
    initials = "".join(s[0] for s in syll)
    offsets, at = [], 0
    for s in syll:
        offsets.append(at)
        at += len(s)
    for i, off in enumerate(offsets if pinyin_everywhere else offsets[:1]):
        if _HAN.match(text[i]) or text[i].isalnum():
            if _HAN.match(text[i]):
                keys.append((full[off:off + MAX_KEY], i))
            keys.append((initials[i:i + MAX_KEY], i))
    return [(k, i) for k, i in keys if k]


_first = itemgetter(0)      # C, not a Python call per row: the sort of 400k rows is most of a build


class _Keys:
    """Sorted (key, item index, position) rows; `range(prefix)` yields those whose key starts
    with it. `keys` repeats the key strings for bisecting."""

    def __init__(self, rows: list[tuple[str, int, int]]):
        rows.sort(key=_first)     # by the key string alone: cheaper than comparing whole tuples
        self.rows = rows
        self.keys = [r[0] for r in rows]

    def range(self, prefix: str, scan: int = SCAN):
        lo = bisect_left(self.keys, prefix)
        keys, rows = self.keys, self.rows
        end = min(len(keys), lo + scan)
        i = lo
        while i < end and keys[i].startswith(prefix):
            yield rows[i]
            i += 1

    def has_prefix(self, prefix: str) -> bool:
        lo = bisect_left(self.keys, prefix)
        return lo < len(self.keys) and self.keys[lo].startswith(prefix)


class SearchIndex:
    """`other_names`: item code -> its name in another language (e.g. English), found like a
    synonym, so a foreign resident can type the English name."""

    def __init__(self, catalog: Catalog, other_names: Mapping[str, str] | None = None):
        self.catalog = catalog
        self.items = catalog.listed()
        other_names = other_names or {}
        self._synonym_lists = [tuple(item.synonyms) + ((other_names[item.code],) if other_names.get(item.code)
                                                       else ()) for item in self.items]
        self._norm_names: list[str] = []
        self._exact: dict[str, list[int]] = {}       # normalized name / full pinyin / initials -> items
        self._synonym_exact: dict[str, list[tuple[int, str]]] = {}
        starts, inside, synonyms = [], [], []
        for idx, item in enumerate(self.items):
            name = normalize(item.name)
            self._norm_names.append(name)
            syll = _syllables(name)
            for form in (name, "".join(syll), "".join(s[0] for s in syll)):
                self._exact.setdefault(form, []).append(idx)
            for key, pos in _keys(name):
                (starts if pos == 0 else inside).append((key, idx, pos))
            for s_no, synonym in enumerate(self._synonym_lists[idx]):
                syn = normalize(synonym)
                if not syn:
                    continue
                self._synonym_exact.setdefault(syn, []).append((idx, synonym))
                for key, pos in _keys(syn, pinyin_everywhere=False):
                    synonyms.append((key, idx, s_no * 100 + pos))
        self._starts, self._inside, self._synonyms = _Keys(starts), _Keys(inside), _Keys(synonyms)
        self._probe: list[str] | None = None     # every key of the three lists, for the fuzzy probe

    # -- querying -----------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[Hit]:
        q = normalize(query)
        if not q or len(q) > MAX_QUERY or limit <= 0:
            return []
        best: dict[int, tuple[float, str]] = {}

        def offer(idx: int, score: float, matched: str) -> None:
            if idx not in best or best[idx][0] < score:
                best[idx] = (score, matched)

        key = q[:MAX_KEY]
        for idx in self._exact.get(q, ()):
            offer(idx, EXACT, self.items[idx].name)
        for _k, idx, pos in self._starts.range(key):
            offer(idx, PREFIX + 99 - self._length_penalty(idx), self.items[idx].name)
        # ranking is by tier first: once `limit` items sit in a tier, lower tiers cannot reach
        # the top `limit` (a short query like "j" fills the prefix tier from thousands of keys)
        if len(best) < limit:
            for _k, idx, pos in self._inside.range(key):
                offer(idx, WORD + 99 - self._length_penalty(idx) - min(pos, 20) * 0.5, self.items[idx].name)
        if len(best) < limit:
            self._synonym_hits(q, key, offer)
        if len(best) < FUZZY_BELOW and len(q) >= 5 and q.isascii() and q.isalpha():
            self._fuzzy(key, offer)
        ranked = heapq.nsmallest(limit, best.items(), key=lambda kv: (-kv[1][0], self.items[kv[0]].code))
        return [Hit(self.items[i].code, self.items[i].name, round(s, 2), m) for i, (s, m) in ranked[:limit]]

    def _length_penalty(self, idx: int) -> float:
        return min(len(self._norm_names[idx]), 40) * 0.5

    def _synonym_hits(self, q: str, key: str, offer) -> None:
        for idx, synonym in self._synonym_exact.get(q, ()):
            offer(idx, SYNONYM + 50, synonym)
        for _k, idx, pos in self._synonyms.range(key):
            s_no, at = divmod(pos, 100)
            offer(idx, SYNONYM + 20 - min(at, 20) * 0.5, self._synonym_lists[idx][s_no])
        if _HAN.search(q) and len(q) >= 3:       # a sentence: "我的社保卡丢了" contains a synonym
            for length in range(min(len(q), 12), 1, -1):
                for start in range(0, len(q) - length + 1):
                    part = q[start:start + length]
                    for idx, synonym in self._synonym_exact.get(part, ()):
                        offer(idx, SYNONYM + length, synonym)
                    for idx in self._exact.get(part, ()):
                        offer(idx, SYNONYM + 10 + length, self.items[idx].name)

    def _probe_keys(self) -> list[str]:
        """One sorted list of every key, made on the first fuzzy search (not at every build: a
        restart's build stays under its second): one bisect tells whether any list has a
        variant, where three were needed for each of the ~50 variants per letter."""
        if self._probe is None:
            self._probe = sorted(self._starts.keys + self._inside.keys + self._synonyms.keys)
        return self._probe

    def _fuzzy(self, key: str, offer) -> None:
        probe = self._probe_keys()
        seen = set()
        for variant in _one_edit(key):
            if variant in seen or len(variant) < 4:
                continue
            seen.add(variant)
            at = bisect_left(probe, variant)
            if at == len(probe) or not probe[at].startswith(variant):
                continue                           # no list has a key that starts with it
            for keys, base in ((self._starts, FUZZY + 20), (self._inside, FUZZY + 10), (self._synonyms, FUZZY)):
                if keys.has_prefix(variant):
                    for _k, idx, _pos in keys.range(variant, scan=50):
                        offer(idx, base - self._length_penalty(idx) * 0.2, self.items[idx].name)


def _one_edit(word: str):
    """Every string one deletion, transposition, substitution or insertion away."""
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]
    for i in range(len(word) - 1):
        yield word[:i] + word[i + 1] + word[i] + word[i + 2:]
    for i in range(len(word)):
        for c in _LETTERS:
            if c != word[i]:
                yield word[:i] + c + word[i + 1:]
    for i in range(len(word) + 1):
        for c in _LETTERS:
            yield word[:i] + c + word[i:]
