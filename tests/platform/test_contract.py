"""The committed contract (docs/openapi.json) is current, and the running sandbox
conforms to it (schemathesis: no server errors, no schema violations)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from sandbox.testing import ROOT

OPENAPI = ROOT / "docs" / "openapi.json"
EXAMPLES = 8          # per operation: ~20 operations, a few seconds; the slow run does more


def test_committed_openapi_is_current():
    out = subprocess.run([sys.executable, "-m", "sandbox", "openapi"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out) == json.loads(OPENAPI.read_text()), \
        "docs/openapi.json is stale: run `python -m sandbox openapi > docs/openapi.json`"


schema = schemathesis.openapi.from_path(OPENAPI)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance,
          status_code_conformance]


@pytest.fixture(scope="module")
def contract_client(sandbox):
    return sandbox.enrolled_client("TJ-CONTRACT")


def _run(case, sandbox, client):
    if case.path == "/api/v1/devices/keys":       # a rotation retires the key: use a throwaway terminal
        client = sandbox.enrolled_client("TJ-ROTATING")
    session = requests.Session()
    session.auth = client.auth
    response = case.call(base_url=sandbox.url, session=session, timeout=10)
    case.validate_response(response, checks=CHECKS)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_sandbox_conforms_to_contract(case, sandbox, contract_client):
    _run(case, sandbox, contract_client)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_sandbox_conforms_to_contract_thoroughly(case, sandbox, contract_client):
    _run(case, sandbox, contract_client)
