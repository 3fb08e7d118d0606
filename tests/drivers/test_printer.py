"""Receipt printer: Documents rendered per profile, sent by python-escpos over TCP to the
printer emulator and decoded back into what a citizen reads."""
from __future__ import annotations

import pytest

from drivers import open_device
from drivers.printer import layout
from drivers.printer.document import QR, Cut, Document, Feed, Row, Separator, Text, Title
from drivers.printer.emulator import EscPosDecoder, PrinterEmulator
from drivers.printer.printer import PaperOut, PrinterError, PrinterOffline
from drivers.printer.profiles import PROFILES, ProfileError, profile_from_query
from drivers.printer.render import render
from tests.drivers.conftest import wait_health

FAST = "poll=0.02&timeout=0.5&backoff=0.02&backoff_max=0.1"
PUNCT = "费用：（免费）￥0.00，【承诺审批】"


def receipt() -> Document:
    return Document().add(
        Title("天津市政务服务中心"), Text("受理回执", bold=True, align="center"), Separator(),
        Row("受理号：", "TJ2026-000123"), Row("事项：", "食品经营许可（承诺审批）"), Text(PUNCT),
        QR("https://zwfw.tj.gov.cn/查询?no=TJ2026-000123", caption="扫码查询办理进度"), Feed(1), Cut())


@pytest.fixture
def printer_at(recorder):
    opened = []

    def make(profile="generic-80", **extra):
        emulator = PrinterEmulator(profile_from_query({"profile": profile, **extra}))
        emulator.serve_tcp()
        query = "&".join([f"profile={profile}", FAST] + [f"{k}={v}" for k, v in extra.items()])
        device = open_device(f"printer+net://127.0.0.1:{emulator.port}?{query}", on_event=recorder)
        opened.append((device, emulator))
        assert device.wait_connected(3)
        return device, emulator
    yield make
    for device, emulator in opened:
        device.close()
        emulator.stop()


@pytest.mark.parametrize("profile,extra", [
    ("generic-80", {}), ("generic-58", {}), ("gbk-58", {}), ("utf8-80", {}),
    ("generic-80", {"qr": "image"}), ("generic-80", {"chinese": "off"}),
])
def test_chinese_with_full_width_punctuation_round_trips(printer_at, profile, extra):
    device, emulator = printer_at(profile, **extra)
    device.print_document(receipt())
    job = emulator.wait_job()
    assert PUNCT in "".join(line.strip() for line in job.lines)
    assert job.lines[0].strip() == "天津市政务服务中心"
    assert "受理回执" in job.bold_lines
    assert any(line.startswith("受理号：") and line.endswith("TJ2026-000123") for line in job.lines)
    assert job.qr == ["https://zwfw.tj.gov.cn/查询?no=TJ2026-000123"]
    assert job.cuts == 1
    assert all(layout.width(line) <= device.profile.columns for line in job.lines)


def test_without_fs_and_a_printer_not_in_chinese_mode_prints_garbage():
    profile = PROFILES["generic-80"]
    decoder = EscPosDecoder(profile)
    from dataclasses import replace
    decoder.feed(render(Document().add(Text("天津")), replace(profile, chinese_mode=False)) + b"\x1b@")
    assert decoder.jobs[0].lines != ["天津"]


def test_layout_counts_cjk_as_two_columns():
    assert layout.width("天津ab，") == 8
    assert layout.center("天津", 10) == ["   天津"]
    assert layout.row("姓名：", "张三", 16) == ["姓名：" + " " * 6 + "张三"]
    long = layout.row("事项名称：", "企业设立登记（承诺审批）", 20)
    assert all(layout.width(line) <= 20 for line in long)
    assert "".join(line.strip() for line in long) == "事项名称：企业设立登记（承诺审批）"
    assert layout.wrap("abc defgh", 4) == ["abc", "defg", "h"]
    assert layout.separator("=", 8) == "========"


def test_control_characters_in_citizen_text_are_not_sent():
    job = render(Document().add(Text("张三\x1b@\x1dV\x00")), PROFILES["generic-80"])
    assert b"\x1dV" not in job and job.count(b"\x1b@") == 1


def test_paper_near_end_and_out(printer_at):
    device, emulator = printer_at()
    emulator.paper = "near_end"
    assert wait_health(device, "degraded").reason == "打印纸即将用完"
    emulator.paper = "out"
    with pytest.raises(PaperOut) as err:
        device.print_document(receipt())
    assert err.value.message == "打印纸已用完，请联系工作人员更换打印纸"
    emulator.paper = "ok"
    wait_health(device, "ok")
    device.print_document(receipt())
    assert emulator.wait_job().cuts == 1


def test_unplug_and_replug(printer_at):
    device, emulator = printer_at()
    emulator.stop()
    assert wait_health(device, "offline").reason
    with pytest.raises(PrinterOffline) as err:
        device.print_document(receipt())
    assert isinstance(err.value, PrinterError) and "打印机" in err.value.message
    emulator.serve_tcp(emulator.port)
    wait_health(device, "ok")
    device.print_document(receipt())
    assert emulator.wait_job().cuts == 1


def test_unknown_profile_is_a_typed_error():
    with pytest.raises(ProfileError):
        open_device("printer+net://127.0.0.1:9?profile=nope")


def test_emu_url_prints_through_the_network_transport():
    device = open_device(f"printer+emu://?profile=generic-58&{FAST}")
    try:
        assert device.wait_connected(3)
        device.test_page()
        job = device.emulator.wait_job()
        assert job.lines[-2:] == ["中文、全角标点，：（）￥【】与", "ASCII 0123 abc"]
    finally:
        device.close()


def test_serial_printer_over_a_pty_with_paper_status(socat, recorder):
    pair = socat("printer")
    emulator = PrinterEmulator("generic-58")
    emulator.serve_serial(pair.device_link)
    device = open_device(f"printer+serial://{pair.driver_link}?profile=generic-58&{FAST}", on_event=recorder)
    try:
        assert device.wait_connected(3)
        emulator.paper = "near_end"
        assert wait_health(device, "degraded").reason == "打印纸即将用完"
        device.print_document(receipt())
        assert PUNCT in "".join(line.strip() for line in emulator.wait_job().lines)
    finally:
        device.close()
        emulator.stop()
