"""Commitment approval (承诺审批) rules: 信用承诺办法 第三–十六条, without Kivy or I/O to devices.

- eligibility of an item (it allows commitment and has deferrable materials; the
  excluded categories of 第四条 are named when the catalog says why not);
- the applicant: a natural person (kiosk.identity.Person) signing in person or through an
  agent, or a company by USCC with its legal representative or an agent (委托代理人), each
  identified by ID card; an agent's 授权委托书 is captured by the document camera, goes with
  the letter and is never deferrable (信用承诺 第十四条(二)); the platform checks the legal
  representative against its 法人库;
- the wording (title, the eight confirmations of 第十二条, the rules) from
  config/commitment.toml, which admins may replace; loaded and validated;
- the materials checklist (provided now / deferred) and the supplement deadline:
  60 working days from the day of commitment (第三条), +20 on an approved written
  request (第十六条); a date the calendar does not cover gives None (the platform
  confirms it);
- the letter: `LetterDraft.letter()` builds the platform's CommitmentLetter with
  the rendered text and the signature image (`signature_png` draws strokes with Pillow).
"""
from __future__ import annotations

import datetime as dt
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal, Optional, Sequence

from kiosk.config import REPO_CONFIG
from kiosk.identity import IdentityRefused, Person, valid_uscc
from kiosk.platform.contract import CHINA_TZ
from kiosk.platform.models import Applicant, Case, CommitmentLetter, LetterMaterial, Page, Signer
from kiosk.workdays.calendar import WorkCalendar
from kiosk.workdays.deadlines import count

__all__ = ["Wording", "WordingError", "load_wording", "Eligibility", "eligibility", "company_applicant",
           "person_applicant", "MaterialChoice", "checklist", "supplement_due", "extended_due", "LetterDraft",
           "signature_png", "SignatureEmpty", "WORDING_FILE"]

WORDING_FILE = REPO_CONFIG / "commitment.toml"
CST = CHINA_TZ


# --- wording ------------------------------------------------------------------------

class WordingError(ValueError):
    """config/commitment.toml (or an admin's replacement) is not usable; names the key."""


@dataclass(frozen=True)
class Wording:
    title: str
    decision: str
    preamble: str
    confirmations: tuple[str, ...]
    supplement_rule: str
    extension_rule: str
    exclusion_rule: str
    excluded_categories: tuple[str, ...]
    supplement_workdays: int = 60
    extension_workdays: int = 20
    hotline: str = "88908890"


def load_wording(path: str | Path = WORDING_FILE) -> Wording:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WordingError(f"{path}: {exc}") from None
    texts = ("title", "decision", "preamble", "supplement_rule", "extension_rule", "exclusion_rule", "hotline")
    for key in texts:
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise WordingError(f"{path}: {key}: a non-empty text is required")
    confirmations = data.get("confirmations")
    if (not isinstance(confirmations, list) or len(confirmations) != 8
            or not all(isinstance(c, str) and c.strip() for c in confirmations)):
        raise WordingError(f"{path}: confirmations: exactly eight non-empty texts (第十二条(一)–(八))")
    categories = data.get("excluded_categories", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) and c for c in categories):
        raise WordingError(f"{path}: excluded_categories: a list of texts")
    numbers = {}
    for key, default in (("supplement_workdays", 60), ("extension_workdays", 20)):
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise WordingError(f"{path}: {key}: a positive integer")
        numbers[key] = value
    unknown = set(data) - set(texts) - {"confirmations", "excluded_categories", *numbers}
    if unknown:
        raise WordingError(f"{path}: {sorted(unknown)[0]}: unknown key")
    return Wording(confirmations=tuple(confirmations), excluded_categories=tuple(categories),
                   **{k: data[k] for k in texts}, **numbers)


# --- eligibility ------------------------------------------------------------------------

@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""                       # for the citizen, citing the rule
    categories: tuple[str, ...] = ()       # 第四条 categories the item touches


def eligibility(item, wording: Wording) -> Eligibility:
    """Whether `item` (a catalog Item) may be handled by commitment approval."""
    if item is None:
        return Eligibility(False, wording.exclusion_rule)
    reason = item.commitment.reason or ""
    touched = tuple(c for c in wording.excluded_categories if any(part in reason for part in _parts(c)))
    if not item.commitment.allowed:
        return Eligibility(False, reason or wording.exclusion_rule, touched)
    if not item.deferrable_materials:
        return Eligibility(False, reason or wording.exclusion_rule, touched)
    return Eligibility(True)


