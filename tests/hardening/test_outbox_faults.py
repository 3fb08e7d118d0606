"""Issue 14, points 1-4: the outbox on a bad day.

1. A passing error (429 with its Retry-After, 408, a proxy's 404, an unknown 401/403, 5xx)
   never ends a letter: it is retried and arrives once; only a documented rule refusal ends
   it, and the receipt's lookup then says it was refused and why.
2. One entry that cannot be decrypted (a flipped bit, a regenerated key) is set aside and
   counted; the others are sent.
3. A missing/empty/corrupt key or a damaged database: degraded, files moved aside, never a
   silent new key; the key is created atomically (a full disk leaves no 0-byte key).
4. A full disk after the platform accepted: the citizen still gets the case number, and the
   resend after a restart makes no second case.

Real sandbox over HTTP, real client, real SQLite, the fault proxy for the passing errors, a
real file-size limit (RLIMIT_FSIZE) in a child process for the full disk.
"""
from __future__ import annotations

import email.utils
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from faultproxy import http_answer
from kiosk.citizen import lookup
from kiosk.platform.errors import PlatformRejected
from kiosk.platform.outbox import (DegradedOutbox, Outbox, OutboxSender, OutboxUnavailable, load_key,
                                   open_outbox)
from kiosk.services import outbox_handlers
from sandbox.testing import letter

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def proxied(sandbox, proxy):
    c = sandbox.enrolled_client(connect_timeout=0.5, read_timeout=1.0)
    c.base_url = proxy.url
    return c


def _problem(status: int, reason: str, ptype: str, **headers) -> bytes:
    body = json.dumps({"type": ptype, "title": reason, "status": status}).encode()
    return http_answer(status, reason, body, "application/problem+json", **headers)


PASSING = {
    "429-retry-after": _problem(429, "Too Many Requests", "urn:tj-kiosk:problem:rate-limited", Retry_After="120"),
    "429-plain": http_answer(429, "Too Many Requests", b"slow down", Retry_After="120"),
    "408": http_answer(408, "Request Timeout", b"timeout"),
    "404-proxy-page": http_answer(404, "Not Found", b"<html>nginx</html>", "text/html"),
    "404-foreign-problem": _problem(404, "Not Found", "about:blank"),
    "401-unknown-type": _problem(401, "Unauthorized", "urn:tj-kiosk:problem:gateway-login"),
    "403-unknown-type": _problem(403, "Forbidden", "https://waf.example/blocked"),
    "500": _problem(500, "Internal", "urn:tj-kiosk:problem:internal"),
    "503": http_answer(503, "Service Unavailable", b"maintenance", Retry_After="30"),
}


@pytest.mark.parametrize("answer", sorted(PASSING))
def test_a_passing_error_keeps_the_letter_which_arrives_once(tmp_path, proxied, proxy, answer):
    clock = Clock()
    outbox = open_outbox(tmp_path, "TJ-T", clock=clock)
    sender = OutboxSender(outbox, outbox_handlers(proxied), workers=1, retry_base=1.0, retry_max=10.0)
    proxy.fault, proxy.answer = "answer", PASSING[answer]
    entry, case = sender.submit("commitment", letter().to_json())
    assert case is None and outbox.depth() == 1 and outbox.outcome(entry.ref) is None
    assert lookup.by_code(proxied, outbox, f"TJREF:{entry.ref}").kind == "queued"
    if answer.endswith("retry-after") or answer == "429-plain":     # not before the platform said
        clock.now += 119
        assert outbox.claim_due(10, lease=60) == []
        clock.now += 2
    else:
        clock.now += sender.retry_max + 1
    proxy.fault = None
    outbox.release()
    assert sender.drain_once() == 1
    outcome = outbox.outcome(entry.ref)
    assert outcome.outcome == "accepted" and outbox.depth() == 0
    again = proxied.submit_commitment(entry.payload, entry.idempotency_key)
    assert again.case_number == outcome.result            # one case, not two


def test_retry_after_as_an_http_date_is_honoured(tmp_path, proxied, proxy):
    clock = Clock()
    outbox = open_outbox(tmp_path, "TJ-T", clock=clock)
    sender = OutboxSender(outbox, outbox_handlers(proxied), workers=1, retry_base=1.0, retry_max=10.0)
    when = email.utils.formatdate(time.time() + 600, usegmt=True)
    proxy.fault, proxy.answer = "answer", http_answer(429, "Too Many Requests", b"", Retry_After=when)
    sender.submit("commitment", letter().to_json())
    clock.now += 590
    assert outbox.claim_due(10, lease=60) == []
    clock.now += 20
    assert len(outbox.claim_due(10, lease=60)) == 1


