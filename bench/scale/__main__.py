"""``python -m bench.scale``: seed a database at DESIGN.md's scale; prints a JSON summary."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bench.scale import DEFAULT_SEED, seed_database


def main(argv: list[str] | None = None) -> int:
    """Parse options, seed, print the summary as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of DESIGN.md's counts")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("VONK_DATA_DIR", "var")),
        help="where the SQLite database lives (default: $VONK_DATA_DIR or ./var)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("VONK_DATABASE_URL") or None,
        help="PostgreSQL URL instead of SQLite (default: $VONK_DATABASE_URL)",
    )
    parser.add_argument(
        "--no-prepare",
        action="store_true",
        help="do not run `vonk migrate` and `vonk seed-demo` first",
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 4:
        parser.error("--scale must be in (0, 4]")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        summary = seed_database(
            data_dir=args.data_dir,
            database_url=args.database_url,
            scale=args.scale,
            seed=args.seed,
            prepare=not args.no_prepare,
        )
    except RuntimeError as exc:
        print(f"bench.scale: {exc}", file=sys.stderr)
        return 1
    if summary.get("reused"):
        print("bench.scale: this database was seeded before; nothing written", file=sys.stderr)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
