"""The submitting process of the outbox crash test (run as a subprocess and killed with -9).

For each index from --start: prints BEGIN, submits one letter through the outbox
(stored and fsync'd first, then sent), prints TOLD once the citizen would be told;
at the end drains what is left and prints DRAINED."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kiosk.platform.outbox import Outbox, OutboxSender, load_key
from kiosk.platform.client import PlatformClient
from kiosk.platform.models import Applicant, CommitmentLetter, LetterMaterial, Signer
from kiosk.platform.signing import DeviceCredential
from kiosk.services import outbox_handlers

ITEM = "TJ-SCJG-002"


def subject_id(salt: int, index: int) -> str:
    from kiosk.identity import id_check_char
    first17 = f"1201011990{salt:03d}{index:04d}"
    return first17 + id_check_char(first17)


def letter(salt: int, index: int) -> dict:
    number = subject_id(salt, index)
    return CommitmentLetter(
        item_code=ITEM, applicant=Applicant("person", f"测试{index}", id_number=number),
        signer=Signer("applicant", f"测试{index}", number), confirmations=tuple(f"确认{i}" for i in range(8)),
        materials=(LetterMaterial("premises", "经营场所使用证明", "deferred"),),
        letter_text="承诺书", signature_png=b"\x89PNG\r\n\x1a\n",
        signed_at=dt.datetime(2025, 9, 22, 10, tzinfo=dt.timezone.utc)).to_json()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dir", type=Path, required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--salt", type=int, required=True)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--count", type=int, default=200)
    a = p.parse_args()
    client = PlatformClient(a.url, DeviceCredential.load(a.dir / "device.json"))
    outbox = Outbox(a.dir / "outbox.db", load_key(a.dir / "outbox.key"), terminal_id="TJ-CRASH")
    sender = OutboxSender(outbox, outbox_handlers(client), retry_base=0.05, retry_max=0.5, poll=0.05,
                          workers=2, lease=5).start()
    for index in range(a.start, a.count):
        print(f"BEGIN {index}", flush=True)
        entry, _result = sender.submit("commitment", letter(a.salt, index))
        print(f"TOLD {index} {entry.ref}", flush=True)
    ok = sender.drain(60)
    sender.stop()
    print("DRAINED" if ok and outbox.depth() == 0 else "NOT-DRAINED", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
