"""Every Kivy label of the running app breaks lines by screens/linebreak.py (screens/textlayout.py)."""
import pytest

pytestmark = pytest.mark.ui


def _lines(label):
    label.texture_update()
    return ["".join(word.text for word in line.words) for line in label._label._cached_lines]


@pytest.mark.parametrize("markup", [False, True])
def test_a_label_never_starts_a_line_with_closing_punctuation_nor_splits_a_number(kiosk, markup):
    from kivy.factory import Factory
    label = Factory.KLabel(markup=markup)
    label.text = "请全面理解内容。"
    room = label._label.get_extents("请全面理解内容")[0] + 4       # Kivy alone would give "。" a line
    label.text_size = (room, None)
    assert _lines(label) == ["请全面理解", "内容。"]
    label.text = "参考号20261128"
    label.text_size = (label._label.get_extents("参考号202611")[0] + 2, None)
    assert _lines(label) == ["参考号", "20261128"]
    assert label.text == "参考号20261128"                              # the property itself is untouched


def test_a_button_label_has_no_one_character_orphan(kiosk):
    from kivy.factory import Factory
    button = Factory.KButton(text="评价本次服务")
    button.text_size = (button._label.get_extents("评价本次服")[0] + 2, None)
    assert _lines(button) == ["评价本次", "服务"]
