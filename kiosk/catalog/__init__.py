"""The item catalog: the guide-sheet model, the loader with validation, the store.

Public API:
    load_catalog(directory) -> Catalog          (raises CatalogError listing every Problem)
    CatalogStore.open(directory) / .load(directory) / .catalog / .index()
    Catalog.item(code), .listed(), .for_audience(), .by_life_event(), .by_department()
    guide_sheet_document(item) in kiosk.catalog.printout
"""
from kiosk.catalog.loader import CatalogError, Problem, load_catalog
from kiosk.catalog.model import (Catalog, Commitment, Department, Item, LifeEvent, Material,
                                 Question, Questions)
from kiosk.catalog.store import CatalogStore

__all__ = ["Catalog", "CatalogError", "CatalogStore", "Commitment", "Department", "Item", "LifeEvent",
           "Material", "Problem", "Question", "Questions", "load_catalog"]
