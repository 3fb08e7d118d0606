"""The screenshot tour and the app driver, apart from the production screens.

`driver` drives the real KioskApp in-process (used by the UI tests, scripts/tour and the
benchmarks). `states(driver, name)` yields the states worth seeing of one screen (the tables in
`screens`, `commitment` and `progress` arrange them, `keyboard` the layouts of the
keyboards; a screen without an entry is shown once as
it is). `visit` screenshots every registered screen in one orientation, in the standard and
elder modes, then draws every document the emulated printer received (`printout`); scripts/tour
runs it for each orientation and writes a gallery.
"""
from __future__ import annotations

import html
from pathlib import Path

from screens import registry


def visit(driver, out_dir: Path, label: str) -> list[Path]:
    """Screenshot every screen state; returns the files written."""
    shots: list[Path] = []
    app = driver.app
    for elder in (False, True):
        mode = "elder" if elder else "standard"
        for name, _module, _cls in registry.SCREENS:
            driver.app.end_session("tour")
            if elder:
                app.toggle_elder()
            for state in states(driver, name):
                path = out_dir / f"{label}-{mode}-{name}{'-' + state if state else ''}.png"
                shots.append(driver.screenshot(path))
        from screens.tour import shell
        for state in shell.tour(driver, elder):
            shots.append(driver.screenshot(out_dir / f"{label}-{mode}-shell-{state}.png"))
    driver.app.end_session("tour")
    from screens.tour.printout import printouts
    driver.frames(10)                      # the last receipts reach the emulator
    return shots + printouts(driver, out_dir, label)


def states(driver, name: str):
    """Arrange each state of screen `name` in turn, yielding its short name."""
    from screens.tour import commitment, keyboard, progress, screens
    screen = driver.screen(name)
    if name in screens.STATES:
        yield from screens.STATES[name](driver, screen)
    elif name in commitment.STEPS:
        yield from commitment.tour(driver, name)
    elif name in progress.SCREENS:
        yield from progress.tour(driver, screen)
    else:
        yield from _plain(driver, name)
    if name in keyboard.SCREENS:          # then the keyboard of its text fields, in each layout
        yield from keyboard.tour(driver, name)


def _plain(driver, name):
    if name != "attract":
        driver.app.start_session()
    driver.app.go(name)
    yield ""


def write_gallery(out_dir: Path, shots: list[Path]) -> Path:
    items = "\n".join(
        f'<figure><a href="{html.escape(p.name)}"><img src="{html.escape(p.name)}" loading="lazy"></a>'
        f"<figcaption>{html.escape(p.stem)}</figcaption></figure>" for p in sorted(shots))
    page = out_dir / "index.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><title>Kiosk tour</title>"
        "<style>body{font-family:sans-serif;background:#eee}figure{display:inline-block;margin:8px;"
        "vertical-align:top}img{max-width:270px;max-height:480px;border:1px solid #999}</style>"
        f"<h1>Kiosk tour ({len(shots)} screenshots)</h1>\n{items}\n", encoding="utf-8")
    return page
