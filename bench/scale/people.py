"""Departments, people and tags for the scale seeder."""

from __future__ import annotations

import unicodedata
from itertools import accumulate

from argon2 import PasswordHasher

from bench import vocabulary
from bench.scale.context import DAY, Context, User

# Every seeded person signs in with the demo password (bench/run.py signs in as a demo user).
PASSWORD = "spark-demo-2026"  # noqa: S105 - the demo password, published in the README
ROLES = ("employee", "reviewer", "manager", "moderator")
ROLE_WEIGHTS = (0.93, 0.03, 0.025, 0.01)
ROLES_ADMIN_SHARE = 0.005


def ascii_fold(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: "Öztürk" → "ozturk"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in ".-")


def seed_departments(ctx: Context) -> list[int]:
    """The departments people belong to, creating the missing ones."""
    existing = {name for (name,) in ctx.writer.query("SELECT name FROM department")}
    start = ctx.next_id("department")
    missing = [name for name in vocabulary.DEPARTMENTS if name not in existing]
    ctx.insert("department", ("id", "name"), [(start + i, n) for i, n in enumerate(missing)])
    return [row[0] for row in ctx.writer.query("SELECT id FROM department ORDER BY id")]


def seed_users(ctx: Context, departments: list[int]) -> None:
    """People with varied names, roles, departments and languages; one shared password hash.

    The hash uses the app's argon2id parameters, so signing in as any of them works and
    costs what it costs in use. Activity is skewed: a few people write most of the content.
    """
    rng = ctx.rng
    password_hash = PasswordHasher(
        time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16
    ).hash(PASSWORD)
    first_names = vocabulary.FIRST_NAMES.split()
    last_names = vocabulary.LAST_NAMES.split()
    start = ctx.next_id("vonk_user")
    rows = []
    for n in range(ctx.counts.users):
        uid = start + n
        first = rng.choice(first_names)
        last = rng.choice(last_names).replace("_", " ")
        email = f"{ascii_fold(first)}.{ascii_fold(last.replace(' ', ''))}.{uid}@staff.example.com"
        role = "admin" if rng.random() < ROLES_ADMIN_SHARE else rng.choices(ROLES, ROLE_WEIGHTS)[0]
        department = rng.choice(departments) if rng.random() < 0.97 else None
        created = ctx.now - rng.uniform(30, 1500) * DAY
        last_login = ctx.now - rng.uniform(0, 60) * DAY if rng.random() < 0.7 else None
        rows.append(
            (
                uid,
                email,
                f"{first} {last}",
                password_hash,
                role,
                department,
                rng.choice(("", "en", "nl", "nl")),
                rng.random() > 0.01,
                ctx.time(created),
                ctx.time(max(last_login, created + 60)) if last_login else None,
                ctx.time(created),
            )
        )
        ctx.users.append(User(uid, department, role))
    ctx.insert(
        "vonk_user",
        (
            "id",
            "email",
            "display_name",
            "password_hash",
            "role",
            "department",
            "language",
            "is_active",
            "created_at",
            "last_login_at",
            "password_changed_at",
        ),
        rows,
    )
    ranks = list(range(len(ctx.users)))
    rng.shuffle(ranks)
    ctx.user_weights = list(accumulate(1.0 / (r + 10) for r in ranks))


def seed_tags(ctx: Context) -> None:
    """The tag vocabulary (per topic plus general tags), reusing tags that already exist."""
    existing = {name: tid for tid, name in ctx.writer.query("SELECT id, name FROM tag")}
    start = ctx.next_id("tag")
    rows: list[tuple[int, str]] = []
    general = vocabulary.GENERAL_TAGS.split()
    for topic in (*vocabulary.TOPICS, ""):
        names = vocabulary.TAGS[topic].split() if topic else general
        ids = []
        for name in names:
            if name not in existing:
                existing[name] = start + len(rows)
                rows.append((existing[name], name))
            ids.append(existing[name])
            ctx.tag_names[existing[name]] = name
        ctx.tags_by_topic[topic] = ids
    ctx.insert("tag", ("id", "name"), rows)


def pick_tags(ctx: Context, topic: str, low: int, high: int) -> list[int]:
    """Distinct tags, mostly from the topic, sometimes general or from another topic."""
    rng = ctx.rng
    chosen: list[int] = []
    for _ in range(rng.randint(low, high)):
        roll = rng.random()
        if roll < 0.7:
            source = ctx.tags_by_topic[topic]
        elif roll < 0.9:
            source = ctx.tags_by_topic[""]
        else:
            source = ctx.tags_by_topic[rng.choice(vocabulary.TOPICS)]
        tag = source[min(int(rng.expovariate(0.5)), len(source) - 1)]
        if tag not in chosen:
            chosen.append(tag)
    return chosen
