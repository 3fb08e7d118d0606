"""Typed results of the platform API, the requests the screens build, and the
strict parsing of answers into them (no field the contract does not name)."""
from __future__ import annotations

import base64
import datetime as dt
import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any, Literal, Optional

from kiosk.platform.contract import CommandType
from kiosk.platform.errors import PlatformInvalidResponse
from kiosk.identity import Person

# --- results ---------------------------------------------------------------

@dataclass(frozen=True)
class Enrollment:
    device_id: str
    key_id: str
    terminal_id: str
    enrolled_at: dt.datetime
    command_key: str            # the platform's command-signing public key (base64url Ed25519)




@dataclass(frozen=True)
class Command:
    """A command from the heartbeat reply; kiosk.fleet.heartbeat verifies `signature` before acting."""
    command_id: int
    type: CommandType
    args: dict
    issued_at: str
    signature: str



@dataclass(frozen=True)
class HeartbeatReply:
    server_time: dt.datetime
    commands: list[Command]


@dataclass(frozen=True)
class ResolvedIdentity:
    person: Person
    resolved_at: dt.datetime


@dataclass(frozen=True)
class CreditStatus:
    subject_type: Literal["person", "company"]
    standing: Literal["good", "blacklisted"]
    blacklisted_on: Optional[dt.date]
    reason: str
    pending_commitment_cases: int
    suspended_cases: int
    honest: bool                     # 诚信主体: the green channel applies (失信惩戒 第十条)
    name: str = field(default="", repr=False)   # registered name on the credit record ('' if unknown)
    commitment_barred: bool = False  # revoked for false materials: no more commitment (全程监督 第十七条)

    @property
    def blacklisted(self) -> bool:
        return self.standing == "blacklisted"


@dataclass(frozen=True)
class CaseMaterial:
    code: str
    name: str
    status: Literal["provided", "deferred", "supplied"]
    due_on: Optional[dt.date]
    supplied_on: Optional[dt.date]


@dataclass(frozen=True)
class CaseEvent:
    event: str
    on: dt.date


@dataclass(frozen=True)
class Deadlines:
    supplement_due: Optional[dt.date]
    verification_start_due: Optional[dt.date]
    verification_end_due: Optional[dt.date]
    rectification_due: Optional[dt.date]
    confirmed: bool


@dataclass(frozen=True)
class Extension:
    """信用承诺 第十六条: asked for in writing, decided by the deciding agency's legal representative."""
    status: Literal["none", "requested", "granted", "refused"]
    requested_on: Optional[dt.date]
    extra_workdays: int
    decided_on: Optional[dt.date] = None
    routed_to: str = ""              # who decides, e.g. "天津市市场监督管理委员会法定代表人"


@dataclass(frozen=True)
class Judgement:
    """The agency's credit judgement of a case (信用承诺 第七、九条)."""
    status: Literal["pending", "honest", "dishonest", "lenient"]
    ground: Literal["fraud", "late", "unqualified", "other"]
    what: str                        # the 失信 case of 第九条 in its words
    article: str
    opened_on: dt.date
    decided_on: Optional[dt.date]


@dataclass(frozen=True)
class Revocation:
    """The decision revoked, with its ground (信用承诺 第十六条; 全程监督 第十、十二、十七条)."""
    ground: Literal["materials_not_supplied", "materials_unqualified", "rectification_failed",
                    "false_materials"]
    what: str
    article: str
    on: dt.date


@dataclass(frozen=True)
class Renewal:
    """The 法人库 changed since the case's letter: a new one is due (信用承诺 第十四条(二))."""
    changed: list[Literal["legal_representative", "name"]]
    since: dt.date
    article: str


@dataclass(frozen=True)
class Case:
    case_number: str
    item_code: str
    item_name: str
    decision: str
    status: Literal["approved", "verifying", "verified", "completed", "suspended", "overdue", "revoked"]
    committed_on: dt.date
    deadlines: Deadlines
    extension: Extension
    materials: list[CaseMaterial]
    timeline: list[CaseEvent]
    judgement: Optional[Judgement] = None
    revocation: Optional[Revocation] = None
    renewal: Optional[Renewal] = None
    letter_copy: Optional[str] = None    # path of the applicant's copy (PDF) on the platform (第十三条)

    @property
    def deferred_materials(self) -> list[CaseMaterial]:
        return [m for m in self.materials if m.status == "deferred"]


@dataclass(frozen=True)
class Slot:
    slot_id: str
    hall: str
    window: str
    item_code: Optional[str]
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    remaining: int


@dataclass(frozen=True)
class Appointment:
    appointment_number: str
    slot: Slot
    item_code: str
    status: Literal["booked", "cancelled", "checked_in"]       # checked_in: its queue ticket was taken


@dataclass(frozen=True)
class QueueTicket:
    ticket_number: str
    hall: str
    category: str
    waiting_ahead: int
    issued_at: dt.datetime
    priority: bool                   # taken with a booked appointment: called before the others


