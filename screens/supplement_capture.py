"""Capturing the pages of one paper with the document camera, shared by 补交材料 and 信用修复:
a mixin for ServiceScreen. `start_capture(code, name)` enters the "capture" state; the body
shows the newest page as the preview, 拍摄 / 再拍一页 adds a page, 重拍 replaces the newest;
the pages collect in `self.pages` (kiosk.devices.doccam.Pages) under `code`. The screen adds its own
bar action (upload, done) after `render_capture()`."""
from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.uix.image import Image

from kiosk.devices.doccam import CaptureFailed

CAPTURE_STATES = ("capture", "taking")


class PageCapture:
    capture_code = ""
    capture_name = ""

    def start_capture(self, code: str, name: str) -> None:
        self.capture_code, self.capture_name, self.message = code, name, ""
        self.state = "capture"
        self.render()

    def render_capture(self, busy: str = "") -> None:
        """The body of the capture states; `busy`: a message shown instead of the buttons."""
        t, code = self.t, self.capture_code
        self.label(t("lookup.capture_heading", name=self.capture_name), bold=True)
        count = self.pages.count(code)
        self.label(t("lookup.pages", count=count) if count else t("lookup.capture_hint"), "FlowNote")
        if self.state == "taking":
            self.label(t("lookup.taking"))
        elif busy:
            self.label(busy)
        else:
            grid = self.grid(cols=1 if self.app.elder else 2)
            self.button("capture", t("lookup.more_page") if count else t("lookup.capture"),
                        lambda: self.take(retake=False), container=grid)
            if count:
                self.button("retake", t("lookup.retake"), lambda: self.take(retake=True), kind="secondary",
                            container=grid)
        last = self.pages.last(code)       # the preview under the buttons, so they stay in view
        if last is not None:
            texture = CoreImage(io.BytesIO(last.data), ext="jpg").texture
            self.ids.body.add_widget(Image(texture=texture, size_hint_y=None, fit_mode="contain",
                                           height=self.app.u * (620 if self.app.portrait else 360)))

    def take(self, retake: bool) -> None:
        if self.state != "capture":
            return
        self.state, self.message = "taking", ""
        self.render()
        code = self.capture_code

        def taken(page):
            (self.pages.retake if retake else self.pages.add)(code, page)
            self.state = "capture"
            self.render()

        def failed(exc):
            self.state = "capture"
            self.render()
            self.message = exc.message if isinstance(exc, CaptureFailed) else self.t("lookup.capture_failed")
        self.run(self.services.doccam.snapshot, taken, failed)
