"""The guide sheet (明白纸) of one item: every field it has (公开公示 第七–十七条), citizen first
(what to bring, where and when, how long, what it costs), handling-mode badges, the 网上办 URL
as a QR code, whole-row pages turned by the page buttons (no scrolling besides),
"打印明白纸" (when a printer is fitted) and the hook into commitment approval."""
from __future__ import annotations

from functools import partial

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.utils import escape_markup

from kiosk.catalog.printout import days_text, guide_sheet_document
from screens.base import KioskScreen
from screens.qrcode import QRCode

FIRST_BATCH = 8     # widgets built before the first frame: the top of the sheet; the rest follow

class Detail(str):
    """A row shown indented under the row before it."""


def _introduces(rows: list, i: int) -> bool:
    """Row i must not end a page: a heading, or a row whose indented details follow it."""
    kind = type(rows[i]).__name__
    return kind == "SheetHeading" or (kind != "SheetDetail" and i + 1 < len(rows)
                                      and type(rows[i + 1]).__name__ == "SheetDetail")


LEVEL_NAMES = {"item": "大项", "sub-item": "子项", "variant": "类型项"}


class GuideSheetScreen(KioskScreen):
    item_code = StringProperty("")
    came_from = StringProperty("guide")
    page = NumericProperty(1)
    pages = NumericProperty(1)
    can_print = BooleanProperty(False)
    can_commit = BooleanProperty(False)
    print_status = StringProperty("")
    print_ok = BooleanProperty(True)     # the status is news (green), not an error (red)
    complete = BooleanProperty(False)   # every field of the item is on the sheet
    _generation = 0
    printing = BooleanProperty(False)

    def on_kv_post(self, *_):
        App.get_running_app().bind(lang=lambda *_: self.rebuild(), elder=lambda *_: self.rebuild())
        self._spacer = Factory.Widget(size_hint_y=None, height=0)
        self._starts = [0.0]
        self.ids.scroll.bind(height=self._update_page)
        self.ids.fields.bind(height=self._update_page)

    def on_pre_enter(self, *_):
        """Every visit opens at page 1 (never where the previous citizen left the sheet)."""
        self.go_to_page(1)

    @property
    def item(self):
        catalog = self.services.catalog.catalog
        return catalog.get(self.item_code) if catalog and self.item_code else None

    @property
    def printer(self):
        return self.services.devices.printer

    def show(self, code: str, came_from: str = "guide") -> None:
        self.item_code, self.came_from, self.print_status = code, came_from, ""
        self.rebuild()
        self.page = 1
        self.ids.scroll.scroll_y = 1

    # -- content ------------------------------------------------------------------
    def rebuild(self) -> None:
        app = App.get_running_app()
        box = self.ids.fields
        box.clear_widgets()
        box.add_widget(self._spacer)          # always last: room for the last page to open at its top
        self._spacer.height = 0
        self.page = 1
        item = self.item
        self.can_print = item is not None and self.printer is not None
        self.can_commit = bool(item and item.allows_commitment and app.has_screen("commitment"))
        badges = self.ids.badges
        badges.clear_widgets()
        if item is None:
            self.ids.name.text = ""
            return
        self.ids.name.text = self.item_name(item)
        self.ids.code.text = app.t("guide.sheet.code", code=item.code)
        for mode in item.modes:
            badges.add_widget(Factory.ModeBadge(text=self.term(mode)))
        if item.allows_commitment:
            badges.add_widget(Factory.ModeBadge(text=app.t("guide.sheet.badge_commitment"), accent=True))
        widgets = []
        for title, rows in self.sections(item):
            widgets.append((Factory.SheetHeading, title))
            for row in rows:
                kind = None if isinstance(row, QRCode) else (
                    Factory.SheetDetail if isinstance(row, Detail) else Factory.SheetRow)
                widgets.append((kind, row))
        self._generation += 1
        self.complete = False
        self._add_batch(self._generation, widgets)

    def _add_batch(self, generation: int, widgets: list, *_):
        """Add the first screenful now and the rest on the following frames, so the
        sheet appears at once (text rendering is the cost, not the data)."""
        if generation != self._generation:
            return  # another item was opened meanwhile
        box = self.ids.fields
        batch, rest = widgets[:FIRST_BATCH], widgets[FIRST_BATCH:]
        for kind, row in batch:
            box.add_widget(row if kind is None else kind(text=row, width=box.width), index=1)
        if rest:
            Clock.schedule_once(partial(self._add_batch, generation, rest), 0)
        self.complete = not rest
        Clock.schedule_once(self._update_page, 0)

    def sections(self, item):
        """(title, rows), citizen first: what to bring, where and when, how long, what it costs,
        whether a commitment is possible; then the rest of 公开公示 第八–十七条 (conditions,
        handling, the departments, the legal basis, the procedure's details, convenience,
        complaints). Rows are markup text or a QRCode."""
        return self.citizen_sections(item) + self.reference_sections(item)

    def term(self, word: str) -> str:
        """One of the catalog's fixed words (a material's rank, kind, source; a handling mode; an
        application method) in the screen's language ([guide.term]); any other word as it is."""
        key = f"guide.term.{word}"
        text = App.get_running_app().t(key)
        return word if text == key else text

    def _field(self):
        t = App.get_running_app().t
        return t, lambda label, value: f"[b]{escape_markup(label)}：[/b]{escape_markup(str(value))}"

    def citizen_sections(self, item):
        t, f = self._field()
        p, lim, conv = item.procedure, item.time_limits, item.convenience
        english = self.english()

        def tr(key: str, chinese: str) -> str:
            """An essential in English beside the binding Chinese, when translated."""
            text = english.essential(item, key) if english else None
            return f"{text}（{chinese}）" if text else chinese
        mats = []
        for n, mat in enumerate(item.materials, 1):
            copies = f"  {escape_markup(mat.copies)}" if mat.copies else ""
            name = english.material(item, mat) if english else None
            name = f"{name}（{mat.name}）" if name else mat.name
            mats.append(f"[b]{n}. {escape_markup(name)}[/b]{copies}")
            details = [t("guide.field.material_kind", rank=self.term(mat.rank), kind=self.term(mat.kind),
                         source=self.term(mat.source))]
            if mat.notes:
                details.append(t("guide.field.notes") + "：" + mat.notes)
            if mat.acceptance:
                details.append(t("guide.field.acceptance") + "：" + mat.acceptance)
            if mat.blank_form:
                details.append(t("guide.field.forms", blank=mat.blank_form, example=mat.example or "—"))
            if mat.deferrable and item.allows_commitment:
                details.append(t("guide.field.deferrable"))
            mats += [Detail(escape_markup(d)) for d in details]
        where = [f(t("guide.field.address"), tr("address", p.address)), f(t("guide.field.window"), tr("window", p.window)),
                 f(t("guide.field.phone"), p.phone), f(t("guide.field.apply_methods"), "、".join(map(self.term, p.apply_methods))),
                 f(t("guide.field.appointment"), conv.appointment or t("guide.sheet.no"))]
        summary = english.essential(item, "time_limits") if english else None
        limits = ([escape_markup(summary)] if summary else []) + [
                  f(t("guide.field.promised"), days_text(lim.promised_days, lim.unit)),   # 第十四条: its unit
                  f(t("guide.field.statutory"), days_text(lim.statutory_days, lim.unit)),
                  escape_markup(t("guide.sheet.limits_exclude"))]
        if lim.note:
            limits.append(escape_markup(lim.note))
        fees = [f(t("guide.field.fees"), tr("fees", item.fees.standard) if item.fees.charged
                  else (english.essential(item, "fees") if english and english.essential(item, "fees") else t("guide.sheet.free")))]
        if item.fees.charged:
            fees.append(f(t("guide.field.fee_basis"), item.fees.basis))
        if item.allows_commitment:
            names = "、".join(m.name for m in item.deferrable_materials)
            commitment = [escape_markup(t("guide.sheet.commitment_allowed", materials=names))]
        else:
            commitment = [escape_markup(t("guide.sheet.commitment_not_allowed",
                                          reason=item.commitment.reason or t("guide.sheet.no_deferrable")))]
        return [(t("guide.field.materials"), mats), (t("guide.field.where_when"), where),
                (t("guide.field.time_limits"), limits), (t("guide.field.fees"), fees),
                (t("guide.field.commitment"), commitment)]

    def reference_sections(self, item):
        app = App.get_running_app()
        t, f = self._field()
        yes_no = lambda v: t("guide.sheet.yes") if v else t("guide.sheet.no")  # noqa: E731
        s, p, conv = item.subject, item.procedure, item.convenience
        cond = [f(t("guide.field.level"), item.level)]
        if item.authority:
            cond.append(f(t("guide.field.authority"), item.authority))
        cond.append(f"[b]{escape_markup(t('guide.field.conditions'))}：[/b]")
        cond += [Detail(f"· {escape_markup(c)}") for c in item.conditions_text]
        modes = [f(t("guide.field.category"), item.category), f(t("guide.field.modes"), "、".join(map(self.term, item.modes)))]
        if item.online_url:
            modes.append(f(t("guide.field.online_url"), item.online_url))
            qr = QRCode(data=item.online_url, size_hint=(None, None))
            qr.size = (app.u * 300, app.u * 300)
            modes.append(qr)
            modes.append(escape_markup(t("guide.sheet.scan")))
        subject = [f(t("guide.field.administrative_body"), s.administrative_body),
                   f(t("guide.field.competent_department"), s.competent_department),
                   f(t("guide.field.implementing_department"), s.implementing_department),
                   f(t("guide.field.audience"), "、".join(s.audience))]
        names = [f(t("guide.field.name"), item.name), f(t("guide.field.code"), item.code),
                 f(t("guide.field.level_name"), LEVEL_NAMES[item.level_name])]
        if item.parent:
            parent = self.services.catalog.catalog.get(item.parent)
            names.append(f(t("guide.field.parent"), f"{parent.name}（{parent.code}）" if parent else item.parent))
        basis = [f(t("guide.field.setting_basis"), "；".join(item.legal_basis.setting))]
        if item.legal_basis.other:
            basis.append(f(t("guide.field.other_basis"), "；".join(item.legal_basis.other)))
        decision = p.decision.form or "—"
        if p.decision.sample:
            decision += f"（{t('guide.field.sample')}：{p.decision.sample}）"
        procedure = [
            f(t("guide.field.acceptance_standard"), p.acceptance_standard or "—"),
            f(t("guide.field.review_steps"), "；".join(
                f"{d.step}（{d.content}；{d.standard}）" if d.content else d.step for d in p.review_details)
              or "、".join(p.review_steps)),                      # 公开公示 第十三条(三): content, standard
            f(t("guide.field.decision"), decision),
            f(t("guide.field.quantity_limit"), p.quantity_limit or t("guide.sheet.no_limit")),
            f(t("guide.field.validity"), p.validity), f(t("guide.field.scope"), p.scope)]
        convenience = [f(t("guide.field.delivery"), t("guide.sheet.delivery", materials_in=yes_no(conv.materials_in),
                                                      results_out=yes_no(conv.results_out))),  # 第十七条(一)
                       f(t("guide.field.joint"), "、".join(conv.joint_departments) or t("guide.sheet.no")),
                       f(t("guide.field.coverage"), conv.coverage or "—")]
        for faq in conv.faq:
            convenience.append(f"[b]{escape_markup(t('guide.field.q'))}{escape_markup(faq.question)}[/b]\n"
                               f"{escape_markup(t('guide.field.a'))}{escape_markup(faq.answer)}")
        return [(t("guide.field.conditions_section"), cond), (t("guide.field.handling"), modes),
                (t("guide.field.convenience"), convenience), (t("guide.field.procedure"), procedure),
                (t("guide.field.subject"), subject), (t("guide.field.names"), names),
                (t("guide.field.legal_basis"), basis),
                (t("guide.field.complaint"), [f(t("guide.field.complaint_phone"), item.complaint_phone)])]

    # -- paging: whole rows per page, turned by the page buttons only --------------------
    def _rows(self) -> list:
        return [w for w in reversed(self.ids.fields.children) if w is not self._spacer]

    def page_starts(self) -> list[float]:
        """Where each page begins, in pixels from the top of the sheet: always at a row's top,
        so no line is ever cut by a page turn. A heading never ends a page, nor does a row whose
        details follow it ("申请条件：", a material's name): it opens the next page with its first
        row, and so does a heading right above it."""
        fields, room = self.ids.fields, self.ids.scroll.height
        rows = self._rows()

        def top_of(row) -> float:
            return fields.top - row.top - fields.padding[1]
        starts = [0.0]
        for i, row in enumerate(rows):
            top, bottom = top_of(row), fields.top - row.y
            if bottom - starts[-1] > room and top > starts[-1] + 1:
                first = i
                while first > 0 and _introduces(rows, first - 1) and top_of(rows[first - 1]) > starts[-1] + 1:
                    first -= 1
                starts.append(top_of(rows[first]))
        return starts

    def _update_page(self, *_):
        starts = self.page_starts()
        self._starts = starts
        self.pages = len(starts)
        # the last page must be able to open at its first row: room below the sheet's end
        fields, room = self.ids.fields, self.ids.scroll.height
        content = fields.height - self._spacer.height
        need = max(0.0, starts[-1] + room - content) if len(starts) > 1 else 0.0
        if abs(self._spacer.height - need) > 1:
            self._spacer.height = need
        self.page = max(1, min(self.page, self.pages))

    def go_to_page(self, page: int) -> None:
        self._update_page()
        self.page = max(1, min(page, self.pages))
        overflow = max(1.0, self.ids.fields.height - self.ids.scroll.height)
        offset = self._starts[self.page - 1]
        self.ids.scroll.scroll_y = max(0.0, min(1.0, 1 - offset / overflow))
        self._show_page_rows(offset)

    def _show_page_rows(self, offset: float) -> None:
        """Only the rows wholly on this page are drawn: the one the next page opens with is not
        shown cut at the bottom."""
        fields = self.ids.fields
        end = self._starts[self.page] if self.page < len(self._starts) else float("inf")
        for row in self._rows():
            top = fields.top - row.top - fields.padding[1]
            row.opacity = 1 if offset - 1 <= top < end - 1 else 0

    def turn(self, delta: int) -> None:
        self.go_to_page(self.page + delta)

    # -- actions ----------------------------------------------------------------------
    def back(self) -> None:
        App.get_running_app().go(self.came_from or "guide")

    def print_sheet(self) -> None:
        printer, item = self.printer, self.item
        if printer is None or item is None or self.printing:
            return
        app = App.get_running_app()
        terminal = self.services.settings["kiosk"]["terminal_id"]
        document = guide_sheet_document(item, terminal=terminal)
        self.printing = True
        self.print_status = app.t("guide.print.printing")

        def finished(message: str, ok: bool) -> None:
            self.printing, self.print_status, self.print_ok = False, message, ok
        self.print_ok = True
        self.run(lambda: self.services.receipts.print(document),
                 lambda _: finished("✓ " + app.t("guide.print.done"), True),
                 lambda exc: finished(self.print_failure(exc, app.t("guide.print.failed")), False), while_here=False)

    def commit(self) -> None:
        """Hand over to the commitment flow (built separately) with this item chosen."""
        app = App.get_running_app()
        if not self.can_commit:
            return
        self.services.sessions.current.data["item_code"] = self.item_code
        screen = app.screen("commitment")
        if hasattr(screen, "open_item"):
            screen.open_item(self.item_code)
        app.go("commitment")

    def reset(self) -> None:
        self.item_code, self.print_status, self.printing = "", "", False
        self.page = 1
        self.ids.fields.clear_widgets()
        self.ids.badges.clear_widgets()
