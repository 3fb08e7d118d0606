"""The kiosk-facing routes under /api/v1 (the platform contract)."""

import base64
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi.responses import FileResponse
from fastapi import Path as PathParam

from sandbox import models as m
from sandbox.auth import Device, decode_public_key
from sandbox.problems import Problem

IdemKey = Annotated[Optional[str], Header(alias="Idempotency-Key", pattern=r"^[A-Za-z0-9_-]{8,128}$")]
CaseNumber = Annotated[str, PathParam(pattern=m.CASE_NUMBER)]


def _pages(pages) -> int:
    for page in pages:
        try:
            base64.b64decode(page.data, validate=True)
        except ValueError:
            raise Problem("invalid-request", "page data is not base64") from None
    return len(pages)


def build_router(store, device_auth, repo_dir: Path, version: str, fleet) -> APIRouter:
    r = APIRouter(prefix="/api/v1")
    Dev = Annotated[Device, Depends(device_auth)]

    @r.get("/health", response_model=m.Health, tags=["platform"])
    async def health():
        return {"status": "ok", "version": version, "server_time": store.now()}

    @r.get("/published-letters", response_model=m.PublishedLetters, tags=["cases"])
    async def published_letters():
        """Commitment letters made public within 20 working days, without personal data
        (信用承诺 第十三条); public, as on the 天津网上办事大厅."""
        store.lifecycle.sweep_if_new_day()
        return {"letters": store.publication.letters()}

    @r.get("/letter-copies/{token}", tags=["cases"], response_class=Response,
           responses={200: {"description": "The applicant's copy of the letter (PDF)",
                            "content": {"application/pdf": {}}}})
    async def letter_copy(token: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{16,64}$")]):
        """The applicant's copy (信用承诺 第十三条 由双方各保存一份), behind the random token the
        receipt's QR carries; public, like a download link."""
        pdf = store.publication.copy_pdf(token)
        if pdf is None:
            raise Problem("not-found")
        return Response(pdf, media_type="application/pdf")

    # --- devices -------------------------------------------------------------
    @r.post("/devices/enroll", response_model=m.Enrollment, status_code=201, tags=["devices"])
    async def enroll(req: m.EnrollRequest):
        return store.enroll(req.enrollment_token, req.terminal_id, decode_public_key(req.public_key)) \
            | {"command_key": fleet.public_key}

    @r.post("/devices/keys", response_model=m.Enrollment, status_code=201, tags=["devices"])
    async def rotate_key(req: m.KeyRotation, device: Dev):
        key_id = store.rotate_key(device.device_id, decode_public_key(req.public_key))
        return {"device_id": device.device_id, "key_id": key_id, "terminal_id": device.terminal_id,
                "enrolled_at": store.now(), "command_key": fleet.public_key}

    @r.post("/devices/heartbeat", response_model=m.HeartbeatReply, tags=["devices"])
    async def heartbeat(req: m.HeartbeatRequest, device: Dev):
        report = req.model_dump()
        store.heartbeat(device.device_id, report)
        fleet.record_results(device.device_id, report["command_results"])
        return {"server_time": store.now(), "commands": fleet.pending(device.device_id)}

    @r.post("/devices/diagnostics", response_model=m.DiagnosticsReceipt, status_code=201, tags=["devices"])
    async def diagnostics(req: m.Diagnostics, device: Dev):
        return {"diagnostic_id": fleet.add_diagnostics(device.device_id, req.model_dump())}

    # --- identity and credit -------------------------------------------------
    @r.post("/identity-codes/resolve", response_model=m.ResolvedIdentity, tags=["identity"])
    async def resolve_code(req: m.ResolveCode, device: Dev):
        return store.resolve_identity_code(req.code)

    @r.post("/credit-checks", response_model=m.CreditStatus, tags=["credit"])
    async def credit_check(req: m.SubjectRef, device: Dev):
        return store.credit_status(req.subject_type, req.subject_id)

    # --- commitment and cases ------------------------------------------------
    @r.post("/commitments", response_model=m.Case, status_code=201, tags=["cases"],
            responses={200: {"description": "Replay of an earlier submission with the same key",
                             "model": m.Case}})
    async def submit_commitment(letter: m.CommitmentLetter, device: Dev, response: Response,
                                key: IdemKey = None):
        if key is None:
            raise Problem("idempotency-key-required")
        payload = letter.model_dump(mode="json")
        _pages(letter.authorisation)
        ref, replayed = store.idempotent(device.device_id, key, "commitment", payload,
                                         lambda: {"case_number": store.create_case(payload, device.device_id)})
        if replayed:
            response.status_code = 200
        return store.case(ref["case_number"])

    @r.post("/cases/{case_number}/letters", response_model=m.Case, tags=["cases"])
    async def renew_letter(case_number: CaseNumber, letter: m.CommitmentLetter, device: Dev,
                           key: IdemKey = None):
        """A new letter for a pending case after a change of legal representative or name
        (信用承诺 第十四条(二))."""
        payload = letter.model_dump(mode="json")
        _pages(letter.authorisation)
        store.idempotent(device.device_id, key, f"renewal:{case_number}", payload,
                         lambda: store.authority.renew(case_number, payload) or {})
        return store.case(case_number)

    @r.get("/cases/{case_number}", response_model=m.Case, tags=["cases"])
    async def get_case(case_number: CaseNumber, device: Dev):
        return store.case(case_number)

    @r.post("/case-searches", response_model=m.CaseList, tags=["cases"])
    async def search_cases(req: m.SubjectRef, device: Dev):
        return {"cases": store.cases_of(req.subject_type, req.subject_id)}

    @r.post("/cases/{case_number}/materials", response_model=m.Case, tags=["cases"])
    async def upload_material(case_number: CaseNumber, req: m.MaterialUpload, device: Dev,
                              key: IdemKey = None):
        pages = _pages(req.pages)
        store.idempotent(device.device_id, key, f"material:{case_number}", req.model_dump(mode="json"),
                         lambda: store.supply_material(case_number, req.material_code, pages) or {})
        return store.case(case_number)

    @r.post("/cases/{case_number}/extension-requests", response_model=m.Case, tags=["cases"])
    async def request_extension(case_number: CaseNumber, req: m.ExtensionRequest, device: Dev,
                                key: IdemKey = None):
        store.idempotent(device.device_id, key, f"extension:{case_number}", req.model_dump(mode="json"),
                         lambda: store.request_extension(case_number, req.reason) or {})
        return store.case(case_number)

    # --- appointments and queue ----------------------------------------------
    @r.get("/appointment-slots", response_model=m.SlotList, tags=["appointments"])
    async def slots(device: Dev,
                    item_code: Annotated[Optional[str], Query(pattern=m.ITEM_CODE)] = None,
                    day: Optional[date] = None,
                    hall: Annotated[Optional[str], Query(pattern=r"^[A-Za-z0-9_-]{1,32}$")] = None):
        return {"slots": store.slots(item_code, day, hall)}

    @r.post("/appointments", response_model=m.Appointment, status_code=201, tags=["appointments"])
    async def book(req: m.BookingRequest, device: Dev, key: IdemKey = None):
        result, _ = store.idempotent(device.device_id, key, "appointment", req.model_dump(mode="json"),
                                     lambda: store.book(req.model_dump()))
        return result

    @r.get("/appointments/{appointment_number}", response_model=m.Appointment, tags=["appointments"])
    async def appointment(appointment_number: Annotated[str, PathParam(pattern=r"^[A-Z0-9-]{1,40}$")],
                          device: Dev):
        """One appointment by its number (the QR of its slip, scanned at 我有预约)."""
        return store.appointment(appointment_number)

    @r.delete("/appointments/{appointment_number}", response_model=m.Appointment, tags=["appointments"])
    async def cancel(appointment_number: Annotated[str, PathParam(pattern=r"^[A-Z0-9-]{1,40}$")],
                     device: Dev):
        return store.cancel(appointment_number)

    @r.post("/appointment-searches", response_model=m.AppointmentList, tags=["appointments"])
    async def search_appointments(req: m.AppointmentSearch, device: Dev):
        return {"appointments": store.appointments_of(req.id_number)}

    @r.post("/queue-tickets", response_model=m.QueueTicket, status_code=201, tags=["appointments"])
    async def ticket(req: m.TicketRequest, device: Dev, key: IdemKey = None):
        result, _ = store.idempotent(device.device_id, key, "ticket", req.model_dump(mode="json"),
                                     lambda: store.take_ticket(req.hall, req.category,
                                                               req.appointment_number))
        return result

    # --- evaluation, complaint, credit repair --------------------------------
    @r.post("/evaluations", response_model=m.Receipt, status_code=201, tags=["feedback"])
    async def evaluate(req: m.EvaluationRequest, device: Dev, key: IdemKey = None):
        if req.level in ("dissatisfied", "very_dissatisfied") and not req.reasons:
            raise Problem("evaluation-reason-required")
        result, _ = store.idempotent(device.device_id, key, "evaluation", req.model_dump(mode="json"),
                                     lambda: store.receipt("evaluation", "EV", req.model_dump(mode="json")))
        return result

    @r.post("/complaints", response_model=m.Receipt, status_code=201, tags=["feedback"])
    async def complain(req: m.ComplaintRequest, device: Dev, key: IdemKey = None):
        result, _ = store.idempotent(device.device_id, key, "complaint", req.model_dump(mode="json"),
                                     lambda: store.receipt("complaint", "TS", req.model_dump(mode="json")))
        return result

    @r.post("/credit-repairs", response_model=m.Receipt, status_code=201, tags=["credit"])
    async def credit_repair(req: m.CreditRepairRequest, device: Dev, key: IdemKey = None):
        kinds = {d.kind for d in req.documents}
        missing = {"application", "subject_qualification"} - kinds
        if missing:
            raise Problem("repair-documents-missing", ", ".join(sorted(missing)))
        for document in req.documents:
            _pages(document.pages)

        def run():
            if store.credit_status(req.subject_type, req.subject_id)["standing"] != "blacklisted":
                raise Problem("not-blacklisted")
            summary = {"subject_type": req.subject_type, "subject_id": req.subject_id,
                       "documents": sorted(kinds)}
            return store.receipt("credit_repair", "XF", summary)
        result, _ = store.idempotent(device.device_id, key, "credit-repair",
                                     req.model_dump(mode="json"), run)
        return result

    # --- signed configuration repository (static files) ----------------------
    @r.get("/config-repo/{path:path}", tags=["config"], response_class=FileResponse,
           responses={200: {"description": "A file of the signed config repository",
                            "content": {"application/octet-stream": {}}}})
    async def config_file(path: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9._/-]{1,200}$")]):
        root = repo_dir.resolve()
        target = (root / path).resolve()
        if root not in target.parents or not target.is_file() or any(p.startswith(".") for p in Path(path).parts):
            raise Problem("not-found")
        return FileResponse(target, media_type="application/octet-stream")

    return r
