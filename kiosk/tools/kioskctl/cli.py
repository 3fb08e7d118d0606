"""`kioskctl`: the admins' tool for the fleet's signed configuration.

  kioskctl init      [--repo DIR] [--keys DIR]     create the repository and its keys
  kioskctl validate  BUNDLE_DIR                    check a bundle as terminals will
  kioskctl publish   BUNDLE_DIR [--note TEXT]      sign it as the next config version
  kioskctl versions  [--repo DIR]                  list published versions
  kioskctl refresh   [--repo DIR] [--keys DIR]     re-sign the timestamp (run daily: freeze protection)
  kioskctl root      [--repo DIR]                  print root.json (give it to kiosk-provision --trust-root)
  kioskctl fleet     [--platform URL] [--json]     which terminal runs which version, and its health
  kioskctl command   DEVICE_ID TYPE [--arg K=V]    queue a signed command for a terminal
  kioskctl enrollment-token [--terminal ID]        a one-time token for kiosk-provision
  kioskctl technician-pin DEVICE_ID [--pin-stdin]  set one terminal's technician PIN (asked twice,
                                                   checked, sent only as a hash in a signed command)
  kioskctl holidays import NOTICE.txt [--json]     the State Council's holiday notice as a table
  kioskctl catalog lint DIR [--strict] [--json]    what the measures require and an item lacks
                                                   (publish refuses a catalog with errors)

Keys default to ~/.kiosk-admin/keys (never inside the repository, which is
published). The platform commands use --platform (default $KIOSK_PLATFORM_URL)
and the admin token in $KIOSK_ADMIN_TOKEN.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import requests

from kiosk.tools.kioskctl.repository import DEFAULT_KEYS, ConfigRepository, RepositoryError
from kiosk.fleet.bundle import BundleError, validate_bundle
from kiosk.tools.kioskctl import catalog_lint, holidays
from kiosk.platform.contract import COMMAND_TYPES
from kiosk.platform.private_files import PUBLIC_UMASK, with_umask

COMMANDS = COMMAND_TYPES


def _admin(a, method: str, path: str, body: dict | None = None) -> dict:
    token = os.environ.get("KIOSK_ADMIN_TOKEN", "")
    if not token:
        raise SystemExit("kioskctl: set KIOSK_ADMIN_TOKEN to the platform's admin token")
    try:
        r = requests.request(method, a.platform.rstrip("/") + "/admin/v1" + path, json=body, timeout=10,
                             headers={"Authorization": f"Bearer {token}"})
    except requests.RequestException as exc:
        raise SystemExit(f"kioskctl: platform {a.platform} unreachable ({type(exc).__name__})") from None
    if r.status_code != 200:
        raise SystemExit(f"kioskctl: platform refused ({r.status_code}): {r.text[:200]}")
    return r.json()


def fleet_table(rows: list[dict]) -> str:
    head = f"{'terminal':<16}{'online':<8}{'app':<8}{'config':<8}{'update':<13}{'offset s':<10}" \
           f"{'outbox':<8}{'maint':<7}{'calendar':<9}problems"
    lines = [head]
    for t in rows:
        problems = [f"{d} {t['devices'][d]}" for d in t["unhealthy"]]
        if t["config_outcome"] in ("rejected", "rolled-back"):
            problems.append(f"update {t['config_outcome']}: {t['config_reason'][:60]}")
        calendar = t.get("calendar") or {}
        if calendar.get("missing_year"):
            problems.append(f"no working-day data for {calendar['missing_year']} ({calendar.get('coverage', '')})")
        if t["last_error"]:
            problems.append(t["last_error"][:60])
        offset = t["clock_offset_seconds"]
        lines.append(f"{t['terminal_id']:<16}{'yes' if t['online'] else 'NO':<8}{t['app_version'] or '-':<8}"
                     f"{t['config_version'] if t['config_version'] is not None else '-'!s:<8}"
                     f"{t['config_outcome'] or '-':<13}{'-' if offset is None else f'{offset:+.0f}':<10}"
                     f"{t['outbox_depth'] if t['outbox_depth'] is not None else '-'!s:<8}"
                     f"{'ON' if t['maintenance'] else '-':<7}{calendar.get('last_year') or '-'!s:<9}"
                     f"{'; '.join(problems) or 'ok'}")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kioskctl", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repo", type=Path, default=Path(os.environ.get("KIOSK_CONFIG_REPO", "var/config-repo")),
                   help="repository directory (what the web server publishes)")
    p.add_argument("--keys", type=Path, default=Path(os.environ.get("KIOSK_ADMIN_KEYS", DEFAULT_KEYS)),
                   help="private key directory (default ~/.kiosk-admin/keys)")
    p.add_argument("--platform", default=os.environ.get("KIOSK_PLATFORM_URL", "http://127.0.0.1:8700"))
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("init")
    s = sub.add_parser("validate"); s.add_argument("bundle", type=Path)
    s = sub.add_parser("publish"); s.add_argument("bundle", type=Path); s.add_argument("--note", default="")
    sub.add_parser("versions"); sub.add_parser("refresh"); sub.add_parser("root")
    s = sub.add_parser("fleet"); s.add_argument("--json", action="store_true")
    s = sub.add_parser("command"); s.add_argument("device_id"); s.add_argument("type", choices=COMMANDS)
    s.add_argument("--arg", action="append", default=[], metavar="K=V")
    s = sub.add_parser("enrollment-token"); s.add_argument("--terminal")
    s = sub.add_parser("technician-pin"); s.add_argument("device_id")
    s.add_argument("--pin-stdin", action="store_true", help="read the PIN from one line of stdin")
    holidays.add_parser(sub)
    catalog_lint.add_parser(sub)
    return p


@with_umask(PUBLIC_UMASK)       # the repository is published; the keys are written 0600 all the same
def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    if a.cmd == "holidays":
        return holidays.run(a)
    if a.cmd == "catalog":
        return catalog_lint.run(a)
    repo = ConfigRepository(a.repo, a.keys)
    try:
        if a.cmd == "init":
            repo.init()
            print(f"repository created in {a.repo}; keys in {a.keys} (keep them offline and backed up)")
        elif a.cmd == "validate":
            validate_bundle(a.bundle)
            print(f"{a.bundle}: valid")
        elif a.cmd == "publish":
            print(f"published config version {repo.publish(a.bundle, note=a.note)}")
        elif a.cmd == "versions":
            for v in repo.versions():
                print(f"{v['version']:>5}  {v['published_at']}  {v['sha256'][:12]}  {v['length']:>8} B  {v['note']}")
        elif a.cmd == "refresh":
            repo.refresh()
            print("timestamp re-signed")
        elif a.cmd == "root":
            sys.stdout.write(repo.root_json().decode())
        elif a.cmd == "fleet":
            rows = _admin(a, "GET", "/fleet")["terminals"]
            print(json.dumps(rows, ensure_ascii=False, indent=2) if a.json else fleet_table(rows))
        elif a.cmd == "command":
            if a.type == "set_technician_pin":      # the PIN must be checked, and never typed as an --arg
                print("kioskctl: use `kioskctl technician-pin DEVICE_ID` (it checks the PIN and sends "
                      "only its hash)", file=sys.stderr)
                return 1
            args = dict(kv.split("=", 1) for kv in a.arg)
            out = _admin(a, "POST", f"/devices/{a.device_id}/commands", {"type": a.type, "args": args})
            print(f"queued command {out['command_id']}: sent, signed, with the terminal's next heartbeat")
        elif a.cmd == "technician-pin":
            return technician_pin(a)
        elif a.cmd == "enrollment-token":
            print(_admin(a, "POST", "/enrollment-tokens", {"terminal_id": a.terminal})["enrollment_token"])
    except (RepositoryError, BundleError) as exc:
        print(f"kioskctl: {exc}", file=sys.stderr)
        return 1
    return 0


def technician_pin(a) -> int:
    """The PIN never leaves this machine: its scrypt hash goes in set_technician_pin, per terminal."""
    from getpass import getpass
    from kiosk.fleet.technician import hash_pin, pin_problem
    if a.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass("new technician PIN (6-12 digits): ")
        if getpass("again: ") != pin:
            print("kioskctl: the two PINs differ; nothing sent", file=sys.stderr)
            return 1
    problem = pin_problem(pin)
    if problem:
        print(f"kioskctl: {problem}; nothing sent", file=sys.stderr)
        return 1
    out = _admin(a, "POST", f"/devices/{a.device_id}/commands",
                 {"type": "set_technician_pin", "args": {"pin_hash": hash_pin(pin)}})
    print(f"queued command {out['command_id']}: the terminal takes the new PIN with its next heartbeat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
