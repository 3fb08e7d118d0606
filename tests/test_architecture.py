"""The dependency rules of docs/ARCHITECTURE.md, checked on the import statements."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HARDWARE = {"serial", "smartcard", "escpos", "pyzbar", "cv2", "usb"}
DOMAIN = ["kiosk/catalog", "kiosk/catalog/search.py", "kiosk/workdays/calendar.py", "kiosk/citizen/commitment.py",
          "kiosk/session.py", "kiosk/idle.py", "kiosk/i18n.py", "kiosk/config.py",
          "kiosk/printing/receipts.py"]


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def files(*parts: str):
    for part in parts:
        target = ROOT / part
        yield from ([target] if target.is_file() else sorted(target.rglob("*.py")) if target.exists() else [])


@pytest.mark.parametrize("path", list(files("drivers")), ids=str)
def test_drivers_know_no_kivy_and_no_kiosk(path):
    assert not imported_roots(path) & {"kivy", "kiosk", "screens", "sandbox"}


@pytest.mark.parametrize("path", [p for p in files("kiosk") if p.name != "__main__.py"], ids=str)
def test_kiosk_core_imports_no_kivy_and_no_screens(path):
    assert not imported_roots(path) & {"kivy", "screens"}


def test_domain_loads_no_hardware_library_and_no_kivy():
    """Import the domain modules in a fresh interpreter: nothing they pull in, even
    indirectly, may be a hardware library or Kivy (they are tested without either)."""
    modules = [p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".") for p in files(*DOMAIN)]
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HARDWARE | {'kivy'})!r})))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("path", list(files("screens")), ids=str)
def test_screens_never_reach_drivers(path):
    assert "drivers" not in imported_roots(path) and "sandbox" not in imported_roots(path)


def test_only_embedded_starts_the_sandbox():
    users = {p.relative_to(ROOT).as_posix() for p in files("kiosk") if "sandbox" in imported_roots(p)}
    assert users <= {"kiosk/platform/embedded.py"}
