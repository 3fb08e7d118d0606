"""Printed documents as pictures for the tour: what the printer emulator decoded from the real
ESC/POS bytes (text lines, bold lines, QR payloads) drawn on an 80 mm strip of paper (576 dots),
so the gallery shows each receipt beside the screen that printed it. Not production code.

The decoder keeps the lines and the QR payloads but not where a QR stood: each QR is drawn
before the first line asking to scan it (…扫码…), else at the end."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DOTS, MARGIN, LINE, SIZE = 576, 16, 30, 22     # 80 mm at 203 dpi; 48 columns of 12 dots


def _qr_image(code: str) -> Image.Image:
    buffer = BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def job_image(job, path: Path) -> Path:
    font = ImageFont.truetype(FONT, SIZE, index=1)          # the monospaced face: columns line up
    bold = set(getattr(job, "bold_lines", []))
    qrs = list(job.qr)
    blocks: list = []
    for line in job.lines:
        if qrs and "扫码" in line:
            blocks.append(qrs.pop(0))
        blocks.append(("text", line))
    blocks += qrs
    images = {code: _qr_image(code) for code in job.qr}
    height = MARGIN * 2 + sum(images[b].height if isinstance(b, str) else LINE for b in blocks)
    # the face's columns are not exactly 12 dots: the strip is as wide as its longest line
    width = max([DOTS] + [int(font.getlength(line)) + 2 for line in job.lines])
    page = Image.new("RGB", (width + MARGIN * 2, height), "white")
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for block in blocks:
        if isinstance(block, str):
            qr = images[block].convert("RGB")
            page.paste(qr, ((page.width - qr.width) // 2, y))
            y += qr.height
            continue
        text = block[1]
        draw.text((MARGIN, y), text, fill="black", font=font,
                  stroke_width=1 if text.strip() in bold else 0, stroke_fill="black")
        y += LINE
    path.parent.mkdir(parents=True, exist_ok=True)
    page.save(path)
    return path


def printouts(driver, out_dir: Path, label: str) -> list[Path]:
    """Every job the emulated printer received during the tour, as `<label>-printout-NN.png`."""
    printer = driver.app.services.devices.printer
    emulator = getattr(printer, "emulator", None)
    if emulator is None:
        return []
    return [job_image(job, out_dir / f"{label}-printout-{n:02d}.png") for n, job in enumerate(emulator.jobs, 1)]
