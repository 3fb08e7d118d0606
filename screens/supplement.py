"""补交材料: find the case (receipt QR or ID card, as 进度查询), choose a deferred material,
capture its pages with the document camera (preview, retake, several pages), upload them,
and print the updated receipt. Pages stay in the session only until they are uploaded."""
from __future__ import annotations

from kiosk.citizen import lookup
from kiosk.devices.doccam import Pages
from kiosk.printing.receipts import case_receipt
from screens.progress import LookupScreen, _day
from screens.supplement_capture import PageCapture


class SupplementScreen(PageCapture, LookupScreen):
    """States: ask | searching | cases | queued | none | capture | taking | uploading | done."""
    title_key = "lookup.heading_supplement"

    def on_enter(self, *_):
        self.pages, self.case = Pages(), None
        super().on_enter()

    def show_found(self, found) -> None:
        if found.kind == "cases" and not lookup.open_cases(found):
            found = lookup.Found("none")
            self.message = self.t("lookup.nothing_due")
        super().show_found(found)

    def _draw_done(self) -> None:
        self.success(self.t("lookup.all_supplied"))

    def _draw_capture(self) -> None:
        self.render_capture(busy=self.t("lookup.uploading") if self.state == "uploading" else "")
        count = self.pages.count(self.capture_code)
        if count and self.state == "capture":
            self.bar_action("upload", self.t("lookup.upload", count=count), self.upload)

    def _draw_cases(self) -> None:
        for case in lookup.open_cases(self.found):
            self.label(self.t("lookup.case", number=case.case_number, item=case.item_name), bold=True)
            for m in case.materials:
                if m.status == "supplied":
                    self.label(self.t("lookup.supplied", name=m.name), "FlowNote")
                elif m.status == "deferred":
                    text = (self.t("lookup.capture_material", name=m.name, due=_day(m.due_on)) if m.due_on
                            else self.t("calendar.lookup_due_unknown", name=m.name, hotline=self.services.wording.hotline))
                    self.button(f"material:{case.case_number}:{m.code}", text,
                                lambda c=case, m=m: self.choose(c, m))

    STATES = {**LookupScreen.STATES, "cases": _draw_cases, "capture": _draw_capture, "taking": _draw_capture,
              "uploading": _draw_capture, "done": _draw_done}

    def choose(self, case, material) -> None:
        self.case = case
        self.start_capture(material.code, material.name)

    def upload(self) -> None:
        code = self.capture_code
        if self.state != "capture" or not self.pages.count(code):
            return
        self.state, self.message = "uploading", ""
        self.render()
        case_number, pages = self.case.case_number, list(self.pages.by_code[code])
        self.run(lambda: self.services.platform.upload_material(case_number, code, pages), self.uploaded,
                 self.upload_failed)

    def uploaded(self, case) -> None:
        self.pages.take(self.capture_code)
        self.found = lookup.Found("cases", [case if c.case_number == case.case_number else c
                                            for c in self.found.cases])
        self.message = self.t("lookup.uploaded_one", name=self.capture_name)
        self.case = case
        self.state = "cases" if lookup.open_cases(self.found) else "done"
        self.render()
        wording = self.services.wording
        self.print_document(case_receipt(case=case, hotline=wording.hotline, extension_rule=wording.extension_rule,
                                         terminal_id=self.terminal_id, printed_at=self.now(), location=self.location))

    def upload_failed(self, exc) -> None:
        self.state = "capture"
        self.render()
        self.failed(exc)

    def back(self) -> None:
        if self.state == "capture":
            self.state, self.message = "cases", ""
            self.render()
        else:
            super().back()

    def reset(self) -> None:
        super().reset()
        if getattr(self, "pages", None) is not None:
            self.pages.clear()
        self.case = None
