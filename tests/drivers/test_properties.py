"""Property tests: arbitrary bytes into the frame parser, the text decoders and the scanner
line reader raise only the documented errors, never anything else."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from drivers.base import DeviceTimeout
from drivers.idcard import cards
from drivers.idcard import protocol as p
from drivers.scanner.decode import ScanDecodeError, decode_payload
from drivers.scanner.lines import LineReader

examples = settings(deadline=None)  # example count: the profile in tests/conftest.py


@examples
@given(st.binary(max_size=64))
def test_parse_response_raises_only_frame_errors(data):
    try:
        response = p.parse_response(data)
    except p.FrameError:
        return
    assert p.build_response(response.sw3, response.data, response.sw1, response.sw2) == data


@examples
@given(st.binary(max_size=40), st.integers(0, 255), st.binary(max_size=32))
def test_parse_response_after_preamble(tail, sw3, payload):
    for data in (p.PREAMBLE + tail, p.build_response(sw3, payload)[:-1] + tail):
        try:
            p.parse_response(data)
        except p.FrameError:
            pass


@examples
@given(st.binary(max_size=200), st.integers(0, 255), st.binary(max_size=40), st.integers(1, 7))
def test_read_frame_finds_a_frame_behind_garbage(garbage, sw3, payload, chunk):
    frame = p.build_response(sw3, payload)
    stream = bytearray(garbage + frame)
    def read(n):
        out = bytes(stream[:min(n, chunk)])
        del stream[:len(out)]
        return out
    try:
        got = p.read_frame(read, timeout=0.05)
    except (p.FrameError, DeviceTimeout):
        return
    # garbage may contain a whole frame of its own; otherwise we get ours
    if p.PREAMBLE not in garbage:
        assert got == frame


@examples
@given(st.binary(min_size=256, max_size=256))
def test_parse_identity_raises_only_identity_errors(text):
    try:
        p.parse_identity(text)
    except p.IdentityError:
        pass


@examples
@given(st.binary(max_size=300))
def test_parse_identity_any_length(text):
    try:
        p.parse_identity(text)
    except p.IdentityError:
        pass


@examples
@given(st.sampled_from(["resident", "hmt", "foreign"]), st.integers(0, 255), st.integers(0, 255))
def test_one_corrupted_byte_of_a_real_card(kind, index, value):
    text = bytearray(cards.encode_identity(cards.SAMPLES[kind]()))
    text[index] = value
    try:
        p.parse_identity(bytes(text))
    except p.IdentityError:
        pass


@examples
@given(st.binary(max_size=128))
def test_scan_payload_decoder(raw):
    try:
        text = decode_payload(raw)
    except ScanDecodeError:
        return
    assert isinstance(text, str)


@examples
@given(st.lists(st.binary(max_size=40), max_size=20), st.integers(4, 64))
def test_line_reader_never_raises_and_respects_its_limits(chunks, cap):
    reader = LineReader(cap)
    lines = [line for chunk in chunks for line in reader.feed(chunk)]
    for line in lines:
        assert 0 < len(line) <= cap
        assert not any(b < 0x20 or b == 0x7F for b in line)


@examples
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
                max_size=5), st.sampled_from([b"\r", b"\n", b"\r\n"]), st.integers(1, 9))
def test_line_reader_reassembles_any_chunking(texts, terminator, size):
    stream = b"".join(t.encode("utf-8") + terminator for t in texts)
    reader = LineReader(1024)
    lines = [l for i in range(0, len(stream), size) for l in reader.feed(stream[i:i + size])]
    assert [decode_payload(l) for l in lines] == [t for t in texts]
