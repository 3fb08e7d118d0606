"""`python -m sandbox --port 8700 --db var/sandbox.db` serves the sandbox platform;
`python -m sandbox admin --db var/sandbox.db ...` runs an admin operation;
`python -m sandbox openapi` prints the OpenAPI document."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path

from kiosk.platform.private_files import PRIVATE_UMASK, with_umask
from sandbox.app import SandboxConfig, create_app, open_store


@with_umask(PRIVATE_UMASK)
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["openapi"]:
        app = create_app(SandboxConfig(db=Path(":memory:"), seed=False))
        print(json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    p = argparse.ArgumentParser(prog="python -m sandbox")
    p.add_argument("--db", default="var/sandbox.db")
    p.add_argument("--repo-dir", default="var/config-repo", help="signed config repository to serve")
    p.add_argument("--items", action="append", type=Path,
                   help="item rules: a rules JSON or a catalog items directory (repeatable; "
                        "default: sandbox/data/items.json + config/catalog/items)")
    p.add_argument("--holidays", action="append", type=Path,
                   help="holiday table: a holidays.json (kiosk.workdays.calendar format) or a config "
                        "bundle directory holding one; repeatable, a later table wins for its year")
    p.add_argument("--today", type=date.fromisoformat, help="fixed 'today' (YYYY-MM-DD)")
    if argv[:1] == ["admin"]:
        a, rest = p.parse_known_args(argv[1:])
        from sandbox.admin import cli
        return cli(open_store(_config(a), serving=False), rest)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8700)
    p.add_argument("--admin-token", default=os.environ.get("SANDBOX_ADMIN_TOKEN", ""),
                   help="bearer token for /admin/v1 (default: $SANDBOX_ADMIN_TOKEN, else admin API off)")
    a = p.parse_args(argv)
    import uvicorn
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    config = _config(a)
    config.admin_token = a.admin_token
    app = create_app(config)
    # access_log off: paths and bodies may carry identity data; errors still log
    uvicorn.run(app, host=a.host, port=a.port, access_log=False, log_level="warning")
    return 0


def _config(a) -> SandboxConfig:
    extra = {"items": a.items} if a.items else {}
    return SandboxConfig(db=Path(a.db), repo_dir=Path(a.repo_dir), **extra,
                         holidays=a.holidays or None, today=a.today)


if __name__ == "__main__":
    sys.exit(main())
