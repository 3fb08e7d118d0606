"""Authority to sign (issue 17 point 2; 信用承诺 第十四条(二): "承诺书由行政相对人填写并予签章。
行政相对人可以委托代理人作出承诺。" and "法定代表人或负责人、主体名称发生变更的应当重新作出承诺"),
against the real sandbox's 法人库, and the kiosk's side of it (kiosk/citizen/commitment.py)."""
from __future__ import annotations

import itertools
import os

import pytest

from kiosk.catalog import load_catalog as _load
from kiosk.config import REPO_CONFIG
from kiosk.citizen import commitment as c
from kiosk.citizen import lookup
from kiosk.identity import IdentityRefused, Person
from kiosk.platform.client import new_idempotency_key
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.models import Applicant, Page, Signer
from sandbox import seed
from sandbox.testing import letter, new_person_id

PAGE = Page("image/png", b"\x89PNG\r\n\x1a\nauthorisation")
_numbers = itertools.count(1)


def load_catalog():
    return _load(REPO_CONFIG / "catalog")


def new_company(sandbox) -> tuple[str, str, str]:
    """A company of its own in the 法人库: (USCC, name, legal representative's ID number)."""
    code = seed.uscc(f"9112010{os.getpid() % 10}MA{next(_numbers):07d}")
    name, rep = f"天津测试{code[-4:]}有限公司", new_person_id()
    sandbox.admin("POST", "/companies", uscc=code, name=name, legal_rep_id=rep, legal_rep_name="钱法人")
    return code, name, rep


def company_letter(code, name, role, signer_id, **over):
    return letter(applicant=Applicant("company", name, uscc=code),
                  signer=Signer(role, "签署人", signer_id), **over)


def refused(client, the_letter) -> str:
    with pytest.raises(PlatformRejected) as err:
        client.submit_commitment(the_letter, new_idempotency_key())
    return err.value.slug


def test_legal_representative_must_be_the_one_the_register_names(client, sandbox):
    """第十四条(二) 签章: "as legal representative" only by the 法人库's legal representative."""
    code, name, rep = new_company(sandbox)
    assert client.submit_commitment(company_letter(code, name, "legal_representative", rep),
                                    new_idempotency_key()).status == "approved"
    assert refused(client, company_letter(code, name, "legal_representative", new_person_id())) \
        == "not-legal-representative"


def test_an_agent_brings_the_authorisation_letter(client, sandbox):
    """第十四条(二) 可以委托代理人作出承诺: with the 授权委托书, captured and sent with the letter."""
    code, name, _ = new_company(sandbox)
    agent = new_person_id()
    assert refused(client, company_letter(code, name, "agent", agent)) == "authorisation-required"
    case = client.submit_commitment(company_letter(code, name, "agent", agent, authorisation=(PAGE,)),
                                    new_idempotency_key())
    assert case.status == "approved"


def test_the_authorisation_is_never_deferrable(client):
    """第十四条(二): an item whose rules list the 授权委托书 (M05) as deferrable is refused it."""
    person = new_person_id()
    the_letter = letter(person, item_code="12120000MB1546214Q-0006", deferred=("M05",),
                        signer=Signer("agent", "代理人", new_person_id()), authorisation=(PAGE,))
    assert refused(client, the_letter) == "authorisation-not-deferrable"


def test_the_terminal_never_offers_to_defer_the_authorisation():
    """第十四条(二), kiosk side: the checklist makes a 授权委托书 non-deferrable whatever the catalog says."""
    from dataclasses import replace
    item = load_catalog().item("TJ-SCJG-002")
    marked = replace(item, materials=tuple(replace(m, deferrable=True) for m in item.materials))
    choices = {m.code: m for m in c.checklist(marked)}
    authorisation = [m for m in marked.materials if c.is_authorisation(m.name)]
    assert authorisation and all(not choices[m.id].deferrable for m in authorisation)
    assert any(choice.deferrable for choice in choices.values())


