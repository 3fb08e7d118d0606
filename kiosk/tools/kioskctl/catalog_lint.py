"""`kioskctl catalog lint DIR [--strict] [--json]`: what the measures require of each guide
sheet and an item lacks (kiosk/catalog/lint.py). Exit 1 when there are errors (with
--strict, gaps too), else 0; every finding is printed either way. A DIR may be a catalog
directory or a config bundle holding one (catalog/)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.catalog.lint import errors, lint_directory

__all__ = ["add_parser", "run", "catalog_dir", "publishable"]


def add_parser(sub) -> None:
    commands = sub.add_parser("catalog", help="check an item catalog against the measures") \
        .add_subparsers(dest="catalog_cmd", required=True)
    lint = commands.add_parser("lint", help="report what the measures require and an item lacks")
    for flag, options in (("directory", {"type": Path}),
                          ("--strict", {"action": "store_true", "help": "gaps count as errors"}),
                          ("--json", {"action": "store_true"})):
        lint.add_argument(flag, **options)


def catalog_dir(directory: Path) -> Path:
    return directory / "catalog" if (directory / "catalog" / "catalog.json").is_file() else directory


def publishable(bundle_dir: Path) -> list[str]:
    """The errors that stop `kioskctl publish` (none when the bundle carries no catalog)."""
    directory = catalog_dir(Path(bundle_dir))
    if not (directory / "catalog.json").is_file():
        return []
    return [str(f) for f in errors(lint_directory(directory))]


def run(a, out=None) -> int:
    out = out or sys.stdout
    findings = lint_directory(catalog_dir(a.directory))
    if a.json:
        print(json.dumps([vars(f) for f in findings], ensure_ascii=False, indent=1), file=out)
    else:
        for finding in findings:
            print(finding, file=out)
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "gap")}
        print(f"{counts['error']} errors, {counts['gap']} gaps", file=out)
    return 1 if errors(findings, a.strict) else 0
