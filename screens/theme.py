"""Colours and sizes: the standard palette and the high-contrast elder (适老化) palette."""
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
}

DESIGN_SHORT_SIDE = 1080  # sizes in .kv files are pixels on a 1080-px short side


def unit_for(width: int, height: int) -> float:
    return min(width, height) / DESIGN_SHORT_SIDE
