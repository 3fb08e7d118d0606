"""Request and response bodies of the platform API (pydantic, unknown fields refused)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Optional

import re

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kiosk.platform.contract import CALLBACK_PHONE, CommandType

ID_NUMBER = r"^[0-9]{17}[0-9X]$"
USCC = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
ITEM_CODE = r"^[0-9A-Za-z-]{1,64}$"
CASE_NUMBER = r"^[A-Z0-9-]{1,40}$"

# Personal data (names, ID numbers, phones, the letter's text and signature) never shows in a repr
# (an Optional one says Field(None, repr=False): pydantic reads Hidden only at the top level).
Hidden = Field(repr=False)
Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
PersonalText = Annotated[Text, Hidden]
IdNumber = Annotated[str, StringConstraints(pattern=ID_NUMBER)]
PersonalId = Annotated[IdNumber, Hidden]
SubjectId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{18}$"), Hidden]   # ID number or USCC
ItemCode = Annotated[str, StringConstraints(pattern=ITEM_CODE)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+-]{5,20}$")]
CallbackPhone = Annotated[str, StringConstraints(pattern=CALLBACK_PHONE)]
Base64 = Annotated[str, StringConstraints(min_length=1, max_length=6_000_000,
                                          pattern=r"^[A-Za-z0-9+/]+={0,2}$")]
SubjectType = Literal["person", "company"]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- devices ---------------------------------------------------------------

class EnrollRequest(In):
    enrollment_token: Annotated[str, StringConstraints(min_length=8, max_length=128)]
    terminal_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    key_algorithm: Literal["ed25519"] = "ed25519"
    public_key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{43}=?$")]


class Enrollment(Out):
    device_id: str
    key_id: str
    terminal_id: str
    enrolled_at: datetime
    command_key: str = Field(description="The platform's Ed25519 public key (base64url) that signs "
                                         "commands; the terminal keeps it from enrollment")


class KeyRotation(In):
    public_key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{43}=?$")]


class DeviceHealth(In):
    status: Literal["ok", "degraded", "offline"]
    reason: Annotated[str, StringConstraints(max_length=200)] = ""


class CommandResult(In):
    command_id: int = Field(ge=1, le=2**53)
    status: Literal["done", "failed", "refused"]
    detail: Annotated[str, StringConstraints(max_length=300)] = ""


class CalendarReport(In):
    """The terminal's work calendar (kiosk.workdays.calendar.coverage_status)."""
    coverage: Annotated[str, StringConstraints(max_length=200)] = ""   # e.g. "2004-2026 chinesecalendar, 2027 table"
    last_year: Optional[int] = Field(default=None, ge=1900, le=2200)  # covered without a gap from this year
    missing_year: Optional[int] = Field(default=None, ge=1900, le=2200)  # from 1 October: next year, uncovered


class ConfigReport(In):
    """The terminal's last config update cycle (kiosk.fleet.updates.UpdateStatus)."""
    outcome: Literal["never", "up-to-date", "applied", "rejected", "rolled-back", "unavailable"]
    version: Optional[int] = Field(default=None, ge=0, le=2**53)
    offered: Optional[int] = Field(default=None, ge=0, le=2**53)
    reason: Annotated[str, StringConstraints(max_length=300)] = ""
    checked_at: Annotated[str, StringConstraints(max_length=40)] = ""
    clock_source: Literal["platform", "local"] = "local"
    restart_pending: list[Annotated[str, StringConstraints(max_length=80)]] = Field(
        default_factory=list, max_length=64)     # settings applied at the next idle restart
    calendar: Optional[CalendarReport] = None


class HeartbeatRequest(In):
    app_version: Annotated[str, StringConstraints(max_length=40)] = ""
    config_version: Optional[int] = Field(default=None, ge=0, le=2**53)
    uptime_seconds: int = Field(default=0, ge=0, le=2**40)
    outbox_depth: int = Field(default=0, ge=0, le=10**9)
    devices: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")], DeviceHealth] = Field(
        default_factory=dict, max_length=32)
    acked_commands: list[Annotated[int, Field(ge=1, le=2**53)]] = Field(default_factory=list, max_length=100)
    command_results: list[CommandResult] = Field(default_factory=list, max_length=100)
    last_error: Annotated[str, StringConstraints(max_length=300)] = ""
    clock_offset_seconds: Optional[float] = Field(default=None, ge=-1e10, le=1e10)
    maintenance: bool = False
    config: Optional[ConfigReport] = None


class Command(Out):
    """A command for this terminal, signed by the platform's command key (docs/FLEET.md)."""
    command_id: int
    type: CommandType
    args: dict[str, str]
    issued_at: str
    signature: str


