"""What one citizen typed is never offered first to the next; their data leaves with them."""
from __future__ import annotations

import threading

from kiosk.input import InputMethods
from kiosk.session import Sessions


def pick(engine, keys, word):
    for key in keys:
        engine.feed(key)
    words = []
    for page in range(5):
        words = engine.candidates(page)
        if word in words:
            return engine.choose(page * engine.page_size + words.index(word))
    raise AssertionError(f"{word} not among the first pages of {keys}")


def test_a_phrase_chosen_again_and_again_is_not_first_for_the_next_citizen(tmp_path):
    sessions = Sessions()
    inputs = InputMethods(root=tmp_path)
    sessions.on_end(inputs.end_session)
    assert inputs.load_now(), inputs.error
    first_before = None
    for _ in range(5):                     # citizen A insists on 施 for shi
        inputs.pinyin.feed("s"); inputs.pinyin.feed("h"); inputs.pinyin.feed("i")
        first_before = first_before or inputs.pinyin.candidates()[0]
        inputs.pinyin.reset()
        assert pick(inputs.pinyin, "shi", "施") == "施"
    assert first_before != "施"
    # no learning even within the session...
    for key in "shi":
        inputs.pinyin.feed(key)
    assert inputs.pinyin.candidates()[0] == first_before
    inputs.pinyin.reset()
    user_dir = inputs.user_dir
    assert user_dir.is_dir()

    sessions.restart("citizen A done")     # ...and citizen A's directory is gone
    assert not user_dir.exists()
    assert inputs.load_now(), inputs.error  # (fresh engines are on their way already)
    assert inputs.user_dir != user_dir
    for key in "shi":
        inputs.pinyin.feed(key)
    assert inputs.pinyin.candidates()[0] == first_before != "施"
    inputs.close()
    assert list(tmp_path.iterdir()) == []


def test_the_strokes_on_the_pad_do_not_outlive_the_session(tmp_path):
    from screens.tour.strokes import CHARACTERS
    inputs = InputMethods(root=tmp_path)
    assert inputs.load_now(), inputs.error
    pad = inputs.handwriting
    pad.add_stroke(CHARACTERS["一"][0])
    inputs.end_session()
    assert pad.strokes == 0 and pad.candidates() == []
    inputs.load_now()
    assert inputs.handwriting.strokes == 0 and inputs.handwriting.candidates() == []
    inputs.close()


def test_without_the_libraries_the_keyboard_is_told_and_nothing_is_left(tmp_path):
    def broken(_user_dir):
        raise OSError("librime.so.1: cannot open shared object file")
    inputs = InputMethods(root=tmp_path, pinyin_factory=broken)
    results, finished = [], threading.Event()
    inputs.load(lambda ok: (results.append(ok), finished.set()))
    assert finished.wait(10)
    assert results == [False] and not inputs.ready and "librime" in inputs.error
    assert list(tmp_path.iterdir()) == []
