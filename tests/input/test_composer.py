"""The Composer (one text field's writing) with the real engines."""
from __future__ import annotations

from kiosk.input import InputMethods
from kiosk.input.composer import Composer
from screens.tour.strokes import CHARACTERS


def keys(composer, names):
    for name in names:
        composer.key(name)


def test_pinyin_candidates_are_paged_and_a_phrase_continues(inputs):
    composer = Composer(inputs, page_size=4)
    keys(composer, "woyaotousu")
    assert composer.display == "woyaotousu" and composer.has_next and not composer.has_previous
    first = composer.candidates()
    composer.next_page()
    assert composer.has_previous and not set(first) & set(composer.candidates())
    composer.previous_page()
    composer.pick(composer.candidates().index("我要"))
    assert composer.text == "" and composer.display == "我要tousu"
    composer.pick(composer.candidates().index("投诉"))
    assert composer.text == "我要投诉" and composer.candidates() == []
    keys(composer, ["，", "space"])
    assert composer.text == "我要投诉， "


def test_a_mark_or_space_takes_the_first_candidate(inputs):
    composer = Composer(inputs)
    keys(composer, ["z", "w", "。", "z", "w", "space"])
    assert composer.text == "政务。政务"


def test_backspace_edits_pinyin_first_then_the_text(inputs):
    composer = Composer(inputs, text="好")
    keys(composer, "ts")
    composer.key("backspace")
    assert composer.display == "好t"
    keys(composer, ["backspace", "backspace"])
    assert composer.display == ""


def test_leaving_pinyin_keeps_the_letters(inputs):
    composer = Composer(inputs)
    keys(composer, "laowu")
    composer.switch("english")
    assert composer.text == "laowu" and composer.preedit == ""
    keys(composer, ["shift", "a", "b"])
    assert composer.text == "laowuAb"


def test_handwriting_candidates_after_each_stroke_and_undo(inputs):
    composer = Composer(inputs)
    composer.switch("handwriting")
    across, down = CHARACTERS["十"]
    composer.stroke(across)
    assert composer.candidates()[0] == "一"
    composer.stroke(down)
    assert composer.candidates()[0] == "十" and composer.strokes == 2
    composer.key("backspace")                          # with strokes on the pad: undo a stroke
    assert composer.strokes == 1 and composer.text == ""
    composer.stroke(down)
    composer.pick(0)
    assert composer.text == "十" and composer.strokes == 0 and composer.candidates() == []


def test_the_field_length_and_alphabet_are_kept(inputs):
    composer = Composer(inputs, layouts=("numeric",), max_length=11, allowed="0123456789")
    keys(composer, "1380022a33x445566")
    assert composer.text == "13800223344"


def test_keys_pressed_while_loading_are_played_back(tmp_path):
    inputs = InputMethods(root=tmp_path)
    composer = Composer(inputs)
    keys(composer, "zw")
    assert composer.display == "zw" and composer.candidates() == []
    assert inputs.load_now()
    composer.engines_ready()
    assert composer.candidates()[0] == "政务"
    inputs.close()