class Diagnostics(In):
    command_id: Optional[int] = Field(default=None, ge=1, le=2**53)
    app_version: Annotated[str, StringConstraints(max_length=40)] = ""
    summary: dict[Annotated[str, StringConstraints(max_length=64)],
                  Annotated[str, StringConstraints(max_length=2000)]] = Field(default_factory=dict, max_length=64)
    log_lines: list[Annotated[str, StringConstraints(max_length=4000)]] = Field(default_factory=list,
                                                                                 max_length=2000)


class DiagnosticsReceipt(Out):
    diagnostic_id: int


class HeartbeatReply(Out):
    server_time: datetime
    commands: list[Command]


# --- identity and credit ---------------------------------------------------

class ResolveCode(In):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,128}$")]


class Person(Out):
    name: Annotated[str, Hidden]
    id_number: Annotated[str, Hidden]


class ResolvedIdentity(Out):
    person: Person
    resolved_at: datetime


class _Subject(In):
    @model_validator(mode="after")
    def _id_matches_type(self):
        pattern = ID_NUMBER if self.subject_type == "person" else USCC
        if not re.match(pattern, self.subject_id):
            raise ValueError("subject_id must be an ID number for a person, a USCC for a company")
        return self


class SubjectRef(_Subject):
    subject_type: SubjectType
    subject_id: SubjectId


class CreditStatus(Out):
    subject_type: SubjectType
    standing: Literal["good", "blacklisted"]
    blacklisted_on: Optional[date]
    reason: str
    pending_commitment_cases: int
    suspended_cases: int
    honest: bool = Field(description="an honest subject (诚信主体): the green channel applies (失信惩戒 第十条)")
    name: str = Field("", repr=False, description="the subject's registered name as on its credit record ('' if unknown); "
                                      "a company's name for its commitment letter")
    commitment_barred: bool = Field(False, description="a decision was revoked for false materials: "
                                                       "no more commitment approval (全程监督 第十七条)")


# --- commitment and cases --------------------------------------------------

class Applicant(In):
    subject_type: SubjectType
    name: PersonalText                           # person's name or company name
    id_number: Optional[IdNumber] = Field(None, repr=False)   # person
    uscc: Optional[Annotated[str, StringConstraints(pattern=USCC)]] = None  # company


class Signer(In):
    role: Literal["applicant", "legal_representative", "agent"]
    name: PersonalText
    id_number: PersonalId


class LetterMaterial(In):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    name: Text
    status: Literal["provided", "deferred"]


class CommitmentLetter(In):
    item_code: ItemCode
    applicant: Applicant
    signer: Signer
    confirmations: list[LongText] = Field(min_length=8, max_length=8)
    materials: list[LetterMaterial] = Field(default_factory=list, max_length=100)
    letter_text: Annotated[str, StringConstraints(min_length=1, max_length=20000), Hidden]
    signature_png: Annotated[Base64, Hidden]
    signed_at: datetime
    authorisation: list["Page"] = Field(default_factory=list, max_length=10, description=(
        "an agent's 授权委托书, pages from the document camera; required when the signer is an "
        "agent, never deferred (信用承诺 第十四条(二))"))


class CaseMaterial(Out):
    code: str
    name: str
    status: Literal["provided", "deferred", "supplied"]
    due_on: Optional[date]
    supplied_on: Optional[date]


class CaseEvent(Out):
    event: str
    on: date


class Deadlines(Out):
    supplement_due: Optional[date]
    verification_start_due: Optional[date]
    verification_end_due: Optional[date]
    rectification_due: Optional[date]
    confirmed: bool                      # false: the calendar does not cover a date yet


class Extension(Out):
    """信用承诺 第十六条: a written request, decided by the deciding agency's legal representative."""
    status: Literal["none", "requested", "granted", "refused"]
    requested_on: Optional[date]
    extra_workdays: int
    decided_on: Optional[date] = None
    routed_to: str = Field("", description="who decides: the deciding agency's legal representative")


class Judgement(Out):
    """The agency's credit judgement of the case (信用承诺 第七、九条)."""
    status: Literal["pending", "honest", "dishonest", "lenient"]
    ground: Literal["fraud", "late", "unqualified", "other"]
    what: str
    article: str
    opened_on: date
    decided_on: Optional[date]


class Revocation(Out):
    """The decision revoked, with its ground (信用承诺 第十六条; 全程监督 第十、十二、十七条)."""
    ground: Literal["materials_not_supplied", "materials_unqualified", "rectification_failed",
                    "false_materials"]
    what: str
    article: str
    on: date


class Renewal(Out):
    """The 法人库 changed since the letter: a new letter is due (信用承诺 第十四条(二))."""
    changed: list[Literal["legal_representative", "name"]]
    since: date
    article: str


