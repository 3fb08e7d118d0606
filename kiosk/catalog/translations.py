"""One language's names and guide-sheet essentials of the catalog's items, kept apart from the
catalog (config/catalog/en.json, keyed by item code) so the Chinese catalog stays the one binding
text and its schema evolves on its own. Validated by the app's own schema
(config/catalog/schema/translations.schema.json) and against the catalog: every code must be an
item, every material key one of that item's materials.

`load_translations(path, catalog)` returns `Translations` or raises TranslationsInvalid with
every problem; `Translations.name(item)` / `.material(item, material)` / `.essential(item, key)`
give the translated text or None (the caller then shows the Chinese).

A variant (类型项) takes its item's English wherever its Chinese is its item's (the loader fills a
variant from its item the same way): a material of the same id and Chinese name, the address and
window, the time limits, the fees; what the variant states itself needs its own English.
`missing(translations, catalog)` names what an offered item still lacks and where the English no
longer carries the Chinese's figures (`kioskctl catalog lint` reports both as gaps)."""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from jsonschema import Draft202012Validator

from kiosk.bounded import read_json

SCHEMA = Path(__file__).resolve().parents[2] / "config" / "catalog" / "schema" / "translations.schema.json"
DEFAULT = Path(__file__).resolve().parents[2] / "config" / "catalog" / "en.json"
MAX_BYTES = 4 * 1024 * 1024
ESSENTIALS = ("address", "window", "time_limits", "fees")
FIGURES = re.compile(r"[0-9]+")
log = logging.getLogger("kiosk.catalog.translations")
_loaded: dict[tuple[int, str], "Translations | None"] = {}


class TranslationsInvalid(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Translations:
    language: str
    items: Mapping[str, Mapping[str, Any]]

    def name(self, item) -> str | None:
        entry = self.items.get(item.code) or (self.items.get(item.parent) if item.parent else None)
        return entry.get("name") if entry else None

    def material(self, item, material) -> str | None:
        return (self.items.get(item.code) or {}).get("materials", {}).get(material.id)

    def essential(self, item, key: str) -> str | None:
        return (self.items.get(item.code) or {}).get(key)


def load_translations(path: str | Path = DEFAULT, catalog=None) -> Translations:
    path = Path(path)
    try:
        doc = read_json(path, max_bytes=MAX_BYTES)      # size- and depth-bounded (kiosk.bounded)
    except (OSError, ValueError) as exc:
        raise TranslationsInvalid([f"{path.name}: cannot be read as JSON ({exc})"]) from None
    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    problems = [f"{path.name} {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
                for e in validator.iter_errors(doc)]
    if not problems and catalog is not None:
        problems = _catalog_problems(doc, catalog, path.name)
    if problems:
        raise TranslationsInvalid(problems)
    items = doc["items"] if catalog is None else _with_variants(doc["items"], catalog)
    return Translations(doc["language"], items)


def chinese(item, key: str) -> str:
    """The Chinese an essential translates: the address, the window, the time limits (both figures
    and the note; 0 is 即办), the fees (the standard, or none when free)."""
    lim = item.time_limits
    return {"address": item.procedure.address, "window": item.procedure.window,
            "time_limits": f"承诺{lim.promised_days}、法定{lim.statutory_days}{lim.unit}"
                           + (f"；{lim.note}" if lim.note else ""),
            "fees": item.fees.standard if item.fees.charged else "免费"}[key]


def _with_variants(entries: Mapping[str, Mapping[str, Any]], catalog) -> dict[str, dict[str, Any]]:
    """Each variant's entry completed with its item's English where the variant's Chinese is its
    item's (a variant's own wording wins)."""
    items = {code: dict(entry) for code, entry in entries.items()}
    for item in catalog.items.values():
        parent = catalog.get(item.parent) if item.level_name == "variant" else None
        above = entries.get(item.parent) if parent else None
        if not above:
            continue
        own = items.setdefault(item.code, {})
        same = {(m.id, m.name) for m in parent.materials}
        inherited = {m.id: above["materials"][m.id] for m in item.materials
                     if (m.id, m.name) in same and m.id in above.get("materials", {})}
        own["materials"] = {m.id: text for m in item.materials
                            if (text := own.get("materials", {}).get(m.id) or inherited.get(m.id))}
        for key in ESSENTIALS:
            if key not in own and key in above and chinese(item, key) == chinese(parent, key):
                own[key] = above[key]
    return items


def missing(translations: Translations, catalog) -> list[tuple[str, str, str]]:
    """(item code, field, what is wrong) for every offered item, variants included: no English name,
    a material or an essential without English, or English that does not carry every figure of
    its Chinese (a window number, a fee, a time limit: out of date after the Chinese changed)."""
    out = []
    for item in catalog.items.values():
        if item.abolished_on:
            continue                      # never offered (公开公示 第五、六条): no sheet to show
        entry = translations.items.get(item.code, {})
        if not entry.get("name"):                 # its own: a variant's name is not its item's
            out.append((item.code, "name", f"no English name for {item.name}"))
        out += [(item.code, f"materials.{m.id}", f"no English for {m.name}")
                for m in item.materials if not translations.material(item, m)]
        for key in ESSENTIALS:
            source, text = chinese(item, key), entry.get(key)
            if not text and source.strip():
                out.append((item.code, key, f"no English for {source.strip()}"))
            elif text and (lost := [n for n in FIGURES.findall(source) if n != "0"
                                    and n not in FIGURES.findall(text)]):
                out.append((item.code, key, f"the English lacks {', '.join(lost)} of {source.strip()}"))
    return out


def _catalog_problems(doc, catalog, name: str) -> list[str]:
    problems = []
    for code, entry in doc["items"].items():
        item = catalog.get(code)
        if item is None:
            problems.append(f"{name} items/{code}: no such item in the catalog")
            continue
        known = {m.id for m in item.materials}
        problems += [f"{name} items/{code}/materials/{key}: not a material of {code}"
                     for key in entry.get("materials", {}) if key not in known]
    return problems


def english_file(directory: str | Path | None) -> Path:
    """The English file a catalog in `directory` is shown with: its own en.json (e.g. a config
    bundle's), else the shipped one."""
    return Path(directory) / "en.json" if directory and (Path(directory) / "en.json").is_file() else DEFAULT


def english(catalog, directory: str | Path | None = None) -> Translations | None:
    """The English translations checked against `catalog` (`english_file(directory)`). Loaded once
    per catalog; None when the file does not fit the catalog: Chinese is shown."""
    path = english_file(directory)
    key = (id(catalog), str(path))
    if key not in _loaded:
        try:
            _loaded.clear()
            _loaded[key] = load_translations(path, catalog)
        except TranslationsInvalid as exc:
            log.error("English catalog translations refused", extra={"problems": exc.problems[:10]})
            _loaded[key] = None
    return _loaded[key]
