"""Colours and sizes: the standard palette and the high-contrast elder (适老化) palette.

Every text colour meets WCAG 2 contrast on the background it is drawn on (4.5:1, large text
3:1), in every state of a control: normal, pressed (`pressed`/`on_pressed`, and the secondary
kind's `pressed_secondary`/`on_pressed_secondary`) and disabled (`disabled`/`on_disabled`:
grey and flat, so it looks disabled). `success` (green, shown with a ✓) says something
worked; `accent` (red) is for errors and warnings only. tests/ui/test_contrast.py measures
the rendered screens."""
from __future__ import annotations

STANDARD = {
    "bg": (0.957, 0.965, 0.976, 1),
    "surface": (1, 1, 1, 1),
    "fg": (0.10, 0.12, 0.16, 1),
    "muted": (0.36, 0.40, 0.47, 1),
    "primary": (0.09, 0.31, 0.64, 1),
    "on_primary": (1, 1, 1, 1),
    "accent": (0.78, 0.06, 0.18, 1),
    "bar": (0.09, 0.31, 0.64, 1),
    "on_bar": (1, 1, 1, 1),
    "outline": (0.80, 0.83, 0.88, 1),
    "success": (0.0, 0.42, 0.2, 1),
    "pressed": (0.05, 0.2, 0.45, 1),
    "on_pressed": (1, 1, 1, 1),
    "pressed_secondary": (0.80, 0.87, 0.97, 1),
    "on_pressed_secondary": (0.05, 0.2, 0.45, 1),
    "disabled": (0.90, 0.91, 0.93, 1),
    "on_disabled": (0.30, 0.33, 0.38, 1),
}

# High contrast: white on black, yellow actions with black text (WCAG AAA ratios).
ELDER = {
    "bg": (0, 0, 0, 1),
    "surface": (0.08, 0.08, 0.08, 1),
    "fg": (1, 1, 1, 1),
    "muted": (0.92, 0.92, 0.92, 1),
    "primary": (1, 0.85, 0, 1),
    "on_primary": (0, 0, 0, 1),
    "accent": (1, 0.55, 0.2, 1),
    "bar": (0, 0, 0, 1),
    "on_bar": (1, 0.85, 0, 1),
    "outline": (1, 1, 1, 1),
    "success": (0.5, 0.95, 0.5, 1),
    "pressed": (0.8, 0.68, 0, 1),
    "on_pressed": (0, 0, 0, 1),
    "pressed_secondary": (0.25, 0.25, 0.25, 1),
    "on_pressed_secondary": (1, 0.85, 0, 1),
    "disabled": (0.2, 0.2, 0.2, 1),
    "on_disabled": (0.78, 0.78, 0.78, 1),
}

DESIGN_SHORT_SIDE = 1080  # sizes in .kv files are pixels on a 1080-px short side


def unit_for(width: int, height: int) -> float:
    return min(width, height) / DESIGN_SHORT_SIDE
