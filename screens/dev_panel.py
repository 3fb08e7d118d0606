"""The `--dev` panel: a small "调试" tab at the bottom left that opens a panel to place and take
away the emulated ID card (the sample citizens of kiosk/devices/emulated.py), scan the last
receipt's code, set paper out and back, and unplug / plug back each emulated device. It exists
only when the app runs with --dev (never on a terminal in service)."""
from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.devices.emulated import SAMPLE_CARDS, EmulatedDevices


class DevPanel(FloatLayout):
    opened = BooleanProperty(False)
    status = StringProperty("")

    def on_kv_post(self, *_):
        self.hand = None

    def toggle(self) -> None:
        app = App.get_running_app()
        if not app.dev:
            return
        if self.hand is None:
            self.hand = EmulatedDevices(app.services.devices)
        self.opened = not self.opened
        if self.opened:
            self.build()

    def build(self) -> None:
        box = self.ids.actions
        box.clear_widgets()
        hand = self.hand
        emulated = hand.emulated()
        if "idcard" in emulated:
            for label in SAMPLE_CARDS:
                self._button(box, f"放身份证：{label}", lambda lb=label: self._did(hand.place_card(lb), f"已放置：{lb}"))
            self._button(box, "取走身份证", lambda: self._did(hand.remove_card(), "身份证已取走"))
        if "scanner" in emulated:
            self._button(box, "扫描最近凭条的二维码", self.scan_receipt)
        if "printer" in emulated:
            self._button(box, "打印机缺纸", lambda: self._did(hand.set_paper("out"), "打印机：缺纸"))
            self._button(box, "打印机加纸", lambda: self._did(hand.set_paper("ok"), "打印机：纸已加好"))
        for family in emulated:
            plugged = hand.plugged(family)
            self._button(box, f"{'拔出' if plugged else '插回'} {family}", lambda f=family: self.cable(f))
        if not emulated:
            self.status = "没有模拟设备（设备地址不是 +emu://）"

    def _button(self, box, text, action) -> None:
        button = Factory.DevButton(text=text)
        button.bind(on_release=lambda _b: action())
        box.add_widget(button)

    def _did(self, ok: bool, text: str) -> None:
        self.status = text if ok else "该设备不是模拟设备"

    def scan_receipt(self) -> None:
        code = self.hand.last_printed_code()
        self._did(bool(code) and self.hand.scan(code), f"已扫描：{code}" if code else "")
        if not code:
            self.status = "还没有打印过带二维码的凭条"

    def cable(self, family: str) -> None:
        if self.hand.plugged(family):
            self._did(self.hand.unplug(family), f"{family} 已拔出")
        else:
            self._did(self.hand.replug(family), f"{family} 已插回")
        self.build()

    def on_touch_down(self, touch):
        if not App.get_running_app().dev:
            return False
        if self.opened or self.ids.tab.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        return False
