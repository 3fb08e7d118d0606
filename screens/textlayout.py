"""Every label of the app breaks its lines by screens/linebreak.py (Chinese 禁则, whole numbers and
codes, no one-character orphan on a button) instead of Kivy's "any character at the edge".

`install()` wraps the render step of Kivy's core text labels (plain and markup) once per
process: a label with a wrapping width gets its text pre-broken, measured with its own font,
before Kivy lays it out; the label's `text` property itself is never changed."""
from __future__ import annotations

from screens.linebreak import wrap

SAFETY = 0.985     # Kivy measures runs of a line slightly differently from the whole: keep clear


def _prebroken(label, render):
    def patched(self, real=False):
        width = self.text_size[0] if self.text_size else None
        text = self._text
        if real or not width or not text or self.options.get("shorten"):
            return render(self, real)
        padding = self.options.get("padding", (0, 0, 0, 0))
        room = (width - padding[0] - padding[2]) * SAFETY
        extents = self.get_cached_extents()
        markup = hasattr(self, "markup")
        broken = "\n".join(wrap(text, room, lambda s: extents(s)[0], markup=markup))
        if broken == text:
            return render(self, real)
        self._text = broken
        try:
            return render(self, real)
        finally:
            self._text = text
    patched.linebreak = True
    return patched


def install() -> None:
    from kivy.core.text import Label as CoreLabel
    from kivy.core.text.markup import MarkupLabel
    for cls in {CoreLabel, MarkupLabel}:
        render = cls.__dict__.get("render") or getattr(cls, "render")
        if not getattr(render, "linebreak", False):
            cls.render = _prebroken(cls, render)