class Case(Out):
    case_number: str
    item_code: str
    item_name: str
    decision: Literal["承诺审批"]
    status: Literal["approved", "verifying", "verified", "completed", "suspended", "overdue", "revoked"]
    committed_on: date
    deadlines: Deadlines
    extension: Extension
    materials: list[CaseMaterial]
    timeline: list[CaseEvent]
    judgement: Optional[Judgement] = None
    revocation: Optional[Revocation] = None
    renewal: Optional[Renewal] = None
    letter_copy: Optional[str] = Field(None, description="path of the applicant's copy (PDF) on the "
                                                         "platform, for the receipt's QR (信用承诺 第十三条)")


class PublicApplicant(Out):
    subject_type: SubjectType
    name: str = Field(description="a company's registered name; a person's surname only")
    uscc: Optional[str] = None


class PublicMaterial(Out):
    name: str
    status: Literal["provided", "deferred"]


class PublishedLetter(Out):
    """A commitment letter as made public (信用承诺 第十三条), without personal data."""
    case_number: str
    item_code: str
    item_name: str
    applicant: PublicApplicant
    signer_role: Literal["applicant", "legal_representative", "agent"]
    confirmations: list[str]
    materials: list[PublicMaterial]
    committed_on: date
    approved_on: date
    published_on: date
    due_on: Optional[date] = Field(description="the last day of the 20 working days; null beyond the calendar")


class PublishedLetters(Out):
    letters: list[PublishedLetter]


class CaseList(Out):
    cases: list[Case]


class Page(In):
    content_type: Literal["image/jpeg", "image/png", "application/pdf"]
    data: Base64


class MaterialUpload(In):
    material_code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    pages: list[Page] = Field(min_length=1, max_length=20)


class ExtensionRequest(In):
    reason: LongText


# --- appointments, queue ---------------------------------------------------

class Slot(Out):
    slot_id: str
    hall: str
    window: str
    item_code: Optional[str]
    starts_at: datetime
    ends_at: datetime
    capacity: int
    remaining: int


class SlotList(Out):
    slots: list[Slot]


class BookingRequest(In):
    slot_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
    item_code: ItemCode
    name: PersonalText
    id_number: PersonalId
    phone: Optional[Phone] = Field(None, repr=False)


class Appointment(Out):
    appointment_number: str
    slot: Slot
    item_code: str
    status: Literal["booked", "cancelled", "checked_in"] = Field(description="checked_in: a queue ticket was taken with it")


class AppointmentSearch(In):
    id_number: PersonalId


class AppointmentList(Out):
    appointments: list[Appointment]


class TicketRequest(In):
    hall: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    category: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
    item_code: Optional[ItemCode] = None
    appointment_number: Optional[Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{1,40}$")]] = None


class QueueTicket(Out):
    ticket_number: str
    hall: str
    category: str
    waiting_ahead: int
    issued_at: datetime
    priority: bool = Field(description="called before the others: taken with a booked appointment")


# --- evaluation, complaint, credit repair ----------------------------------

Level = Literal["very_satisfied", "satisfied", "basic", "dissatisfied", "very_dissatisfied"]


class EvaluationRequest(In):
    level: Level
    reasons: list[Text] = Field(default_factory=list, max_length=10)
    comment: Annotated[str, StringConstraints(max_length=2000)] = ""
    case_number: Optional[Annotated[str, StringConstraints(pattern=CASE_NUMBER)]] = None
    item_code: Optional[ItemCode] = None


class ComplaintRequest(In):
    category: Literal["service", "efficiency", "conduct", "terminal", "other"]
    content: LongText
    contact_phone: Optional[CallbackPhone] = Field(None, repr=False)
    case_number: Optional[Annotated[str, StringConstraints(pattern=CASE_NUMBER)]] = None
    item_code: Optional[ItemCode] = None


RepairKind = Literal["application", "subject_qualification", "materials_supplied",
                     "penalty_fulfilled", "rectification", "other"]


class RepairDocument(In):
    kind: RepairKind
    pages: list[Page] = Field(min_length=1, max_length=20)


class CreditRepairRequest(_Subject):
    subject_type: SubjectType
    subject_id: SubjectId
    contact_phone: Optional[Phone] = Field(None, repr=False)
    documents: list[RepairDocument] = Field(min_length=1, max_length=20)


class Receipt(Out):
    """Acknowledgement of an evaluation, complaint or credit repair request."""
    number: str
    received_at: datetime
    status: Literal["received"]


class Health(Out):
    status: Literal["ok"]
    version: str
    server_time: datetime


CommitmentLetter.model_rebuild()
