"""The admin CLI works on the database directly, also while the server runs."""
from __future__ import annotations

import json
import subprocess
import sys

from kiosk.platform.client import new_idempotency_key
from sandbox.testing import ROOT, letter
from sandbox import seed


def admin(sandbox, *args) -> object:
    out = subprocess.run([sys.executable, "-m", "sandbox", "admin", "--db", str(sandbox.db), *args],
                         cwd=ROOT, check=True, capture_output=True, text=True, timeout=60).stdout
    return json.loads(out)


def test_cli_against_a_running_sandbox(sandbox, client):
    case = client.submit_commitment(letter(), new_idempotency_key())
    assert any(l["case_number"] == case.case_number for l in admin(sandbox, "letters"))
    assert admin(sandbox, "advance", case.case_number, "verification_started")["status"] == "verifying"
    assert client.case(case.case_number).status == "verifying"
    person = letter().applicant.id_number
    assert admin(sandbox, "blacklist", "person", person)["suspended_cases"] == 0
    assert client.credit_status("person", person).blacklisted
    assert client.auth.credential.device_id in {d["device_id"] for d in admin(sandbox, "devices")}
    token = admin(sandbox, "enrollment-token")["enrollment_token"]
    assert len(token) > 20
    code = admin(sandbox, "identity-code", seed.GOOD_PERSON[1], "张三")["code"]
    assert client.resolve_identity_code(code).person.id_number == seed.GOOD_PERSON[1]
