"""Benchmark Vonk pages against a bare Litestar + Jinja2 page served the same way, in one run.

Page scenarios (home, challenge, idea) run on a small database: the demo company plus the
benchmark records of ``bench.seed``. Search scenarios run on a database at DESIGN.md's
scale (``bench.scale``), indexed with ``vonk reindex`` (timed), and end with a test of how
soon a new idea is found. ``--scale-db`` runs the page scenarios on the scale database too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
from dataclasses import dataclass, replace
from http.cookies import SimpleCookie
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote_plus

import httpx

from bench import indexing, loadgen, report
from bench.scale import SPECIFIC_QUERY, seed_database
from bench.servers import BenchError, Server, free_port, run_command

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SESSION_COOKIE = "vonk_session"
DEMO_LOGIN = {"email": "alice.jansen@example.com", "password": "spark-demo-2026"}
FALLBACK_USER_NAME = "Alice"
READY_TIMEOUT_S = 120.0
DRAIN_TIMEOUT_S = 600.0
ONE_CLIENT_REQUESTS = 50  # the one-client pass: this many requests, one after another,
ONE_CLIENT_MAX_S = 120.0  # or fewer when they take longer than this in all
SETUP_TIMEOUT_S = 300.0
PAGES_FILE = "bench-pages.json"  # what bench.seed made in a scale data dir, for reuse
SMALL, SCALE = "small", "scale"


@dataclass(frozen=True)
class Scenario:
    """One page to load: a name for the report, its path, and how to ask for and check it."""

    name: str
    path: str
    needs_login: bool
    database: str = SMALL  # SMALL: demo + bench.seed; SCALE: DESIGN.md's scale
    htmx: bool = False  # an htmx partial: sent with HX-Request, no page chrome to check
    one_client: bool = False  # also measured with a single connection (latency alone)


# Served by bench.bare_app; every Vonk scenario's throughput is divided by this one's.
BASELINE = Scenario("bare", "/", needs_login=False)

# Paths in braces are filled from what bench.seed and bench.scale report (URL-encoded).
SCENARIOS: list[Scenario] = [
    Scenario("home", "/", needs_login=True),
    Scenario("challenge", "{challenge}", needs_login=True),
    Scenario("idea", "{idea}", needs_login=True),
    Scenario("search", "/search?q={common_en}", True, SCALE, one_client=True),
    Scenario("search-filter", "/search?q={common_en}&type=idea&stage=declined", True, SCALE),
    Scenario("search-nl", "/search?q={common_nl}", True, SCALE),
    Scenario("search-specific", "/search?q={specific_en}", True, SCALE, one_client=True),
    Scenario(
        "similar",
        "/search/similar?title={similar_title}&summary={similar_summary}",
        True,
        SCALE,
        htmx=True,
        one_client=True,
    ),
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    names = [s.name for s in SCENARIOS]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--connections", type=int, default=8, help="concurrent keep-alive clients")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=names,
        metavar="NAME",
        help=f"run only this scenario (repeatable): {', '.join(names)}",
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL for the app instead of SQLite (one database: implies --scale-db "
        "when search scenarios run)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size of the scale database as a fraction of DESIGN.md's (e.g. 0.1 for a quick run)",
    )
    parser.add_argument(
        "--scale-dir",
        type=Path,
        help="keep the scale database here and reuse it on later runs (default: a temp dir)",
    )
    parser.add_argument(
        "--scale-db",
        action="store_true",
        help="run the page scenarios on the scale database too",
    )
    parser.add_argument(
        "--skip-reindex",
        action="store_true",
        help="with --scale-dir: serve the index built by an earlier run instead of rebuilding "
        "(no reindex figures)",
    )
    parser.add_argument(
        "--write-trials",
        type=int,
        default=5,
        help="ideas submitted to time write-to-searchable (0 skips it)",
    )
    parser.add_argument(
        "--tool",
        choices=("auto", "wrk", "asyncio"),
        default="auto",
        help="load generator (auto: wrk when on PATH)",
    )
    parser.add_argument(
        "--bare-only",
        action="store_true",
        help="measure only the bare page (checks the load generator)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600 or not 0 <= args.warmup <= 60:
        parser.error("--duration must be 1..600 s and --warmup 0..60 s")
    if not 1 <= args.connections <= 256:
        parser.error("--connections must be 1..256")
    if not 0 < args.scale <= 4:
        parser.error("--scale must be in (0, 4]")
    if args.skip_reindex and not args.scale_dir:
        parser.error("--skip-reindex needs --scale-dir (an index from an earlier run)")
    if not 0 <= args.write_trials <= 100:
        parser.error("--write-trials must be 0..100")
    return args


def venv_bin(name: str) -> str:
    """A program from the project's virtualenv, falling back to PATH."""
    candidate = ROOT / ".venv" / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} not found in {candidate.parent} or on PATH")
    return found


