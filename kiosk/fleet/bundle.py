"""A config bundle: what admins publish to the fleet, and how it is validated.

A bundle is a directory with any of these parts (all optional, at least one):

    settings.toml      settings overrides (the sections of config/kiosk.toml)
    catalog/           an item catalog directory (catalog.json, items/*.json)
    holidays.json      a holiday table (kiosk.workdays.calendar format)
    texts.toml         message overrides: [zh_CN] and/or [en] tables of message keys

It travels as one deterministic tar.gz (`pack`), is unpacked safely (`unpack`:
regular files and directories only, no links, no absolute or `..` paths, size
bounded) and is validated in full (`validate_bundle`) with the same loaders the
kiosk uses at start-up, before the kiosk switches to it, always against the
app's own schemas: a bundle cannot ship or replace one (a catalog part holds
catalog.json and items/*.json only). Every part is read size- and depth-bounded
(kiosk.bounded). Terminal-specific keys (identity, state directory, platform
address) and secrets (the technician PIN hash: the config repository is served
without authentication) cannot be set by the fleet.
"""
from __future__ import annotations

import io
import json
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kiosk.bounded import TooComplex, loads_toml, read_bytes, read_json
from kiosk.config import DEFAULTS_FILE, ConfigError, _merge, _read_toml, validate

PARTS = ("settings.toml", "catalog", "holidays.json", "texts.toml")
TERMINAL_KEYS = {("kiosk", "terminal_id"), ("kiosk", "location"), ("kiosk", "state_dir"),
                 ("platform", "url"), ("platform", "ca_bundle")}
SECRET_KEYS = {("technician", "pin_hash")}
CATALOG_PARTS = ("catalog.json", "items")
MAX_PART_BYTES = 4 * 1024 * 1024
MAX_UNPACKED = 64 * 1024 * 1024
MAX_MEMBERS = 5000


class BundleError(ValueError):
    """The bundle is malformed or invalid; the message names the part and the problem."""


@dataclass(frozen=True)
class Bundle:
    """A validated bundle on disk; only the parts it has are set."""
    root: Path
    settings: dict | None
    catalog_dir: Path | None
    holidays_path: Path | None
    texts: dict[str, dict[str, object]] | None


def settings_overrides(root: Path) -> dict | None:
    path = Path(root) / "settings.toml"
    return _read_toml(path) if path.is_file() else None


def overlay(base: dict, overrides: dict | None) -> dict:
    """The settings a terminal runs with: its own settings with the fleet overrides merged over."""
    return _merge(base, overrides) if overrides else base


def _check_settings(data: dict) -> None:
    for section, key in sorted(SECRET_KEYS):
        if key in data.get(section, {}):
            raise BundleError(f"settings.toml: {section}.{key} is a secret and the config repository is "
                              "public: set the technician PIN per terminal (kiosk-provision "
                              "--technician-pin, or kioskctl technician-pin)")
    for section, key in sorted(TERMINAL_KEYS):
        if key in data.get(section, {}):
            raise BundleError(f"settings.toml: {section}.{key} is set per terminal, not by the fleet")
    try:
        validate(_merge(_read_toml(DEFAULTS_FILE), data))
    except ConfigError as exc:
        raise BundleError(f"settings.toml: {exc}") from None


