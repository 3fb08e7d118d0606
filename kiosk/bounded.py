"""Bounded JSON and TOML loading: every file or answer the kiosk parses goes through here.

Python's json and tomllib parsers recurse once per nesting level, so a file of
100 000 "[" ends in RecursionError (or worse, deep inside a caller's stack). The
loaders here refuse, before parsing, input larger than `max_bytes` or nested
deeper than `max_depth` (brackets and braces counted outside strings and
comments), and check the parsed result's depth again without recursion (TOML
dotted keys and table headers nest without brackets). Every refusal is a
`TooComplex`, a ValueError, so callers that already turn bad input into a clean
rejection keep doing so.
"""
from __future__ import annotations

import json
import re
import tomllib
from itertools import accumulate
from pathlib import Path
from typing import Any

MAX_DEPTH = 32                      # our deepest real document (catalog items) nests 8 levels
MAX_BYTES = 8 * 1024 * 1024

_JSON_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_TOML_SKIP = re.compile(rb'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*',
                        re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class TooComplex(ValueError):
    """The input is too large or too deeply nested to be parsed safely."""


def _raw(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _bracket_depth(raw: bytes, skip: re.Pattern) -> int:
    steps = (1 if b in b"[{" else -1 for b in _BRACKETS.findall(skip.sub(b"", raw)))
    return max(accumulate(steps, initial=0))


def depth(value: Any) -> int:
    """Nesting depth of parsed JSON/TOML data (a scalar is 0), computed without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest


def _check(raw: bytes, skip: re.Pattern, what: str, max_bytes: int, max_depth: int) -> None:
    if len(raw) > max_bytes:
        raise TooComplex(f"{what}: larger than {max_bytes} bytes")
    if _bracket_depth(raw, skip) > max_depth:
        raise TooComplex(f"{what}: nested deeper than {max_depth} levels")


def _parsed(value: Any, what: str, max_depth: int) -> Any:
    if depth(value) > max_depth:
        raise TooComplex(f"{what}: nested deeper than {max_depth} levels")
    return value


def loads_json(data: str | bytes, what: str = "JSON", *, max_bytes: int = MAX_BYTES,
               max_depth: int = MAX_DEPTH) -> Any:
    """json.loads with bounds; json.JSONDecodeError (a ValueError) for bad JSON, TooComplex for bounds."""
    raw = _raw(data)
    _check(raw, _JSON_STRINGS, what, max_bytes, max_depth)
    try:
        value = json.loads(raw)
    except RecursionError:          # the scan above makes this unreachable; never let it escape
        raise TooComplex(f"{what}: nested too deeply") from None
    return _parsed(value, what, max_depth)


def loads_toml(data: str | bytes, what: str = "TOML", *, max_bytes: int = MAX_BYTES,
               max_depth: int = MAX_DEPTH) -> dict:
    """tomllib.loads with bounds; tomllib.TOMLDecodeError / UnicodeDecodeError for bad TOML."""
    raw = _raw(data)
    _check(raw, _TOML_SKIP, what, max_bytes, max_depth)
    try:
        value = tomllib.loads(raw.decode("utf-8"))
    except RecursionError:
        raise TooComplex(f"{what}: nested too deeply") from None
    return _parsed(value, what, max_depth)


def read_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes, refusing (TooComplex) one larger than `max_bytes` without reading it all."""
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise TooComplex(f"{path}: larger than {max_bytes} bytes")
    return raw


def read_json(path: str | Path, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    return loads_json(read_bytes(path, max_bytes), str(path), max_bytes=max_bytes, max_depth=max_depth)


def read_toml(path: str | Path, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> dict:
    return loads_toml(read_bytes(path, max_bytes), str(path), max_bytes=max_bytes, max_depth=max_depth)
