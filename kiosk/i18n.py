"""Message catalogs: every citizen-facing string, by key, in zh_CN (default) and en.

Catalogs are TOML files under config/messages/<language>/, one file per
feature (app.toml, catalog.toml, ...), merged; keys are dotted. A missing
English string falls back to Chinese, a missing key shows the key itself (and
is caught by the catalog-completeness test, never by a citizen).
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from kiosk.bounded import read_toml
from kiosk.config import REPO_CONFIG

MESSAGES_DIR = REPO_CONFIG / "messages"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")


def _flatten(tree: Mapping, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def load_catalog(language: str, directory: Path = MESSAGES_DIR) -> dict[str, object]:
    merged: dict[str, object] = {}
    for path in sorted((directory / language).glob("*.toml")):
        merged.update(_flatten(read_toml(path)))      # bounded: a broken file is refused, not recursed
    return merged


class Messages:
    """Looks up strings in the current language; `overrides` are admin-pushed texts."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, directory: Path = MESSAGES_DIR,
                 overrides: Mapping[str, Mapping[str, object]] | None = None):
        self._shipped = {lang: load_catalog(lang, directory) for lang in LANGUAGES}
        self.set_overrides(overrides)
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def set_overrides(self, overrides: Mapping[str, Mapping[str, object]] | None) -> None:
        """Replace the admin-pushed texts (a new config bundle); the shipped texts stay below."""
        catalogs = {lang: dict(texts) for lang, texts in self._shipped.items()}
        for lang, texts in (overrides or {}).items():
            catalogs.setdefault(lang, {}).update(texts)
        self._catalogs = catalogs

    def keys(self, language: str = DEFAULT_LANGUAGE) -> set[str]:
        return set(self._catalogs[language])

    def lookup(self, key: str) -> object:
        for lang in (self.language, DEFAULT_LANGUAGE):
            if key in self._catalogs.get(lang, {}):
                return self._catalogs[lang][key]
        return key

    def t(self, key: str, **params: object) -> str:
        text = self.lookup(key)
        if not isinstance(text, str):
            return key
        return text.format(**params) if params else text

    def list(self, key: str) -> list[str]:
        value = self.lookup(key)
        return [str(v) for v in value] if isinstance(value, list) else []
