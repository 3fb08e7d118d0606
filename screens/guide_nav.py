"""Moving between the guide screens: open an item (its questions first, if it has variants)."""
from __future__ import annotations

from kivy.app import App


def open_item(code: str, came_from: str = "") -> None:
    """Show the item: guided questions when it has variants, else its guide sheet."""
    app = App.get_running_app()
    catalog = app.services.catalog.catalog
    item = catalog.get(code) if catalog else None
    if item is None:
        return
    if item.questions and app.has_screen("guide_questions"):
        app.screen("guide_questions").start(code, came_from or app.current)
        app.go("guide_questions")
    else:
        open_sheet(code, came_from or app.current)


def open_sheet(code: str, came_from: str) -> None:
    app = App.get_running_app()
    app.screen("guide_sheet").show(code, came_from)
    app.go("guide_sheet")
