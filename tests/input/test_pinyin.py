"""Pinyin by the real librime with the pinyin_simp schema."""
from __future__ import annotations


def type_keys(engine, keys):
    for key in keys:
        engine.feed(key)


def test_full_pinyin_offers_zhengwufuwu_in_the_first_three(inputs):
    engine = inputs.pinyin
    type_keys(engine, "zhengwufuwu")
    assert engine.preedit == "zhengwufuwu"
    assert "政务服务" in engine.candidates()[:3]


def test_initials_zw_offer_zhengwu_first(inputs):
    engine = inputs.pinyin
    type_keys(engine, "zw")
    assert engine.candidates()[0] == "政务"


def test_pages_follow_one_another(inputs):
    engine = inputs.pinyin
    type_keys(engine, "shi")
    first, second = engine.candidates(0), engine.candidates(1)
    assert len(first) == engine.page_size and second
    assert not set(first) & set(second)


def test_a_chosen_word_continues_the_phrase_with_the_rest_of_the_pinyin(inputs):
    engine = inputs.pinyin
    type_keys(engine, "woyaotousu")
    words = engine.candidates()
    index = words.index("我要")
    assert engine.choose(index) == ""          # the phrase goes on with tousu
    assert engine.pending() == "我要"
    assert "投诉" in engine.candidates()
    assert engine.choose(engine.candidates().index("投诉")) == "我要投诉"
    assert engine.preedit == "" and engine.candidates() == []


def test_backspace_edits_the_pinyin_and_reset_drops_it(inputs):
    engine = inputs.pinyin
    type_keys(engine, "tousuu")
    engine.feed("backspace")
    assert engine.preedit == "tousu"
    engine.reset()
    assert engine.preedit == "" and engine.candidates() == []


def test_space_commits_the_first_candidate(inputs):
    engine = inputs.pinyin
    type_keys(engine, "zw")
    assert engine.feed("space") == "政务"


def test_a_second_engine_in_the_process_replaces_the_first(tmp_path):
    """librime is one per process: a new app in the same process (the UI tests) takes it over."""
    from kiosk.input import InputMethods
    first, second = InputMethods(root=tmp_path / "a"), InputMethods(root=tmp_path / "b")
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    assert first.load_now() and second.load_now(), (first.error, second.error)
    type_keys(second.pinyin, "zw")
    assert second.pinyin.candidates()[0] == "政务"
    assert first.pinyin.candidates() == []          # the replaced engine answers nothing, safely
    first.close()
    type_keys(second.pinyin, "fw")
    assert second.pinyin.preedit == "zwfw"
    second.close()
