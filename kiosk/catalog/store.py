"""CatalogStore: the catalog the kiosk is using, replaced only by one that validates.

Also owns the search index for the current catalog, built lazily (or ahead of
time on a worker thread with `warm()`). `open()` does not even read the catalog: it is
loaded and validated (jsonschema) on first use, `warm()` included, so the kiosk's first
frame (the attract screen needs no catalog) waits for neither.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.catalog.loader import Problem
    from kiosk.catalog.model import Catalog

log = logging.getLogger("kiosk.catalog")


class CatalogStore:
    def __init__(self, catalog: Catalog | None = None, pinyin_memo: str | Path | None = None):
        self._pinyin_memo = pinyin_memo        # where the names' pinyin is remembered (kiosk.catalog.pinyin)
        self._catalog: Catalog | None = catalog
        self._problems: list[Problem] = []
        self._index = None
        self._lock = threading.Lock()
        self._opening: Path | None = None      # the directory open() named, until first use
        self._opening_lock = threading.Lock()
        self._directory: Path | None = None    # where the current catalog came from

    @classmethod
    def open(cls, directory: str | Path, pinyin_memo: str | Path | None = None) -> "CatalogStore":
        """The store for the catalog in `directory`, loaded on first use."""
        store = cls(pinyin_memo=pinyin_memo)
        store._opening = Path(directory)
        return store

    def _opened(self) -> None:
        if self._opening is None:
            return
        with self._opening_lock:
            directory, self._opening = self._opening, None
            if directory is not None:
                self.load(directory)

    @property
    def catalog(self) -> Catalog | None:
        self._opened()
        return self._catalog

    @property
    def problems(self) -> list[Problem]:
        """Why the last catalog offered was refused (empty when it loaded)."""
        self._opened()
        return self._problems

    def load(self, directory: str | Path) -> bool:
        """Load and switch to the catalog in `directory`; on any problem keep the current one."""
        from kiosk.catalog.loader import CatalogError, load_catalog
        self._opened()      # the catalog open() named first: the one kept if this one fails
        try:
            catalog = load_catalog(directory)
        except CatalogError as exc:
            self._problems = exc.problems
            log.error("catalog rejected, keeping %s", self._catalog.version if self._catalog else "none",
                      extra={"problems": [str(p) for p in exc.problems[:20]], "count": len(exc.problems)})
            return False
        self.replace(catalog)
        self._directory = Path(directory)
        self._problems = []
        log.info("catalog loaded", extra={"version": catalog.version, "items": len(catalog.items)})
        return True

    @property
    def translations(self):
        """The English names and essentials for the current catalog (its directory's en.json,
        else the shipped one), or None: then Chinese is shown."""
        from kiosk.catalog.translations import english
        catalog = self.catalog
        return english(catalog, self._directory) if catalog is not None else None

    def replace(self, catalog: Catalog) -> None:
        self._opening = None            # a catalog given now replaces the one open() named
        self._directory = None
        with self._lock:
            self._catalog = catalog
            self._index = None

    def index(self):
        """The SearchIndex of the current catalog (built on first use)."""
        from kiosk.catalog.search import SearchIndex
        self._opened()
        translations = self.translations
        with self._lock:
            if self._index is None or self._index.catalog is not self._catalog:
                if self._catalog is None:
                    return None
                self._index = self._built(SearchIndex, translations)
            return self._index

    def _built(self, index_type, translations):
        """The index, its names' pinyin taken from the memo and new ones kept there; pypinyin
        (54 MiB) is unloaded again once every name and life-event word has its syllables."""
        from kiosk.catalog import life_events, pinyin
        if self._pinyin_memo is not None:
            pinyin.keep_in(self._pinyin_memo)
        index = index_type(self._catalog, _english_names(self._catalog, translations))
        life_events.warm(self._catalog)
        pinyin.save()
        pinyin.release()
        return index

    def warm(self) -> threading.Thread:
        """Build the index on a worker thread so the first keystroke does not wait."""
        thread = threading.Thread(target=self.index, name="catalog-index", daemon=True)
        thread.start()
        return thread



def _english_names(catalog, translations) -> dict[str, str]:
    """The items' English names, searchable beside the Chinese ones."""
    if translations is None:
        return {}
    return {item.code: name for item in catalog.listed() if (name := translations.name(item))}
