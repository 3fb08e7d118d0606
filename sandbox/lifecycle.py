"""What follows a commitment letter on the platform: overdue cases, the agency's credit
judgement, revocation with its ground, suspension and resumption, the extension decision.

Each rule quotes its article (信用承诺 = the credit commitment measures, 全程监督 = the
supervision measures, 失信惩戒 = the dishonesty measures, all of 2018):

- 信用承诺 第七、九条(二): a case whose supplement deadline passed with materials still
  outstanding is `overdue` from the next day, and the agency's credit judgement (诚实守信 /
  失信) opens for it; a pending extension request holds this until it is decided (第十六条).
- 信用承诺 第七条: one 失信 judgement puts the subject on the blacklist; 第九条: the subject's
  other pending commitment cases are suspended (一律中止), whatever their status, and each
  resumes once its materials are complete (待其补齐材料后再进行审批).
- 失信惩戒 第十四条: a minor 失信 may be handled leniently at the agency's choice (酌情减轻或者不予
  惩戒): recorded, no blacklist; never for what 失信惩戒 第五条 lists as serious (late materials
  (四), false materials (五)).
- 信用承诺 第十六条, 全程监督 第十、十二条: the approving agency revokes the decision with its
  ground; 全程监督 第十七条: after a revocation for false materials the subject may no longer
  use commitment approval (不再适用承诺审批), even after leaving the blacklist.
- 失信惩戒 第十二、十三条 and 信用承诺 第七条: a credit repair application is open to any
  blacklisted subject; the agency decides; one clean year is shown to it as a matter for its
  discretion (可酌情转出), never required.
- 信用承诺 第十六条: a written extension request, made before the deadline, goes to the
  legal representative of the deciding agency; approved, the deadline moves 20 working days.

The clock is the store's (`Store.today`: real China time, a fixed day, or the day the admin
set): `sweep` runs once per new day, and at once after the clock moves.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

from kiosk.workdays.deadlines import EXTENSION
from sandbox.problems import Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS judgements (case_number TEXT PRIMARY KEY, subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL, ground TEXT NOT NULL, opened_on TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', decided_on TEXT);
CREATE TABLE IF NOT EXISTS revocations (case_number TEXT PRIMARY KEY, ground TEXT NOT NULL,
  on_day TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS barred_subjects (subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,
  since TEXT NOT NULL, case_number TEXT NOT NULL, PRIMARY KEY (subject_type, subject_id));
CREATE TABLE IF NOT EXISTS extension_requests (case_number TEXT PRIMARY KEY, reason TEXT NOT NULL,
  requested_on TEXT NOT NULL, routed_to TEXT NOT NULL, decided_on TEXT, decided_by TEXT);
CREATE TABLE IF NOT EXISTS repair_decisions (number TEXT PRIMARY KEY, decision TEXT NOT NULL,
  decided_on TEXT NOT NULL, clean_year INTEGER NOT NULL);
"""

# statuses from which a case still runs (and can be suspended, go overdue, be revoked)
RUNNING = ("approved", "verifying", "verified")
PENDING = RUNNING + ("suspended",)

# 失信 (信用承诺 第九条): ground -> (what, article); `serious` per 失信惩戒 第五条
JUDGEMENT_GROUNDS = {
    "fraud": ("申请材料存在弄虚作假、欺诈隐瞒、恶意欺骗情形", "信用承诺 第九条(一)"),
    "late": ("未按时提交约定申请材料", "信用承诺 第九条(二)"),
    "unqualified": ("提交约定的申请材料不符合法定条件，行政许可决定被撤销", "信用承诺 第九条(三)"),
    "other": ("法律法规规定的其他情形", "信用承诺 第九条(四)"),
}
SERIOUS = {"late": "失信惩戒 第五条(四)", "fraud": "失信惩戒 第五条(五)"}
OUTCOMES = ("honest", "dishonest", "lenient")

# revocation (撤销行政许可决定): ground -> (what, article, the 失信 ground it opens)
REVOCATION_GROUNDS = {
    "materials_not_supplied": ("到期仍未提交约定申请材料", "信用承诺 第十六条；全程监督 第十条", "late"),
    "materials_unqualified": ("提交的材料不符合要求", "信用承诺 第十六条；全程监督 第十条", "unqualified"),
    "rectification_failed": ("整改后仍不符合条件", "信用承诺 第十六条；全程监督 第十二条", "other"),
    "false_materials": ("隐瞒有关情况或者提供虚假材料", "全程监督 第十七条", "fraud"),
}
CLEAN_YEAR = timedelta(days=365)       # 信用承诺 第七条 "1年内未再次发生失信情况"