@dataclass(frozen=True)
class Receipt:
    """Acknowledgement of an evaluation, complaint or credit repair request."""
    number: str
    received_at: dt.datetime
    status: str


# --- requests the screens build ----------------------------------------------
# Names, ID numbers, the letter's text and the handwritten signature never show in a repr.

@dataclass(frozen=True)
class Applicant:
    subject_type: Literal["person", "company"]
    name: str = field(repr=False)                               # person's name, or the company's name
    id_number: Optional[str] = field(default=None, repr=False)  # person
    uscc: Optional[str] = None                                  # company


@dataclass(frozen=True)
class Signer:
    role: Literal["applicant", "legal_representative", "agent"]
    name: str = field(repr=False)
    id_number: str = field(repr=False)


@dataclass(frozen=True)
class LetterMaterial:
    code: str
    name: str
    status: Literal["provided", "deferred"]


@dataclass(frozen=True)
class CommitmentLetter:
    item_code: str
    applicant: Applicant
    signer: Signer
    confirmations: tuple[str, ...]       # the eight confirmations of 第十二条, as shown
    materials: tuple[LetterMaterial, ...]
    letter_text: str = field(repr=False)        # names the applicant and signer
    signature_png: bytes = field(repr=False)
    signed_at: dt.datetime
    authorisation: tuple["Page", ...] = ()   # an agent's 授权委托书 (信用承诺 第十四条(二))

    def __repr__(self) -> str:
        return f"CommitmentLetter(item_code={self.item_code!r}, <personal data hidden>)"

    def to_json(self) -> dict:
        applicant = {k: v for k, v in vars(self.applicant).items() if v is not None}
        body = {"item_code": self.item_code, "applicant": applicant, "signer": vars(self.signer),
                "confirmations": list(self.confirmations),
                "materials": [vars(m) for m in self.materials], "letter_text": self.letter_text,
                "signature_png": base64.b64encode(self.signature_png).decode(),
                "signed_at": self.signed_at.isoformat()}
        if self.authorisation:              # absent otherwise: a letter queued before reads the same
            body["authorisation"] = [p.to_json() for p in self.authorisation]
        return body

    @classmethod
    def from_json(cls, data: dict) -> "CommitmentLetter":
        """The letter from `to_json`'s form (the platform's archived copy)."""
        return cls(item_code=data["item_code"], applicant=Applicant(**data["applicant"]),
                   signer=Signer(**data["signer"]), confirmations=tuple(data["confirmations"]),
                   materials=tuple(LetterMaterial(**m) for m in data["materials"]),
                   letter_text=data["letter_text"], signature_png=base64.b64decode(data["signature_png"]),
                   signed_at=dt.datetime.fromisoformat(data["signed_at"]),
                   authorisation=tuple(Page(p["content_type"], base64.b64decode(p["data"]))
                                       for p in data.get("authorisation") or ()))


@dataclass(frozen=True)
class Page:
    content_type: Literal["image/jpeg", "image/png", "application/pdf"]
    data: bytes

    def to_json(self) -> dict:
        return {"content_type": self.content_type, "data": base64.b64encode(self.data).decode()}


@dataclass(frozen=True)
class DeviceHealth:
    status: Literal["ok", "degraded", "offline"]
    reason: str = ""


# --- parsing answers into results --------------------------------------------

def _convert(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, where)
    if origin is Literal:
        if value not in typing.get_args(tp):
            raise PlatformInvalidResponse(f"{where}: unexpected value")   # value not echoed: may be personal
        return value
    if origin is list:
        if not isinstance(value, list):
            raise PlatformInvalidResponse(f"{where}: expected a list")
        (inner,) = typing.get_args(tp)
        return [_convert(inner, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if is_dataclass(tp):
        return _build(tp, value, where)
    if tp is dict:
        if not isinstance(value, dict):
            raise PlatformInvalidResponse(f"{where}: expected an object")
        return value
    if tp in (dt.date, dt.datetime):
        if not isinstance(value, str):
            raise PlatformInvalidResponse(f"{where}: expected a {tp.__name__}")
        try:
            parsed = tp.fromisoformat(value)
        except ValueError:
            raise PlatformInvalidResponse(f"{where}: not a {tp.__name__}") from None
        if tp is dt.date and len(value) != 10:
            raise PlatformInvalidResponse(f"{where}: not a date")
        return parsed
    if tp is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise PlatformInvalidResponse(f"{where}: expected an integer")
    if tp in (str, bool) and not isinstance(value, tp):
        raise PlatformInvalidResponse(f"{where}: expected {tp.__name__}")
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _build(cls: type, data: Any, where: str = "response"):
    if not isinstance(data, dict):
        raise PlatformInvalidResponse(f"{where}: expected an object")
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            if f.default is not MISSING:       # a field the platform does not send (Person.source)
                continue
            raise PlatformInvalidResponse(f"{where}.{f.name}: missing")
        kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
    return cls(**kwargs)