def _check_texts(path: Path) -> dict[str, dict[str, object]]:
    from kiosk.i18n import LANGUAGES, Messages, _flatten
    try:
        raw = loads_toml(read_bytes(path, MAX_PART_BYTES), "texts.toml")
    except TooComplex as exc:
        raise BundleError(str(exc)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(f"texts.toml: not valid TOML ({exc})") from None
    known = Messages().keys()
    texts: dict[str, dict[str, object]] = {}
    for lang, table in raw.items():
        if lang not in LANGUAGES or not isinstance(table, dict):
            raise BundleError(f"texts.toml: [{lang}] is not a language table ({', '.join(LANGUAGES)})")
        flat = _flatten(table)
        for key, value in flat.items():
            if key not in known:
                raise BundleError(f"texts.toml: {lang}.{key}: unknown message key")
            if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                raise BundleError(f"texts.toml: {lang}.{key}: expected text or a list of texts")
        texts[lang] = flat
    return texts


def validate_bundle(root: str | Path) -> Bundle:
    """Validate every part with the kiosk's own loaders; raise BundleError on the first problem."""
    from kiosk.catalog.loader import CatalogError, load_catalog
    from kiosk.workdays.calendar import HolidayTable
    root = Path(root)
    present = [p for p in PARTS if (root / p).exists()]
    if not present:
        raise BundleError(f"bundle has none of {', '.join(PARTS)}")
    unknown = sorted(p.name for p in root.iterdir() if p.name not in PARTS)
    if unknown:
        raise BundleError(f"unexpected entry in bundle: {unknown[0]}")
    settings = None
    if (root / "settings.toml").exists():
        try:
            settings = settings_overrides(root)
        except ConfigError as exc:
            raise BundleError(str(exc)) from None
        _check_settings(settings)
    catalog_dir = root / "catalog" if (root / "catalog").is_dir() else None
    if catalog_dir is not None:
        _check_catalog_layout(catalog_dir)
        try:
            catalog = load_catalog(catalog_dir)
        except CatalogError as exc:
            raise BundleError(f"catalog: {exc.problems[0] if exc.problems else exc}"
                              + (f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else "")) from None
        if (catalog_dir / "en.json").is_file():      # the English names and essentials, checked against it
            from kiosk.catalog.translations import TranslationsInvalid, load_translations
            try:
                load_translations(catalog_dir / "en.json", catalog)
            except TranslationsInvalid as exc:
                raise BundleError(f"catalog/{exc.problems[0]}") from None
    holidays = root / "holidays.json" if (root / "holidays.json").is_file() else None
    if holidays is not None:
        try:
            HolidayTable.from_mapping(read_json(holidays, max_bytes=MAX_PART_BYTES))
        except TooComplex as exc:
            raise BundleError(f"holidays.json: {str(exc).rpartition(': ')[2]}") from None
        except json.JSONDecodeError as exc:
            raise BundleError(f"holidays.json: not valid JSON ({exc})") from None
        except (ValueError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise BundleError(f"holidays.json: {exc}") from None
    texts = _check_texts(root / "texts.toml") if (root / "texts.toml").is_file() else None
    return Bundle(root, settings, catalog_dir, holidays, texts)


def _check_catalog_layout(catalog_dir: Path) -> None:
    """catalog.json, items/*.json and the English en.json, nothing else: no schema/ (the app's own schemas judge a bundle)."""
    for path in sorted(catalog_dir.rglob("*")):
        rel = path.relative_to(catalog_dir)
        top = rel.parts[0]
        if top == "schema":
            raise BundleError("catalog/schema: a bundle cannot ship or replace a schema; "
                              "the terminal checks the catalog against its own")
        ok = (rel.as_posix() in ("catalog.json", "en.json") and path.is_file()) or \
             (top == "items" and (len(rel.parts) == 1 and path.is_dir()
                                  or len(rel.parts) == 2 and path.is_file() and path.suffix == ".json"))
        if not ok:
            raise BundleError(f"catalog/{rel.as_posix()}: unexpected entry (a catalog holds "
                              f"{' and '.join(CATALOG_PARTS)}/*.json)")


def pack(root: str | Path) -> bytes:
    """The bundle as a deterministic tar.gz (sorted names, zero times and owners)."""
    root = Path(root)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            info = tar.gettarinfo(str(path), arcname=rel)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o755 if info.isdir() else 0o644
            if info.isfile():
                with open(path, "rb") as fh:
                    tar.addfile(info, fh)
            elif info.isdir():
                tar.addfile(info)
            else:
                raise BundleError(f"{rel}: only files and directories may be published")
    return buf.getvalue()


def unpack(archive: str | Path, dest: str | Path) -> None:
    """Extract a bundle archive into the (new, empty) directory `dest`, refusing anything unsafe."""
    dest = Path(dest)
    dest.mkdir(parents=True)
    total = 0
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            members = []
            for member in tar:
                if len(members) >= MAX_MEMBERS:
                    raise BundleError("bundle has too many files")
                if not (member.isfile() or member.isdir()):
                    raise BundleError(f"{member.name}: links and special files are not allowed")
                total += member.size
                if total > MAX_UNPACKED:
                    raise BundleError("bundle is too large when unpacked")
                members.append(member)
            tar.extractall(dest, members=members, filter="data")
    except BundleError:
        raise
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:   # ValueError: e.g. a NUL in a name
        raise BundleError(f"bundle archive unreadable: {exc}") from None
