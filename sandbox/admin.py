"""Admin operations, as endpoints under /admin/v1 (bearer admin token) and as a CLI.

CLI: python -m sandbox admin --db var/sandbox.db COMMAND ...
  enrollment-token [--terminal ID]      print a one-time enrollment token
  blacklist TYPE SUBJECT_ID [--reason]  blacklist; suspends pending commitment cases
  unblacklist TYPE SUBJECT_ID
  advance CASE_NUMBER EVENT             verification_started | verification_finished
  clock [--set DAY | --days N | --workdays N | --real]
                                        show or move the platform's day; the lifecycle runs for it
  judge CASE_NUMBER OUTCOME [--ground G]
                                        honest | dishonest (blacklists, 第七条) | lenient (minor 失信,
                                        失信惩戒 第十四条); ground (fraud|late|unqualified|other) opens one
  revoke-case CASE_NUMBER GROUND        materials_not_supplied | materials_unqualified |
                                        rectification_failed | false_materials (全程监督 第十七条: barred)
  extension CASE_NUMBER approve|refuse --by NAME
                                        the deciding agency's legal representative decides (第十六条)
  resume CASE_NUMBER                    a suspended case goes on (第九条)
  repair NUMBER approve|refuse          decide a credit repair application (失信惩戒 第十三条)
  company USCC NAME REP_ID REP_NAME     add a company to the 法人库 or record a change of its name or
                                        legal representative (pending letters then ask for a new one,
                                        信用承诺 第十四条(二))
  letters | devices                     list received letters / enrolled terminals
  revoke DEVICE_ID                      revoke a terminal
  command DEVICE_ID TYPE [--arg K=V]    queue a command for the next heartbeat (signed when sent;
                                        ids time-based, never repeated after a restore)
  fleet                                 every terminal's versions and health (last heartbeat)
  identity-code ID_NUMBER NAME [--ttl]  issue an electronic identity code
"""

import argparse
import json
import sys
from datetime import date, timedelta
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict

from kiosk.platform.contract import COMMAND_TYPES
from sandbox.models import Hidden
from sandbox.fleet import Fleet
from sandbox.problems import Problem
from sandbox.lifecycle import OUTCOMES, REVOCATION_GROUNDS, JUDGEMENT_GROUNDS
from sandbox.store import ADVANCE_EVENTS


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenReq(_In):
    terminal_id: Optional[str] = None
    ttl_hours: float = 24


class BlacklistReq(_In):
    subject_type: Literal["person", "company"]
    subject_id: Annotated[str, Hidden]
    reason: str = "失信（管理员操作）"


class AdvanceReq(_In):
    event: Literal[ADVANCE_EVENTS]  # type: ignore[valid-type]


class ClockReq(_In):
    day: Optional[date] = None          # set this day
    days: int = 0                       # or move by calendar days
    workdays: int = 0                   # or by working days
    real: bool = False                  # or back to the real (or fixed) day


class JudgeReq(_In):
    outcome: Literal[OUTCOMES]  # type: ignore[valid-type]
    ground: Optional[Literal[tuple(JUDGEMENT_GROUNDS)]] = None  # type: ignore[valid-type]


class RevokeReq(_In):
    ground: Literal[tuple(REVOCATION_GROUNDS)]  # type: ignore[valid-type]


class DecisionReq(_In):
    approve: bool
    by: str = ""


class CompanyReq(_In):
    uscc: str
    name: str
    legal_rep_id: str
    legal_rep_name: str


class CommandReq(_In):
    type: Literal[COMMAND_TYPES]  # type: ignore[valid-type]
    args: dict[str, str] = {}


class CodeReq(_In):
    id_number: Annotated[str, Hidden]
    name: Annotated[str, Hidden]
    ttl_seconds: float = 60


