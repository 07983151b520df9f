"""Search as people meet it: the /search page, the search parts of idea pages, /api/v1/search."""

from __future__ import annotations

from typing import Any

from search.web.api import SearchApi
from search.web.pages import SearchPages

ROUTES: list[Any] = [SearchPages, SearchApi]
