"""One language's names and guide-sheet essentials of the catalog's items, kept apart from the
catalog (config/catalog/en.json, keyed by item code) so the Chinese catalog stays the one binding
text and its schema evolves on its own. Validated by the app's own schema
(config/catalog/schema/translations.schema.json) and against the catalog: every code must be an
item, every material key one of that item's materials.

`load_translations(path, catalog)` returns `Translations` or raises TranslationsInvalid with
every problem; `Translations.name(item)` / `.material(item, material)` / `.essential(item, key)`
give the translated text or None (the caller then shows the Chinese)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from jsonschema import Draft202012Validator

from kiosk.bounded import read_json

SCHEMA = Path(__file__).resolve().parents[2] / "config" / "catalog" / "schema" / "translations.schema.json"
DEFAULT = Path(__file__).resolve().parents[2] / "config" / "catalog" / "en.json"
MAX_BYTES = 4 * 1024 * 1024
ESSENTIALS = ("address", "window", "time_limits", "fees")
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
    return Translations(doc["language"], doc["items"])


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


def english(catalog, directory: str | Path | None = None) -> Translations | None:
    """The English translations checked against `catalog`: `directory`/en.json when the
    catalog's own directory (e.g. a config bundle's) has one, else the shipped file. Loaded once
    per catalog; None when the file does not fit the catalog: Chinese is shown."""
    path = Path(directory) / "en.json" if directory and (Path(directory) / "en.json").is_file() else DEFAULT
    key = (id(catalog), str(path))
    if key not in _loaded:
        try:
            _loaded.clear()
            _loaded[key] = load_translations(path, catalog)
        except TranslationsInvalid as exc:
            log.error("English catalog translations refused", extra={"problems": exc.problems[:10]})
            _loaded[key] = None
    return _loaded[key]
