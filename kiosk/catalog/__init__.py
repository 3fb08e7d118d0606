"""The item catalog: the guide-sheet model, the loader with validation, the store.

Public API:
    load_catalog(directory) -> Catalog          (raises CatalogError listing every Problem)
    CatalogStore.open(directory) / .load(directory) / .catalog / .index()
    Catalog.item(code), .listed(), .for_audience(), .by_life_event(), .by_department()
    guide_sheet_document(item) in kiosk.catalog.printout
"""
from kiosk.catalog.model import (Catalog, Commitment, Department, Item, LifeEvent, Material,
                                 Question, Questions)
from kiosk.catalog.store import CatalogStore

__all__ = ["Catalog", "CatalogError", "CatalogStore", "Commitment", "Department", "Item", "LifeEvent",
           "Material", "Problem", "Question", "Questions", "load_catalog"]


def __getattr__(name: str):
    """The loader's names on first use: importing it imports jsonschema, which the kiosk's
    first frame does not need (the store loads the catalog on first use)."""
    if name in ("CatalogError", "Problem", "load_catalog"):
        from kiosk.catalog import loader
        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
