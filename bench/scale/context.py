"""What every part of the scale seeder shares: counts, random source, clock, ids, the writer."""

from __future__ import annotations

import math
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench.scale.writers import Writer
from bench.text import TextMaker

DAY = 86_400.0

# DESIGN.md's scale ("Performance targets"), multiplied by --scale.
FULL_SCALE = {
    "users": 5_000,
    "challenges": 100,
    "ideas": 50_000,
    "comments": 500_000,
    "votes": 1_000_000,
    "lessons": 5_000,
}


@dataclass(frozen=True)
class Counts:
    """How many of each record to create."""

    users: int
    challenges: int
    ideas: int
    comments: int
    votes: int
    lessons: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        """DESIGN.md's counts times `scale` (at least a handful of each)."""
        minimum = {"users": 50, "challenges": 4, "ideas": 40}
        return cls(
            **{
                name: max(minimum.get(name, 0), round(full * scale))
                for name, full in FULL_SCALE.items()
            }
        )


@dataclass
class User:
    """A seeded person, as the generators need them."""

    id: int
    department: int | None
    role: str


@dataclass
class Challenge:
    """A planned challenge."""

    id: int
    lang: str
    topic: str
    state: str
    opens: float
    closes: float
    manager: int
    slug: str = ""
    idea_count: int = 0


@dataclass
class Idea:
    """A planned idea; ids follow creation time across challenges."""

    challenge: Challenge
    created: float
    lang: str
    stage: str
    authors: list[int]
    popularity: float
    hidden: bool
    versions: int
    id: int = 0
    votes: int = 0
    comments: int = 0  # visible (not deleted) comments: the idea's comment_count
    last_comment: float = 0.0
    tags: list[int] = field(default_factory=list)
    merged_into: int | None = None


@dataclass
class Context:
    """Shared state of one seeding run."""

    writer: Writer
    counts: Counts
    seed: int
    rng: random.Random
    text: TextMaker
    now: float
    log_stream: Any = sys.stderr
    started: float = field(default_factory=time.monotonic)
    users: list[User] = field(default_factory=list)
    user_weights: list[float] = field(default_factory=list)
    tags_by_topic: dict[str, list[int]] = field(default_factory=dict)
    tag_names: dict[int, str] = field(default_factory=dict)
    challenges: list[Challenge] = field(default_factory=list)
    ideas: list[Idea] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    _user_buffer: list[User] = field(default_factory=list)

    def log(self, message: str) -> None:
        """Progress on stderr, with the seconds since the start."""
        print(f"[{time.monotonic() - self.started:7.1f} s] {message}", file=self.log_stream)
        self.log_stream.flush()

    def next_id(self, table: str) -> int:
        """The first free id of a table (explicit ids let rows refer to each other)."""
        sql = f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"'  # noqa: S608 - our table names
        return int(self.writer.query(sql)[0][0])

    def insert(self, table: str, columns: tuple[str, ...], rows: Any) -> None:
        """Write rows and count them."""
        self.written[table] = self.written.get(table, 0) + self.writer.insert(table, columns, rows)

    def person(self) -> User:
        """A seeded person; some write far more than others (Zipf-like by a shuffled rank)."""
        if not self._user_buffer:
            self._user_buffer = self.rng.choices(self.users, cum_weights=self.user_weights, k=4096)
        return self._user_buffer.pop()

    def people(self, count: int, exclude: set[int]) -> list[int]:
        """`count` distinct people's ids, none of them in `exclude`."""
        chosen: list[int] = []
        seen = set(exclude)
        pool = len(self.users)
        count = min(count, pool - len(seen))
        while len(chosen) < count:
            uid = self.users[self.rng.randrange(pool)].id
            if uid not in seen:
                seen.add(uid)
                chosen.append(uid)
        return chosen

    def time(self, epoch: float) -> datetime:
        """An aware UTC datetime, never on a whole second (keeps text ordering consistent)."""
        value = datetime.fromtimestamp(epoch, UTC)
        return value if value.microsecond else value.replace(microsecond=1)

    def between(self, start: float, end: float) -> float:
        """A random moment in [start, end), and `start` when the range is empty."""
        return start + self.rng.random() * (end - start) if end > start else start


def spread(total: int, weights: list[float], cap: list[int] | None = None) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), respecting `cap`."""
    counts = [0] * len(weights)
    remaining = total
    active = [i for i, w in enumerate(weights) if w > 0 and (cap is None or cap[i] > 0)]
    while remaining > 0 and active:
        weight_sum = sum(weights[i] for i in active)
        shares = {i: remaining * weights[i] / weight_sum for i in active}
        for i in active:
            counts[i] += math.floor(shares[i])
        left = remaining - sum(math.floor(s) for s in shares.values())
        for i in sorted(active, key=lambda i: shares[i] - math.floor(shares[i]), reverse=True)[
            :left
        ]:
            counts[i] += 1
        remaining = 0
        if cap is not None:
            for i in active:
                if counts[i] > cap[i]:
                    remaining += counts[i] - cap[i]
                    counts[i] = cap[i]
            active = [i for i in active if counts[i] < cap[i]]
    return counts