def _parts(category: str) -> tuple[str, ...]:
    """"人身健康、生命财产" matches either half; "行政许可决定不可撤销" matches "不可撤销"."""
    parts = tuple(p for p in category.split("、") if p)
    return parts + (("不可撤销",) if "不可撤销" in category else ())


# --- applicants ---------------------------------------------------------------------------

def person_applicant(person: Person, agent: Person | None = None) -> tuple[Applicant, Signer]:
    """A natural person signing in person, or through `agent` (信用承诺 第十四条(二): 行政相对人可以
    委托代理人作出承诺): both ID cards read, the agent's 授权委托书 captured with the letter."""
    if agent is not None and agent.id_number == person.id_number:
        raise IdentityRefused("agent")
    signer = Signer("agent", agent.name, agent.id_number) if agent else \
        Signer("applicant", person.name, person.id_number)
    return Applicant("person", person.name, id_number=person.id_number), signer


def company_applicant(company_name: str, uscc: str, signer: Person,
                      role: Literal["legal_representative", "agent"]) -> tuple[Applicant, Signer]:
    """A company applicant signed by its legal representative or an authorised agent (委托代理人)."""
    if not company_name.strip():
        raise IdentityRefused("name")
    if not valid_uscc(uscc):
        raise IdentityRefused("uscc")
    return (Applicant("company", company_name.strip(), uscc=uscc.strip().upper()),
            Signer(role, signer.name, signer.id_number))


# --- materials and deadlines -------------------------------------------------------------------

@dataclass(frozen=True)
class MaterialChoice:
    code: str
    name: str
    deferrable: bool
    deferred: bool = False


AUTHORISATION = "授权委托书"


def is_authorisation(name: str) -> bool:
    """The material that carries an agent's authority (信用承诺 第十四条(二)): never deferrable."""
    return AUTHORISATION in name


def checklist(item) -> list[MaterialChoice]:
    """Every material of the item; deferrable ones start deferred (the citizen unticks what they
    brought). A 授权委托书 is never deferrable, whatever the catalog says (信用承诺 第十四条(二))."""
    return [MaterialChoice(m.id, m.name, ok, ok) for m in item.materials
            for ok in (m.deferrable and not is_authorisation(m.name),)]


def supplement_due(committed_on: dt.date, wording: Wording | None = None,
                   calendar: WorkCalendar | None = None) -> Optional[dt.date]:
    """第三条: the n-th working day after the day of commitment, on `calendar` (the app passes
    services.calendar: chinesecalendar plus the pushed tables; None: chinesecalendar alone);
    None when the date lies beyond the calendar's data."""
    days = wording.supplement_workdays if wording else 60
    return count(calendar or WorkCalendar(), committed_on, days)


def extended_due(committed_on: dt.date, wording: Wording | None = None,
                 calendar: WorkCalendar | None = None) -> Optional[dt.date]:
    """第十六条: the supplement deadline plus 20 working days, after an approved written request."""
    days = (wording.supplement_workdays + wording.extension_workdays) if wording else 80
    return count(calendar or WorkCalendar(), committed_on, days)


# --- the signature ------------------------------------------------------------------------------

class SignatureEmpty(ValueError):
    """The signature pad holds no stroke long enough to be a signature."""


