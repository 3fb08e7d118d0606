"""Who may sign a commitment letter, checked against the platform's 法人库 (一网通办 第二、十二条:
the platform rests on a 人口库 and a 法人库).

信用承诺 第十四条(二): "承诺书由行政相对人填写并予签章。行政相对人可以委托代理人作出承诺。" and
"在办理过程中，法定代表人或负责人、主体名称发生变更的应当重新作出承诺。" So:

- a company's letter signed "as legal representative" must be signed by the one the 法人库
  names, under the company's registered name;
- anyone else signs as an agent (委托代理人) and brings the 授权委托书, captured by the document
  camera and sent with the letter; it is never deferrable (容缺), for any item: without it
  nobody has shown the authority to promise for the applicant;
- a natural person signs for themselves, or through an agent in the same way (both ID cards
  read at the terminal: the applicant's and the agent's);
- once the 法人库's legal representative or name differs from the one a pending case's
  letter was signed under, the case asks for a new letter (`renewal`), and takes one.
"""
from __future__ import annotations

import json
from datetime import date

from sandbox.problems import Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS companies (uscc TEXT PRIMARY KEY, name TEXT NOT NULL,
  legal_rep_id TEXT NOT NULL, legal_rep_name TEXT NOT NULL, changed_on TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS case_signed_under (case_number TEXT PRIMARY KEY, name TEXT NOT NULL,
  legal_rep_id TEXT NOT NULL);
"""
AUTHORISATION = "授权委托书"          # the material that carries an agent's authority
RENEWABLE = ("approved", "verifying", "verified", "suspended")


def is_authorisation(material_name: str) -> bool:
    return AUTHORISATION in material_name


class Authority:
    """The 法人库 and the signing rules above, on a sandbox.store.Store."""

    def __init__(self, store):
        self.store = store
        store.db.executescript(SCHEMA)

    # --- the 法人库 ------------------------------------------------------------------------
    def register(self, uscc: str, name: str, legal_rep_id: str, legal_rep_name: str,
                 on: date | None = None) -> dict:
        """Add a company or record a change of its name or legal representative."""
        with self.store.tx() as db:
            db.execute("INSERT OR REPLACE INTO companies VALUES (?,?,?,?,?)",
                       (uscc, name, legal_rep_id, legal_rep_name, (on or self.store.today()).isoformat()))
            db.execute("UPDATE subjects SET name=? WHERE subject_type='company' AND subject_id=?", (name, uscc))
        return self.company(uscc)

    def company(self, uscc: str) -> dict | None:
        row = self.store.db.execute("SELECT * FROM companies WHERE uscc=?", (uscc,)).fetchone()
        return dict(row) if row is not None else None

    # --- the letter ------------------------------------------------------------------------
    def check(self, letter: dict, item: dict) -> None:
        """信用承诺 第十四条(二): refuse a letter whose signer has no authority to promise."""
        applicant, signer = letter["applicant"], letter["signer"]
        role, pages = signer["role"], letter.get("authorisation") or []
        for material in letter["materials"]:
            if material["status"] == "deferred" and (
                    material["code"] in item.get("authorisation", ()) or is_authorisation(material["name"])):
                raise Problem("authorisation-not-deferrable", f"material {material['code']} "
                              "(授权委托书): never deferred (信用承诺 第十四条(二))")
        if applicant["subject_type"] == "company":
            company = self.company(applicant.get("uscc") or "")
            if company is None:
                raise Problem("company-unknown", "the 法人库 has no company with this USCC")
            if applicant["name"] != company["name"]:
                raise Problem("company-name-mismatch", f"registered name: {company['name']} "
                              "(信用承诺 第十四条(二): 主体名称)")
            if role == "applicant":
                raise Problem("invalid-request", "a company signs by its legal representative or an agent")
            if role == "legal_representative" and signer["id_number"] != company["legal_rep_id"]:
                raise Problem("not-legal-representative", "the 法人库 names another legal representative: "
                              "sign as an agent with a 授权委托书 (信用承诺 第十四条(二))")
        else:
            if role == "legal_representative":
                raise Problem("invalid-request", "a natural person signs in person or through an agent")
            if role == "applicant" and signer["id_number"] != applicant.get("id_number"):
                raise Problem("signer-not-applicant", "another person signs as an agent, with a 授权委托书")
            if role == "agent" and signer["id_number"] == applicant.get("id_number"):
                raise Problem("invalid-request", "the applicant is not their own agent")
        if role == "agent" and not pages:
            raise Problem("authorisation-required", "an agent's letter carries the 授权委托书 "
                          "(信用承诺 第十四条(二): 可以委托代理人作出承诺)")

    def signed_under(self, number: str, letter: dict) -> None:
        """Keep the 法人库 entry a company's letter was signed under (for 第十四条(二) changes)."""
        if letter["applicant"]["subject_type"] != "company":
            return
        company = self.company(letter["applicant"]["uscc"])
        self.store.db.execute("INSERT OR REPLACE INTO case_signed_under VALUES (?,?,?)",
                              (number, company["name"], company["legal_rep_id"]))

    def renewal(self, row) -> dict | None:
        """What changed in the 法人库 since the pending case's letter: a new one is due."""
        if row["subject_type"] != "company" or row["status"] not in RENEWABLE:
            return None
        under = self.store.db.execute("SELECT * FROM case_signed_under WHERE case_number=?",
                                      (row["case_number"],)).fetchone()
        company = self.company(row["subject_id"])
        if under is None or company is None:
            return None
        changed = [what for what, was, now in (("legal_representative", under["legal_rep_id"], company["legal_rep_id"]),
                                               ("name", under["name"], company["name"]))
                   if was != now]
        if not changed:
            return None
        return {"changed": changed, "since": company["changed_on"], "article": "信用承诺 第十四条(二)"}

    def renew(self, number: str, letter: dict) -> None:
        """A new letter for a pending case after a change (信用承诺 第十四条(二) 应当重新作出承诺)."""
        store = self.store
        with store.tx() as db:
            row = store._case_row(number)
            if self.renewal(row) is None:
                raise Problem("renewal-not-required", "nothing changed since the case's letter")
            old = json.loads(row["letter"])
            if letter["item_code"] != row["item_code"] or letter["applicant"].get("uscc") != row["subject_id"]:
                raise Problem("invalid-request", "a new letter for the same item and applicant")
            self.check(letter, store.items.get(row["item_code"], {}))
            if {m["code"] for m in letter["materials"]} != {m["code"] for m in old["materials"]}:
                raise Problem("invalid-request", "the new letter lists the case's materials")
            db.execute("UPDATE cases SET letter=? WHERE case_number=?", (json.dumps(letter, ensure_ascii=False), number))
            self.signed_under(number, letter)
            store._event(number, "letter_renewed")
