"""Loads and validates the kiosk's settings.

Layers, later wins: config/kiosk.toml (defaults), one override file
(--config PATH, else /etc/kiosk/kiosk.toml when present), then environment
variables KIOSK__SECTION__KEY=value. Validation is a JSON Schema: an unknown
key, a wrong type or a malformed device URL raises ConfigError whose message
is one line naming the key. Settings identical to ones that passed before (same code, same
values) are not validated again (ValidatedOnce): jsonschema is then not even imported
before the kiosk's first frame.
"""
from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping
from urllib.parse import urlsplit

from kiosk.bounded import TooComplex, loads_toml, read_toml

if TYPE_CHECKING:
    import jsonschema

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config"
DEFAULTS_FILE = REPO_CONFIG / "kiosk.toml"
SYSTEM_FILE = Path("/etc/kiosk/kiosk.toml")
ENV_PREFIX = "KIOSK__"
DEVICE_FAMILIES = ("idcard", "scanner", "printer", "smartcard", "doccam", "a4")


class ConfigError(Exception):
    """A configuration problem, phrased as one line naming the key."""


def _section(properties: dict[str, Any], *, extra: dict | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "additionalProperties": extra if extra is not None else False}


_str = {"type": "string"}
_bool = {"type": "boolean"}
_pos_int = {"type": "integer", "minimum": 1}
_pos_num = {"type": "number", "exclusiveMinimum": 0}
_device_url = {"type": "string", "format": "device-url"}

SCHEMA = _section({
    "kiosk": _section({
        "terminal_id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"},
        "location": _str,
        "language": {"enum": ["zh_CN", "en"]},
        "state_dir": _str,
        "dev": _bool,
    }),
    "display": _section({
        "width": {"type": "integer", "minimum": 320, "maximum": 7680},
        "height": {"type": "integer", "minimum": 240, "maximum": 7680},
        "fullscreen": _bool,
        "maxfps": {"type": "integer", "minimum": 1, "maximum": 120},
        "attract_maxfps": {"type": "integer", "minimum": 1, "maximum": 120},
        "hint_seconds": _pos_num,
    }),
    "accessibility": _section({
        "elder_scale": {"type": "number", "minimum": 1.4, "maximum": 3},
    }),
    "idle": _section({
        "timeout_seconds": _pos_int,
        "countdown_seconds": _pos_int,
        "screens": _section({}, extra=_pos_int),
    }),
    "devices": _section({name: _device_url for name in DEVICE_FAMILIES}),
    "platform": _section({
        "url": {"type": "string", "format": "platform-url"},
        "ca_bundle": _str,
        "connect_timeout": _pos_num,
        "read_timeout": _pos_num,
    }),
    "outbox": _section({
        "retry_base_seconds": _pos_num,
        "retry_max_seconds": _pos_num,
        "poll_seconds": _pos_num,
        "workers": {"type": "integer", "minimum": 1, "maximum": 16},
        "lease_seconds": _pos_num,
    }),
    "hall": _section({
        "id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,32}$"},
        "name": _str,
        "queues": {"type": "array", "minItems": 1, "maxItems": 26, "items": _section({
            "letter": {"type": "string", "pattern": "^[A-Z]$"},
            "name": {"type": "string", "minLength": 1},
            "windows": _str,
        })},
        "green_channel": {"type": "array", "items": {"type": "string", "minLength": 1}},
    }),
    "voice": _section({
        "enabled": _bool,
        "volume": {"type": "integer", "minimum": 0, "maximum": 100},
        "voice": {"enum": ["cmn", "zh"]},
    }),
    "updates": _section({
        "repo_url": _str,
        "poll_seconds": {"type": "number", "minimum": 10},
        "jitter": {"type": "number", "minimum": 0, "maximum": 0.9},
        "first_delay_seconds": {"type": "number", "minimum": 0},
    }),
    "heartbeat": _section({
        "interval_seconds": {"type": "number", "minimum": 1},
        "first_delay_seconds": {"type": "number", "minimum": 0},
    }),
    "technician": _section({
        "pin_hash": {"type": "string", "pattern": r"^(|scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+)$"},
    }),
    "logging": _section({
        "level": {"enum": ["DEBUG", "INFO", "WARNING", "ERROR"]},
    }),
})

def _check_device_url(value: str) -> bool:
    """`family+transport://...`, or "" for a device that is not fitted."""
    if not isinstance(value, str):
        return True     # not text: the schema's "type" reports it (a format checker must not crash)
    if value == "":
        return True
    parts = urlsplit(value)
    family, plus, transport = parts.scheme.partition("+")
    if not plus or family not in DEVICE_FAMILIES or not transport.isalnum():
        raise ValueError(f"{value!r} is not a device URL like 'printer+net://127.0.0.1:9100'")
    if transport in ("net", "socket") and (not parts.hostname or parts.port is None):
        raise ValueError(f"{value!r} needs host:port")
    return True