def app_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """Environment for the vonk commands: a fresh data dir, SQLite unless a URL is given."""
    env = dict(os.environ, VONK_DATA_DIR=str(data_dir))
    for name in ("VONK_DATABASE_URL", "VONK_SEARCH_DIR", "VONK_INDEXER"):
        env.pop(name, None)
    if database_url:
        env["VONK_DATABASE_URL"] = database_url
    return env


def user_name_from(payload: Any) -> str:
    """The signed-in user's display name from the login answer, if it carries one."""
    candidates = [payload, payload.get("user")] if isinstance(payload, dict) else []
    for obj in candidates:
        if isinstance(obj, dict):
            for key in ("name", "display_name", "full_name"):
                if isinstance(obj.get(key), str) and obj[key].strip():
                    return str(obj[key]).strip()
    return FALLBACK_USER_NAME


def login(port: int) -> tuple[str, str]:
    """Sign in as the demo user; return the session cookie header value and the user's name."""
    url = f"http://{loadgen.LOOPBACK}:{port}/api/v1/auth/login"
    response = httpx.post(url, json=DEMO_LOGIN, timeout=30.0)
    if response.status_code != 200:
        raise BenchError(f"login answered {response.status_code}: {response.text[:500]}")
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    if SESSION_COOKIE not in jar:
        raise BenchError(f"login set no {SESSION_COOKIE} cookie: {response.headers}")
    try:
        payload = response.json()
    except ValueError:
        payload = None
    return f"{SESSION_COOKIE}={jar[SESSION_COOKIE].coded_value}", user_name_from(payload)


def verify(port: int, scenario: Scenario, headers: dict[str, str], user_name: str | None) -> None:
    """Fail unless the page answers 200 with HTML (naming the user when signed in) and, for
    search scenarios, finds something."""
    url = f"http://{loadgen.LOOPBACK}:{port}{scenario.path}"
    response = httpx.get(url, headers=headers, timeout=30.0, follow_redirects=False)
    problem = None
    if response.status_code != 200:
        location = response.headers.get("location")
        problem = f"answered {response.status_code}" + (f" to {location}" if location else "")
    elif "html" not in response.headers.get("content-type", ""):
        problem = f"is not HTML ({response.headers.get('content-type')})"
    elif user_name and not scenario.htmx and user_name not in response.text:
        problem = f"does not mention the signed-in user {user_name!r}"
    elif scenario.htmx and "/ideas/" not in response.text:
        problem = "lists no similar idea"
    elif scenario.path.startswith("/search?"):
        api = httpx.get(
            f"http://{loadgen.LOOPBACK}:{port}/api/v1{scenario.path}", headers=headers, timeout=30.0
        )
        if api.status_code != 200 or not api.json().get("total"):
            problem = f"finds nothing (/api/v1 answered {api.status_code}: {api.text[:300]})"
    if problem:
        raise BenchError(
            f"{scenario.name} ({url}) {problem}; refusing to benchmark it:\n{response.text[:1000]}"
        )


