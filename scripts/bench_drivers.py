#!/usr/bin/env python3
"""Driver benchmarks (medians of several runs), against the issue's budgets:
- driver overhead of a full ID card read beyond the emulator's own time (<= 5 ms)
- camera decode of one 640x480 frame with a QR code (<= 25 ms)
- building a 40-line receipt job with a QR code (<= 20 ms)
Run: .venv/bin/python scripts/bench_drivers.py [--runs N]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import segno  # noqa: E402
from PIL import Image  # noqa: E402

from drivers import open_device  # noqa: E402
from drivers.idcard import protocol as p  # noqa: E402
from drivers.idcard.emulator import IdCardEmulator  # noqa: E402
from drivers.printer.document import QR, Cut, Document, Row, Separator, Text, Title  # noqa: E402
from drivers.printer.profiles import PROFILES  # noqa: E402
from drivers.printer.render import render  # noqa: E402
from drivers.scanner.camera import to_gray  # noqa: E402
from drivers.scanner.decode import QrDecoder, decode_payload  # noqa: E402


def median_ms(samples) -> float:
    return statistics.median(samples) * 1000


def bench_idcard(runs: int) -> float:
    emulator = IdCardEmulator()
    emulator.serve_tcp()
    emulator.place("resident")
    reader = open_device(f"idcard+socket://127.0.0.1:{emulator._server.port}?poll=3600")
    try:
        assert reader.wait_connected(3)
        overheads = []
        for _ in range(runs):
            busy = emulator.busy_seconds
            started = time.perf_counter()
            assert reader.transact(*p.FIND).ok
            reader.read_identity()
            total = time.perf_counter() - started
            overheads.append(total - (emulator.busy_seconds - busy))
        return median_ms(overheads)
    finally:
        reader.close()
        emulator.stop()


def camera_frame(text: str) -> np.ndarray:
    buf = io.BytesIO()
    segno.make_qr(text, encoding="utf-8", error="m").save(buf, kind="png", scale=5, border=4)
    buf.seek(0)
    frame = Image.new("RGB", (640, 480), (190, 190, 190))
    frame.paste(Image.open(buf).convert("RGB").rotate(12, expand=True, fillcolor=(255, 255, 255)), (180, 90))
    return cv2.cvtColor(np.asarray(frame), cv2.COLOR_RGB2BGR)


def bench_camera(runs: int) -> float:
    text = "https://zwfw.tj.gov.cn/查询?受理号=TJ2026-000123&事项=食品经营许可"
    frame = camera_frame(text)
    decoder = QrDecoder()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        payloads = [decode_payload(raw) for raw in decoder.decode(to_gray(frame))]
        samples.append(time.perf_counter() - started)
        assert payloads == [text], payloads
    return median_ms(samples)


def bench_empty_frame(runs: int) -> float:
    rng = np.random.default_rng(1)
    frame = rng.integers(60, 200, size=(480, 640, 3), dtype=np.uint8)   # sensor noise, no code
    decoder = QrDecoder()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        decoder.decode(to_gray(frame))
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def receipt() -> Document:
    doc = Document().add(Title("天津市政务服务中心 受理回执"), Separator())
    for i in range(40):
        doc.add(Row(f"材料{i + 1}：", "身份证复印件（已提交）") if i % 2 else
                Text(f"第{i + 1}行：承诺审批，费用￥0.00【免费】，请于60个工作日内补齐材料。"))
    return doc.add(Separator(), QR("https://zwfw.tj.gov.cn/查询?no=TJ2026-000123", "扫码查询进度"), Cut())


def bench_receipt(runs: int, profile: str) -> float:
    doc = receipt()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        render(doc, PROFILES[profile])
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    figures = [
        ("ID card read, driver overhead beyond the emulator", bench_idcard(args.runs), 5.0),
        ("camera decode, one 640x480 frame (QR only, binary)", bench_camera(args.runs), 25.0),
        ("camera decode, one 640x480 noise frame without a code", bench_empty_frame(args.runs), 25.0),
        ("40-line receipt job with native QR (generic-80)", bench_receipt(args.runs, "generic-80"), 20.0),
        ("40-line receipt job with image QR (gbk-58)", bench_receipt(args.runs, "gbk-58"), 20.0),
    ]
    failed = False
    for label, value, budget in figures:
        ok = value <= budget
        failed |= not ok
        print(f"{label:<55} {value:7.2f} ms  (budget {budget:g} ms) {'OK' if ok else 'OVER'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
