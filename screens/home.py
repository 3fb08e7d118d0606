"""Home: a tile with an icon (screens/icons/) for each service this terminal offers. Unbuilt
services have no tile."""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.factory import Factory

from screens import registry
from screens.base import KioskScreen


ICONS = Path(__file__).parent / "icons"


class HomeScreen(KioskScreen):
    def on_pre_enter(self, *_):
        self.build_tiles()

    def build_tiles(self):
        app = App.get_running_app()
        grid = self.ids.tiles
        grid.clear_widgets()
        for key, screen in registry.available_tiles():
            icon = ICONS / f"{key}.png"
            tile = Factory.IconTile(text=app.t(f"home.tiles.{key}"), min_height=app.u * 240)
            tile.icon = str(icon) if icon.exists() else ""
            tile.tile_key = key
            tile.bind(on_release=lambda _b, s=screen: app.go(s))
            grid.add_widget(tile)
        self.ids.empty.opacity = 0 if grid.children else 1
