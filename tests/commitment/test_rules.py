"""Commitment rules: eligibility, applicants, check characters, deadlines, the letter."""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from dataclasses import replace

import pytest

from drivers.idcard import cards
from kiosk import identity as ident
from kiosk.citizen import commitment as c
from kiosk.catalog import CatalogStore
from kiosk.config import REPO_CONFIG
from kiosk.workdays.calendar import CalendarOutOfRange, add_workdays, is_workday
from sandbox.seed import id_number, uscc

W = c.load_wording()
CATALOG = CatalogStore.open(REPO_CONFIG / "catalog").catalog
SEED = Path(__file__).resolve().parents[1] / "data" / "seed-yizhisanhua-2018.txt"   # the 2018 measures


ELIGIBLE = "TJ-SCJG-002"        # 个体工商户登记: natural persons, one deferrable material


def test_eight_confirmations_quote_article_12_in_full():
    assert len(W.confirmations) == 8
    text = SEED.read_text(encoding="utf-8")
    text = unicodedata.normalize("NFKC", text)        # the source uses half-width punctuation
    for line in W.confirmations:
        assert unicodedata.normalize("NFKC", line) in text, line


def test_wording_is_validated(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text((REPO_CONFIG / "commitment.toml").read_text().replace(
        '"（八）以上陈述真实、有效，是其真实意思的表示。",', ""), encoding="utf-8")
    with pytest.raises(c.WordingError, match="eight"):
        c.load_wording(bad)
    bad.write_text('title = "x"\n', encoding="utf-8")
    with pytest.raises(c.WordingError):
        c.load_wording(bad)


def test_eligibility_follows_the_catalog_and_article_4():
    food = CATALOG.get(ELIGIBLE)
    hazchem = next(i for i in CATALOG.items.values() if "公共安全" in i.commitment.reason)
    assert c.eligibility(food, W).allowed
    verdict = c.eligibility(hazchem, W)
    assert not verdict.allowed and "第四条" in verdict.reason
    assert "公共安全" in verdict.categories      # names the 第四条 category it touches
    no_deferrable = replace(food, materials=tuple(replace(m, deferrable=False) for m in food.materials))
    assert not c.eligibility(no_deferrable, W).allowed
    assert not c.eligibility(None, W).allowed


def test_uscc_check_character():
    good = uscc("91120101MA05K0000")
    assert ident.valid_uscc(good) and ident.valid_uscc(good.lower())
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert not ident.valid_uscc(wrong)
    assert not ident.valid_uscc("91120101MA05K000I" + "0")      # I is not in the GB 32100 alphabet
    assert not ident.valid_uscc("123")
    assert ident.valid_uscc("91350100M000100Y43")                # a published example


def test_resident_id_check_character():
    assert ident.valid_id_number(id_number("12010119900307123"))
    assert ident.valid_id_number("11010519491231002X")           # GB 11643's own example
    assert not ident.valid_id_number("110105194912310021")


def test_expired_card_refused_and_valid_card_accepted():
    today = dt.date(2026, 11, 28)
    person = ident.person_from_identity(cards.resident(), today)      # long-term card
    assert person.id_number.startswith("120101") and "张" not in repr(person)
    expired = replace(cards.resident(), valid_to=dt.date(2026, 11, 27))
    with pytest.raises(ident.IdentityRefused) as info:
        ident.person_from_identity(expired, today)
    assert info.value.reason == "expired"
    assert ident.person_from_identity(replace(expired, valid_to=today), today)   # valid through its last day
    with pytest.raises(ident.IdentityRefused):
        ident.person_from_identity(cards.foreign(), today)


def test_company_applicant_needs_a_valid_uscc():
    rep = ident.Person("李四", id_number("12010219851120456"))
    applicant, signer = c.company_applicant("天津示例科技有限公司", uscc("91120101MA05K0000"), rep, "agent")
    assert applicant.subject_type == "company" and signer.role == "agent"
    with pytest.raises(ident.IdentityRefused, match="uscc"):
        c.company_applicant("天津示例科技有限公司", "91120101MA05K00000", rep, "legal_representative")


def test_supplement_deadline_across_national_day():
    # counted by hand: 2025-09-22 + 60 working days skip 10-01..10-08 (National Day + Mid-Autumn); 9-28 and 10-11 are 调休 working Saturdays/Sundays
    start = dt.date(2025, 9, 22)
    assert is_workday(dt.date(2025, 9, 28)) and is_workday(dt.date(2025, 10, 11))
    assert not is_workday(dt.date(2025, 10, 3))
    due = c.supplement_due(start, W)
    assert due == add_workdays(start, 60) == dt.date(2025, 12, 19)
    assert c.extended_due(start, W) == add_workdays(start, 80) == dt.date(2026, 1, 19)   # 2026-01-04 is a 调休 Sunday


def test_supplement_deadline_across_spring_festival():
    start = dt.date(2026, 1, 5)
    assert not is_workday(dt.date(2026, 2, 17))              # 春节
    assert is_workday(dt.date(2026, 2, 14))                  # 调休 Saturday
    due = c.supplement_due(start, W)
    naive = start
    for _ in range(60):                                       # plain weekdays would be much earlier
        naive += dt.timedelta(days=1)
        while naive.weekday() >= 5:
            naive += dt.timedelta(days=1)
    assert due == add_workdays(start, 60) and due > naive
    assert c.extended_due(start, W) == add_workdays(due, 20)


def test_a_year_beyond_the_data_is_not_guessed():
    with pytest.raises(CalendarOutOfRange):
        add_workdays(dt.date(2026, 11, 28), 60)
    assert c.supplement_due(dt.date(2026, 11, 28), W) is None
    assert c.extended_due(dt.date(2026, 11, 28), W) is None


def test_signature_must_not_be_empty():
    with pytest.raises(c.SignatureEmpty):
        c.signature_png([], (400, 200))
    with pytest.raises(c.SignatureEmpty):
        c.signature_png([[(1, 1), (2, 2)]], (400, 200))
    png = c.signature_png([[(10 + i * 5, 50 + (i % 3) * 10) for i in range(30)]], (400, 200))
    assert png.startswith(b"\x89PNG")


def test_letter_needs_every_step_and_renders_the_confirmations():
    food = CATALOG.get(ELIGIBLE)
    draft = c.new_draft(food, W)
    assert [m.code for m in draft.deferred] == [m.id for m in food.deferrable_materials]
    assert set(draft.missing()) == {"applicant", "confirmations", "signature"}
    with pytest.raises(ValueError):
        draft.letter()
    person = ident.Person("张三", id_number("12010119900307123"))
    draft.applicant, draft.signer = c.person_applicant(person)
    draft.acknowledged = set(range(8))
    draft.signature = c.signature_png([[(i, i) for i in range(20)]], (100, 100))
    first = draft.deferred[0].code
    draft.set_deferred(food.materials[0].id, True)            # not deferrable: stays provided
    assert food.materials[0].id not in [m.code for m in draft.deferred]
    letter = draft.letter(dt.datetime(2025, 9, 22, 10, tzinfo=c.CST))
    assert letter.confirmations == W.confirmations
    assert all(line in letter.letter_text for line in W.confirmations)
    assert W.extension_rule in letter.letter_text
    assert {m.code for m in letter.materials if m.status == "deferred"} >= {first}
    assert "张三" not in repr(draft)
