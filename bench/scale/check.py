"""Consistency checks for a seeded database: counters, threads, revisions, Markdown.

``python -m bench.scale.check [--data-dir D | --database-url U]`` prints every problem found
and exits 1 if there is any. The queries hold for the whole database, so they check what
the services wrote (demo data) as well as what the seeder wrote.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench.scale import open_writer
from bench.scale.writers import Writer

# (what must hold, SQL counting the rows where it does not)
CHECKS = (
    (
        "idea.vote_count = its votes",
        "SELECT COUNT(*) FROM idea i WHERE vote_count <> "
        "(SELECT COUNT(*) FROM vote v WHERE v.idea = i.id)",
    ),
    (
        "idea.follower_count = its follows",
        "SELECT COUNT(*) FROM idea i WHERE follower_count <> "
        "(SELECT COUNT(*) FROM idea_follow f WHERE f.idea = i.id)",
    ),
    (
        "idea.comment_count = its comments that are not deleted",
        "SELECT COUNT(*) FROM idea i WHERE comment_count <> "
        "(SELECT COUNT(*) FROM comment c WHERE c.idea = i.id AND c.deleted_at IS NULL)",
    ),
    (
        "challenge.idea_count = its ideas",
        "SELECT COUNT(*) FROM challenge ch WHERE idea_count <> "
        "(SELECT COUNT(*) FROM idea i WHERE i.challenge = ch.id)",
    ),
    (
        "comment.kudos_count = its kudos",
        "SELECT COUNT(*) FROM comment c WHERE kudos_count <> "
        "(SELECT COUNT(*) FROM kudos k WHERE k.comment = c.id)",
    ),
    (
        "a thread root has no parent, no root and depth 0",
        "SELECT COUNT(*) FROM comment WHERE parent IS NULL AND (root IS NOT NULL OR depth <> 0)",
    ),
    (
        "a reply: depth = parent's + 1, root = parent's root or the parent, same target",
        "SELECT COUNT(*) FROM comment c JOIN comment p ON p.id = c.parent "
        "WHERE c.depth <> p.depth + 1 OR c.root <> COALESCE(p.root, p.id) "
        "OR COALESCE(c.idea, 0) <> COALESCE(p.idea, 0) "
        "OR COALESCE(c.challenge, 0) <> COALESCE(p.challenge, 0) OR c.created_at < p.created_at",
    ),
    (
        "a comment is on an idea or on a challenge, never both",
        "SELECT COUNT(*) FROM comment WHERE (idea IS NULL) = (challenge IS NULL)",
    ),
    (
        "a deleted comment keeps no text",
        "SELECT COUNT(*) FROM comment "
        "WHERE deleted_at IS NOT NULL AND (body <> '' OR body_html <> '')",
    ),
    (
        # (moves such as a merge raise the version without a new text)
        "revisions run 1..n without gaps, and idea.version is at least n",
        "SELECT COUNT(*) FROM idea i WHERE version < "
        "(SELECT MAX(number) FROM idea_revision r WHERE r.idea = i.id) OR "
        "(SELECT COUNT(*) FROM idea_revision r WHERE r.idea = i.id) <> "
        "(SELECT MAX(number) FROM idea_revision r WHERE r.idea = i.id)",
    ),
    (
        "every author of an idea follows it",
        "SELECT COUNT(*) FROM authorship a WHERE NOT EXISTS "
        '(SELECT 1 FROM idea_follow f WHERE f.idea = a.idea AND f."user" = a."user")',
    ),
    (
        "exactly one first author per idea, and it is idea.author",
        "SELECT COUNT(*) FROM idea i WHERE 1 <> "
        "(SELECT COUNT(*) FROM authorship a WHERE a.idea = i.id AND a.is_first) OR NOT EXISTS "
        '(SELECT 1 FROM authorship a WHERE a.idea = i.id AND a.is_first AND a."user" = i.author)',
    ),
    (
        "a merged idea points at another idea of the same challenge",
        "SELECT COUNT(*) FROM idea i LEFT JOIN idea t ON t.id = i.merged_into "
        "WHERE i.merged_into IS NOT NULL AND (t.challenge <> i.challenge OR t.id = i.id)",
    ),
    (
        "no idea in a draft challenge",
        "SELECT COUNT(*) FROM idea i JOIN challenge c ON c.id = i.challenge "
        "WHERE c.state = 'draft'",
    ),
)
SAMPLE = 300


def markdown_problems(writer: Writer) -> list[str]:
    """Stored HTML that differs from what render_markdown makes of the stored Markdown."""
    from portal.markdown import render_markdown

    problems = []
    for table, source, html in (("idea", "body", "body_html"), ("comment", "body", "body_html")):
        rows = writer.query(  # names from the tuple above, not from input
            f"SELECT id, {source}, {html} FROM {table} WHERE {source} <> '' "  # noqa: S608
            f"ORDER BY id DESC LIMIT {SAMPLE}"
        )
        bad = [row[0] for row in rows if str(render_markdown(row[1])) != row[2]]
        if bad:
            problems.append(f"{table}.{html} differs from render_markdown({source}): ids {bad[:5]}")
    return problems


def check(writer: Writer) -> list[str]:
    """Every problem found, as sentences."""
    problems = []
    for rule, sql in CHECKS:
        broken = int(writer.query(sql)[0][0])
        if broken:
            problems.append(f"{broken} rows break: {rule}")
    if writer.kind == "sqlite":
        dangling = writer.query("PRAGMA foreign_key_check")
        if dangling:
            problems.append(f"{len(dangling)} foreign keys point nowhere: {dangling[:3]}")
    return problems + markdown_problems(writer)


def main(argv: list[str] | None = None) -> int:
    """Run the checks against the configured database."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale.check", description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("VONK_DATA_DIR", "var"))
    )
    parser.add_argument("--database-url", default=os.environ.get("VONK_DATABASE_URL") or None)
    args = parser.parse_args(argv)
    writer = open_writer(args.data_dir, args.database_url)
    try:
        problems = check(writer)
    finally:
        writer.close()
    for problem in problems:
        print(problem)
    print("consistent" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
