"""The applicant's copy to download, and the letters made public (信用承诺 第十三条: "承诺书……在政务服务系统内记录存档，于20个工作日内通过
天津网上办事大厅向社会公开"), without personal data.

A letter is archived with its case at once and published at the platform's first new day
after its approval, well within the 20 working days (`due_on` says the last day). What is
published: the item, the company's name and USCC (a register's public data) or, for a
natural person, the surname only; the signer's role, the eight confirmations as signed, the
materials promised and the dates. Never an ID number, a full name, the signature or the
agent's authorisation.

The applicant's own copy (第十三条 由双方各保存一份) is a PDF (kiosk/citizen/letter_copy.py, the
same the terminal prints) behind a random token: the receipt's QR carries the link, so only the
holder of the receipt downloads it.
"""
from __future__ import annotations

import json
import secrets
from datetime import date

from kiosk.workdays.deadlines import count

SCHEMA = """
CREATE TABLE IF NOT EXISTS published_letters (case_number TEXT PRIMARY KEY, published_on TEXT NOT NULL,
  due_on TEXT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS letter_copies (token TEXT PRIMARY KEY, case_number TEXT NOT NULL UNIQUE);
"""
PUBLISH_WITHIN = 20                    # working days (信用承诺 第十三条)


def public_applicant(applicant: dict) -> dict:
    """A company as registered; a person by surname only (个人信息 stays out of the public record)."""
    if applicant["subject_type"] == "company":
        return {"subject_type": "company", "name": applicant["name"], "uscc": applicant.get("uscc")}
    return {"subject_type": "person", "name": applicant["name"][:1] + "*" * max(1, len(applicant["name"]) - 1)}


class Publication:
    def __init__(self, store):
        self.store = store
        store.db.executescript(SCHEMA)

    def publish_due(self, today: date) -> int:
        """Publish every letter approved before `today` and not yet published; returns how many."""
        store = self.store
        rows = store.db.execute(
            "SELECT * FROM cases c WHERE COALESCE(approved_on, committed_on) < ? AND NOT EXISTS"
            " (SELECT 1 FROM published_letters p WHERE p.case_number=c.case_number)",
            (today.isoformat(),)).fetchall()
        for row in rows:
            letter = json.loads(row["letter"])
            approved = date.fromisoformat(row["approved_on"] or row["committed_on"])
            due = count(store.calendar, approved, PUBLISH_WITHIN)
            body = {"case_number": row["case_number"], "item_code": row["item_code"],
                    "item_name": store.items.get(row["item_code"], {}).get("name", ""),
                    "applicant": public_applicant(letter["applicant"]),
                    "signer_role": letter["signer"]["role"],
                    "confirmations": letter["confirmations"],
                    "materials": [{"name": m["name"], "status": m["status"]} for m in letter["materials"]],
                    "committed_on": row["committed_on"], "approved_on": approved.isoformat(),
                    "published_on": today.isoformat(), "due_on": due.isoformat() if due else None}
            store.db.execute("INSERT INTO published_letters VALUES (?,?,?,?)",
                             (row["case_number"], today.isoformat(), body["due_on"],
                              json.dumps(body, ensure_ascii=False)))
        return len(rows)

    def letters(self, limit: int = 100) -> list[dict]:
        rows = self.store.db.execute("SELECT body FROM published_letters ORDER BY published_on DESC,"
                                     " case_number LIMIT ?", (limit,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    # --- the applicant's copy ------------------------------------------------------------------
    def copy_token(self, number: str) -> str:
        """The case's download token, made on first use."""
        db = self.store.db
        row = db.execute("SELECT token FROM letter_copies WHERE case_number=?", (number,)).fetchone()
        if row is not None:
            return row[0]
        token = secrets.token_urlsafe(24)
        db.execute("INSERT OR IGNORE INTO letter_copies VALUES (?,?)", (token, number))
        return db.execute("SELECT token FROM letter_copies WHERE case_number=?", (number,)).fetchone()[0]

    def copy_path(self, number: str) -> str | None:
        row = self.store.db.execute("SELECT token FROM letter_copies WHERE case_number=?", (number,)).fetchone()
        return f"/api/v1/letter-copies/{row[0]}" if row else None

    def copy_pdf(self, token: str) -> bytes | None:
        """The applicant's copy behind `token`, or None; titled as the letter was."""
        from kiosk.citizen.letter_copy import letter_pdf
        from kiosk.platform.models import CommitmentLetter
        row = self.store.db.execute("SELECT c.case_number, c.letter FROM letter_copies l JOIN cases c"
                                    " USING (case_number) WHERE l.token=?", (token,)).fetchone()
        if row is None:
            return None
        letter = CommitmentLetter.from_json(json.loads(row["letter"]))
        title = (letter.letter_text.splitlines() or ["信用承诺书"])[0]
        return letter_pdf(letter, title, case_number=row["case_number"])
