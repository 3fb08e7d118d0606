"""Admin operations, as endpoints under /admin/v1 (bearer admin token) and as a CLI.

CLI: python -m sandbox admin --db var/sandbox.db COMMAND ...
  enrollment-token [--terminal ID]      print a one-time enrollment token
  blacklist TYPE SUBJECT_ID [--reason]  blacklist; suspends pending commitment cases
  unblacklist TYPE SUBJECT_ID
  advance CASE_NUMBER EVENT             verification_started | verification_finished |
                                        extension_granted | revoked | resumed
  letters | devices                     list received letters / enrolled terminals
  revoke DEVICE_ID                      revoke a terminal
  command DEVICE_ID TYPE [--arg K=V]    queue a command for the next heartbeat (signed when sent;
                                        ids time-based, never repeated after a restore)
  fleet                                 every terminal's versions and health (last heartbeat)
  identity-code ID_NUMBER NAME [--ttl]  issue an electronic identity code
"""

import argparse
import json
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict

from kiosk.platform.contract import COMMAND_TYPES
from sandbox.models import Hidden
from sandbox.fleet import Fleet
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
        store.unblacklist(req.subject_type, req.subject_id)
        return {}

    @r.post("/cases/{case_number}/advance")
    async def advance(case_number: str, req: AdvanceReq):
        return store.advance_case(case_number, req.event)

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


def cli(store, argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m sandbox admin", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("enrollment-token"); s.add_argument("--terminal")
    for name in ("blacklist", "unblacklist"):
        s = sub.add_parser(name); s.add_argument("type", choices=["person", "company"])
        s.add_argument("subject_id"); s.add_argument("--reason", default="失信（管理员操作）")
    s = sub.add_parser("advance"); s.add_argument("case_number"); s.add_argument("event", choices=ADVANCE_EVENTS)
    sub.add_parser("letters"); sub.add_parser("devices")
    s = sub.add_parser("revoke"); s.add_argument("device_id")
    s = sub.add_parser("command"); s.add_argument("device_id")
    s.add_argument("type", choices=COMMAND_TYPES)
    s.add_argument("--arg", action="append", default=[], metavar="K=V")
    sub.add_parser("fleet")
    s = sub.add_parser("identity-code"); s.add_argument("id_number"); s.add_argument("name")
    s.add_argument("--ttl", type=float, default=60)
    a = p.parse_args(argv)
    if a.cmd == "enrollment-token":
        out = {"enrollment_token": store.create_enrollment_token(a.terminal)}
    elif a.cmd == "blacklist":
        out = {"suspended_cases": store.blacklist(a.type, a.subject_id, a.reason)}
    elif a.cmd == "unblacklist":
        out = store.unblacklist(a.type, a.subject_id) or {}
    elif a.cmd == "advance":
        out = store.advance_case(a.case_number, a.event)
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
    print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    return 0
