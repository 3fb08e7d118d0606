"""Complaint and consultation (效能投诉、咨询): the complaint form's rules and the phones.

A complaint has a category, content (the chosen topics plus up to 500 characters typed on
the on-screen keyboard, Chinese included), optionally an item, a case and a callback phone
(validated: a mobile number or a landline with its area code); it goes to the
platform, which answers with a receipt number printed on the acknowledgement.
Consultation is the catalog's FAQ (searched with the catalog's own index) plus
the item's consultation and supervision phones and the 88908890 hotline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from kiosk.platform.contract import CALLBACK_PHONE

HOTLINE = "88908890"
CATEGORIES = ("efficiency", "service", "conduct", "terminal", "other")
CATEGORY_NAMES = {"efficiency": "效能投诉", "service": "服务质量", "conduct": "工作作风",
                  "terminal": "自助终端", "other": "其他"}
TOPICS = ("办理超时", "多次跑动", "推诿扯皮", "服务态度差", "乱收费", "终端故障")
MIN_CONTENT, MAX_CONTENT = 4, 2000
MAX_TEXT = 500              # characters the citizen types (Chinese, by pinyin or handwriting)
PHONE_LENGTH = 12           # the longest callback phone: 0 + 3-digit area code + 8 digits
PHONE = re.compile(CALLBACK_PHONE)


class ComplaintIncomplete(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason          # message key under services.complaint


@dataclass(frozen=True, repr=False)
class Complaint:
    category: str
    topics: tuple[str, ...] = ()
    text: str = ""
    contact_phone: str = ""
    item_code: Optional[str] = None
    case_number: Optional[str] = None

    def __repr__(self) -> str:
        return f"Complaint({self.category!r})"

    @property
    def content(self) -> str:
        return "；".join([*self.topics, *([self.text.strip()] if self.text.strip() else [])])

    def check(self) -> None:
        if self.category not in CATEGORIES:
            raise ComplaintIncomplete("choose_category")
        if len(self.content) < MIN_CONTENT:
            raise ComplaintIncomplete("content_required")
        if len(self.text.strip()) > MAX_TEXT:
            raise ComplaintIncomplete("too_long")
        if self.contact_phone and not PHONE.match(self.contact_phone):
            raise ComplaintIncomplete("bad_phone")


def submit(platform, complaint: Complaint):
    """Worker thread: the platform's Receipt (raises PlatformUnavailable / PlatformRejected)."""
    complaint.check()
    return platform.complain(complaint.category, complaint.content[:MAX_CONTENT],
                             contact_phone=complaint.contact_phone or None,
                             item_code=complaint.item_code, case_number=complaint.case_number)


def faq(catalog_store, query: str = "", limit: int = 30) -> list[tuple[str, str, str]]:
    """(item name, question, answer) from the catalog's FAQ; with a query (Chinese, pinyin or
    initials, as typed on the on-screen keyboard) only the items the catalog's search finds."""
    catalog = catalog_store.catalog if catalog_store else None
    if catalog is None:
        return []
    if query.strip():
        items = [catalog.get(h.item_code) for h in catalog_store.index().search(query, limit=20)]
    else:
        items = catalog.listed()
    out = [(item.name, entry.question, entry.answer) for item in items if item is not None
           for entry in item.convenience.faq]
    return out[:limit]
