"""Browse the catalog: 个人 / 法人, then by life event or by department, then the items."""
from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import StringProperty

from screens.base import KioskScreen
from screens.guide_nav import open_item


class BrowseScreen(KioskScreen):
    audience = StringProperty("自然人")      # 自然人 | 法人
    by = StringProperty("event")            # event | department
    group = StringProperty("")              # the chosen life event or department id

    def on_kv_post(self, *_):
        App.get_running_app().bind(lang=lambda *_: self.rebuild(), elder=lambda *_: self.rebuild())

    def start(self, audience: str) -> None:
        self.audience, self.by, self.group = audience, "event", ""

    def on_pre_enter(self, *_):
        self.rebuild()

    def choose(self, audience: str | None = None, by: str | None = None) -> None:
        if audience:
            self.audience = audience
        if by:
            self.by = by
        self.group = ""
        self.rebuild()

    def back(self) -> None:
        if self.group:
            self.group = ""
            self.rebuild()
        else:
            App.get_running_app().go("guide")

    def rebuild(self) -> None:
        app = App.get_running_app()
        grid = self.ids.entries
        grid.clear_widgets()
        catalog = self.services.catalog.catalog
        if catalog is None:
            self.ids.heading.text = app.t("guide.unavailable")
            return
        if self.group:
            items = (catalog.by_life_event(self.group) if self.by == "event"
                     else catalog.by_department(self.group, self.audience))
            items = [i for i in items if self.audience in i.audience]
            name = (catalog.life_events[self.group].name if self.by == "event"
                    else catalog.departments[self.group].name)
            self.ids.heading.text = app.t("guide.browse.items_in", group=name, count=len(items))
            grid.cols = 1
            for item in items:
                button = Factory.KButton(kind="secondary", text=self.item_name(item), font_size=app.f * 36)
                button.item_code = item.code
                button.bind(on_release=lambda _b, code=item.code: open_item(code, "guide_browse"))
                grid.add_widget(button)
            return
        self.ids.heading.text = app.t("guide.browse.by_event" if self.by == "event" else "guide.browse.by_department")
        audience_items = catalog.for_audience(self.audience)
        if self.by == "event":
            groups = [(e.id, e.name) for e in catalog.life_events.values()
                      if e.audience == self.audience and any(e.id in i.life_events for i in audience_items)]
        else:
            groups = [(d.id, d.short or d.name) for d in catalog.departments.values()
                      if any(i.department.id == d.id for i in audience_items)]
        grid.cols = 2 if app.portrait else 4          # short names: two a row even in elder mode
        for gid, label in groups:
            button = Factory.KButton(text=label, font_size=app.f * 38)
            button.group_id = gid
            button.bind(on_release=lambda _b, g=gid: self._open_group(g))
            grid.add_widget(button)

    def _open_group(self, gid: str) -> None:
        self.group = gid
        self.rebuild()
        self.ids.scroll.scroll_y = 1

    def reset(self) -> None:
        self.audience, self.by, self.group = "自然人", "event", ""