def test_a_natural_person_commits_through_an_agent(client):
    """第十四条(二): 行政相对人可以委托代理人 — a person too, both ID cards read."""
    person, agent = new_person_id(), new_person_id()
    applicant, signer = c.person_applicant(Person("申请人", person), agent=Person("代理人", agent))
    assert signer.role == "agent" and applicant.id_number == person
    assert refused(client, letter(person, applicant=applicant, signer=signer)) == "authorisation-required"
    case = client.submit_commitment(letter(person, applicant=applicant, signer=signer, authorisation=(PAGE,)),
                                    new_idempotency_key())
    assert case.status == "approved"
    someone = Signer("applicant", "他人", new_person_id())
    assert refused(client, letter(person, signer=someone)) == "signer-not-applicant"
    with pytest.raises(IdentityRefused):
        c.person_applicant(Person("申请人", person), agent=Person("申请人", person))


def test_the_draft_waits_for_the_authorisation():
    """第十四条(二), kiosk side: an agent's letter is not complete without the pages."""
    item = load_catalog().item("TJ-SCJG-002")          # 个体工商户登记: premises deferrable
    draft = c.new_draft(item, c.load_wording())
    draft.applicant, draft.signer = c.person_applicant(Person("申请人", new_person_id()),
                                                       agent=Person("代理人", new_person_id()))
    assert "authorisation" in draft.missing()
    draft.authorisation.append(PAGE)
    assert "authorisation" not in draft.missing()
    draft.acknowledged = set(range(8))
    draft.signature = b"\x89PNG"
    draft.set_deferred(next(m.code for m in draft.materials if m.deferrable), True)
    built = draft.letter()
    assert built.authorisation == (PAGE,) and "授权委托书：已随本承诺书提交（1页）" in built.letter_text
    assert built.to_json()["authorisation"][0]["content_type"] == "image/png"


def test_company_name_and_code_as_registered(client, sandbox):
    """第十四条(二) 主体名称: the letter names the company as the 法人库 has it."""
    code, name, rep = new_company(sandbox)
    assert refused(client, company_letter(code, name + "（旧称）", "legal_representative", rep)) \
        == "company-name-mismatch"
    unknown = seed.uscc("91120109MA9999999")
    assert refused(client, company_letter(unknown, name, "legal_representative", rep)) == "company-unknown"


def test_a_change_since_the_letter_asks_for_a_new_one(client, sandbox):
    """第十四条(二): 法定代表人或负责人、主体名称发生变更的应当重新作出承诺."""
    code, name, rep = new_company(sandbox)
    case = client.submit_commitment(company_letter(code, name, "legal_representative", rep), new_idempotency_key())
    assert case.renewal is None
    new_rep = new_person_id()
    sandbox.admin("POST", "/companies", uscc=code, name=name, legal_rep_id=new_rep, legal_rep_name="李新")
    changed = client.case(case.case_number)
    assert changed.renewal.changed == ["legal_representative"] and changed.renewal.article == "信用承诺 第十四条(二)"
    progress = lookup.progress(changed, changed.committed_on)
    assert "renew_letter" in progress.actions
    assert lookup.Line("lookup.renewal.legal_representative") in progress.notes
    with pytest.raises(PlatformRejected) as err:      # the former legal representative no longer may
        client.renew_commitment(case.case_number, company_letter(code, name, "legal_representative", rep))
    assert err.value.slug == "not-legal-representative"
    renewed = client.renew_commitment(case.case_number, company_letter(code, name, "legal_representative", new_rep))
    assert renewed.renewal is None and renewed.timeline[-1].event == "letter_renewed"
    with pytest.raises(PlatformRejected) as err:
        client.renew_commitment(case.case_number, company_letter(code, name, "legal_representative", new_rep))
    assert err.value.slug == "renewal-not-required"
    sandbox.admin("POST", "/companies", uscc=code, name=name + "二号", legal_rep_id=new_rep, legal_rep_name="李新")
    assert client.case(case.case_number).renewal.changed == ["name"]
    assert refused(client, company_letter(code, name, "legal_representative", new_rep)) == "company-name-mismatch"