def test_a_definitive_refusal_ends_the_letter_and_the_lookup_says_why(tmp_path, client):
    outbox = open_outbox(tmp_path, "TJ-T")
    sender = OutboxSender(outbox, outbox_handlers(client), workers=1)
    with pytest.raises(PlatformRejected) as refused:
        sender.submit("commitment", letter(item_code="TJ-NO-SUCH-ITEM").to_json())
    assert refused.value.definitive and refused.value.slug == "item-unknown"
    assert outbox.depth() == 0
    ref = outbox.refs() or [r for r, in outbox._db.execute("SELECT ref FROM outcomes")]
    found = lookup.by_code(client, outbox, f"TJREF:{ref[0]}")
    assert found.kind == "refused" and found.reason == "item-unknown" and found.ref == ref[0]


def _flip_one_bit(outbox: Outbox, ref: str) -> None:
    (blob,) = outbox._db.execute("SELECT payload FROM entries WHERE ref=?", (ref,)).fetchone()
    flipped = bytes([blob[0] ^ 0x01]) + blob[1:]
    outbox._db.execute("UPDATE entries SET payload=? WHERE ref=?", (flipped, ref))


def test_one_flipped_bit_sets_that_entry_aside_and_the_others_go(tmp_path, client):
    outbox = open_outbox(tmp_path, "TJ-T")
    entries = [outbox.put("commitment", letter().to_json()) for _ in range(3)]
    _flip_one_bit(outbox, entries[1].ref)
    sender = OutboxSender(outbox, outbox_handlers(client), workers=1)
    assert sender.drain(20) is True
    assert [outbox.outcome(e.ref).outcome if outbox.outcome(e.ref) else None for e in entries] == \
        ["accepted", None, "accepted"]
    assert outbox.set_aside_count() == 1
    assert outbox.health() == ("degraded", "1 entries set aside (undecryptable)")
    (kept,) = outbox._db.execute("SELECT count(*) FROM set_aside WHERE ref=?", (entries[1].ref,)).fetchone()
    assert kept == 1                                   # kept for the technician, not deleted


def test_entries_under_a_regenerated_key_are_set_aside_and_new_ones_work(tmp_path, client):
    old = Outbox(tmp_path / "outbox.db", os.urandom(32), terminal_id="TJ-T")
    old.put("commitment", letter().to_json())
    old.put("evaluation", {"level": "satisfied"})
    old.close()
    outbox = Outbox(tmp_path / "outbox.db", load_key(tmp_path / "outbox.key"), terminal_id="TJ-T")
    fresh = outbox.put("commitment", letter().to_json())
    sender = OutboxSender(outbox, outbox_handlers(client), workers=1)
    assert sender.drain(20) is True
    assert outbox.set_aside_count() == 2 and outbox.outcome(fresh.ref).outcome == "accepted"


# --- 3: damaged files -------------------------------------------------------------------------

def _with_entries(directory: Path) -> None:
    outbox = open_outbox(directory, "TJ-T")
    outbox.put("commitment", letter().to_json())
    outbox.close()