def build_router(store, admin_auth, fleet: Fleet) -> APIRouter:
    r = APIRouter(prefix="/admin/v1", dependencies=[Depends(admin_auth)], include_in_schema=False)

    @r.post("/enrollment-tokens")
    async def token(req: TokenReq):
        return {"enrollment_token": store.create_enrollment_token(req.terminal_id, req.ttl_hours)}

    @r.post("/blacklist")
    async def blacklist(req: BlacklistReq):
        return {"suspended_cases": store.blacklist(req.subject_type, req.subject_id, req.reason)}

    @r.post("/blacklist/remove")
    async def unblacklist(req: BlacklistReq):
        return {"resumed_cases": store.unblacklist(req.subject_type, req.subject_id)}

    @r.post("/cases/{case_number}/advance")
    async def advance(case_number: str, req: AdvanceReq):
        return store.advance_case(case_number, req.event)

    @r.get("/clock")
    async def clock_now():
        return {"today": store.today().isoformat()}

    @r.post("/clock")
    async def clock(req: ClockReq):
        return move_clock(store, req.day, req.days, req.workdays, req.real)

    @r.post("/cases/{case_number}/judgement")
    async def judge(case_number: str, req: JudgeReq):
        return store.lifecycle.judge(case_number, req.outcome, req.ground)

    @r.post("/cases/{case_number}/revocation")
    async def revoke_case(case_number: str, req: RevokeReq):
        return store.lifecycle.revoke(case_number, req.ground)

    @r.post("/cases/{case_number}/extension")
    async def extension(case_number: str, req: DecisionReq):
        return store.lifecycle.decide_extension(case_number, req.approve, req.by)

    @r.post("/cases/{case_number}/resume")
    async def resume(case_number: str):
        return store.lifecycle.resume(case_number)

    @r.post("/credit-repairs/{number}/decision")
    async def repair(number: str, req: DecisionReq):
        return store.lifecycle.decide_repair(number, req.approve)

    @r.post("/companies")
    async def company(req: CompanyReq):
        return store.authority.register(req.uscc, req.name, req.legal_rep_id, req.legal_rep_name)

    @r.get("/letters")
    async def letters():
        return {"letters": store.letters()}

    @r.get("/devices")
    async def devices():
        return {"devices": store.devices()}

    @r.post("/devices/{device_id}/revoke")
    async def revoke(device_id: str):
        store.set_device_status(device_id, "revoked")
        return {}

    @r.post("/devices/{device_id}/commands")
    async def command(device_id: str, req: CommandReq):
        return {"command_id": fleet.queue_command(device_id, req.type, req.args)}

    @r.get("/fleet")
    async def fleet_status():
        return {"terminals": fleet.status()}

    @r.get("/devices/{device_id}/commands")
    async def device_commands(device_id: str):
        return {"commands": fleet.commands(device_id)}

    @r.get("/devices/{device_id}/diagnostics")
    async def device_diagnostics(device_id: str):
        return {"diagnostics": fleet.diagnostics(device_id)}

    @r.post("/identity-codes")
    async def identity_code(req: CodeReq):
        return store.issue_identity_code(req.id_number, req.name, req.ttl_seconds)

    @r.get("/receipts/{kind}")
    async def receipts(kind: str):
        return {"receipts": store.receipts(kind)}

    return r


def move_clock(store, day: date | None = None, days: int = 0, workdays: int = 0,
               real: bool = False) -> dict:
    """Tests and demos: set the platform's day, or move it by calendar or working days."""
    if real:
        return store.set_clock(None)
    target = day or store.today()
    target = store.calendar.add_workdays(target + timedelta(days=days), workdays) if workdays \
        else target + timedelta(days=days)
    return store.set_clock(target)


