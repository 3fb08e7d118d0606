"""Privacy audit: after commitment flows through the real app with known test citizens (one
online, one while the platform is down, so the outbox holds a letter), the captured JSON
logs, the diagnostics ring (what a diagnostics upload sends), the files the run wrote
(state directory with the outbox database, new temp files) and crash output (a traceback
through the session) hold none of their names or ID numbers in clear."""
from __future__ import annotations

import io
import logging
import tempfile
import time
import traceback
from pathlib import Path

import pytest

from drivers.idcard import cards
from kiosk.fleet.diagnostics import LogRing
from kiosk.logs import make_handler
from tests.ui.test_commitment import _identified, _start, _through_to_review

pytestmark = pytest.mark.ui


def _needles(identity):
    number = identity.id_number
    return {identity.name: identity.name, number: number, number[-8:] + "(birth+seq)": number[6:14] + number[14:17]}


def _scan_bytes(blob: bytes, needles, where: str):
    for label, needle in needles.items():
        for encoding in ("utf-8", "utf-16-le", "gb18030"):
            assert needle.encode(encoding) not in blob, f"{label} in clear ({encoding}) in {where}"


def test_no_identity_in_logs_files_outbox_diagnostics_or_crash_output(make_settings, sandbox, tmp_path):
    from app_helpers import app_with_platform
    stream, ring = io.StringIO(), LogRing()
    handler = make_handler(stream)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)                          # as kiosk.logs.setup_logging does in production
    root.addHandler(handler)
    ring.install(root)
    started = time.time()
    app = app_with_platform(make_settings, sandbox, sandbox.url)
    identity = cards.resident()
    try:
        _start(app)
        _identified(app)
        review = _through_to_review(app)
        app.tap(review.ids.submit)
        assert app.wait_until(lambda: app.app.current == "commitment_result", 15), review.message
        app.app.end_session("privacy audit 1")
        app.app.services.devices.idcard.emulator.remove()
        app.wait_until(lambda: False, 1.2)               # the reader notices the card is gone
        _start(app)
        _identified(app)
        review = _through_to_review(app)
        sandbox.stop()                                   # the second letter stays in the outbox
        try:
            app.tap(review.ids.submit)
            assert app.wait_until(lambda: app.app.current == "commitment_result", 20), review.message
            assert app.app.services.outbox.depth() == 1
            try:                                         # crash output: a traceback through the session
                raise RuntimeError(f"crash with {app.app.services.sessions.current!r}")
            except RuntimeError:
                crash = traceback.format_exc()
                logging.getLogger("kiosk.crash").exception("crash")
            state = Path(app.app.settings.state_path())
            files = {p: p.read_bytes() for p in state.rglob("*") if p.is_file()}
            assert any(p.name == "outbox.db" for p in files)
        finally:
            sandbox.start()
    finally:
        app.app.services.devices.idcard.emulator.remove()
        app.stop()
        root.removeHandler(handler)
        root.setLevel(level)
        ring.remove(root)
    needles = _needles(identity)
    logs = stream.getvalue()
    assert '"logger": "kiosk' in logs and "session ended" in logs     # the kiosk's own logs were captured
    _scan_bytes(logs.encode(), needles, "JSON logs")
    _scan_bytes("\n".join(ring.lines()).encode(), needles, "diagnostics upload lines")
    _scan_bytes(crash.encode(), needles, "crash output")
    for path, blob in files.items():
        _scan_bytes(blob, needles, str(path))
    tmp = Path(tempfile.gettempdir())
    fresh = [p for p in tmp.glob("*") if p.is_file() and p.stat().st_mtime >= started and p.stat().st_size < 2**24]
    for path in fresh:
        _scan_bytes(path.read_bytes(), needles, str(path))
