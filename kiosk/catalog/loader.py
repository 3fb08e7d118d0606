"""Loads a catalog directory (catalog.json + items/*.json), validates it, builds the model.

Validation collects every problem before giving up: JSON Schema errors (the
app's own config/catalog/schema/*.schema.json, never a schema beside the data:
a fleet bundle cannot relax the rules) and the rules a schema cannot express
(duplicate codes, dangling references, commitment without a deferrable
material, 网上办 without its URL, ...). Files are size- and depth-bounded
(kiosk.bounded) and no check recurses or grows with the number of paths.
Each problem names the file, the item code and the field. Nothing is built unless there are no problems at all.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from jsonschema import Draft202012Validator

from kiosk.bounded import TooComplex, read_json
from kiosk.catalog import model as m

VARIANT_OWN_KEYS = {"code", "name", "label"}
NOT_INHERITED = {"code", "name", "parent", "questions", "variants", "synonyms", "label"}


@dataclass(frozen=True)
class Problem:
    file: str
    item_code: str
    field: str
    message: str

    def __str__(self) -> str:
        where = " ".join(p for p in (self.item_code, self.field) if p)
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


class CatalogError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"catalog invalid ({len(problems)} problems):\n{lines}{more}")


SCHEMA_DIR = Path(__file__).resolve().parents[2] / "config" / "catalog" / "schema"
MAX_FILE_BYTES = 4 * 1024 * 1024


def _validator(name: str) -> Draft202012Validator:
    """Always the app's own schema: a catalog directory (e.g. from a fleet bundle) cannot bring its own."""
    return Draft202012Validator(json.loads((SCHEMA_DIR / name).read_text("utf-8")))