DAMAGE = {
    "key-missing": lambda d: (d / "outbox.key").unlink(),
    "key-empty": lambda d: (d / "outbox.key").write_bytes(b""),
    "key-corrupt": lambda d: (d / "outbox.key").write_bytes(b"\x00" * 31),
    "db-garbage": lambda d: [(d / n).unlink(missing_ok=True) for n in ("outbox.db-wal", "outbox.db-shm")]
    and (d / "outbox.db").write_bytes(os.urandom(8192)),
    "db-truncated-header": lambda d: (d / "outbox.db").write_bytes((d / "outbox.db").read_bytes()[:50]),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_files_mean_degraded_never_a_silent_new_key(tmp_path, damage):
    _with_entries(tmp_path)
    key_before = (tmp_path / "outbox.key").read_bytes()
    DAMAGE[damage](tmp_path)
    outbox = open_outbox(tmp_path, "TJ-T")
    assert isinstance(outbox, DegradedOutbox) and outbox.available is False
    state, reason = outbox.health()
    assert state == "degraded" and "damaged-" in reason
    with pytest.raises(OutboxUnavailable):
        outbox.put("commitment", letter().to_json())
    (aside,) = tmp_path.glob("damaged-*")
    assert (aside / "outbox.db").exists()
    if damage.startswith("db"):
        assert (aside / "outbox.key").read_bytes() == key_before      # the key kept beside its entries
    assert not (tmp_path / "outbox.key").exists()                    # no new key next to old entries
    again = open_outbox(tmp_path, "TJ-T")                             # a restart does not paper over it
    assert isinstance(again, DegradedOutbox) and "wait for a technician" in again.health()[1]
    os.rename(aside, tmp_path.parent / f"saved-{damage}")            # the technician took them
    healed = open_outbox(tmp_path, "TJ-T")
    assert isinstance(healed, Outbox) and healed.put("commitment", letter().to_json())


def test_the_services_start_degraded_and_the_fleet_is_told(tmp_path, sandbox):
    from kiosk.services import build_services
    from sandbox.testing import settings_factory
    settings = settings_factory(tmp_path / "state")(platform__url=sandbox.url)
    outbox_dir = settings.state_path("outbox")
    _with_entries(outbox_dir)
    (outbox_dir / "outbox.key").write_bytes(b"")
    services = build_services(settings)
    try:
        assert services.outbox.available is False
        health = services.fleet.device_health()["outbox"]
        assert health.status == "degraded" and "damaged-" in health.reason
        assert services.fleet.heartbeat.report()["devices"]["outbox"].status == "degraded"
        assert services.fleet.selftest_item("outbox")[0] == "FAIL"
    finally:
        services.close()


_LIMITED = r"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)      # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
from kiosk.platform.outbox import load_key, OutboxKeyError
try:
    load_key(__import__("pathlib").Path(sys.argv[1]))
    print("CREATED")
except OSError as exc:
    print("FAILED", type(exc).__name__)
"""


def test_key_creation_on_a_full_disk_leaves_no_empty_key(tmp_path):
    key = tmp_path / "outbox.key"
    run = subprocess.run([sys.executable, "-c", _LIMITED, str(key), "10"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.stdout.split()[0] == "FAILED", run.stdout + run.stderr
    assert not key.exists() and not list(tmp_path.iterdir())         # nothing half-written is left
    assert len(load_key(key)) == 32                                   # with space, it is made


# --- 4: full disk after the platform accepted ---------------------------------------------------

_ACCEPTED_ON_A_FULL_DISK = r"""
import json, os, resource, signal, sys
from pathlib import Path
from kiosk.platform.client import PlatformClient
from kiosk.platform.outbox import OutboxSender, open_outbox
from kiosk.platform.signing import DeviceCredential
from kiosk.services import outbox_handlers
directory, url, payload = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
client = PlatformClient(url, DeviceCredential.load(directory / "device.json"))
outbox = open_outbox(directory, "TJ-T")
sender = OutboxSender(outbox, outbox_handlers(client), workers=1)
entry = outbox.put("commitment", payload, hold=60)
print("STORED", entry.ref, flush=True)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
biggest = max(p.stat().st_size for p in directory.iterdir() if p.name.startswith("outbox.db"))
resource.setrlimit(resource.RLIMIT_FSIZE, (biggest, biggest))      # the disk is full from now on
case = sender.send(entry)
print("CASE", case.case_number if case else "-", flush=True)
"""


def test_a_full_disk_after_acceptance_still_gives_the_case_number_and_no_second_case(tmp_path, sandbox, client):
    client.auth.credential.save(tmp_path / "device.json")
    payload = letter().to_json()
    run = subprocess.run([sys.executable, "-c", _ACCEPTED_ON_A_FULL_DISK, str(tmp_path), sandbox.url,
                          json.dumps(payload)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert "CASE" in lines, run.stdout + run.stderr
    case_number = lines["CASE"]
    assert case_number != "-"                          # the citizen is shown the case number
    # the acknowledgement could not be written: after the restart the entry is resent, same key
    outbox = open_outbox(tmp_path, "TJ-T")
    assert outbox.depth() == 1
    outbox.release()
    sender = OutboxSender(outbox, outbox_handlers(client), workers=1)
    assert sender.drain(20) is True
    assert outbox.outcome(lines["STORED"]).result == case_number
    person = payload["applicant"]["id_number"]
    assert [c.case_number for c in client.cases_of("person", person)] == [case_number]
