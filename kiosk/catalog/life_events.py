"""Search by life event: a citizen who types "生孩子", "结婚", "搬家", "开公司" or "退休" needs the
whole set of items that event involves, not the one item whose name happens to match.

`matching_events(catalog, query)` returns the catalog's life events the query names (by the
event's own name, a word citizens use for it, their full pinyin or initials), each with its
items, most items first."""
from __future__ import annotations

from kiosk.catalog.search import _syllables, normalize

# words citizens use for a life event (the event's own name counts too)
WORDS = {
    "birth": ("生孩子", "生育", "出生", "宝宝", "新生儿", "怀孕", "收养"),
    "marriage": ("结婚", "婚姻", "领证", "离婚"),
    "housing": ("搬家", "买房", "租房", "住房", "房子"),
    "start_business": ("开公司", "开店", "办企业", "创业", "开办企业"),
    "elderly": ("退休", "养老", "老年"),
    "employment": ("找工作", "失业", "就业"),
    "medical": ("看病", "医保", "就医"),
    "disability": ("残疾",),
}
MIN_QUERY = 2


def _forms(word: str) -> set[str]:
    norm = normalize(word)
    syllables = _syllables(norm)
    return {norm, "".join(syllables), "".join(s[0] for s in syllables)}


def warm(catalog) -> None:
    """Every event word's syllables now, while the index is built (kiosk.catalog.pinyin)."""
    for event_id, event in catalog.life_events.items():
        for word in (event.name,) + WORDS.get(event_id, ()):
            _forms(word)


def matching_events(catalog, query: str) -> list[tuple[object, list]]:
    q = normalize(query or "")
    if len(q) < MIN_QUERY:
        return []
    found = []
    for event_id, event in catalog.life_events.items():
        words = (event.name,) + WORDS.get(event_id, ())
        forms = set().union(*(_forms(w) for w in words))
        if q in forms or any(len(f) >= 2 and f in q for f in forms if not f.isascii()):
            items = catalog.by_life_event(event_id)
            if len(items) > 1:
                found.append((event, items))
    return sorted(found, key=lambda pair: -len(pair[1]))
