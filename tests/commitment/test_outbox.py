"""The outbox: encrypted at rest, durable, exactly once, even when killed with -9."""
from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.platform.outbox import Outbox, OutboxKeyError, OutboxSender, load_key
from kiosk.platform.errors import PlatformRejected, PlatformUnavailable
from kiosk.services import outbox_handlers

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
from tests.commitment import outbox_child


def open_outbox(tmp_path) -> Outbox:
    return Outbox(tmp_path / "outbox.db", load_key(tmp_path / "outbox.key"), terminal_id="TJ-T")


def test_key_file_is_private_and_reused(tmp_path):
    key = load_key(tmp_path / "k" / "outbox.key")
    assert stat.S_IMODE((tmp_path / "k" / "outbox.key").stat().st_mode) == 0o600
    assert load_key(tmp_path / "k" / "outbox.key") == key and len(key) == 32
    os.chmod(tmp_path / "k" / "outbox.key", 0o644)
    with pytest.raises(OutboxKeyError):
        load_key(tmp_path / "k" / "outbox.key")


def test_raw_file_holds_no_name_or_id_number(tmp_path):
    outbox = open_outbox(tmp_path)
    payload = outbox_child.letter(7, 1)
    name, number = payload["applicant"]["name"], payload["applicant"]["id_number"]
    entries = [outbox.put("commitment", outbox_child.letter(7, i)) for i in range(20)]
    assert outbox.get(entries[1].ref).payload == payload          # decrypts back
    outbox.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("outbox.db"))
    assert raw
    for needle in (name, number, number[-4:] + '"', "经营场所", "测试"):
        for encoding in ("utf-8", "utf-16-le", "gb18030"):
            assert needle.encode(encoding) not in raw, (needle, encoding)


def test_tampered_payload_is_detected(tmp_path):
    outbox = open_outbox(tmp_path)
    entry = outbox.put("commitment", {"x": 1})
    outbox._db.execute("UPDATE entries SET ref='other' WHERE ref=?", (entry.ref,))
    assert outbox.get("other") is None                # authenticated data no longer matches
    assert outbox.set_aside_count() == 1 and outbox.depth() == 0


def test_sender_backs_off_then_delivers_once_and_keeps_the_outcome(tmp_path):
    outbox = open_outbox(tmp_path)
    calls, seen_keys = [], set()

    def flaky(payload, key):
        calls.append(key)
        seen_keys.add(key)
        if len(calls) < 3:
            raise PlatformUnavailable("down")
        return "CN-1"

    sender = OutboxSender(outbox, {"commitment": flaky}, retry_base=0.01, retry_max=0.05, poll=0.01,
                          workers=1, lease=1, rng=random.Random(1))
    entry, result = sender.submit("commitment", {"a": 1})
    assert result is None and outbox.depth() == 1
    assert sender.drain(5)
    assert len(seen_keys) == 1 and seen_keys == {entry.idempotency_key}   # the key is reused
    assert outbox.outcome(entry.ref).result == "CN-1" and outbox.get(entry.ref) is None
    delays = [sender.delay(n) for n in range(12)]
    assert max(delays) <= 0.05 + 0.005 and len(set(delays)) > 1          # capped, jittered


def test_rejected_entry_is_removed_and_recorded(tmp_path):
    outbox = open_outbox(tmp_path)

    def refuse(payload, key):
        raise PlatformRejected("urn:tj-kiosk:problem:blacklisted", "", 403)

    sender = OutboxSender(outbox, {"commitment": refuse}, workers=1)
    with pytest.raises(PlatformRejected):
        sender.submit("commitment", {"a": 1})
    assert outbox.depth() == 0
    (ref,) = [r[0] for r in outbox._db.execute("SELECT ref FROM outcomes")]
    assert outbox.outcome(ref).outcome == "rejected" and outbox.outcome(ref).result == "blacklisted"


def test_against_the_sandbox_same_key_same_case(tmp_path, client):
    outbox = open_outbox(tmp_path)
    sender = OutboxSender(outbox, outbox_handlers(client), workers=1)
    entry, case_number = sender.submit("commitment", outbox_child.letter(9, 1))
    assert case_number.case_number
    again = client.submit_commitment(entry.payload, entry.idempotency_key)
    assert again.case_number == case_number.case_number


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(tmp_path, sandbox, client):
    """200 submissions; the submitting process is killed with SIGKILL at random moments and
    restarted. Afterwards every letter a citizen was told about is in the sandbox exactly once;
    a letter whose citizen was not told yet (killed between storing and telling) may be there,
    at most once; the outbox is empty."""
    client.auth.credential.save(tmp_path / "device.json")
    salt, count, rng = os.getpid() % 1000, 200, random.Random(os.getpid())
    told, begun, kills, start = set(), set(), 0, 0
    for round_ in range(40):
        proc = subprocess.Popen([sys.executable, str(HERE / "outbox_child.py"), "--dir", str(tmp_path),
                                 "--url", sandbox.url, "--salt", str(salt), "--start", str(start),
                                 "--count", str(count)], cwd=ROOT, stdout=subprocess.PIPE,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(l.decode().strip() for l in proc.stdout))
        reader.start()
        finish = kills >= 8
        if not finish:
            deadline = time.monotonic() + 20
            while not any(l.startswith("TOLD") for l in lines) and proc.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.15))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
        proc.wait(120)
        reader.join(10)
        for line in lines:
            word, *rest = line.split()
            if word == "BEGIN":
                begun.add(int(rest[0]))
            elif word == "TOLD":
                told.add(int(rest[0]))
        if "DRAINED" in lines:
            break
        start = max(begun) + 1 if begun else 0
    else:
        pytest.fail("the submitting process never finished")
    assert kills >= 3, "the process was not killed often enough to test anything"
    assert len(told) >= count - kills, (len(told), kills)
    in_doubt = begun - told
    counts = {}
    for index in range(count):
        cases = client.cases_of("person", outbox_child.subject_id(salt, index))
        counts[index] = len(cases)
    assert all(counts[i] == 1 for i in told), {i: counts[i] for i in told if counts[i] != 1}
    assert all(counts[i] <= 1 for i in in_doubt)
    assert all(counts[i] == 0 for i in range(count) if i not in begun)
    outbox = open_outbox(tmp_path)
    assert outbox.depth() == 0
