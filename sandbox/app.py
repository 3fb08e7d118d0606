"""Builds the sandbox ASGI app: store, auth, routes, body limit, problem handlers, OpenAPI."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kiosk.workdays.calendar import HolidayTable, WorkCalendar
from sandbox import admin, api, seed
from sandbox.auth import AdminAuth, DeviceAuth
from sandbox.fleet import Fleet
from sandbox.problems import MEDIA_TYPE, PROBLEMS, install, problem_response
from sandbox.store import Store, load_items

VERSION = "1.0.0"
MAX_BODY = 8 * 1024 * 1024
DATA = Path(__file__).resolve().parent / "data"
CATALOG_ITEMS = Path(__file__).resolve().parent.parent / "config" / "catalog" / "items"


def default_item_sources() -> list[Path]:
    """The sandbox's own demo rules, then the kiosk's catalog when it is there."""
    return [DATA / "items.json"] + ([CATALOG_ITEMS] if CATALOG_ITEMS.is_dir() else [])
ERROR_STATUSES = sorted({status for status, _ in PROBLEMS.values()})


@dataclass
class SandboxConfig:
    db: Path
    repo_dir: Path = Path("var/config-repo")
    items: list[Path] = field(default_factory=default_item_sources)
    holidays: Path | list[Path | HolidayTable] | None = None   # holidays.json files, bundle dirs or tables
    admin_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    today: date | None = None                    # fixed "today" for demos and tests
    seed: bool = True


class BodyLimit:
    """ASGI middleware: refuse bodies over MAX_BODY with 413, declared or streamed."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                return await problem_response("body-too-large", f"limit {self.limit} bytes")(scope, receive, send)
        seen, too_large, started = 0, False, False

        async def limited():
            nonlocal seen, too_large
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                too_large = True
                raise _TooLarge()
            return message

        async def guarded_send(message):
            nonlocal started
            if too_large:                 # whatever the app made of the cut-off body is dropped
                return
            started = True
            await send(message)
        try:
            await self.app(scope, limited, guarded_send)
        except _TooLarge:
            pass
        if too_large and not started:
            await problem_response("body-too-large", f"limit {self.limit} bytes")(scope, receive, send)


class _TooLarge(Exception):
    pass


def holiday_tables(paths: Path | list[Path] | None) -> tuple[HolidayTable, ...]:
    """The tables as the kiosk loads them (HolidayTable.load of a bundle's holidays.json); a
    directory stands for a bundle and gives its holidays.json. Later paths win for a year."""
    if paths is None:
        return ()
    out = []
    for path in [paths] if isinstance(paths, (str, Path, HolidayTable)) else paths:
        if isinstance(path, HolidayTable):
            out.append(path)
            continue
        path = Path(path)
        out.append(HolidayTable.load(path / "holidays.json" if path.is_dir() else path))
    return tuple(out)


def open_store(config: SandboxConfig, calendar: WorkCalendar | None = None, serving: bool = True) -> Store:
    """`calendar`: a ready work calendar (the embedded platform shares the kiosk's own, which
    the kiosk updates in place); else one from chinesecalendar and `config.holidays`.
    `serving`: the server records its fixed day (or that it has none) in the database, so the
    admin CLI (serving=False, no --today of its own) works on the server's day."""
    if calendar is None:
        calendar = WorkCalendar(holiday_tables(config.holidays))
    today = (lambda: config.today) if config.today else None
    store = Store(config.db, load_items(*config.items), calendar, today=today)
    if serving:
        store.record_fixed_day(config.today)
    if config.seed and not store.is_seeded():
        seed.seed(store, store.today())
        store.mark_seeded()
    return store


def create_app(config: SandboxConfig, store: Store | None = None,
               calendar: WorkCalendar | None = None) -> FastAPI:
    store = store or open_store(config, calendar)
    app = FastAPI(title="政务一网通 platform API (kiosk contract)", version=VERSION,
                  description="Contract between the Tianjin self-service kiosks and the platform. "
                              "See docs/PLATFORM.md.", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None)
    app.state.store = store
    fleet = app.state.fleet = Fleet(store)
    install(app)
    app.include_router(api.build_router(store, DeviceAuth(store), Path(config.repo_dir), VERSION, fleet))
    app.include_router(admin.build_router(store, AdminAuth(config.admin_token), fleet))
    app.add_middleware(BodyLimit)
    app.openapi = lambda: _openapi(app)
    return app


def _openapi(app: FastAPI) -> dict:
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description,
                      routes=app.routes)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["Problem"] = {
        "type": "object", "required": ["type", "title", "status"],
        "description": "RFC 9457 problem details; `type` is urn:tj-kiosk:problem:<slug>.",
        "properties": {"type": {"type": "string", "enum": sorted(f"urn:tj-kiosk:problem:{s}" for s in PROBLEMS)},
                       "title": {"type": "string"}, "status": {"type": "integer"},
                       "detail": {"type": "string"}, "instance": {"type": "string"}},
    }
    doc["components"]["securitySchemes"] = {"httpMessageSignature": {
        "type": "apiKey", "in": "header", "name": "Signature",
        "description": "RFC 9421 HTTP Message Signature, Ed25519, per-terminal key; see docs/PLATFORM.md"}}
    problem = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            responses = op["responses"]
            responses.pop("422", None)
            for status in ERROR_STATUSES:
                responses[str(status)] = {"description": PROBLEMS_TITLE.get(status, "Problem"),
                                          "content": problem}
            public = path in ("/api/v1/health", "/api/v1/devices/enroll", "/api/v1/published-letters") \
                or path.startswith(("/api/v1/config-repo", "/api/v1/letter-copies"))
            if not public:
                op["security"] = [{"httpMessageSignature": []}]
    app.openapi_schema = doc
    return doc


PROBLEMS_TITLE = {400: "Malformed request", 401: "Not authenticated", 403: "Forbidden",
                  404: "Not found", 405: "Method not allowed", 409: "Conflict with the resource state",
                  410: "Gone", 413: "Body too large", 415: "Unsupported media type",
                  422: "Refused by a rule or the contract", 500: "Internal error"}
