"""Handwriting by the real zinnia with the tegaki simplified-Chinese model."""
from __future__ import annotations

import pytest

from screens.tour.strokes import CHARACTERS, scaled


@pytest.mark.parametrize("character", list(CHARACTERS))
def test_strokes_of_simple_characters_are_recognised(inputs, character):
    pad = inputs.handwriting
    pad.clear()
    for stroke in CHARACTERS[character]:
        after = pad.add_stroke(stroke)
        assert after, "candidates after every stroke"
    assert pad.candidates()[0] == character


def test_the_pad_size_does_not_matter(tmp_path):
    from kiosk.input.zinnia import ZinniaHandwriting
    pad = ZinniaHandwriting(size=720)
    for stroke in scaled(CHARACTERS["大"], 720):
        pad.add_stroke(stroke)
    assert pad.candidates()[0] == "大"


def test_undo_takes_back_the_last_stroke_and_clear_empties_the_pad(inputs):
    pad = inputs.handwriting
    pad.clear()
    across, down = CHARACTERS["十"]
    assert pad.add_stroke(across)[0] == "一"
    pad.add_stroke(down)
    assert pad.candidates()[0] == "十" and pad.strokes == 2
    assert pad.undo()[0] == "一" and pad.strokes == 1
    pad.clear()
    assert pad.strokes == 0 and pad.candidates() == []
    assert pad.undo() == []
