"""The process-wide search index: configured once at startup, opened on first use."""

from __future__ import annotations

import threading
from pathlib import Path

from search.index import SearchIndex

_lock = threading.Lock()
_root: Path | None = None
_index: SearchIndex | None = None


def configure(search_dir: Path) -> None:
    """Point the runtime at ``search_dir`` (cheap: no I/O until the index is used)."""
    global _root, _index
    with _lock:
        root = Path(search_dir)
        if _index is not None and _index.root != root:
            _index.close()
            _index = None
        _root = root


def current() -> SearchIndex:
    """The process's :class:`SearchIndex` (configured from the settings when not yet)."""
    global _index, _root
    with _lock:
        if _index is None:
            if _root is None:
                from portal.config import get_settings

                _root = Path(get_settings().search_dir)
            _index = SearchIndex(_root)
        return _index


def reset() -> None:
    """Close the index and forget the configuration (tests)."""
    global _index, _root
    with _lock:
        index, _index, _root = _index, None, None
    if index is not None:
        index.close()
