"""A readable word-level diff of two texts, as plain segments (templates escape them).

Lines are compared first, then words inside the lines that changed: fast on long Markdown
bodies and easy to read. The output is data, never HTML, so user text cannot inject markup.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import msgspec

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
# Above this many token comparisons a changed block is shown as removed + added whole.
_MAX_WORK = 4_000_000
_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


class Segment(msgspec.Struct, frozen=True):
    """A run of text that is the same in both versions, or only in the old or the new one."""

    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``, word by word inside changed lines."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            segments.append(Segment(EQUAL, before))
        elif tag == "replace":
            segments.extend(_words(before, after))
        else:
            if before:
                segments.append(Segment(DELETE, before))
            if after:
                segments.append(Segment(INSERT, after))
    return _joined(segments)


def _words(old: str, new: str) -> list[Segment]:
    """Word-level segments of one changed block (whitespace between changes joins them)."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    if len(a) * len(b) > _MAX_WORK:
        return [Segment(DELETE, old), Segment(INSERT, new)]
    chunks: list[list] = []  # [is_equal, old_text, new_text]
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        equal = tag == "equal"
        between_changes = (
            equal
            and not before.strip()
            and chunks
            and not chunks[-1][0]
            and index + 1 < len(opcodes)
        )
        if chunks and not chunks[-1][0] and (not equal or between_changes):
            chunks[-1][1] += before
            chunks[-1][2] += after
        else:
            chunks.append([equal, before, after])
    segments: list[Segment] = []
    for equal, before, after in chunks:
        if equal:
            segments.append(Segment(EQUAL, before))
            continue
        if before:
            segments.append(Segment(DELETE, before))
        if after:
            segments.append(Segment(INSERT, after))
    return segments


def _joined(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments of the same kind as one; deletions before insertions."""
    out: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if out and out[-1].op == segment.op:
            out[-1] = Segment(segment.op, out[-1].text + segment.text)
        else:
            out.append(segment)
    return out


def tags_diff(old: list[str], new: list[str]) -> list[Segment]:
    """Each tag once: kept, removed or added (alphabetical)."""
    before, after = set(old), set(new)

    def op(name: str) -> str:
        if name in before:
            return EQUAL if name in after else DELETE
        return INSERT

    return [Segment(op(name), name) for name in sorted(before | after)]


def has_changes(segments: list[Segment]) -> bool:
    """True when any segment is an insertion or a deletion."""
    return any(segment.op != EQUAL for segment in segments)


def split_tags(line: str) -> list[str]:
    """A revision's stored tag line back into names."""
    return [name.strip() for name in line.split(",") if name.strip()]