def cli(store, argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m sandbox admin", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("enrollment-token"); s.add_argument("--terminal")
    for name in ("blacklist", "unblacklist"):
        s = sub.add_parser(name); s.add_argument("type", choices=["person", "company"])
        s.add_argument("subject_id"); s.add_argument("--reason", default="失信（管理员操作）")
    s = sub.add_parser("advance"); s.add_argument("case_number"); s.add_argument("event", choices=ADVANCE_EVENTS)
    s = sub.add_parser("clock"); s.add_argument("--set", type=date.fromisoformat)
    s.add_argument("--days", type=int, default=0); s.add_argument("--workdays", type=int, default=0)
    s.add_argument("--real", action="store_true")
    s = sub.add_parser("judge"); s.add_argument("case_number"); s.add_argument("outcome", choices=OUTCOMES)
    s.add_argument("--ground", choices=list(JUDGEMENT_GROUNDS))
    s = sub.add_parser("revoke-case"); s.add_argument("case_number")
    s.add_argument("ground", choices=list(REVOCATION_GROUNDS))
    s = sub.add_parser("extension"); s.add_argument("case_number")
    s.add_argument("decision", choices=["approve", "refuse"]); s.add_argument("--by", required=True)
    s = sub.add_parser("resume"); s.add_argument("case_number")
    s = sub.add_parser("repair"); s.add_argument("number"); s.add_argument("decision", choices=["approve", "refuse"])
    s = sub.add_parser("company")
    for name in ("uscc", "name", "legal_rep_id", "legal_rep_name"):
        s.add_argument(name)
    sub.add_parser("letters"); sub.add_parser("devices")
    s = sub.add_parser("revoke"); s.add_argument("device_id")
    s = sub.add_parser("command"); s.add_argument("device_id")
    s.add_argument("type", choices=COMMAND_TYPES)
    s.add_argument("--arg", action="append", default=[], metavar="K=V")
    sub.add_parser("fleet")
    s = sub.add_parser("identity-code"); s.add_argument("id_number"); s.add_argument("name")
    s.add_argument("--ttl", type=float, default=60)
    a = p.parse_args(argv)
    try:
        out = _run(store, a)
    except Problem as exc:                 # a rule refused it: say which, no traceback
        print(json.dumps({"problem": exc.slug, "detail": exc.detail}, ensure_ascii=False), file=sys.stderr)
        return 1
    print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    return 0


def _run(store, a):
    if a.cmd == "enrollment-token":
        out = {"enrollment_token": store.create_enrollment_token(a.terminal)}
    elif a.cmd == "blacklist":
        out = {"suspended_cases": store.blacklist(a.type, a.subject_id, a.reason)}
    elif a.cmd == "unblacklist":
        out = {"resumed_cases": store.unblacklist(a.type, a.subject_id)}
    elif a.cmd == "advance":
        out = store.advance_case(a.case_number, a.event)
    elif a.cmd == "clock":
        moved = a.set or a.days or a.workdays or a.real
        out = move_clock(store, a.set, a.days, a.workdays, a.real) if moved else {"today": store.today().isoformat()}
    elif a.cmd == "judge":
        out = store.lifecycle.judge(a.case_number, a.outcome, a.ground)
    elif a.cmd == "revoke-case":
        out = store.lifecycle.revoke(a.case_number, a.ground)
    elif a.cmd == "extension":
        out = store.lifecycle.decide_extension(a.case_number, a.decision == "approve", a.by)
    elif a.cmd == "resume":
        out = store.lifecycle.resume(a.case_number)
    elif a.cmd == "repair":
        out = store.lifecycle.decide_repair(a.number, a.decision == "approve")
    elif a.cmd == "company":
        out = store.authority.register(a.uscc, a.name, a.legal_rep_id, a.legal_rep_name)
    elif a.cmd == "letters":
        out = store.letters()
    elif a.cmd == "devices":
        out = store.devices()
    elif a.cmd == "revoke":
        out = store.set_device_status(a.device_id, "revoked") or {}
    elif a.cmd == "command":
        out = {"command_id": Fleet(store).queue_command(a.device_id, a.type,
                                                        dict(kv.split("=", 1) for kv in a.arg))}
    elif a.cmd == "fleet":
        out = Fleet(store).status()
    else:
        out = store.issue_identity_code(a.id_number, a.name, a.ttl)
    return out
