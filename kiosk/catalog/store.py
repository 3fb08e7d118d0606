"""CatalogStore: the catalog the kiosk is using, replaced only by one that validates.

Also owns the search index for the current catalog, built lazily (or ahead of
time on a worker thread with `warm()`), so loading the catalog at start-up
stays cheap.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from kiosk.catalog.loader import CatalogError, Problem, load_catalog
from kiosk.catalog.model import Catalog

log = logging.getLogger("kiosk.catalog")


class CatalogStore:
    def __init__(self, catalog: Catalog | None = None):
        self.catalog: Catalog | None = catalog
        self.problems: list[Problem] = []
        self._index = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, directory: str | Path) -> "CatalogStore":
        store = cls()
        store.load(directory)
        return store

    def load(self, directory: str | Path) -> bool:
        """Load and switch to the catalog in `directory`; on any problem keep the current one."""
        try:
            catalog = load_catalog(directory)
        except CatalogError as exc:
            self.problems = exc.problems
            log.error("catalog rejected, keeping %s", self.catalog.version if self.catalog else "none",
                      extra={"problems": [str(p) for p in exc.problems[:20]], "count": len(exc.problems)})
            return False
        self.replace(catalog)
        self.problems = []
        log.info("catalog loaded", extra={"version": catalog.version, "items": len(catalog.items)})
        return True

    def replace(self, catalog: Catalog) -> None:
        with self._lock:
            self.catalog = catalog
            self._index = None

    def index(self):
        """The SearchIndex of the current catalog (built on first use)."""
        from kiosk.catalog.search import SearchIndex
        with self._lock:
            if self._index is None or self._index.catalog is not self.catalog:
                if self.catalog is None:
                    return None
                self._index = SearchIndex(self.catalog)
            return self._index

    def warm(self) -> threading.Thread:
        """Build the index on a worker thread so the first keystroke does not wait."""
        thread = threading.Thread(target=self.index, name="catalog-index", daemon=True)
        thread.start()
        return thread
