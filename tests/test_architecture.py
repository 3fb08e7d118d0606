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


# --- the module graph: every import, the lazy ones inside functions included ---------------

PACKAGES = ("kiosk", "screens", "drivers", "sandbox")


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
    return rel[: -len(".__init__")] if rel.endswith(".__init__") else rel


def module_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in files(*PACKAGES)}
    graph: dict[str, set[str]] = {m: set() for m in modules}

    def target(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            wanted = []
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                # `from pkg import sub` depends on pkg.sub; `from pkg import name` on pkg
                wanted = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                          for alias in node.names]
            for want in wanted:
                found = target(want)
                if found and found != name:
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_lazy_imports_included():
    found = cycles(module_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_kiosk_top_level_is_at_most_a_dozen_modules():
    top = sorted(p.name for p in (ROOT / "kiosk").glob("*.py"))
    assert len(top) <= 12, top


def test_the_library_never_imports_the_command_line_tools():
    graph = module_graph()
    library = [m for m in graph if m.startswith("kiosk.") and not m.startswith("kiosk.tools")]
    offenders = {m: sorted(t for t in graph[m] if t.startswith("kiosk.tools")) for m in library}
    assert not {m: t for m, t in offenders.items() if t}


def test_production_screens_never_import_the_tour_or_the_driver():
    graph = module_graph()
    screens = [m for m in graph if m.startswith("screens.") and not m.startswith("screens.tour")]
    assert len(screens) > 20
    offenders = {m: sorted(t for t in graph[m] if t.startswith("screens.tour")) for m in screens}
    assert not {m: t for m, t in offenders.items() if t}
    assert not [p for p in (ROOT / "screens").glob("*.py") if "def tour(" in p.read_text(encoding="utf-8")]


def test_the_wire_contract_is_shared_by_client_and_sandbox():
    graph = module_graph()
    assert "kiosk.platform.contract" in graph["sandbox.fleet"]
    assert "kiosk.platform.contract" in graph["kiosk.platform.client"]
    assert "kiosk.platform.contract" in graph["kiosk.tools.kioskctl.cli"]
    assert not graph["kiosk.platform.contract"]          # it imports nothing of ours


def test_the_composition_root_chooses_the_embedded_platform():
    graph = module_graph()
    assert "kiosk.platform.embedded" in graph["kiosk.services"]
    assert "kiosk.platform.embedded" not in graph["kiosk.platform.client"]
