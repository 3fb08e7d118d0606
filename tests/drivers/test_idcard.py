"""ID card reader: the driver over pyserial against the SAM emulator (TCP and a socat PTY)."""
from __future__ import annotations

import time
from datetime import date

import pytest

from drivers import open_device
from drivers.idcard import cards
from drivers.idcard import protocol as p
from drivers.idcard.emulator import IdCardEmulator
from drivers.idcard.reader import IdCardError, IdCardRead, IdCardRemoved
from tests.drivers.conftest import wait_health

FAST = "poll=0.01&timeout=0.3&backoff=0.02&backoff_max=0.1"


@pytest.fixture
def emulator():
    emu = IdCardEmulator()
    emu.serve_tcp()
    yield emu
    emu.stop()


@pytest.fixture
def reader(emulator, recorder):
    device = open_device(f"idcard+socket://127.0.0.1:{emulator._server.port}?{FAST}", on_event=recorder)
    assert device.wait_connected(3)
    yield device
    device.close()


def test_known_request_frames():
    assert p.build_request(*p.FIND).hex(" ") == "aa aa aa 96 69 00 03 20 01 22"
    assert p.build_request(*p.SELECT).hex(" ") == "aa aa aa 96 69 00 03 20 02 21"
    assert p.build_request(*p.READ).hex(" ") == "aa aa aa 96 69 00 03 30 01 32"
    assert p.build_request(*p.READ_FP).hex(" ") == "aa aa aa 96 69 00 03 30 10 23"
    assert p.build_request(*p.SAM_ID).hex(" ") == "aa aa aa 96 69 00 03 12 ff ee"
    assert p.build_request(*p.STATUS).hex(" ") == "aa aa aa 96 69 00 03 11 ff ed"


@pytest.mark.parametrize("frame,error", [
    (bytes.fromhex("aaaaaa966800040000909f"), p.PreambleError),
    (bytes.fromhex("aaaaaa966900050000909f"), p.LengthError),
    (bytes.fromhex("aaaaaa9669000400009000"), p.ChecksumError),
    (bytes.fromhex("aaaaaa96690001"), p.LengthError),
])
def test_bad_frames_raise_typed_errors(frame, error):
    with pytest.raises(error):
        p.parse_response(frame)


@pytest.mark.parametrize("kind", ["resident", "hmt", "foreign"])
def test_full_read_of_each_card_type(reader, emulator, recorder, kind):
    expected = cards.SAMPLES[kind]()
    emulator.place(kind)
    got = recorder.wait(IdCardRead).identity
    assert got.card_type == kind
    for field in ("name", "gender", "nation", "birth_date", "address", "id_number", "authority",
                  "valid_from", "valid_to", "pass_number", "issue_count", "english_name", "nationality"):
        assert getattr(got, field) == getattr(expected, field), field
    assert len(got.photo) == 1024
    assert "张" not in repr(got) and expected.id_number not in repr(got)


def test_one_read_per_placement_then_removal(reader, emulator, recorder):
    emulator.place("resident")
    recorder.wait(IdCardRead)
    before, deadline = emulator.requests, time.monotonic() + 3
    while emulator.requests < before + 6:   # several polls with the card still there
        assert time.monotonic() < deadline, "the reader stopped polling"
        time.sleep(0.01)
    assert len(recorder.of(IdCardRead)) == 1
    emulator.remove()
    recorder.wait(IdCardRemoved)
    emulator.place("hmt")
    assert recorder.wait(IdCardRead, count=2).identity.card_type == "hmt"


def test_wrong_check_character_is_read_and_then_refused_by_the_identity_rule():
    """The driver reports what the card says; GB 11643 validity is kiosk.identity's rule."""
    from kiosk.identity import IdentityRefused, person_from_identity
    identity = cards.resident()
    bad = identity.id_number[:17] + ("0" if identity.id_number[17] != "0" else "1")
    text = cards.encode_identity(identity.__class__(**{**identity.__dict__, "id_number": bad}))
    read = p.parse_identity(text)
    assert read.id_number == bad
    with pytest.raises(IdentityRefused) as refused:
        person_from_identity(read, date(2026, 12, 2))
    assert refused.value.reason == "invalid_number"


def test_long_term_validity_and_nation_name():
    identity = p.parse_identity(cards.encode_identity(cards.resident()))
    assert identity.valid_to is None and identity.nation == "汉"
    assert identity.birth_date == date(1990, 3, 7)


@pytest.mark.parametrize("sw3", sorted(set(p.SW3_MESSAGES) - {0x90, 0x9F, 0x80}))
def test_every_sw3_error_reaches_the_kiosk_as_a_message(reader, emulator, recorder, sw3):
    emulator.faults.sw3[p.READ] = sw3
    emulator.place("resident")
    error = recorder.wait(IdCardError)
    assert error.code == sw3 and error.message == p.SW3_MESSAGES[sw3]
    assert not recorder.of(IdCardRead)


def test_sw3_on_find_makes_a_reader_fault_degraded(reader, emulator, recorder):
    emulator.faults.sw3[p.FIND] = 0x60
    assert wait_health(reader, "degraded").reason == "安全模块自检失败"
    emulator.faults.sw3.clear()
    wait_health(reader, "ok")


