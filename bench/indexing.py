"""Search measurements that are not page loads: a full reindex, and how soon a write is found.

The reindex runs ``vonk reindex`` (the operator's command) on the seeded database before the
app starts, timed from outside; the index size is what the new live directory holds on
disk. The write test submits an idea through the JSON API as a signed-in user and polls
``/search`` for a word only that idea contains, from the moment the submit answered (the
write is committed) until the results page links to the idea.
"""

from __future__ import annotations

import os
import random
import re
import string
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.loadgen import LOOPBACK
from bench.servers import BenchError

REINDEX_TIMEOUT_S = 3_600.0
POLL_INTERVAL_S = 0.02
SEARCHABLE_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 120.0
_INDEXED = re.compile(r"Indexed ([\d,]+) documents in ([\d.]+) s; index size ([\d.]+) MB")


@dataclass
class Reindex:
    """A timed full rebuild of the search index."""

    wall_s: float  # the command from start to exit, process start-up included
    reported_s: float  # what the command says the rebuild itself took
    documents: int
    index_mb: float  # the live index directory after the rebuild
    peak_rss_mb: float  # the largest process of the rebuild (it may fork workers)


def live_index_dir(search_dir: Path) -> Path | None:
    """The directory ``CURRENT`` names, if any."""
    try:
        name = (search_dir / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None
    return search_dir / name if name else None


def directory_mb(path: Path) -> float:
    """Megabytes of the files under `path`."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def reindex(vonk: str, env: dict[str, str], cwd: Path, log_dir: Path) -> Reindex:
    """Run ``vonk reindex`` to completion and measure it."""
    out_path, err_path = log_dir / "reindex.stdout.log", log_dir / "reindex.stderr.log"
    started = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(
            [vonk, "reindex"], env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        deadline = started + REINDEX_TIMEOUT_S
        while True:  # os.wait4 reports the child's peak memory, which subprocess does not
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                raise BenchError(f"vonk reindex did not finish within {REINDEX_TIMEOUT_S:.0f} s")
            time.sleep(0.1)
    wall = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = out_path.read_text(errors="replace")
    if proc.returncode != 0:
        tail = err_path.read_text(errors="replace")[-3000:]
        raise BenchError(f"vonk reindex exited with {proc.returncode}\n{output[-2000:]}\n{tail}")
    match = _INDEXED.search(output)
    search_dir = Path(env.get("VONK_SEARCH_DIR") or Path(env["VONK_DATA_DIR"]) / "search")
    live = live_index_dir(search_dir)
    return Reindex(
        wall_s=wall,
        reported_s=float(match.group(2)) if match else wall,
        documents=int(match.group(1).replace(",", "")) if match else 0,
        index_mb=directory_mb(live) if live else 0.0,
        peak_rss_mb=usage.ru_maxrss / 1024,
    )


def unique_word(rng: random.Random) -> str:
    """A made-up word no seeded text contains (letters only, so every analyzer keeps it)."""
    return "vonkbench" + "".join(rng.choice(string.ascii_lowercase) for _ in range(8))


def searchable_after_write(
    port: int, login: dict[str, str], challenge_slug: str, trials: int
) -> list[float]:
    """Seconds from a committed idea submission until ``/search`` lists the idea, per trial."""
    rng = random.Random()
    base = f"http://{LOOPBACK}:{port}"
    delays = []
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
        response = client.post("/api/v1/auth/login", json=login)
        if response.status_code != 200:
            raise BenchError(f"login answered {response.status_code}: {response.text[:300]}")
        token = response.json().get("csrf_token", "")
        # Searches queued by the load runs before this one are answered first: wait them out,
        # so the trials time indexing, not that backlog.
        client.get("/search", params={"q": unique_word(rng)}, headers={"Accept": "text/html"})
        for _ in range(trials):
            word = unique_word(rng)
            response = client.post(
                f"/api/v1/challenges/{challenge_slug}/ideas",
                json={
                    "title": f"Benchmark write {word}",
                    "summary": f"An idea submitted by the benchmark to time indexing ({word}).",
                    "body": "Submitted by the benchmark: how soon can search find it?",
                    "tags": ["benchmark"],
                    "submit_key": f"bench-{word}",
                },
                headers={"X-CSRFToken": token, "Accept": "application/json"},
            )
            if response.status_code not in (200, 201):
                raise BenchError(
                    f"submitting an idea answered {response.status_code}: {response.text[:500]}"
                )
            written = time.monotonic()
            link = f"/ideas/{response.json()['id']}"
            while True:
                page = client.get("/search", params={"q": word}, headers={"Accept": "text/html"})
                if page.status_code == 200 and link in page.text:
                    delays.append(time.monotonic() - written)
                    break
                if time.monotonic() - written > SEARCHABLE_TIMEOUT_S:
                    raise BenchError(
                        f"idea {link} not found by /search?q={word} within "
                        f"{SEARCHABLE_TIMEOUT_S:.0f} s (last answer {page.status_code})"
                    )
                time.sleep(POLL_INTERVAL_S)
    return delays
