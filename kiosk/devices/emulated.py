"""The demonstrator's hand on the emulated devices (the `--dev` panel, screens/dev_panel.py):
place or take away a sample ID card, scan a code, run the printer out of paper and refill it,
unplug and plug back each device. Only devices opened from an `+emu://` URL have an emulator;
for the others every call says so and does nothing.

The sample citizens are the platform sandbox's demonstration subjects (sandbox/seed.py): an
honest citizen (green channel), a blacklisted one, one whose case is pending, the legal
representative of the demonstration company (USCC 91120101MA05K0000, typed on the company
screen), a Hong Kong resident, a foreign permanent resident and an expired card."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable

from drivers.idcard import cards
from kiosk.identity import id_check_char

DEMO_USCC = "91120101MA05K0000"


def _resident(name: str, first17: str, **changes) -> Callable[[], object]:
    return lambda: replace(cards.resident(), name=name, id_number=first17 + id_check_char(first17), **changes)


# label (what the panel shows) -> the card's identity
SAMPLE_CARDS: dict[str, Callable[[], object]] = {
    "张三（诚信）": _resident("张三", "12010119900307123"),
    "王五（黑名单）": _resident("王五", "12010319780512789"),
    "赵六（办理中）": _resident("赵六", "12010419920808246"),
    "李四（单位法定代表人）": _resident("李四", "12010219851120456"),
    "陈小明（港澳居民）": cards.hmt,
    "约翰（外国人）": cards.foreign,
    "过期身份证": _resident("张三", "12010119900307123", valid_from=dt.date(2005, 6, 1),
                       valid_to=dt.date(2025, 6, 1)),
}
FAMILIES = ("idcard", "scanner", "printer", "doccam")


class EmulatedDevices:
    def __init__(self, devices):
        self.devices = devices
        self._ports: dict[str, int] = {}

    def emulator(self, family: str):
        device = self.devices.get(family) if self.devices is not None else None
        return getattr(device, "emulator", None)

    def emulated(self) -> list[str]:
        return [f for f in FAMILIES if self.emulator(f) is not None]

    # -- the ID card -----------------------------------------------------------------
    def place_card(self, label: str) -> bool:
        emulator = self.emulator("idcard")
        if emulator is None:
            return False
        emulator.place(SAMPLE_CARDS[label]())
        return True

    def remove_card(self) -> bool:
        emulator = self.emulator("idcard")
        if emulator is None:
            return False
        emulator.remove()
        return True

    # -- the scanner -----------------------------------------------------------------
    def scan(self, text: str) -> bool:
        emulator = self.emulator("scanner")
        if emulator is None or not text:
            return False
        emulator.scan(text)
        return True

    def last_printed_code(self) -> str:
        """The QR code of the last document the emulated printer printed ("" when none):
        scanning it is what a citizen does with the receipt in 补交材料 and 进度查询."""
        printer = self.emulator("printer")
        jobs = list(getattr(printer, "jobs", []) or [])
        codes = [code for job in jobs for code in getattr(job, "qr", [])]
        return codes[-1] if codes else ""

    # -- the printer ------------------------------------------------------------------
    def set_paper(self, state: str) -> bool:
        """'ok', 'near_end' or 'out'."""
        emulator = self.emulator("printer")
        if emulator is None:
            return False
        emulator.paper = state
        return True

    # -- cables ------------------------------------------------------------------------
    def plugged(self, family: str) -> bool:
        return family not in self._ports

    def unplug(self, family: str) -> bool:
        emulator = self.emulator(family)
        if emulator is None or family in self._ports:
            return False
        if hasattr(emulator, "unplug"):           # the document camera: its frames vanish
            emulator.unplug()
            self._ports[family] = 0
        else:                                     # a served emulator: its port closes
            self._ports[family] = emulator.port
            emulator.stop()
        return True

    def replug(self, family: str) -> bool:
        emulator = self.emulator(family)
        if emulator is None or family not in self._ports:
            return False
        port = self._ports.pop(family)
        if hasattr(emulator, "replug"):
            emulator.replug()
        else:
            emulator.serve_tcp(port)
        return True