def test_garbage_and_a_damaged_answer_are_survived(reader, emulator, recorder):
    emulator.faults.garbage = b"\x00\xAA\xAA\x13garbage"
    emulator.faults.corrupt_next = True
    emulator.place("foreign")
    assert recorder.wait(IdCardRead).identity.card_type == "foreign"


def test_silence_times_out_then_recovers(reader, emulator, recorder):
    emulator.faults.silent = 3
    wait_health(reader, "offline")
    assert "无响应" in reader.health().reason
    wait_health(reader, "ok")


def test_sam_id(reader):
    assert reader.sam_id() == "0501000020200101000000010000000A"


def test_unplug_and_replug_over_tcp(reader, emulator, recorder):
    emulator.place("resident")
    recorder.wait(IdCardRead)
    emulator.stop()
    recorder.wait(IdCardRemoved)
    assert wait_health(reader, "offline").reason
    emulator.serve_tcp(emulator._server.port)
    wait_health(reader, "ok")
    assert recorder.wait(IdCardRead, count=2).identity.card_type == "resident"


def test_serial_pty_unplug_and_replug(socat, recorder):
    pair = socat("idcard")
    emu = IdCardEmulator()
    emu.serve_serial(pair.device_link)
    emu.place("hmt")
    device = open_device(f"idcard+serial://{pair.driver_link}?baudrate=115200&{FAST}", on_event=recorder)
    try:
        assert recorder.wait(IdCardRead).identity.pass_number == "H12345678"
        emu.stop()
        pair.stop()                       # the USB cable is pulled
        assert wait_health(device, "offline").reason
        pair.start()
        emu.serve_serial(pair.device_link)
        wait_health(device, "ok")
        recorder.wait(IdCardRead, count=2)
    finally:
        device.close()
        emu.stop()


def test_emu_url_runs_the_emulator_through_the_real_transport(recorder):
    device = open_device(f"idcard+emu://?card=resident&{FAST}", on_event=recorder)
    try:
        assert recorder.wait(IdCardRead).identity.card_type == "resident"
        assert device.emulator is not None
    finally:
        device.close()


def test_slow_module_within_the_timeout_still_reads(reader, emulator, recorder):
    emulator.faults.delay = 0.05
    emulator.place("resident")
    assert recorder.wait(IdCardRead).identity.card_type == "resident"
    assert reader.health().ok


def test_unreadable_text_block_tells_the_citizen_to_retry(reader, emulator, recorder):
    emulator.place(bytes(256))
    error = recorder.wait(IdCardError)
    assert error.code == 0 and "重新放置" in error.message
    assert not recorder.of(IdCardRead)


def test_a_card_already_lying_on_the_pad_is_read_again_when_asked(reader, emulator, recorder):
    """A citizen placed the card before the screen listened: the screen asks, the card is read."""
    emulator.place("resident")
    recorder.wait(IdCardRead)
    assert reader.card_lying
    reader.ask_presence()
    assert recorder.wait(IdCardRead, count=2).identity.card_type == "resident"
    emulator.remove()
    recorder.wait(IdCardRemoved)
    assert not reader.card_lying
    reader.ask_presence()                      # nothing lies there: nothing is read, nothing invented
    before, deadline = emulator.requests, time.monotonic() + 3
    while emulator.requests < before + 6:
        assert time.monotonic() < deadline, "the reader stopped polling"
        time.sleep(0.01)
    assert len(recorder.of(IdCardRead)) == 2
    emulator.place("hmt")                      # the ask was spent on an empty pad: one read per placement
    assert recorder.wait(IdCardRead, count=3).identity.card_type == "hmt"
    time.sleep(0.1)
    assert len(recorder.of(IdCardRead)) == 3


def requests_during(emulator, seconds: float) -> int:
    before = emulator.requests
    time.sleep(seconds)
    return emulator.requests - before


def test_the_reader_polls_slowly_until_someone_waits_for_a_card(emulator, recorder):
    """On the idle attract screen a poll every idle_poll (a forgotten card is still seen); an
    identity step attends: polls at `poll` from at once, until it lets go."""
    device = open_device(f"idcard+socket://127.0.0.1:{emulator._server.port}?poll=0.05&idle_poll=0.5"
                         "&timeout=0.3&backoff=0.02", on_event=recorder)
    try:
        assert device.wait_connected(3)
        assert requests_during(emulator, 1.5) <= 5            # about 3 at 0.5 s (was 30 at 0.05 s)
        release = device.attend()
        emulator.place("resident")
        assert recorder.wait(IdCardRead).identity.card_type == "resident"
        assert requests_during(emulator, 1.0) >= 8            # about 20 at 0.05 s
        release()
        release()                                             # a second release changes nothing
        time.sleep(0.2)
        assert requests_during(emulator, 1.5) <= 5
        emulator.remove()
        assert recorder.wait(IdCardRemoved, timeout=5)        # two idle polls later
    finally:
        device.close()


def test_the_idle_pace_of_a_url():
    def paces(url):
        device = open_device(url)
        try:
            return device.poll, device.idle_poll
        finally:
            device.close()
    assert paces("idcard+emu://") == (0.3, 1.0)
    assert paces("idcard+emu://?poll=0.05") == (0.05, 0.05)   # a URL that sets poll keeps it
    assert paces("idcard+emu://?poll=0.2&idle_poll=2") == (0.2, 2.0)
