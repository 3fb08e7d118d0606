"""`kiosk-provision`: bring up a new terminal in minutes (field technicians).

    kiosk-provision --platform https://platform.example --token TOKEN \\
                    --terminal-id TJ-HP-0001 --location "和平区政务服务中心 2号机" \\
                    [--ca-bundle platform-ca.pem] [--technician-pin 583920] \\
                    [--trust-root root.json] [--install-service]

The platform is reached over TLS only: a plain http:// URL is refused unless it
names this machine (loopback), since a relay on the way could swap the command
key and the config root of trust learnt at enrollment. `--ca-bundle` pins the
platform's certificate: only that PEM (the platform's own certificate or its
CA) is trusted for it, not the system's CAs, and it is written to the terminal
configuration (platform.ca_bundle) so the kiosk keeps trusting only it.

Steps, each reported OK / CHANGED / SKIPPED / FAILED with what to do next:
1. key material and enrollment: an Ed25519 key (mode 0600 under the state
   directory, default /var/lib/kiosk) enrolled with the one-time token; a
   terminal already enrolled and still accepted is left as it is;
2. the terminal configuration (default /etc/kiosk/kiosk.toml, 0600; run as root,
   it and /etc/kiosk are given to the service user, --service-user, default
   kiosk.service's User=): terminal ID, location, state directory, platform URL
   and CA bundle, optional device URLs; other keys in the file are kept;
   the technician PIN (at least 6 digits, not trivial), hashed into this
   terminal's state (<state>/fleet/technician.json, 0600): it is per terminal
   and never in the fleet's config (kiosk.fleet.technician);
3. the root of trust of the signed config repository (--trust-root, else
   fetched once from the platform over its TLS connection);
4. optionally kiosk.service installed and enabled (skipped where systemctl is absent);
5. the device self-test (kiosk-selftest's checks).

Re-running with the same arguments changes nothing. Exit status 0 when every
step passed, 1 otherwise.
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import DEVICE_FAMILIES, ConfigError, SCHEMA, load_settings
from kiosk.platform.client import PlatformClient
from kiosk.platform.errors import PlatformError, PlatformInvalidResponse, PlatformUnauthorized, PlatformUnavailable
from kiosk.platform.signing import DeviceCredential
from kiosk.fleet.technician import PinLock, check_pin, pin_problem
from kiosk.fleet.updates import ConfigUpdater
from kiosk.platform.private_files import PRIVATE_UMASK, private_dir, with_umask, write_private

OK, CHANGED, SKIPPED, FAILED = "OK", "CHANGED", "SKIPPED", "FAILED"
DEFAULT_UNIT_DIR = "/etc/systemd/system"
UNIT = Path(__file__).resolve().parents[2] / "kiosk.service"


@dataclass
class Step:
    name: str
    result: str
    detail: str
    todo: str = ""


class Failed(Exception):
    def __init__(self, detail: str, todo: str):
        super().__init__(detail)
        self.detail, self.todo = detail, todo


# --- TOML out (the terminal file holds sections of scalars and lists) -----------------

def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def to_toml(data: dict, prefix: str = "") -> str:
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for key, value in tables:
        name = f"{prefix}{key}"
        out += f"\n[{name}]\n" + to_toml(value, name + ".")
    return out


# --- checks made before anything is changed ----------------------------------------------

def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_platform_url(url: str) -> None:
    """https://, or http:// to this machine only (see the module docstring)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _loopback(parts.hostname):
        return
    if parts.scheme == "http":
        raise Failed(f"--platform {url}: plain http:// is refused (only to this machine itself)",
                     "use the platform's https:// address; a relay on a plain connection could swap "
                     "the keys this terminal learns at enrollment")
    raise Failed(f"--platform {url}: not an https:// URL", "use the platform's https:// address")


def check_ca_bundle(path: str) -> str:
    """The absolute path of a readable PEM file with at least one certificate."""
    from cryptography import x509
    bundle = Path(path).absolute()
    try:
        certificates = x509.load_pem_x509_certificates(bundle.read_bytes())
    except OSError as exc:
        raise Failed(f"--ca-bundle {bundle}: cannot be read ({exc.strerror})",
                     "copy the platform's certificate (PEM) from the admin to this terminal")
    except ValueError:
        raise Failed(f"--ca-bundle {bundle}: not a PEM certificate file",
                     "ask the admin for the platform's certificate as PEM (-----BEGIN CERTIFICATE-----)")
    if not certificates:
        raise Failed(f"--ca-bundle {bundle}: no certificate in it", "ask the admin for the PEM file again")
    return str(bundle)


