"""Capturing paper with the document camera (高拍仪), as a service for the supplement and
credit repair screens: `DocumentCapture.snapshot()` takes one page (worker thread only);
`Pages` holds the pages of each material being captured (add, retake the last, discard).
Pages are kept in memory for the session only and never logged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from drivers.base import DeviceError
from kiosk.platform.models import Page


class CaptureFailed(Exception):
    """No page could be taken; `.message` is plain Chinese for the citizen."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DocumentCapture:
    def __init__(self, devices):
        self.devices = devices

    @property
    def camera(self):
        return self.devices.doccam if self.devices is not None else None

    def available(self) -> bool:
        camera = self.camera
        return camera is not None and camera.health().state != "offline"

    def snapshot(self, timeout: float = 3.0) -> Page:
        """One page as JPEG; raises CaptureFailed when the camera is missing or gives no frame."""
        camera = self.camera
        if camera is None:
            raise CaptureFailed("本终端未配备高拍仪，请到窗口提交材料。")
        try:
            return Page("image/jpeg", camera.capture(timeout))
        except DeviceError as exc:
            raise CaptureFailed(exc.message) from None


@dataclass(repr=False)
class Pages:
    """Captured pages per material code (or document kind)."""
    by_code: dict[str, list[Page]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Pages({ {code: len(pages) for code, pages in self.by_code.items()} })"

    def add(self, code: str, page: Page) -> int:
        self.by_code.setdefault(code, []).append(page)
        return len(self.by_code[code])

    def retake(self, code: str, page: Page) -> int:
        """Replace the last page of `code` (or add the first one)."""
        pages = self.by_code.setdefault(code, [])
        if pages:
            pages[-1] = page
        else:
            pages.append(page)
        return len(pages)

    def count(self, code: str) -> int:
        return len(self.by_code.get(code, []))

    def last(self, code: str) -> Page | None:
        pages = self.by_code.get(code)
        return pages[-1] if pages else None

    def take(self, code: str) -> list[Page]:
        """The pages of `code`, removed (after they were uploaded)."""
        return self.by_code.pop(code, [])

    def clear(self) -> None:
        self.by_code.clear()
