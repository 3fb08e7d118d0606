"""信用承诺 第十三条: letters archived and made public within 20 working days, without
personal data (issue 17 point 3, the platform's part)."""
from __future__ import annotations

import datetime as dt
import json

import requests

from kiosk.platform.models import Applicant, Signer
from kiosk.workdays.calendar import add_workdays
from lifecycle_helpers import START, submit
from sandbox import seed
from sandbox.testing import new_person_id


def published(box) -> dict:
    r = requests.get(box.url + "/api/v1/published-letters", timeout=10)     # public: no signature
    assert r.status_code == 200, r.text
    return {letter["case_number"]: letter for letter in r.json()["letters"]}


def test_letters_are_published_within_twenty_working_days_without_personal_data(platform, box, clock):
    """第十三条 "于20个工作日内……向社会公开": the surname only, no ID number, no signature."""
    person = new_person_id()
    case = submit(platform, person)
    good = seed.GOOD_COMPANY[1]
    company = submit(platform, applicant=Applicant("company", seed.GOOD_COMPANY[2], uscc=good),
                     signer=Signer("legal_representative", "孙七", seed.LEGAL_REPRESENTATIVES[good][0]))
    assert case.case_number not in published(box)                  # archived; public from the next day
    clock(START + dt.timedelta(days=1))
    letters = published(box)
    mine = letters[case.case_number]
    assert mine["applicant"] == {"subject_type": "person", "name": "测**", "uscc": None}
    assert mine["published_on"] <= mine["due_on"] == add_workdays(START, 20).isoformat()
    assert len(mine["confirmations"]) == 8 and mine["signer_role"] == "applicant"
    text = json.dumps(letters, ensure_ascii=False)
    assert person not in text and "测试人" not in text and "signature" not in text
    assert seed.LEGAL_REPRESENTATIVES[good][0] not in text and "孙七" not in text
    firm = letters[company.case_number]["applicant"]
    assert firm == {"subject_type": "company", "name": seed.GOOD_COMPANY[2], "uscc": good}


def test_the_applicants_copy_downloads_from_the_receipts_link(platform, box, clock):
    """第十三条 由双方各保存一份: the case names the link of the applicant's copy (a random token);
    anyone with the receipt downloads the PDF, a guessed token gets nothing."""
    import io

    import pypdf
    case = submit(platform)
    assert case.letter_copy.startswith("/api/v1/letter-copies/")
    r = requests.get(box.url + case.letter_copy, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.content)).pages)
    assert case.case_number in text and "确认第8项" in text
    assert requests.get(box.url + "/api/v1/letter-copies/" + "x" * 32, timeout=10).status_code == 404