# --- steps ------------------------------------------------------------------------------

def _unreachable(a, exc: PlatformUnavailable) -> Failed:
    if "TLS" in str(exc):
        trusted = f"the certificate in {a.ca_bundle}" if a.ca_bundle else "the system's CAs"
        return Failed(f"platform {a.platform}: its TLS certificate is not trusted ({trusted})",
                      "get the platform's certificate (PEM) from the admin and pass it with --ca-bundle; "
                      "if it was already given, someone may be in the middle: tell the admin")
    return Failed(f"platform {a.platform} unreachable",
                  "check the network cable/Wi-Fi, the platform URL and the firewall, then re-run")


def enroll_step(a, client: PlatformClient, cred_path: Path) -> Step:
    if cred_path.exists():
        try:
            credential = DeviceCredential.load(cred_path)
        except (OSError, ValueError, KeyError) as exc:
            raise Failed(f"{cred_path} unreadable ({type(exc).__name__})",
                         f"move {cred_path} away and re-run with a new enrollment token")
        client.set_credential(credential)
        try:
            client.heartbeat(app_version="provision")
            return Step("enrollment", OK, f"already enrolled as {credential.device_id}; key kept")
        except PlatformUnauthorized as exc:
            if not a.token:
                raise Failed(f"the platform no longer accepts this terminal ({exc.slug})",
                             "ask the admin for a new enrollment token and re-run with --token")
        except PlatformUnavailable as exc:
            raise _unreachable(a, exc)
    if not a.token:
        raise Failed("no enrollment token", "ask the admin for one (kioskctl enrollment-token) and pass --token")
    try:
        credential = client.enroll(a.token, a.terminal_id)
    except PlatformUnauthorized as exc:
        raise Failed(f"enrollment token refused ({exc.slug})",
                     "the token is wrong, already used, expired or issued for another terminal ID: "
                     "ask the admin for a new one (kioskctl enrollment-token --terminal "
                     f"{a.terminal_id})")
    except PlatformUnavailable as exc:
        raise _unreachable(a, exc)
    except (PlatformInvalidResponse, PlatformError) as exc:
        raise Failed(f"enrollment failed: {exc}", "check the platform URL (is it the 政务一网通 platform?)")
    credential.save(cred_path)
    return Step("enrollment", CHANGED, f"enrolled as {credential.device_id}; key in {cred_path} (0600)")