def _read_json(path: Path, rel: str, problems: list[Problem]) -> Any:
    try:
        return read_json(path, max_bytes=MAX_FILE_BYTES)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "", "", f"cannot read: {exc}"))
    except json.JSONDecodeError as exc:
        problems.append(Problem(rel, "", "", f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"))
    except TooComplex as exc:
        problems.append(Problem(rel, "", "", f"not accepted: {str(exc).rpartition(': ')[2]}"))
    return None


def _schema_problems(validator, doc, rel: str) -> Iterable[Problem]:
    for error in validator.iter_errors(doc):
        path = list(error.absolute_path)
        code = ""
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            item = doc["items"][path[1]]
            code = item.get("code", f"items[{path[1]}]") if isinstance(item, dict) else f"items[{path[1]}]"
            path = path[2:]
            if len(path) >= 2 and path[0] == "variants" and isinstance(path[1], int):
                variant = doc["items"][int(list(error.absolute_path)[1])]["variants"][path[1]]
                if isinstance(variant, dict) and "code" in variant:
                    code = str(variant["code"])
                    path = path[2:]
        field = ".".join(str(p) for p in path)
        yield Problem(rel, str(code), field, error.message)


def read_catalog_files(directory: Path) -> tuple[dict | None, list[tuple[str, dict]], list[Problem]]:
    """The raw documents: (header, [(file, items doc)], problems)."""
    problems: list[Problem] = []
    header_path = directory / "catalog.json"
    if not header_path.exists():
        return None, [], [Problem(str(header_path), "", "", "catalog.json is missing")]
    header = _read_json(header_path, "catalog.json", problems)
    if header is not None:
        problems.extend(_schema_problems(_validator("catalog.schema.json"), header, "catalog.json"))
    item_files = sorted((directory / "items").glob("*.json"))
    if not item_files:
        problems.append(Problem("items/", "", "", "no item files (items/*.json)"))
    validator = _validator("items.schema.json")
    docs = []
    for path in item_files:
        rel = f"items/{path.name}"
        doc = _read_json(path, rel, problems)
        if doc is None:
            continue
        found = list(_schema_problems(validator, doc, rel))
        problems.extend(found)
        if not found:
            docs.append((rel, doc))
    return header, docs, problems


def _merged_variants(item: dict) -> list[dict]:
    base = {k: v for k, v in item.items() if k not in NOT_INHERITED}
    return [{**base, **variant, "parent": item["code"]} for variant in item.get("variants", [])]


def check_rules(header: dict, docs: list[tuple[str, dict]]) -> list[Problem]:
    """The rules beyond the schema. Input is schema-valid."""
    problems: list[Problem] = []
    add = lambda rel, code, fld, msg: problems.append(Problem(rel, code, fld, msg))  # noqa: E731
    departments = {d["id"] for d in header.get("departments", [])}
    events = {e["id"] for e in header.get("life_events", [])}
    seen: dict[str, str] = {}
    for dep in _duplicates(d["id"] for d in header.get("departments", [])):
        add("catalog.json", "", "departments", f"duplicate department id {dep!r}")
    for ev in _duplicates(e["id"] for e in header.get("life_events", [])):
        add("catalog.json", "", "life_events", f"duplicate life event id {ev!r}")
    entries = []   # (file, merged dict, is_variant)
    for rel, doc in docs:
        for item in doc["items"]:
            entries.append((rel, item, False))
            entries.extend((rel, v, True) for v in _merged_variants(item))
    for rel, entry, _v in entries:
        code = entry["code"]
        if code in seen:
            add(rel, code, "code", f"duplicate item code (also in {seen[code]})")
        else:
            seen[code] = rel
    for rel, entry, is_variant in entries:
        code = entry["code"]
        if entry["department"] not in departments:
            add(rel, code, "department", f"unknown department {entry['department']!r}")
        for ev in entry.get("life_events", []):
            if ev not in events:
                add(rel, code, "life_events", f"unknown life event {ev!r}")
        parent = entry.get("parent")
        if parent and not is_variant and parent not in seen:
            add(rel, code, "parent", f"unknown parent item {parent!r}")
        if parent == code:
            add(rel, code, "parent", "an item cannot be its own parent")
        if "网上办" in entry["modes"]:
            url = entry.get("online_url", "")
            if not url:
                add(rel, code, "online_url", "网上办 item without its URL (公开公示 第十条(二))")
            elif not url.startswith(("https://", "http://")):
                add(rel, code, "online_url", f"not a web address: {url!r}")
        if "网上" in entry["procedure"].get("apply_methods", []) and not entry.get("online_url"):
            add(rel, code, "procedure.apply_methods", "网上 application without online_url")
        material_ids = [mat["id"] for mat in entry["materials"]]
        for dup in _duplicates(material_ids):
            add(rel, code, "materials", f"duplicate material id {dup!r}")
        deferrable = [mat for mat in entry["materials"] if mat.get("deferrable")]
        commitment = entry["commitment"]
        forms = commitment.get("forms", ["容缺后补"] if commitment["allowed"] else [])
        if commitment["allowed"] and "容缺后补" in forms and not deferrable:
            add(rel, code, "commitment.allowed", "commitment allowed but no material is deferrable (容缺)")
        if commitment["allowed"] and "具备条件承诺" in forms and not commitment.get("promised_conditions"):
            add(rel, code, "commitment.promised_conditions",
                "具备条件承诺 without the conditions that may be promised (信用承诺 第四条)")
        if commitment["allowed"] and not forms:
            add(rel, code, "commitment.forms", "commitment allowed in no form (信用承诺 第四条)")
        if not commitment["allowed"] and deferrable:
            add(rel, code, "materials.deferrable", "deferrable materials on an item that does not allow commitment")
        if not commitment["allowed"] and not commitment.get("reason"):
            add(rel, code, "commitment.reason", "commitment not allowed: the reason (信用承诺 第四条) is missing")
        limits = entry["time_limits"]
        if limits["promised_days"] > limits["statutory_days"]:     # one unit for both (schema)
            add(rel, code, "time_limits.promised_days",
                f"promised {limits['promised_days']} > statutory {limits['statutory_days']} working days")
        if entry["fees"]["charged"] and not (entry["fees"].get("standard") and entry["fees"].get("basis")):
            add(rel, code, "fees", "charged without standard and basis (公开公示 第十五条)")
        if not is_variant:
            problems.extend(_question_problems(rel, entry, seen))
    return problems


def _question_problems(rel: str, item: dict, codes: dict[str, str]) -> list[Problem]:
    code = item["code"]
    variants = [v["code"] for v in item.get("variants", [])]
    questions = item.get("questions")
    if not questions:
        return [Problem(rel, code, "questions", "item has variants but no guided questions")] if variants else []
    out = []
    nodes = {}
    for node in questions["nodes"]:
        if node["id"] in nodes:
            out.append(Problem(rel, code, f"questions.{node['id']}", "duplicate question id"))
        nodes[node["id"]] = node
    if questions["start"] not in nodes:
        out.append(Problem(rel, code, "questions.start", f"unknown question {questions['start']!r}"))
    reached: set[str] = set()
    for node in questions["nodes"]:
        for i, opt in enumerate(node["options"]):
            where = f"questions.{node['id']}.options[{i}]"
            if bool(opt.get("next")) == bool(opt.get("variant")):
                out.append(Problem(rel, code, where, "an option needs exactly one of next / variant"))
            elif opt.get("next") and opt["next"] not in nodes:
                out.append(Problem(rel, code, where, f"unknown question {opt['next']!r}"))
            elif opt.get("variant") and opt["variant"] not in variants:
                out.append(Problem(rel, code, where, f"unknown variant {opt['variant']!r} of this item"))
            elif opt.get("variant"):
                reached.add(opt["variant"])
    if not out and _has_cycle(questions["start"], nodes):
        out.append(Problem(rel, code, "questions", "the questions loop back on themselves"))
    for vcode in variants:
        if vcode not in reached:
            out.append(Problem(rel, code, "variants", f"variant {vcode} is not reached by any question"))
    return out


def _has_cycle(start: str, nodes: dict[str, dict]) -> bool:
    """Depth-first with colours and an explicit stack: linear in the questions, no recursion
    (a long chain or many diamond-shaped paths in a bundle cannot hang or crash the check)."""
    done: set[str] = set()
    on_path: set[str] = set()
    stack = [(start, iter([o["next"] for o in nodes[start]["options"] if o.get("next")]))]
    on_path.add(start)
    while stack:
        qid, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(qid)
            done.add(qid)
        elif child in on_path:
            return True
        elif child not in done:
            on_path.add(child)
            stack.append((child, iter([o["next"] for o in nodes[child]["options"] if o.get("next")])))
    return False


def _duplicates(values: Iterable[str]) -> list[str]:
    seen, dups = set(), []
    for v in values:
        if v in seen and v not in dups:
            dups.append(v)
        seen.add(v)
    return dups


# -- building the model ---------------------------------------------------------

def _build_item(entry: dict, level_name: str, departments: dict[str, m.Department]) -> m.Item:
    dep = departments[entry["department"]]
    proc = entry["procedure"]
    conv = entry.get("convenience", {})
    delivery = conv.get("delivery", False)
    commitment = entry["commitment"]
    questions = None
    if entry.get("questions") and level_name != "variant":
        q = entry["questions"]
        questions = m.Questions(q["start"], {n["id"]: m.Question(
            n["id"], n["text"], tuple(m.Option(o["label"], o.get("next", ""), o.get("variant", ""))
                                      for o in n["options"])) for n in q["nodes"]})
    return m.Item(
        code=entry["code"], name=entry["name"], level_name=level_name, department=dep,
        subject=m.Subject(administrative_body=entry.get("administrative_body", dep.name),
                          competent_department=entry.get("competent_department", dep.name),
                          implementing_department=entry.get("implementing_department", dep.name),
                          audience=tuple(entry["audience"])),
        category=entry["category"], modes=tuple(entry["modes"]), online_url=entry.get("online_url", ""),
        legal_basis=m.LegalBasis(tuple(entry["legal_basis"]["setting"]),
                                 tuple(entry["legal_basis"].get("other", ()))),
        level=entry["level"], authority=entry.get("authority", ""),
        conditions=tuple(entry.get("conditions", ())),
        materials=tuple(m.Material(**mat) for mat in entry["materials"]),
        procedure=m.Procedure(
            apply_methods=tuple(proc.get("apply_methods", ("现场",))), address=proc["address"],
            window=proc["window"], phone=proc.get("phone", dep.phone),
            acceptance_standard=proc.get("acceptance_standard", ""),
            review_steps=tuple(step_name(s) for s in proc.get("review_steps", ("纸质审查",))),
            review_details=tuple(m.ReviewStep(**s) if isinstance(s, dict) else m.ReviewStep(s)
                                 for s in proc.get("review_steps", ())),
            decision=m.Decision(**proc.get("decision", {})),
            quantity_limit=proc.get("quantity_limit", ""),
            validity=proc.get("validity") or m.DEFAULT_VALIDITY, scope=proc.get("scope") or m.DEFAULT_SCOPE),
        time_limits=m.TimeLimits(**entry["time_limits"]),
        fees=m.Fees(**entry["fees"]),
        complaint_phone=entry.get("complaint_phone", dep.complaint_phone),
        convenience=m.Convenience(
            delivery=bool(delivery) if not isinstance(delivery, dict) else any(delivery.values()),
            materials_in=delivery.get("materials_in", False) if isinstance(delivery, dict) else bool(delivery),
            results_out=delivery.get("results_out", False) if isinstance(delivery, dict) else bool(delivery),
            appointment=conv.get("appointment", ""),
            joint_departments=tuple(conv.get("joint_departments", ())), coverage=conv.get("coverage", ""),
            faq=tuple(m.Faq(f["q"], f["a"]) for f in conv.get("faq", ()))),
        commitment=m.Commitment(
            allowed=commitment["allowed"], reason=commitment.get("reason", ""),
            forms=tuple(commitment.get("forms", ("容缺后补",) if commitment["allowed"] else ())),
            promised_conditions=tuple(commitment.get("promised_conditions", ())),
            ground=commitment.get("ground", "")),
        updated_on=entry.get("updated_on", ""),
        abolished_on=entry.get("abolished", {}).get("on", ""), abolished_by=entry.get("abolished", {}).get("by", ""),
        parent=entry.get("parent", ""), variant_label=entry.get("label", ""),
        life_events=tuple(entry.get("life_events", ())), synonyms=tuple(entry.get("synonyms", ())),
        questions=questions, variants=tuple(v["code"] for v in entry.get("variants", ())) if level_name != "variant" else (),
    )


def step_name(step: str | dict) -> str:
    """A 审查 step as the schema allows it: its name, or {step, content, standard}."""
    return step["step"] if isinstance(step, dict) else step


def build_catalog(header: dict, docs: list[tuple[str, dict]]) -> m.Catalog:
    departments = {d["id"]: m.Department(**d) for d in header["departments"]}
    events = {e["id"]: m.LifeEvent(**e) for e in header["life_events"]}
    items: dict[str, m.Item] = {}
    for _rel, doc in docs:
        for entry in doc["items"]:
            items[entry["code"]] = _build_item(entry, "sub-item" if entry.get("parent") else "item", departments)
            for variant in _merged_variants(entry):
                items[variant["code"]] = _build_item(variant, "variant", departments)
    return m.Catalog(version=header["version"], title=header["title"], demo=header["demo"],
                     departments=departments, life_events=events, items=items)


def load_catalog(directory: str | Path) -> m.Catalog:
    """Read, validate and build the catalog in `directory`; raise CatalogError listing every problem."""
    directory = Path(directory)
    header, docs, problems = read_catalog_files(directory)
    if header is not None and not any(p.file == "catalog.json" for p in problems):
        problems += check_rules(header, docs)   # on the files that passed the schema
    if problems or header is None:
        raise CatalogError(problems)
    return build_catalog(header, docs)