def signature_png(strokes: Sequence[Sequence[tuple[float, float]]], size: tuple[int, int],
                  width: int = 4, min_points: int = 8) -> bytes:
    """Draw strokes (lists of (x, y), y up as in Kivy) black on white; PNG bytes."""
    from PIL import Image, ImageDraw
    if sum(len(s) for s in strokes) < min_points:
        raise SignatureEmpty("signature is empty")
    w, h = max(1, int(size[0])), max(1, int(size[1]))
    image = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        points = [(x, h - y) for x, y in stroke]
        if len(points) == 1:
            x, y = points[0]
            draw.ellipse((x - width, y - width, x + width, y + width), fill=0)
        elif points:
            draw.line(points, fill=0, width=width, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- the letter ---------------------------------------------------------------------------------

@dataclass
class LetterDraft:
    """The letter being assembled step by step in the citizen's session."""
    item_code: str
    item_name: str
    wording: Wording
    applicant: Optional[Applicant] = None
    signer: Optional[Signer] = None
    materials: list[MaterialChoice] = field(default_factory=list)
    acknowledged: set[int] = field(default_factory=set)     # indexes of confirmations acknowledged
    signature: bytes = b""
    authorisation: list[Page] = field(default_factory=list)  # an agent's 授权委托书, captured pages

    def __repr__(self) -> str:
        return f"LetterDraft(item_code={self.item_code!r}, <personal data hidden>)"

    def set_deferred(self, code: str, deferred: bool) -> None:
        self.materials = [MaterialChoice(m.code, m.name, m.deferrable, deferred if m.deferrable else False)
                          if m.code == code else m for m in self.materials]

    @property
    def deferred(self) -> list[MaterialChoice]:
        return [m for m in self.materials if m.deferred]

    @property
    def all_acknowledged(self) -> bool:
        return self.acknowledged >= set(range(len(self.wording.confirmations)))

    def missing(self) -> list[str]:
        """What still stops the letter from being signed and sent (step names)."""
        out = []
        if self.applicant is None or self.signer is None:
            out.append("applicant")
        elif self.signer.role == "agent" and not self.authorisation:
            out.append("authorisation")              # 信用承诺 第十四条(二): never deferred
        if not self.deferred:
            out.append("materials")
        if not self.all_acknowledged:
            out.append("confirmations")
        if not self.signature:
            out.append("signature")
        return out

    def render(self, signed_at: dt.datetime) -> str:
        w, a, s = self.wording, self.applicant, self.signer
        lines = [w.title, "", w.preamble, "",
                 f"事项：{self.item_name}（{self.item_code}）"]
        if a is not None:
            if a.subject_type == "person":
                lines.append(f"申请人：{a.name}  公民身份号码：{a.id_number}")
            else:
                lines.append(f"申请单位：{a.name}  统一社会信用代码：{a.uscc}")
        if s is not None and s.role != "applicant":
            role = "法定代表人" if s.role == "legal_representative" else "委托代理人"
            lines.append(f"{role}：{s.name}  公民身份号码：{s.id_number}")
            if s.role == "agent":
                lines.append(f"授权委托书：已随本承诺书提交（{len(self.authorisation)}页）")
        lines += ["", *w.confirmations, "", "已提交材料：" + ("、".join(m.name for m in self.materials
                                                           if not m.deferred) or "无"),
                  "承诺后补材料：" + "、".join(m.name for m in self.deferred),
                  w.supplement_rule, w.extension_rule, "",
                  f"签署时间：{signed_at.astimezone(CST):%Y年%m月%d日 %H:%M}"]
        return "\n".join(lines)

    def letter(self, signed_at: dt.datetime | None = None) -> CommitmentLetter:
        missing = self.missing()
        if missing:
            raise ValueError(f"the letter is incomplete: {', '.join(missing)}")
        signed_at = signed_at or dt.datetime.now(CST)
        materials = tuple(LetterMaterial(m.code, m.name, "deferred" if m.deferred else "provided")
                          for m in self.materials)
        return CommitmentLetter(item_code=self.item_code, applicant=self.applicant, signer=self.signer,
                                confirmations=self.wording.confirmations, materials=materials,
                                letter_text=self.render(signed_at), signature_png=self.signature,
                                signed_at=signed_at,
                                authorisation=tuple(self.authorisation) if self.signer.role == "agent" else ())


def new_draft(item, wording: Wording) -> LetterDraft:
    return LetterDraft(item.code, item.name, wording, materials=checklist(item))


def deferred_names(materials: Iterable[LetterMaterial]) -> list[str]:
    return [m.name for m in materials if m.status == "deferred"]


# --- submission ------------------------------------------------------------------------------

KIND = "commitment"


@dataclass(frozen=True, repr=False)
class Submission:
    """A signed letter handed to the platform: stored in the outbox first (`ref` is its
    receipt code), `case` the platform's case once it accepted, None while it waits queued."""
    letter: CommitmentLetter
    ref: str
    case: Optional[Case]

    @property
    def queued(self) -> bool:
        return self.case is None

    def __repr__(self) -> str:
        return f"Submission(ref={self.ref!r}, queued={self.queued})"


def outbox_handler(platform):
    """Sends one stored letter: (payload, idempotency key) -> Case. The key is the entry's own,
    so a resend after a crash is the same letter, never a second case."""
    return lambda payload, key: platform.submit_commitment(payload, key)


def submit(sender, letter: CommitmentLetter) -> Submission:
    """Worker thread: store durably (fsync'd), then try to send at once. Raises PlatformRejected."""
    entry, case = sender.submit(KIND, letter.to_json())
    return Submission(letter, entry.ref, case)
