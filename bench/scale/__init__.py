"""Fill a Vonk database at DESIGN.md's scale for the benchmark: ``python -m bench.scale``.

5,000 people, 100 challenges, 50,000 ideas, 500,000 threaded comments, 1,000,000 votes and
5,000 lessons (times ``--scale``), with English and Dutch text from word lists and
templates, deterministic for a given ``--seed`` (dates are relative to the day it runs).

Why plain SQL and not the services: the services do per-record work that is right for
people and far too slow for 1.5 million rows (a transaction, locks, an outbox event and a
Markdown render per comment; submitting one idea takes several queries), which would take
hours. The seeder writes the same rows the services would, in bulk: executemany in chunks
on SQLite, COPY on PostgreSQL, one transaction per chunk. It keeps what the services
guarantee: every counter (``idea_count``, ``vote_count``, ``comment_count``,
``follower_count``, ``kudos_count``) equals its rows, comments carry ``root``/``parent``/
``depth`` as ``post_comment`` sets them, each idea has its revisions (number 1 is the
submitted text), authors follow their ideas and managers their challenges, pairs are unique,
and HTML is exactly what ``render_markdown`` makes of the Markdown. It writes no outbox
events: the search index is rebuilt from the tables afterwards (``vonk reindex``), as after
a restore.

The database must be migrated first; :func:`seed_database` does that (``vonk migrate`` and
``vonk seed-demo``, so the demo accounts can sign in) unless told not to. Seeding twice is
refused: the run is recorded in the ``site_setting`` row ``bench.scale``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.scale import challenges, comments, ideas, lessons, people, votes
from bench.scale.context import Context, Counts
from bench.scale.writers import PostgresWriter, SqliteWriter, Writer
from bench.text import TextMaker

ROOT = Path(__file__).resolve().parent.parent.parent
MARKER = "bench.scale"
DEFAULT_SEED = 4
SQLITE_NAME = "vonk.sqlite3"  # portal.config.Settings.sqlite_path
# Two common words per language for the search benchmark (ranks 1 and 3 of the general nouns).
COMMON_QUERIES = {"en": "customer process", "nl": "klant proces"}
# Two words of middling frequency (each in a few percent of the documents): what most
# searches look like, beside the two-of-the-commonest-words worst case above.
SPECIFIC_QUERY = "heat pump"


def _vonk(args: list[str], data_dir: Path | None, database_url: str | None) -> None:
    """Run a `vonk` command with the target's environment; raise with its output on failure."""
    env = dict(os.environ)
    env.pop("VONK_DATABASE_URL", None)
    if data_dir is not None:
        env["VONK_DATA_DIR"] = str(data_dir)
    if database_url:
        env["VONK_DATABASE_URL"] = database_url
    local = ROOT / ".venv" / "bin" / "vonk"
    program = str(local) if local.exists() else shutil.which("vonk") or "vonk"
    proc = subprocess.run(
        [program, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"vonk {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")


def open_writer(data_dir: Path | None, database_url: str | None) -> Writer:
    """A writer for PostgreSQL when a URL is given, else the SQLite file in `data_dir`."""
    if database_url:
        return PostgresWriter(database_url)
    path = (data_dir or Path("var")) / SQLITE_NAME
    if not path.exists():
        raise RuntimeError(f"{path} does not exist: migrate first (vonk migrate)")
    return SqliteWriter(path)


def _recorded(writer: Writer) -> dict[str, Any] | None:
    rows = writer.query("SELECT value FROM site_setting WHERE key = ?", (MARKER,))
    if not rows:
        return None
    value = rows[0][0]
    return json.loads(value) if isinstance(value, str) else dict(value)


def _phase(ctx: Context, name: str, fn: Any, *args: Any) -> Any:
    started = time.monotonic()
    result = fn(ctx, *args)
    ctx.seconds[name] = round(time.monotonic() - started, 2)
    ctx.log(f"{name}: {ctx.seconds[name]:.1f} s")
    return result


def _queries(ctx: Context) -> dict[str, str]:
    """What the search benchmark should ask for in this data."""
    largest = max(ctx.challenges, key=lambda c: c.idea_count)
    language = ctx.text.languages["en"]
    return {
        "common_en": COMMON_QUERIES["en"],
        "common_nl": COMMON_QUERIES["nl"],
        "specific_en": SPECIFIC_QUERY,
        "largest_challenge": largest.slug,
        "similar_title": ctx.text.line("en", "title", largest.topic, 120),
        "similar_summary": language.fill("sentence", largest.topic),
    }


def seed_database(
    data_dir: Path | None = None,
    database_url: str | None = None,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    prepare: bool = True,
    log_stream: Any = sys.stderr,
) -> dict[str, Any]:
    """Seed the database (SQLite in `data_dir`, or PostgreSQL at `database_url`); summarise.

    With `prepare`, migrate and create the demo company first. A database seeded before
    is left alone and its recorded summary returned (with ``"reused": true``).
    """
    if prepare:
        _vonk(["migrate"], data_dir, database_url)
        _vonk(["seed-demo"], data_dir, database_url)
    writer = open_writer(data_dir, database_url)
    try:
        recorded = _recorded(writer)
        if recorded is not None:
            return recorded | {"reused": True}
        rng = random.Random(seed)
        ctx = Context(
            writer=writer,
            counts=Counts.at(scale),
            seed=seed,
            rng=rng,
            text=TextMaker(rng),
            now=time.time(),
            log_stream=log_stream,
        )
        ctx.log(f"seeding {writer.kind} at scale {scale:g}: {ctx.counts}")
        departments = _phase(ctx, "departments", people.seed_departments)
        _phase(ctx, "users", people.seed_users, departments)
        _phase(ctx, "tags", people.seed_tags)
        _phase(ctx, "plan", _plan)
        plan = _phase(ctx, "plan comments", comments.plan_comments)
        _phase(ctx, "challenges", challenges.write_challenges)
        _phase(ctx, "ideas", ideas.write_ideas)
        _phase(ctx, "comments", comments.write_comments, plan)
        del plan
        _phase(ctx, "votes", votes.write_votes)
        _phase(ctx, "challenge follows", challenges.write_challenge_follows)
        note = _phase(ctx, "lessons", lessons.write_lessons)
        summary: dict[str, Any] = {
            "scale": scale,
            "seed": seed,
            "database": writer.kind,
            "counts": ctx.written,
            "vocabulary_words": ctx.text.vocabulary_size,
            "queries": _queries(ctx),
            "notes": [note] if note else [],
        }
        _phase(ctx, "finish", lambda c: writer.finish(sorted(c.written)))
        summary["seconds"] = ctx.seconds | {"total": round(time.monotonic() - ctx.started, 1)}
        summary["size_mb"] = round(writer.size_bytes() / 1e6, 1)
        writer.execute(
            "INSERT INTO site_setting (key, value, updated_at) VALUES (?, ?, ?)",
            (MARKER, json.dumps(summary), ctx.time(time.time())),
        )
        ctx.log(f"done in {summary['seconds']['total']} s, {summary['size_mb']} MB")
        return summary | {"reused": False}
    finally:
        writer.close()


def _plan(ctx: Context) -> None:
    challenges.plan_challenges(ctx)
    ideas.plan_ideas(ctx)