class Lifecycle:
    """The rules above on a sandbox.store.Store (its transaction, clock, calendar, events)."""

    def __init__(self, store):
        self.store = store
        store.db.executescript(SCHEMA)

    # --- the clock -----------------------------------------------------------------------
    def sweep_if_new_day(self) -> None:
        today = self.store.today().isoformat()
        row = self.store.db.execute("SELECT value FROM meta WHERE key='swept_on'").fetchone()
        if row is None or row[0] != today:
            self.sweep()

    def sweep(self) -> list[str]:
        """信用承诺 第七、九条(二): every running case past its supplement deadline with materials
        outstanding becomes overdue (from the day after the deadline) and its judgement opens.
        A deadline the calendar does not know yet never makes a case overdue. Returns the cases."""
        store, today = self.store, self.store.today()
        overdue = []
        with store.tx() as db:
            rows = db.execute(
                "SELECT c.* FROM cases c WHERE c.status IN (?,?,?,?) AND EXISTS (SELECT 1 FROM"
                " case_materials m WHERE m.case_number=c.case_number AND m.status='deferred')",
                PENDING).fetchall()
            for row in rows:
                if row["extension_status"] == "requested":      # 第十六条: decided first
                    continue
                due = store.supplement_due(row)
                if due is None or today <= due:
                    continue
                db.execute("UPDATE cases SET suspended_from=CASE WHEN status='suspended'"
                           " THEN suspended_from ELSE status END, status='overdue' WHERE case_number=?",
                           (row["case_number"],))
                store._event(row["case_number"], "overdue", due + timedelta(days=1))
                self._open_judgement(row, "late", due + timedelta(days=1))
                overdue.append(row["case_number"])
            store.publication.publish_due(today)        # 信用承诺 第十三条: within 20 working days
            db.execute("INSERT OR REPLACE INTO meta VALUES ('swept_on', ?)", (today.isoformat(),))
        return overdue

    # --- the judgement -------------------------------------------------------------------
    def _open_judgement(self, row, ground: str, on: date) -> None:
        self.store.db.execute(
            "INSERT OR IGNORE INTO judgements (case_number, subject_type, subject_id, ground, opened_on)"
            " VALUES (?,?,?,?,?)", (row["case_number"], row["subject_type"], row["subject_id"], ground,
                                    on.isoformat()))
        self.store._event(row["case_number"], "judgement_opened", on)

    def judge(self, number: str, outcome: str, ground: str | None = None) -> dict:
        """The approving agency's credit judgement of a case (信用承诺 第七条: 诚实守信 or 失信).
        `ground` opens one found in supervision (信用承诺 第十条) where none is open."""
        store = self.store
        if outcome not in OUTCOMES:
            raise Problem("invalid-request", f"outcome must be one of {', '.join(OUTCOMES)}")
        with store.tx() as db:
            row = store._case_row(number)
            judgement = db.execute("SELECT * FROM judgements WHERE case_number=?", (number,)).fetchone()
            if judgement is None:
                if ground not in JUDGEMENT_GROUNDS:
                    raise Problem("judgement-not-open", "no judgement is open for this case: name its "
                                  "ground (信用承诺 第九条: fraud, late, unqualified, other)")
                self._open_judgement(row, ground, store.today())
                judgement = db.execute("SELECT * FROM judgements WHERE case_number=?", (number,)).fetchone()
            if judgement["status"] != "pending":
                raise Problem("judgement-decided", f"judged {judgement['status']} already")
            if outcome == "lenient" and judgement["ground"] in SERIOUS:
                raise Problem("judgement-not-minor", f"{SERIOUS[judgement['ground']]} lists this as serious "
                              "失信; leniency is for minor 失信 only (失信惩戒 第十四条)")
            today = store.today()
            db.execute("UPDATE judgements SET status=?, decided_on=? WHERE case_number=?",
                       (outcome, today.isoformat(), number))
            store._event(number, f"judged_{outcome}", today)
            if outcome == "dishonest":
                what, article = JUDGEMENT_GROUNDS[judgement["ground"]]
                store.blacklist(row["subject_type"], row["subject_id"], f"失信：{what}（{article}）", today)
        return store.case(number)

    def judgement(self, number: str) -> dict | None:
        row = self.store.db.execute("SELECT * FROM judgements WHERE case_number=?", (number,)).fetchone()
        if row is None:
            return None
        what, article = JUDGEMENT_GROUNDS[row["ground"]]
        return {"status": row["status"], "ground": row["ground"], "what": what, "article": article,
                "opened_on": row["opened_on"], "decided_on": row["decided_on"]}

    # --- suspension (第九条) ----------------------------------------------------------------
    def suspend_others(self, subject_type: str, subject_id: str, on: date) -> int:
        """信用承诺 第九条 "正在办理的其他承诺审批事项，一律中止": every running case of the subject
        with materials outstanding, whatever its status (one with all materials in is not held:
        第九条 resumes a case once they are)."""
        store = self.store
        rows = store.db.execute(
            "SELECT case_number FROM cases c WHERE subject_type=? AND subject_id=? AND status IN (?,?,?)"
            " AND EXISTS (SELECT 1 FROM case_materials m WHERE m.case_number=c.case_number"
            " AND m.status='deferred')", (subject_type, subject_id, *RUNNING)).fetchall()
        for (number,) in rows:
            store.db.execute("UPDATE cases SET suspended_from=status, status='suspended' WHERE case_number=?",
                             (number,))
            store._event(number, "suspended", on)
        return len(rows)

    def resume(self, number: str, on: date | None = None) -> dict:
        """信用承诺 第九条 "待其补齐材料后再进行审批": a suspended case goes on where it stopped
        once its materials are complete, or once its subject left the blacklist."""
        store = self.store
        with store.tx() as db:
            row = store._case_row(number)
            if row["status"] != "suspended":
                raise Problem("case-closed", f"case is {row['status']}, not suspended")
            left = self._outstanding(number)
            if left and store.credit_status(row["subject_type"], row["subject_id"])["standing"] == "blacklisted":
                raise Problem("materials-outstanding", "信用承诺 第九条: a suspended case resumes once its "
                              "materials are complete")
            status = row["suspended_from"] or "approved"
            if status == "verified" and not left:
                status = "completed"
            db.execute("UPDATE cases SET status=?, suspended_from=NULL WHERE case_number=?", (status, number))
            store._event(number, "resumed", on or store.today())
        return store.case(number)

    def _outstanding(self, number: str) -> int:
        return self.store.db.execute("SELECT COUNT(*) FROM case_materials WHERE case_number=?"
                                     " AND status='deferred'", (number,)).fetchone()[0]

    def resume_all(self, subject_type: str, subject_id: str) -> int:
        """The subject left the blacklist: the suspension's cause is gone (第九条)."""
        rows = self.store.db.execute("SELECT case_number FROM cases WHERE subject_type=? AND subject_id=?"
                                     " AND status='suspended'", (subject_type, subject_id)).fetchall()
        for (number,) in rows:
            self.resume(number)
        return len(rows)

    # --- revocation ------------------------------------------------------------------------
    def revoke(self, number: str, ground: str) -> dict:
        """信用承诺 第十六条, 全程监督 第十、十二、十七条: revoke the decision with its ground; the
        ground's 失信 judgement opens; false materials bar the subject (全程监督 第十七条)."""
        store = self.store
        if ground not in REVOCATION_GROUNDS:
            raise Problem("invalid-request", f"ground must be one of {', '.join(REVOCATION_GROUNDS)}")
        with store.tx() as db:
            row = store._case_row(number)
            if row["status"] == "revoked":
                raise Problem("case-closed", "the case was revoked already")
            if ground == "materials_not_supplied" and row["status"] != "overdue":
                raise Problem("revocation-ground-unmet", "信用承诺 第十六条: only once the deadline has "
                              "passed with materials outstanding (到期仍未提交)")
            today = store.today()
            db.execute("UPDATE cases SET status='revoked' WHERE case_number=?", (number,))
            db.execute("INSERT OR REPLACE INTO revocations VALUES (?,?,?)", (number, ground, today.isoformat()))
            store._event(number, "revoked", today)
            self._open_judgement(row, REVOCATION_GROUNDS[ground][2], today)
            if ground == "false_materials":
                db.execute("INSERT OR IGNORE INTO barred_subjects VALUES (?,?,?,?)",
                           (row["subject_type"], row["subject_id"], today.isoformat(), number))
        return store.case(number)

    def revocation(self, number: str) -> dict | None:
        row = self.store.db.execute("SELECT * FROM revocations WHERE case_number=?", (number,)).fetchone()
        if row is None:
            return None
        what, article, _ = REVOCATION_GROUNDS[row["ground"]]
        return {"ground": row["ground"], "what": what, "article": article, "on": row["on_day"]}

    def barred(self, subject_type: str, subject_id: str) -> bool:
        """全程监督 第十七条: 对该行政相对人不再适用承诺审批."""
        return self.store.db.execute("SELECT 1 FROM barred_subjects WHERE subject_type=? AND subject_id=?",
                                     (subject_type, subject_id)).fetchone() is not None

    # --- the extension (第十六条) ------------------------------------------------------------
    def request_extension(self, number: str, reason: str, routed_to: str) -> None:
        """A written request, before the deadline, with materials still outstanding; it goes to
        the legal representative of the deciding agency (信用承诺 第十六条)."""
        store = self.store
        with store.tx() as db:
            row = store._case_row(number)
            if row["status"] == "overdue":
                raise Problem("extension-too-late", "信用承诺 第十六条: asked for before the deadline")
            if row["status"] not in PENDING:
                raise Problem("case-closed", f"case is {row['status']}")
            if row["extension_status"] != "none":
                raise Problem("extension-already-requested")
            if not self._outstanding(number):
                raise Problem("nothing-outstanding", "every deferred material was supplied")
            due = store.supplement_due(row)
            if due is not None and store.today() > due:
                raise Problem("extension-too-late", "信用承诺 第十六条: asked for before the deadline")
            today = store.today().isoformat()
            db.execute("UPDATE cases SET extension_status='requested', extension_requested_on=?"
                       " WHERE case_number=?", (today, number))
            db.execute("INSERT OR REPLACE INTO extension_requests (case_number, reason, requested_on, routed_to)"
                       " VALUES (?,?,?,?)", (number, reason, today, routed_to))
            store._event(number, "extension_requested")

    def decide_extension(self, number: str, approve: bool, by: str) -> dict:
        """The deciding agency's legal representative approves (+20 working days) or refuses."""
        store = self.store
        if not by.strip():
            raise Problem("invalid-request", "by: the legal representative who decided (信用承诺 第十六条)")
        with store.tx() as db:
            row = store._case_row(number)
            if row["extension_status"] != "requested":
                raise Problem("extension-not-requested", f"extension is {row['extension_status']}")
            decision = "granted" if approve else "refused"
            today = store.today().isoformat()
            db.execute("UPDATE cases SET extension_status=? WHERE case_number=?", (decision, number))
            db.execute("UPDATE extension_requests SET decided_on=?, decided_by=? WHERE case_number=?",
                       (today, by.strip(), number))
            store._event(number, f"extension_{decision}")
        self.sweep()                 # refused after the deadline: overdue at once
        return store.case(number)

    def extension(self, row) -> dict:
        req = self.store.db.execute("SELECT * FROM extension_requests WHERE case_number=?",
                                    (row["case_number"],)).fetchone()
        return {"status": row["extension_status"], "requested_on": row["extension_requested_on"],
                "extra_workdays": EXTENSION if row["extension_status"] == "granted" else 0,
                "decided_on": req["decided_on"] if req else None,
                "routed_to": req["routed_to"] if req else ""}

    # --- leaving the blacklist (失信惩戒 第十二、十三条) ---------------------------------------
    def decide_repair(self, number: str, approve: bool) -> dict:
        """The agency decides a credit repair application. Approved, the subject leaves the
        blacklist (失信惩戒 第十三条) and its suspended cases resume; `clean_year` tells whether
        one year passed without a new 失信, which 信用承诺 第七条 leaves to the agency (可酌情)."""
        store = self.store
        with store.tx() as db:
            row = db.execute("SELECT * FROM receipts WHERE number=? AND kind='credit_repair'",
                             (number,)).fetchone()
            if row is None:
                raise Problem("not-found", "no credit repair application with this number")
            if db.execute("SELECT 1 FROM repair_decisions WHERE number=?", (number,)).fetchone():
                raise Problem("repair-decided")
            body = json.loads(row["body"])
            subject_type, subject_id = body["subject_type"], body["subject_id"]
            today = store.today()
            last = db.execute("SELECT MAX(decided_on) FROM judgements WHERE subject_type=? AND subject_id=?"
                              " AND status='dishonest'", (subject_type, subject_id)).fetchone()[0]
            listed = store.subject(subject_type, subject_id)
            since = last or (listed["blacklisted_on"] if listed is not None else None)
            clean_year = since is None or today - date.fromisoformat(since) >= CLEAN_YEAR
            db.execute("INSERT INTO repair_decisions VALUES (?,?,?,?)",
                       (number, "approved" if approve else "refused", today.isoformat(), int(clean_year)))
            resumed = store.unblacklist(subject_type, subject_id) if approve else 0
        return {"number": number, "decision": "approved" if approve else "refused",
                "clean_year": clean_year, "resumed_cases": resumed,
                "credit": store.credit_status(subject_type, subject_id)}