def config_step(a, state_dir: Path, config_path: Path) -> Step:
    existing: dict = {}
    if config_path.exists():
        try:
            existing = tomllib.loads(config_path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise Failed(f"{config_path} is not valid TOML ({exc})", f"fix or remove {config_path}, then re-run")
    data = json.loads(json.dumps(existing))
    data.setdefault("kiosk", {}).update(terminal_id=a.terminal_id, location=a.location,
                                        state_dir=str(state_dir))
    data.setdefault("platform", {})["url"] = a.platform
    if a.ca_bundle:
        data["platform"]["ca_bundle"] = a.ca_bundle
    for spec in a.device:
        family, _, url = spec.partition("=")
        if family not in DEVICE_FAMILIES:
            raise Failed(f"--device {spec}: unknown device", f"use one of {', '.join(DEVICE_FAMILIES)}")
        data.setdefault("devices", {})[family] = url
    config_path.with_name(config_path.name + ".new").unlink(missing_ok=True)   # an older version's temporary
    if data == existing:
        changed, todo = hand_over(config_path, a.service_user)
        if changed:
            return Step("configuration", CHANGED, f"{config_path} up to date, made private (0600)", todo)
        return Step("configuration", OK, f"{config_path} already up to date", todo)
    try:
        write_private(config_path, "# Written by kiosk-provision; keys not set here come from "
                      "config/kiosk.toml.\n" + to_toml(data), check=lambda tmp: load_settings(tmp, environ={}))
    except ConfigError as exc:
        raise Failed(f"configuration refused: {exc}", "correct that argument and re-run")
    return Step("configuration", CHANGED, f"wrote {config_path} (0600)", hand_over(config_path, a.service_user)[1])


def service_user() -> str:
    """The user kiosk.service runs the app as (its User= line)."""
    found = re.search(r"^User=(\S+)", UNIT.read_text("utf-8"), re.MULTILINE) if UNIT.is_file() else None
    return found.group(1) if found else ""


def hand_over(config_path: Path, user: str) -> tuple[bool, str]:
    """The configuration is 0600: run as root, kiosk-provision gives it, and its directory when
    that is the terminal's own (/etc/kiosk, never a shared one such as /etc), to the user the
    service runs as, else the app could not read it. Returns (a mode or an owner changed, what
    the technician still has to do)."""
    changed = False
    if stat.S_IMODE(config_path.stat().st_mode) != 0o600:
        os.chmod(config_path, 0o600)
        changed = True
    if os.geteuid() != 0 or not user:
        return changed, ""
    try:
        owner = pwd.getpwnam(user)
    except KeyError:
        return changed, (f"the service user {user!r} does not exist: create it (useradd --system {user}) "
                         f"and re-run, so that the app may read {config_path}")
    for path in [config_path] + ([config_path.parent] if config_path.parent.name == "kiosk" else []):
        st = path.stat()
        if (st.st_uid, st.st_gid) != (owner.pw_uid, owner.pw_gid):
            os.chown(path, owner.pw_uid, owner.pw_gid)
            changed = True
    return changed, ""


def pin_step(a, state_dir: Path) -> Step:
    if not a.technician_pin:
        return Step("technician PIN", SKIPPED, "not asked (--technician-pin)")
    lock = PinLock("", state_dir / "fleet" / "technician.json")
    if lock.own_hash and check_pin(a.technician_pin, lock.own_hash):
        return Step("technician PIN", OK, "already set")
    lock.set_pin(a.technician_pin)          # checked in main(), before anything was changed
    return Step("technician PIN", CHANGED, f"set for this terminal in {lock.path} (hashed, 0600)")


def trust_step(a, client: PlatformClient, state_dir: Path) -> Step:
    updater = ConfigUpdater(state_dir, client.config_repo_url)
    if a.trust_root:
        data = Path(a.trust_root).read_bytes()
    elif updater.trusted:
        return Step("config trust root", OK, "already installed (TUF rotates it from here on)")
    else:
        try:
            r = client.session.get(client.config_repo_url + "metadata/1.root.json", timeout=client.timeout,
                                   verify=client.verify)
        except Exception as exc:
            raise Failed(f"cannot fetch the config root ({type(exc).__name__})", "pass --trust-root root.json "
                         "(from the admin: kioskctl root) or check the network")
        if r.status_code != 200:
            return Step("config trust root", SKIPPED, "the platform publishes no config repository yet",
                        "re-run kiosk-provision once the admin has run `kioskctl init`")
        data = r.content
    before = (updater.metadata_dir / "root.json").read_bytes() if updater.trusted else None
    if before == data:
        return Step("config trust root", OK, "already installed")
    try:
        updater.trust(data)
    except ValueError:
        raise Failed("the config root is not JSON", "get root.json again from the admin (kioskctl root)")
    return Step("config trust root", CHANGED, f"installed in {updater.metadata_dir}")


def service_step(a) -> Step:
    if not a.install_service:
        return Step("kiosk.service", SKIPPED, "not asked (--install-service)")
    unit_dir = Path(a.unit_dir)
    target = unit_dir / "kiosk.service"
    changed = not target.exists() or target.read_bytes() != UNIT.read_bytes()
    if changed:
        unit_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(UNIT, target)
    systemctl = shutil.which("systemctl")
    booted = Path("/run/systemd/system").is_dir()           # sd_booted(): systemd is running
    if systemctl is None or not booted or unit_dir != Path(DEFAULT_UNIT_DIR):
        why = ("systemctl not found" if systemctl is None else "systemd not running" if not booted
               else "not the system unit directory")
        return Step("kiosk.service", CHANGED if changed else OK, f"unit at {target}; {why}: not enabled",
                    "on the terminal run: systemctl daemon-reload && systemctl enable --now kiosk.service")
    for cmd in (["daemon-reload"], ["enable", "kiosk.service"]):
        p = subprocess.run([systemctl, *cmd], capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise Failed(f"systemctl {' '.join(cmd)} failed: {p.stderr.strip()[:200]}",
                         "run it by hand as root and read `journalctl -xe`")
    return Step("kiosk.service", CHANGED if changed else OK, f"{target} enabled")


def selftest_step(a, config_path: Path) -> list[Step]:
    from kiosk.devices.fitted import Devices
    from kiosk.devices.probes import FAIL, NAMES, run
    settings = load_settings(config_path, environ={})
    devices = Devices.from_settings(settings)
    try:
        rows = run(devices, dict(settings["devices"]),
                   argparse.Namespace(no_print=a.no_print, wait_scan=0.0, timeout=a.selftest_timeout))
    finally:
        devices.close()
    steps = []
    for row in rows:
        todo = ""
        if row["result"] == FAIL:
            todo = (f"check the {NAMES[row['device']]}'s cable and power and its URL "
                    f"({row['url']}); then run kiosk-selftest")
        steps.append(Step(f"self-test {row['device']}", {"PASS": OK, "SKIP": SKIPPED}.get(row["result"], FAILED),
                          row["reason"], todo))
    return steps


def report(steps: list[Step]) -> str:
    lines = []
    for s in steps:
        lines.append(f"{s.result:<8} {s.name:<20} {s.detail}")
        if s.todo:
            lines.append(f"{'':<8} {'':<20} -> {s.todo}")
    return "\n".join(lines)


def _joined_values(argv: list[str], options: tuple[str, ...]) -> list[str]:
    """`--token X` as `--token=X`, so a value beginning with "-" (a URL-safe token does one
    time in 64) is not taken for an option."""
    out, rest = [], list(argv)
    while rest:
        arg = rest.pop(0)
        out.append(f"{arg}={rest.pop(0)}" if arg in options and rest else arg)
    return out


@with_umask(PRIVATE_UMASK)
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="kiosk-provision", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--platform", required=True, help="platform URL, e.g. https://platform.example")
    p.add_argument("--token", default="", help="one-time enrollment token (not needed when already enrolled)")
    p.add_argument("--terminal-id", required=True)
    p.add_argument("--location", required=True)
    p.add_argument("--state-dir", default="/var/lib/kiosk")
    p.add_argument("--config", default="/etc/kiosk/kiosk.toml", help="terminal configuration to write")
    p.add_argument("--device", action="append", default=[], metavar="FAMILY=URL",
                   help="device URL, e.g. printer=printer+net://10.0.0.5:9100 (repeatable)")
    p.add_argument("--ca-bundle", default="", help="PEM with the platform's certificate (or its CA): "
                                                  "the only one trusted for the platform")
    p.add_argument("--technician-pin", default="", help="this terminal's technician PIN, 6-12 digits, not "
                                                       "trivial (stored hashed in the state directory)")
    p.add_argument("--trust-root", help="root.json of the config repository (kioskctl root)")
    p.add_argument("--install-service", action="store_true")
    p.add_argument("--unit-dir", default=DEFAULT_UNIT_DIR)
    p.add_argument("--service-user", default=service_user(),
                   help="run as root: the user the configuration is given to (default: kiosk.service's User=)")
    p.add_argument("--no-selftest", action="store_true")
    p.add_argument("--no-print", action="store_true", help="self-test without printing a test page")
    p.add_argument("--selftest-timeout", type=float, default=5.0)
    a = p.parse_args(_joined_values(sys.argv[1:] if argv is None else argv, ("--token",)))
    state_dir, config_path = Path(a.state_dir).absolute(), Path(a.config).absolute()
    steps: list[Step] = []
    client = None
    try:
        ids = SCHEMA["properties"]["kiosk"]["properties"]["terminal_id"]["pattern"]
        if not re.match(ids, a.terminal_id):
            raise Failed(f"terminal ID {a.terminal_id!r} is malformed", "use letters, digits, - and _ (e.g. TJ-HP-0001)")
        check_platform_url(a.platform)
        a.ca_bundle = check_ca_bundle(a.ca_bundle) if a.ca_bundle else ""
        if a.technician_pin and pin_problem(a.technician_pin):
            raise Failed(f"--technician-pin: {pin_problem(a.technician_pin)}",
                         "choose 6 to 12 digits that are not a run, a repeat or a pattern (not 123456)")
        client = PlatformClient(a.platform, ca_bundle=a.ca_bundle or None)
        private_dir(state_dir, tighten=True)
        steps.append(enroll_step(a, client, state_dir / "platform" / "device.json"))
        steps.append(config_step(a, state_dir, config_path))
        steps.append(pin_step(a, state_dir))
        steps.append(trust_step(a, client, state_dir))
        steps.append(service_step(a))
        if not a.no_selftest:
            steps += selftest_step(a, config_path)
    except Failed as exc:
        steps.append(Step("stopped", FAILED, exc.detail, exc.todo))
    except PermissionError as exc:
        steps.append(Step("stopped", FAILED, f"no permission: {exc.filename}",
                          "run as root (sudo), or pass --state-dir/--config you may write"))
    finally:
        if client is not None:
            client.close()
    print(report(steps))
    failed = any(s.result == FAILED for s in steps)
    print("\n" + ("FAILED: follow the -> hints above and re-run (re-running is safe)." if failed
                  else "Terminal provisioned."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
