"""The benchmark report: an aligned table on stdout and a JSON file with the run's context."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


@dataclass
class Row:
    """One line of the report."""

    scenario: str
    server: str
    path: str
    needs_login: bool
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    ratio_to_bare: float | None
    errors: int
    statuses: dict[str, int]
    rss_mb: float
    peak_rss_mb: float


def redact(url: str) -> str:
    """The database URL without its password, fit for the results file."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit() -> str | None:
    """The checked-out commit, if there is one."""
    cmd = ["git", "rev-parse", "--short", "HEAD"]
    proc = subprocess.run(
        cmd,
        cwd=Path(__file__).resolve().parent,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return proc.stdout.strip() or None


def print_table(rows: list[Row]) -> None:
    """The report as an aligned text table."""
    header = ("scenario", "req/s", "p50 ms", "p99 ms", "vs bare", "errors", "RSS MB", "peak MB")
    lines = [header]
    for r in rows:
        ratio = "-" if r.ratio_to_bare is None else f"{r.ratio_to_bare:.3f}"
        figures = (f"{r.rps:,.0f}", f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}", ratio, str(r.errors))
        lines.append((r.scenario, *figures, f"{r.rss_mb:.0f}", f"{r.peak_rss_mb:.0f}"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        first, *rest = line
        cells = [first.ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def write_results(results_dir: Path, args: argparse.Namespace, tool: str, rows: list[Row]) -> Path:
    """Save the run as latest.json in `results_dir`."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / "latest.json"
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "tool": tool,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "connections": args.connections,
        "database": redact(args.database_url) if args.database_url else "sqlite",
        "results": [asdict(r) for r in rows],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
