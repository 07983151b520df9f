"""The shared searcher survives the indexer merging away the segments it is reading."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from search.index import SearchIndex
from search.schema import prepare


def _doc(number: int) -> dict:
    return {
        "key": f"idea:{number}",
        "kind": "idea",
        "ref_id": number,
        "title": f"Idea number {number} about parking",
        "summary": "More bikes, fewer cars.",
        "created": datetime(2026, 1, 1 + number % 27, tzinfo=UTC),
    }


def test_a_searcher_reads_segments_that_a_merge_has_deleted(tmp_path: Path) -> None:
    """Between refreshes (every 0.5 s) the search thread keeps its searcher while the
    indexer commits, and a commit may merge small segments and delete their files. Every
    stored field must stay readable through the old searcher (plain-file segments failed
    here: Whoosh opens their column files lazily, after the merge deleted them)."""
    index = SearchIndex(tmp_path)
    index.open_live()
    live = whoosh_index.open_dir(str(index.live_dir()))
    for number in range(1, 5):  # four small segments
        writer = live.writer()
        writer.add_document(**prepare(_doc(number)))
        writer.commit(merge=False)
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) == 4
    writer = live.writer()
    writer.add_document(**prepare(_doc(5)))
    writer.commit(optimize=True)  # everything merged into one segment, old files deleted
    live.close()
    titles = sorted(searcher.stored_fields(docnum)["title"] for docnum in range(4))
    assert titles == [f"Idea number {n} about parking" for n in range(1, 5)]
    index.close()
