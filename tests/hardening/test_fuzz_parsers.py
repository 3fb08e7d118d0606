"""Property tests over the parsers and loaders the driver suites do not cover: catalog
files, settings, config bundles (parts and archives), platform responses and scanned
receipt codes. Each raises only its documented error, never another exception.
`make fuzz` runs them at 10,000 examples each (profiles in tests/conftest.py)."""
from __future__ import annotations

import copy
import io
import json
import shutil
import tarfile
import tempfile
import typing
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import datetime as dt

from kiosk.platform import models as p
from kiosk.platform.errors import PlatformInvalidResponse
from kiosk.fleet.bundle import BundleError, unpack, validate_bundle
from kiosk.catalog.loader import CatalogError, load_catalog
from kiosk.config import DEFAULTS_FILE, ConfigError, _read_toml, load_settings, validate
from kiosk.printing.receipts import parse_lookup

pytestmark = pytest.mark.hypothesis
CATALOG = Path(__file__).resolve().parents[2] / "config" / "catalog"
ITEM_FILES = sorted(p_.relative_to(CATALOG).as_posix() for p_ in (CATALOG / "items").glob("*.json"))

scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
json_values = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                           st.dictionaries(st.text(max_size=8), kids, max_size=4)),
                           max_leaves=12)
toml_scalars = st.one_of(st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False, allow_infinity=False),
                         st.text(max_size=30))
toml_values = st.recursive(toml_scalars, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                                st.dictionaries(st.text(max_size=8), kids, max_size=3)),
                           max_leaves=8)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        yield Path(tmp)


# -- catalog -----------------------------------------------------------------------------

def _paths(doc, prefix=()):
    """Every (container path) in a JSON document, to aim mutations at."""
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, prefix + (i,))


def _mutate(doc, path, how, value):
    doc = copy.deepcopy(doc)
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    if how == "delete":
        del parent[key]
    elif how == "replace":
        parent[key] = value
    elif how == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))
    return doc


@given(file=st.sampled_from(["catalog.json", *ITEM_FILES]), pick=st.integers(0, 10**6),
       how=st.sampled_from(["delete", "replace", "duplicate", "raw"]), value=json_values,
       raw=st.binary(max_size=64))
def test_mutated_catalog_raises_only_catalog_error(workdir, file, pick, how, value, raw):
    target = workdir / "catalog"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(CATALOG, target)
    path = target / file
    if how == "raw":
        text = path.read_bytes()
        cut = pick % (len(text) + 1)
        path.write_bytes(text[:cut] + raw)
    else:
        doc = json.loads(path.read_text(encoding="utf-8"))
        paths = list(_paths(doc))
        path.write_text(json.dumps(_mutate(doc, paths[pick % len(paths)], how, value), ensure_ascii=False),
                        encoding="utf-8")
    try:
        load_catalog(target)
    except CatalogError:
        pass


# -- settings ------------------------------------------------------------------------------

DEFAULTS = _read_toml(DEFAULTS_FILE)
KEYS = [(s, k) for s, section in DEFAULTS.items() if isinstance(section, dict) for k in section]


@given(st.lists(st.tuples(st.sampled_from(KEYS), toml_values), max_size=4),
       st.dictionaries(st.text(max_size=8), toml_values, max_size=2))
def test_settings_validate_raises_only_config_error(changes, extra):
    data = copy.deepcopy(DEFAULTS)
    for (section, key), value in changes:
        data[section][key] = value
    data.update(extra)
    try:
        validate(data)
    except ConfigError:
        pass


@given(st.dictionaries(st.from_regex(r"KIOSK__[A-Za-z_]{1,12}__[A-Za-z_]{1,16}", fullmatch=True),
                       st.text(max_size=40), max_size=3))
def test_load_settings_from_any_environment_raises_only_config_error(environ):
    try:
        load_settings(environ=environ)
    except ConfigError:
        pass


# -- config bundles ---------------------------------------------------------------------------

@given(part=st.sampled_from(["settings.toml", "texts.toml", "holidays.json"]), data=st.binary(max_size=200),
       text=st.text(max_size=200), as_text=st.booleans())
def test_bundle_parts_raise_only_bundle_error(workdir, part, data, text, as_text):
    root = workdir / "bundle"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (root / part).write_bytes(text.encode() if as_text else data)
    try:
        validate_bundle(root)
    except BundleError:
        pass


@given(st.binary(max_size=512), st.lists(st.tuples(st.text(max_size=20), st.binary(max_size=40)), max_size=3))
def test_bundle_archives_raise_only_bundle_error(workdir, junk, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, body in members:
            info = tarfile.TarInfo(name or "x")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    for blob in (junk, buf.getvalue()):
        archive, dest = workdir / "b.tar.gz", workdir / "unpacked"
        shutil.rmtree(dest, ignore_errors=True)
        archive.write_bytes(blob)
        try:
            unpack(archive, dest)
        except BundleError:
            pass


# -- platform responses ---------------------------------------------------------------------------

RESULTS = [p.Enrollment, p.HeartbeatReply, p.ResolvedIdentity, p.CreditStatus, p.Case, p.Slot,
           p.Appointment, p.QueueTicket, p.Receipt]


def _plausible(tp):
    """JSON shaped roughly like `tp`, with wrong leaves mixed in."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        return st.one_of(*[_plausible(a) for a in typing.get_args(tp)])
    if origin is typing.Literal:
        return st.one_of(st.sampled_from(typing.get_args(tp)), scalars)
    if origin is list:
        return st.one_of(st.lists(_plausible(typing.get_args(tp)[0]), max_size=2), scalars)
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        hints = typing.get_type_hints(tp)
        return st.one_of(st.fixed_dictionaries({}, optional={k: st.deferred(lambda t=t: _plausible(t))
                                                            for k, t in hints.items()}), scalars)
    if tp is dt.date:
        return st.one_of(st.dates().map(str), st.text(max_size=12))
    if tp is dt.datetime:
        return st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.text(max_size=12))
    return st.one_of(scalars, json_values)


@pytest.mark.parametrize("cls", RESULTS, ids=lambda c: c.__name__)
@given(data=st.data())
def test_platform_responses_raise_only_invalid_response(cls, data):
    value = data.draw(st.one_of(_plausible(cls), json_values))
    try:
        p._build(cls, value)
    except PlatformInvalidResponse:
        pass


# -- scanned receipt codes ---------------------------------------------------------------------------

@given(st.one_of(st.text(max_size=80), st.text(max_size=40).map(lambda s: "TJCASE:" + s),
                 st.text(max_size=40).map(lambda s: " tjref:" + s)))
def test_scanned_receipt_codes_never_raise(text):
    found = parse_lookup(text)
    assert found is None or (found[0] in ("case", "ref") and found[1])
