"""Guide (办事指南) entry: search with the on-screen keyboard, results as the citizen types,
and the way into browsing by 个人 / 法人."""
from __future__ import annotations

from kivy.app import App
from kivy.factory import Factory

from kiosk.catalog.life_events import matching_events
from screens.base import KioskScreen
from screens.guide_nav import open_item
from screens.keyboard import Keyboard

SHOWN = 10          # results shown; the rest are refinements away


class GuideScreen(KioskScreen):
    def on_kv_post(self, *_):
        self.keyboard = Keyboard(max_length=30)
        slot = self.ids.keyboard_slot
        slot.add_widget(self.keyboard)
        slot.height = self.keyboard.height
        self.keyboard.bind(height=lambda _k, h: setattr(slot, "height", h))
        App.get_running_app().bind(portrait=lambda *_: setattr(slot, "height", self.keyboard.height))
        self.keyboard.bind(display=lambda _k, text: self.refresh(text))   # pinyin searches as typed
        App.get_running_app().bind(lang=lambda *_: self.refresh(self.keyboard.display))

    def on_pre_enter(self, *_):
        self.refresh(self.keyboard.display)

    def refresh(self, query: str) -> None:
        app = App.get_running_app()
        self.ids.query.text = query or app.t("guide.search.placeholder")
        self.ids.query.color = app.theme["fg"] if query else app.theme["muted"]
        results = self.ids.results
        results.clear_widgets()
        store = self.services.catalog
        if store is None or store.catalog is None:
            self.ids.status.text = app.t("guide.unavailable")
            return
        if not query:
            self.ids.status.text = app.t("guide.search.hint")
            return
        hits = store.index().search(query, limit=SHOWN)
        events = matching_events(store.catalog, query)
        self.ids.status.text = (app.t("guide.search.found", count=len(hits)) if hits or events
                                else app.t("guide.search.none"))
        for event, items in events:             # a life event first: the whole set it involves
            results.add_widget(self.event_button(event, items))
        for hit in hits:
            results.add_widget(self.result_button(store.catalog.item(hit.item_code)))
        self.ids.scroll.scroll_y = 1

    def event_button(self, event, items):
        app = App.get_running_app()
        names = "、".join(self.item_name(i) for i in items[:4]) + ("…" if len(items) > 4 else "")
        button = Factory.KButton(kind="primary", markup=True, halign="left", font_size=app.f * 36,
                                 text=app.t("guide.search.event", name=event.name, count=len(items))
                                 + f"\n[size={int(app.f * 26)}]{names}[/size]")
        button.event_id = event.id
        button.bind(on_release=lambda _b: self.open_event(event))
        return button

    def open_event(self, event) -> None:
        """The life event's whole set of items, in the browser."""
        app = App.get_running_app()
        browser = app.screen("guide_browse")
        browser.start(event.audience)
        browser.group = event.id
        app.go("guide_browse")

    def result_button(self, item):
        app = App.get_running_app()
        detail = f"{item.department.short or item.department.name} · {'、'.join(item.modes)}"
        button = Factory.KButton(kind="secondary", markup=True, halign="left", font_size=app.f * 36,
                                 text=f"[b]{item.name}[/b]\n[size={int(app.f * 26)}]{detail}[/size]")
        button.item_code = item.code
        button.bind(on_release=lambda _b: open_item(item.code, "guide"))
        return button

    def browse(self, audience: str) -> None:
        app = App.get_running_app()
        app.screen("guide_browse").start(audience)
        app.go("guide_browse")

    def reset(self) -> None:
        self.keyboard.reset()
