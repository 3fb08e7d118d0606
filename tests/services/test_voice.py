"""Voice prompts: espeak-ng really produces Mandarin speech (a WAV of plausible length that
is not silence), off the calling thread, and not at all when switched off."""
from __future__ import annotations

import array
import shutil
import time
import wave

import pytest

from kiosk.voice import PROMPTS, Voice

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


def speech_stats(path):
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / w.getframerate()
    samples = array.array("h", frames)
    loud = sum(1 for s in samples if abs(s) > 1000) / max(1, len(samples))
    return seconds, loud


def test_prompt_is_speech_of_plausible_length(tmp_path):
    voice = Voice(tmp_path, volume=80)
    path = voice.synthesize(PROMPTS["place_card"], tmp_path / "p.wav")
    seconds, loud = speech_stats(path)
    assert 0.8 < seconds < 6, seconds          # six syllables: about two seconds
    assert loud > 0.05, loud                   # not silence
    quiet = Voice(tmp_path, volume=10).synthesize(PROMPTS["place_card"], tmp_path / "q.wav")
    assert speech_stats(quiet)[1] < loud       # the volume setting is applied


def test_say_returns_at_once_and_speaks_on_its_thread(tmp_path):
    voice = Voice(tmp_path)
    started = time.perf_counter()
    assert voice.say("take_slip")
    assert time.perf_counter() - started < 0.05
    assert voice.wait_idle(10) and voice.spoken == 1
    assert voice.last_file == tmp_path / "take_slip.wav" and speech_stats(voice.last_file)[0] > 0.5
    voice.close()


def test_switched_off_or_unknown_prompt_says_nothing(tmp_path):
    assert not Voice(tmp_path, enabled=False).say("take_slip")
    assert not Voice(tmp_path).say("no such prompt")
    assert not list(tmp_path.iterdir())
