"""Facet counts and match bookkeeping that stay cheap on large result sets.

Whoosh's own ``groupedby`` looks every facet value up per matched document through Python
column readers (and rebuilds the tag lists per search): seconds on a broad query at 50,000
documents. Here each index segment's facet values are read once into plain lists (segments
never change once written, so the cache lives as long as the segment) and a search counts
its matched documents with C-speed ``Counter(map(...))``.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import Counter
from typing import Any

from whoosh import collectors
from whoosh.searching import Searcher

SINGLE_FACETS = ("kind", "challenge", "stage", "outcome", "year")
FACET_LIMIT = 20


class _SegmentFacets:
    """The facet values of every document of one segment, by segment-relative number."""

    def __init__(self, reader: Any) -> None:
        self.values: dict[str, list[Any]] = {}
        for name in SINGLE_FACETS:
            if reader.has_column(name):
                self.values[name] = list(reader.column_reader(name))
            else:
                self.values[name] = [""] * reader.doc_count_all()
        tags: list[tuple[str, ...]] = [()] * reader.doc_count_all()
        if "tags" in reader.indexed_field_names():
            for btext in reader.lexicon("tags"):
                name = btext.decode("utf-8")
                for docnum in reader.postings("tags", btext).all_ids():
                    tags[docnum] = (*tags[docnum], name)
        self.tags = tags


_lock = threading.Lock()
_segments: dict[Any, _SegmentFacets] = {}


def _segment_key(reader: Any) -> Any:
    segment = getattr(reader, "segment", None)
    if segment is None:
        return None
    return (segment().segment_id(), reader.doc_count_all())


def _leaves(searcher: Searcher) -> list[tuple[Any, int, _SegmentFacets | None]]:
    leaves: list[tuple[Any, int, _SegmentFacets | None]] = []
    keep = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        key = _segment_key(reader)
        if key is None:
            leaves.append((reader, offset, None))
            continue
        keep.add(key)
        with _lock:
            facets = _segments.get(key)
        if facets is None:
            facets = _SegmentFacets(reader)
            with _lock:
                _segments[key] = facets
        leaves.append((reader, offset, facets))
    with _lock:
        for key in [k for k in _segments if k not in keep]:
            # Another process's searcher may still need it; rebuilding costs one read.
            if len(_segments) > 64:
                del _segments[key]
    return leaves


def facet_counts(searcher: Searcher, docnums: list[int]) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value over the (ascending) top-level ``docnums``."""
    counters: dict[str, Counter[Any]] = {name: Counter() for name in (*SINGLE_FACETS, "tags")}
    leaves = _leaves(searcher)
    for index, (_reader, offset, facets) in enumerate(leaves):
        if facets is None:
            continue
        end = leaves[index + 1][1] if index + 1 < len(leaves) else None
        low = bisect_left(docnums, offset)
        high = bisect_left(docnums, end) if end is not None else len(docnums)
        local = [d - offset for d in docnums[low:high]]
        if not local:
            continue
        for name in SINGLE_FACETS:
            counters[name].update(map(facets.values[name].__getitem__, local))
        for tags in map(facets.tags.__getitem__, local):
            counters["tags"].update(tags)
    result: dict[str, list[tuple[str, int]]] = {}
    for name, counter in counters.items():
        values = [(str(v), n) for v, n in counter.items() if v not in ("", None, b"")]
        if name == "year":
            values.sort(key=lambda item: item[0], reverse=True)
        else:
            values.sort(key=lambda item: (-item[1], item[0]))
        result["tag" if name == "tags" else name] = values[:FACET_LIMIT]
    return result


class RecordingCollector(collectors.WrappingCollector):
    """Passes every match on to its child and remembers its top-level document number."""

    def __init__(self, child: collectors.Collector) -> None:
        super().__init__(child)
        self.docnums: list[int] = []

    def collect(self, sub_docnum: int) -> Any:
        self.docnums.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)