def _check_platform_url(value: str) -> bool:
    if not isinstance(value, str):
        return True     # not text: the schema's "type" reports it
    if value == "embedded":
        return True
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is neither 'embedded' nor an http(s) URL")
    return True


@lru_cache(maxsize=1)
def _validator():
    import jsonschema      # here, not at the top: settings that passed before need none of it
    formats = jsonschema.FormatChecker(formats=())
    formats.checks("device-url", raises=ValueError)(_check_device_url)
    formats.checks("platform-url", raises=ValueError)(_check_platform_url)
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=formats)


@dataclass(frozen=True)
class Settings:
    """Validated settings: a read-only view by section, e.g. settings['display']['width']."""

    data: Mapping[str, Any]
    sources: tuple[str, ...]

    def __getitem__(self, section: str) -> Mapping[str, Any]:
        return self.data[section]

    @property
    def dev(self) -> bool:
        return bool(self.data["kiosk"]["dev"])

    def state_path(self, *parts: str) -> Path:
        return _state_dir(self.data).joinpath(*parts)


def _state_dir(data: Mapping[str, Any]) -> Path:
    base = Path(data["kiosk"]["state_dir"])
    return base if base.is_absolute() else REPO_CONFIG.parent / base


MAX_SETTINGS_BYTES = 1024 * 1024


def _read_toml(path: Path) -> dict:
    try:
        return read_toml(path, max_bytes=MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except TooComplex as exc:
        raise ConfigError(f"not accepted: {exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None


def _merge(base: dict, over: Mapping) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _env_layer(environ: Mapping[str, str]) -> dict:
    layer: dict = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = [p.lower() for p in name[len(ENV_PREFIX):].split("__")]
        try:
            value = loads_toml(f"v = {raw}", name)["v"]
        except (tomllib.TOMLDecodeError, TooComplex):
            value = raw
        node = layer
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return layer


def _describe(error: jsonschema.ValidationError) -> str:
    key = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        where = f"{key}." if key else ""
        return f"{where}{extra[0]}: unknown key"
    if error.validator == "format" and error.cause is not None:
        return f"{key}: {error.cause}"
    if error.validator == "type":
        return f"{key}: expected {error.validator_value}, got {error.instance!r}"
    return f"{key}: {error.message}"


def validate(data: Mapping[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ConfigError(_describe(errors[0]))


def load_settings(path: str | os.PathLike | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from defaults, one override file and the environment."""
    environ = os.environ if environ is None else environ
    data = _read_toml(DEFAULTS_FILE)
    sources = [str(DEFAULTS_FILE)]
    override = Path(path) if path else (SYSTEM_FILE if SYSTEM_FILE.exists() else None)
    if override is not None:
        data = _merge(data, _read_toml(override))
        sources.append(str(override))
    env = _env_layer(environ)
    if env:
        data = _merge(data, env)
        sources.append("environment")
    _validate_once(data)
    return Settings(data=data, sources=tuple(sources))


def _validate_once(data: dict) -> None:
    """validate(data), unless this code passed these very values before."""
    try:
        cache = ValidatedOnce(_state_dir(data) / "cache" / "validated-settings")
    except (KeyError, TypeError):
        validate(data)          # no usable state_dir: validation says what is wrong
        return
    cache.check(lambda: validate(data), Path(__file__).read_bytes(),
                json.dumps(data, sort_keys=True, default=repr).encode())


# -- validating what did not change only once ------------------------------------------
# JSON Schema validation (an import of jsonschema and a walk of the schema) ran at every start
# although the settings rarely change between starts. The sha256 digests of (code, values)
# that passed are kept in a small file in the state dir; what fails is never recorded, so
# invalid settings are refused every time; an unreadable or unwritable file means validating
# every time.
KEEP = 16           # digests kept: the current settings and a few recent ones
DIGEST_CHARS = 64


class ValidatedOnce:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def _known(self) -> list[str]:
        try:
            with open(self.path, "rb") as file:
                text = file.read(KEEP * (DIGEST_CHARS + 1)).decode("ascii")
        except (OSError, UnicodeDecodeError):
            return []
        return [line for line in text.split("\n") if len(line) == DIGEST_CHARS]

    def check(self, validate: Callable[[], None], *parts: bytes) -> bool:
        """`validate()` unless `parts` passed it before (True: skipped). Its exceptions pass."""
        digest = hashlib.sha256()
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))   # ("ab", "c") is not ("a", "bc")
            digest.update(part)
        key = digest.hexdigest()
        known = self._known()
        if key in known:
            return True
        validate()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = self.path.with_name(self.path.name + ".new")
            fresh.write_text("\n".join([key, *known][:KEEP]) + "\n", encoding="ascii")
            os.replace(fresh, self.path)
        except OSError:
            pass        # a read-only state dir: validate every time
        return False
