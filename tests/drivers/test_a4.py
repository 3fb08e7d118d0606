"""The A4 printer on CUPS (issue 17 point 3; 信用承诺 第十三条 "承诺书一式两份……由双方各保存一份": the
applicant's copy printed at the terminal). A real private cupsd (drivers/a4/testing.py) with a
queue writing each job to a file; the letter PDF is kiosk/citizen/letter_copy.py's."""
from __future__ import annotations

import io
import itertools

import pypdf
import pytest

from drivers import open_device
from drivers.a4.errors import A4Jam, A4PaperOut, A4Unavailable
from drivers.a4.testing import PrivateCups
from drivers.base import OFFLINE, HealthChanged
from drivers.printer.errors import PrinterError
from kiosk.citizen import commitment as c
from kiosk.citizen.letter_copy import letter_pdf
from kiosk.devices.fitted import Devices
from sandbox.testing import letter

CASE = "TJ2026120300000017"


@pytest.fixture(scope="module")
def cups():
    with PrivateCups() as private:
        yield private


QUEUES = itertools.count(1)


@pytest.fixture
def queue(cups):
    """A new queue for each test: a stopped queue must not leak into the next one."""
    name = f"a4q{next(QUEUES)}"
    return name, cups.add_file_queue(name)


def the_letter_pdf() -> bytes:
    wording = c.load_wording()
    return letter_pdf(letter("120101199003071235", confirmations=wording.confirmations), wording.title,
                      case_number=CASE)


def test_article_13_the_letter_arrives_through_cups_on_a4(cups, queue):
    name, out = queue
    devices = Devices.open({"a4": cups.url(name)})
    try:
        printer = devices.a4
        assert printer.wait_connected(10) and devices.health()["a4"].ok
        job = printer.print_pdf(the_letter_pdf(), title=f"承诺书 {CASE}")
        arrived = cups.wait_output(out)
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(arrived)).pages)
        assert CASE in text and "申请人留存联" in text
        assert "120101********1235" in text and "120101199003071235" not in text
        page = pypdf.PdfReader(io.BytesIO(arrived)).pages[0]
        assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842   # A4
        assert job.startswith(name + "-")
        assert printer.completed(job)                    # the scheduler finished the job
    finally:
        devices.close()


@pytest.mark.parametrize("reason, error, cause", [
    ("Media jam in tray 1", A4Jam, "卡纸"),
    ("media-empty-error", A4PaperOut, "缺纸"),
    ("stopped by the technician", A4Unavailable, "离线"),
])
def test_article_13_a_stopped_queue_is_offline_and_says_where_the_copy_is(cups, queue, recorder, reason,
                                                                          error, cause):
    """卡纸/缺纸/离线: health goes offline with CUPS's reason, a job is refused with a PrinterError
    whose message sends the citizen to the receipt's QR; the queue back, the job prints."""
    name, out = queue
    printer = open_device(cups.url(name), on_event=recorder)
    try:
        assert printer.wait_connected(10)
        cups.stop_queue(name, reason)
        changed = recorder.wait(HealthChanged, lambda e: cause in e.health.reason, timeout=10)
        assert changed.health.state == OFFLINE and reason in changed.health.reason
        with pytest.raises(error) as refused:
            printer.print_pdf(the_letter_pdf(), title=f"承诺书 {CASE}")
        assert isinstance(refused.value, PrinterError)
        assert refused.value.message == f"A4打印机暂时无法使用（{cause}），可扫描凭条上的二维码下载承诺书"
        assert out.read_bytes() == b""                        # nothing was printed
        cups.resume_queue(name)
        assert printer.wait_connected(10)
        printer.print_pdf(the_letter_pdf(), title=f"承诺书 {CASE}")
        assert CASE in pypdf.PdfReader(io.BytesIO(cups.wait_output(out))).pages[0].extract_text()
    finally:
        printer.close()


def test_article_13_an_unknown_queue_or_a_dead_scheduler_is_offline(cups):
    printer = open_device(cups.url("nosuchqueue"))
    try:
        assert not printer.wait_connected(1.5)
        assert printer.health().state == OFFLINE and "离线" in printer.health().reason
        with pytest.raises(A4Unavailable):
            printer.print_pdf(b"%PDF-1.4\n%%EOF\n", title="x")
    finally:
        printer.close()
    with PrivateCups() as gone:
        url = gone.url("a4gone")
    printer = open_device(url)                                 # its scheduler has stopped
    try:
        with pytest.raises(A4Unavailable):
            printer.print_pdf(b"%PDF-1.4\n%%EOF\n", title="x")
    finally:
        printer.close()


def test_an_a4_url_names_a_queue():
    from drivers import UnsupportedURL
    with pytest.raises(UnsupportedURL):
        open_device("a4+cups://")
    with pytest.raises(UnsupportedURL):
        open_device("a4+net://127.0.0.1:631")


def test_the_self_test_reports_the_a4_queue_without_spending_paper(cups, queue):
    from types import SimpleNamespace

    from kiosk.devices.probes import PROBES
    name, out = queue
    printer = open_device(cups.url(name))
    try:
        assert printer.wait_connected(10)
        assert PROBES["a4"](printer, SimpleNamespace(no_print=False, timeout=5)) == f"CUPS 队列 {name} 可打印"
        cups.stop_queue(name, "Media jam")
        with pytest.raises(A4Jam):
            PROBES["a4"](printer, SimpleNamespace(no_print=False, timeout=5))
        assert out.read_bytes() == b""
    finally:
        printer.close()
