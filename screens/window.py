"""Prepares Kivy before its first import: environment, window, input lockdown, font.

Must run before anything imports kivy.core.window, because Kivy reads its
environment and Config at import time and the Window is a per-process singleton.
"""
from __future__ import annotations

import os
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


class FontMissing(RuntimeError):
    pass


def kivy_environment(display_driver: str | None = None) -> None:
    """Quiet, reproducible Kivy: no ~/.kivy config, no argv parsing, logs via Python logging."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_WINDOW", "sdl2")
    # a frame starts as soon as something is scheduled (a worker's result, a touch woken by
    # screens/input_wake.py), not at the next tick of a fixed rate
    os.environ.setdefault("KIVY_CLOCK", "interrupt")
    if display_driver:
        os.environ["SDL_VIDEODRIVER"] = display_driver
    elif "SDL_VIDEODRIVER" not in os.environ:
        # left unset, SDL probes KMSDRM first; pick what the session actually offers
        # (X11 first: under cage, Xwayland provides it and Kivy's bundled SDL is surest there)
        if os.environ.get("DISPLAY"):
            os.environ["SDL_VIDEODRIVER"] = "x11"
        elif os.environ.get("WAYLAND_DISPLAY"):
            os.environ["SDL_VIDEODRIVER"] = "wayland"


def configure_kivy(settings, dev: bool = False, size: tuple[int, int] | None = None) -> None:
    if not CJK_FONT.exists():
        raise FontMissing(f"中文字体缺失 / Chinese font missing: {CJK_FONT}; "
                          "install the Debian package fonts-wqy-microhei")
    kivy_environment()
    from kivy.config import Config

    display = settings["display"]
    width, height = size or (display["width"], display["height"])
    kiosk_mode = not dev
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "fullscreen", "0")  # borderless at screen size: fullscreen crops without a WM
    Config.set("graphics", "borderless", "1" if kiosk_mode and display["fullscreen"] else "0")
    Config.set("graphics", "position", "custom")
    Config.set("graphics", "left", "0")
    Config.set("graphics", "top", "0")
    Config.set("graphics", "show_cursor", "0" if kiosk_mode else "1")
    Config.set("graphics", "maxfps", str(display["maxfps"]))
    Config.set("graphics", "multisamples", "0")
    Config.set("kivy", "exit_on_escape", "0" if kiosk_mode else "1")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("kivy", "log_enable", "0")
    # a mouse is a single finger: no right-click multitouch dots
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.remove_section("modules") if Config.has_section("modules") else None
    Config.add_section("modules")
    if dev:
        Config.set("modules", "inspector", "")  # Ctrl+E; never loaded in kiosk mode

    from kivy.core.text import LabelBase, DEFAULT_FONT
    LabelBase.register(DEFAULT_FONT, str(CJK_FONT))