def measure(
    args: argparse.Namespace,
    tool: str,
    server: Server,
    scenario: Scenario,
    headers: dict[str, str],
    one_client: bool = False,
) -> report.Row:
    """Load one page (or, `one_client`, time requests one by one), then read the memory."""
    connections = 1 if one_client else args.connections
    label = f"{scenario.name}@1" if one_client else scenario.name
    print(f"  {label}: {server.name} {scenario.path[:90]} ...", flush=True)
    if one_client:  # latency alone: a fixed number of requests, one after another
        result = loadgen.run_sequential(
            server.port, scenario.path, headers, ONE_CLIENT_REQUESTS, ONE_CLIENT_MAX_S
        )
    else:
        result = loadgen.run_load(
            tool, server.port, scenario.path, headers, connections, args.duration, args.warmup
        )
    memory = server.memory()
    statuses, errors = dict(result.statuses), result.errors
    if result.requests == 0:  # every answer took longer than the run (or wrk's timeout)
        statuses["none_completed"] = 1
        errors = max(errors, 1)
    return report.Row(
        scenario=label,
        server=server.name,
        path=scenario.path,
        needs_login=scenario.needs_login,
        requests=result.requests,
        rps=result.rps,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        ratio_to_bare=None,
        errors=errors,
        statuses=statuses,
        rss_mb=memory["VmRSS"],
        peak_rss_mb=memory["VmHWM"],
        connections=connections,
        anon_mb=memory["RssAnon"],
    )


def drain(server: Server, scenario: Scenario, headers: dict[str, str]) -> None:
    """Wait until the server answers the page afresh, so requests the load generator gave
    up on (the app still works through them) do not slow down the next measurement."""
    url = f"http://{loadgen.LOOPBACK}:{server.port}{scenario.path}"
    try:
        httpx.get(url, headers=headers, timeout=DRAIN_TIMEOUT_S)
    except httpx.HTTPError as exc:
        raise BenchError(
            f"{server.name} did not answer {url} within {DRAIN_TIMEOUT_S:.0f} s"
        ) from exc


def choose_tool(requested: str) -> str:
    """Resolve --tool auto to wrk when installed, else the built-in generator."""
    if requested == "wrk" and loadgen.wrk_path() is None:
        raise BenchError("--tool wrk asked for, but wrk is not on PATH")
    if requested == "auto":
        return "wrk" if loadgen.wrk_path() else "asyncio"
    return requested


def bare_server(tmp: Path) -> Server:
    """The baseline page, served by uvicorn with one worker like `vonk run`."""
    port = free_port()
    uvicorn = [venv_bin("python"), "-m", "uvicorn", "bench.bare_app:app", "--workers", "1"]
    options = ["--no-access-log", "--log-level", "warning"]
    cmd = [*uvicorn, *options, "--host", loadgen.LOOPBACK, "--port", str(port)]
    return Server("bare", cmd, port, BASELINE.path, dict(os.environ), ROOT, tmp)


def prepare_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate, create the demo company and the benchmark records; their page paths."""
    vonk = venv_bin("vonk")
    run_command([vonk, "migrate"], env, ROOT, SETUP_TIMEOUT_S)
    run_command([vonk, "seed-demo"], env, ROOT, SETUP_TIMEOUT_S)
    seeded = run_command([venv_bin("python"), "-m", "bench.seed"], env, ROOT, SETUP_TIMEOUT_S)
    pages: dict[str, str] = json.loads(seeded.strip().splitlines()[-1])
    return pages


def app_server(name: str, data_dir: Path, env: dict[str, str], log_dir: Path) -> Server:
    """A Vonk app on a prepared database, ready to start."""
    port = free_port()
    cmd = [venv_bin("vonk"), "run", "--host", loadgen.LOOPBACK, "--port", str(port)]
    return Server(name, cmd, port, "/healthz", env, ROOT, log_dir)


def small_server(tmp: Path, database_url: str | None) -> tuple[Server, dict[str, str]]:
    """A freshly migrated and seeded Vonk app, ready to start, and the benchmark's pages."""
    data_dir = tmp / "data"
    data_dir.mkdir()
    env = app_env(data_dir, database_url)
    kind = "PostgreSQL" if database_url else "SQLite"
    print(f"Preparing the small app database ({kind})...", flush=True)
    pages = prepare_database(env)
    return app_server("vonk", data_dir, env, tmp), pages


def scale_server(
    args: argparse.Namespace, tmp: Path
) -> tuple[Server, dict[str, str], dict[str, Any]]:
    """The app on a database at DESIGN.md's scale, freshly indexed; its pages; what it took."""
    data_dir = args.scale_dir or tmp / "scale"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = app_env(data_dir, args.database_url)
    pages_file = data_dir / PAGES_FILE
    kind = "PostgreSQL" if args.database_url else "SQLite"
    if pages_file.exists():
        print(f"Reusing the scale database in {data_dir} ({kind})...", flush=True)
        pages = json.loads(pages_file.read_text())
    else:
        print(f"Preparing the scale database ({kind}, scale {args.scale:g})...", flush=True)
        pages = prepare_database(env)
    summary = seed_database(
        data_dir=data_dir, database_url=args.database_url, scale=args.scale, prepare=False
    )
    pages_file.write_text(json.dumps(pages))
    if summary.get("reused"):
        print(f"  seeded before: {summary['seconds']['total']} s, {summary['size_mb']} MB")
    else:
        print(f"  seeded in {summary['seconds']['total']} s, {summary['size_mb']} MB", flush=True)
    rebuilt = None
    if not args.skip_reindex:
        print("Rebuilding the search index (vonk reindex)...", flush=True)
        rebuilt = indexing.reindex(venv_bin("vonk"), env, ROOT, tmp)
        print(
            f"  {rebuilt.documents:,} documents in {rebuilt.wall_s:.1f} s, "
            f"index {rebuilt.index_mb:.0f} MB",
            flush=True,
        )
    elif indexing.live_index_dir(data_dir / "search") is None:
        raise BenchError(f"--skip-reindex, but {data_dir / 'search'} holds no index yet")
    filled = pages | {key: quote_plus(value) for key, value in summary["queries"].items()}
    facts = {"seed": summary, "reindex": rebuilt, "challenge_slug": pages["challenge"]}
    return app_server("vonk-scale", data_dir, env, tmp), filled, facts


def plan(args: argparse.Namespace) -> list[Scenario]:
    """The selected scenarios, each on the database it runs on."""
    selected = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    if args.bare_only:
        return []
    databases = {s.database for s in selected}
    if args.database_url and databases == {SMALL, SCALE} and not args.scale_db:
        print("One PostgreSQL database: the page scenarios run on the scale database too.")
        args.scale_db = True
    if args.scale_db:
        selected = [replace(s, database=SCALE) for s in selected]
    return selected


def bench(args: argparse.Namespace, tmp: Path, servers: list[Server]) -> list[report.Row]:
    """Set up, start the servers, verify every page, then load each one in turn."""
    tool = choose_tool(args.tool)
    scenarios = plan(args)
    servers.append(bare_server(tmp))
    by_database: dict[str, Server] = {}
    facts: dict[str, Any] = {}
    if any(s.database == SMALL for s in scenarios):
        server, pages = small_server(tmp, args.database_url)
        by_database[SMALL] = server
        scenarios = [
            replace(s, path=s.path.format(**pages)) if s.database == SMALL else s for s in scenarios
        ]
    if any(s.database == SCALE for s in scenarios):
        server, pages, facts = scale_server(args, tmp)
        # A database seeded by an older bench lacks queries added since.
        pages.setdefault("specific_en", quote_plus(SPECIFIC_QUERY))
        by_database[SCALE] = server
        scenarios = [
            replace(s, path=s.path.format(**pages)) if s.database == SCALE else s for s in scenarios
        ]
    servers.extend(by_database.values())
    for server in servers:
        server.start()
    for server in servers:
        server.wait_ready(READY_TIMEOUT_S)

    plain = {"Accept": "text/html"}
    sessions: dict[str, tuple[dict[str, str], str | None]] = {}
    for database, server in by_database.items():
        cookie, signed_in = login(server.port)
        sessions[database] = (plain | {"Cookie": cookie}, signed_in)
        print(f"Signed in to {server.name} as {signed_in}", flush=True)
    jobs: list[tuple[Server, Scenario, dict[str, str], str | None]] = [
        (servers[0], BASELINE, plain, None)
    ]
    for s in scenarios:
        headers, user_name = sessions[s.database] if s.needs_login else (plain, None)
        if s.htmx:
            headers = headers | {"HX-Request": "true"}
        jobs.append((by_database[s.database], s, headers, user_name))
    for server, scenario, headers, name in jobs:
        verify(server.port, scenario, headers, name)

    print(
        f"Load: {tool}, {args.connections} connections, {args.duration:g} s per page "
        f"after {args.warmup:g} s warm-up",
        flush=True,
    )
    rows = []
    for server, scenario, headers, _ in jobs:
        if scenario.one_client:
            rows.append(measure(args, tool, server, scenario, headers, one_client=True))
            drain(server, scenario, headers)
        rows.append(measure(args, tool, server, scenario, headers))
        drain(server, scenario, headers)
    for row in rows:
        row.ratio_to_bare = row.rps / rows[0].rps if rows[0].rps else None

    print()
    report.print_table(rows)
    written = report.write_results(RESULTS_DIR, args, tool, rows)
    if SCALE in by_database:
        search = search_facts(args, by_database[SCALE], facts)
        print()
        report.print_search(search, rows)
        written = report.write_results(RESULTS_DIR, args, tool, rows, search)
    print(f"\nWritten to {written.relative_to(ROOT)}")
    return rows


def search_facts(args: argparse.Namespace, server: Server, facts: dict[str, Any]) -> dict[str, Any]:
    """The scale database's seeding and reindex figures, plus write-to-searchable delays."""
    delays: list[float] = []
    problem = None
    if args.write_trials:
        print(f"\nWrite to searchable: {args.write_trials} ideas ...", flush=True)
        slug = facts["challenge_slug"].rsplit("/", 1)[-1]
        try:
            delays = indexing.searchable_after_write(
                server.port, DEMO_LOGIN, slug, args.write_trials
            )
        except (BenchError, httpx.HTTPError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            print(f"  failed: {problem}", file=sys.stderr, flush=True)
    memory = server.memory()
    seed = facts["seed"]
    rebuilt: indexing.Reindex | None = facts["reindex"]
    return {
        "scale": seed["scale"],
        "counts": seed["counts"],
        "seed_seconds": seed["seconds"]["total"],
        "seed_reused": seed.get("reused", False),
        "database_mb": seed["size_mb"],
        "reindex_s": round(rebuilt.wall_s, 1) if rebuilt else None,
        "reindex_reported_s": rebuilt.reported_s if rebuilt else None,
        "reindex_documents": rebuilt.documents if rebuilt else None,
        "reindex_peak_rss_mb": round(rebuilt.peak_rss_mb) if rebuilt else None,
        "index_mb": round(rebuilt.index_mb, 1) if rebuilt else None,
        "write_searchable_s": [round(d, 3) for d in delays],
        "write_searchable_median_s": round(statistics.median(delays), 3) if delays else None,
        "write_searchable_max_s": round(max(delays), 3) if delays else None,
        "write_searchable_error": problem,
        "app_rss_mb": round(memory["VmRSS"]),
        "app_peak_rss_mb": round(memory["VmHWM"]),
        "app_anon_mb": round(memory["RssAnon"]),
        "app_file_mb": round(memory["RssFile"]),
        "queries": seed["queries"],
    }


def _terminate(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into SystemExit so the servers and temp dir are cleaned up."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the process exit code."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    tmp = Path(tempfile.mkdtemp(prefix="vonk-bench-"))
    servers: list[Server] = []
    try:
        rows = bench(args, tmp, servers)
    except BenchError as exc:
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    failed = [r for r in rows if r.errors]
    for r in failed:
        print(f"{r.scenario}: {r.errors} failed requests {r.statuses}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
