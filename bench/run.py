"""Benchmark Vonk pages against a bare Litestar + Jinja2 page served the same way, in one run."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, replace
from http.cookies import SimpleCookie
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from bench import loadgen, report
from bench.servers import BenchError, Server, free_port, run_command

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SESSION_COOKIE = "vonk_session"
DEMO_LOGIN = {"email": "alice.jansen@example.com", "password": "spark-demo-2026"}
FALLBACK_USER_NAME = "Alice"
READY_TIMEOUT_S = 60.0
SETUP_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Scenario:
    """One page to load: a name for the report, its path, and whether it needs a signed-in user."""

    name: str
    path: str
    needs_login: bool


# Served by bench.bare_app; every Vonk scenario's throughput is divided by this one's.
BASELINE = Scenario("bare", "/", needs_login=False)

# Paths in braces are filled from what bench.seed prints (records made for the benchmark).
SCENARIOS: list[Scenario] = [
    Scenario("home", "/", needs_login=True),
    Scenario("challenge", "{challenge}", needs_login=True),
    Scenario("idea", "{idea}", needs_login=True),
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
    parser.add_argument("--database-url", help="PostgreSQL URL for the app instead of SQLite")
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
    env.pop("VONK_DATABASE_URL", None)
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
    """Fail unless the page answers 200 with HTML (naming the user when signed in)."""
    url = f"http://{loadgen.LOOPBACK}:{port}{scenario.path}"
    response = httpx.get(url, headers=headers, timeout=30.0, follow_redirects=False)
    problem = None
    if response.status_code != 200:
        location = response.headers.get("location")
        problem = f"answered {response.status_code}" + (f" to {location}" if location else "")
    elif "html" not in response.headers.get("content-type", ""):
        problem = f"is not HTML ({response.headers.get('content-type')})"
    elif user_name and user_name not in response.text:
        problem = f"does not mention the signed-in user {user_name!r}"
    if problem:
        raise BenchError(
            f"{scenario.name} ({url}) {problem}; refusing to benchmark it:\n{response.text[:1000]}"
        )


def measure(
    args: argparse.Namespace, tool: str, server: Server, scenario: Scenario, headers: dict[str, str]
) -> report.Row:
    """Load one page, then read the server's memory."""
    print(f"  {scenario.name}: {server.name} {scenario.path} ...", flush=True)
    result = loadgen.run_load(
        tool, server.port, scenario.path, headers, args.connections, args.duration, args.warmup
    )
    rss, peak = server.memory_mb()
    return report.Row(
        scenario=scenario.name,
        server=server.name,
        path=scenario.path,
        needs_login=scenario.needs_login,
        requests=result.requests,
        rps=result.rps,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        ratio_to_bare=None,
        errors=result.errors,
        statuses=result.statuses,
        rss_mb=rss,
        peak_rss_mb=peak,
    )


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


def app_server(tmp: Path, database_url: str | None) -> tuple[Server, dict[str, str]]:
    """A freshly migrated and seeded Vonk app, ready to start, and the benchmark's pages."""
    vonk = venv_bin("vonk")
    data_dir = tmp / "data"
    data_dir.mkdir()
    env = app_env(data_dir, database_url)
    print(
        f"Preparing the app database ({'PostgreSQL' if database_url else 'SQLite'})...",
        flush=True,
    )
    run_command([vonk, "migrate"], env, ROOT, SETUP_TIMEOUT_S)
    run_command([vonk, "seed-demo"], env, ROOT, SETUP_TIMEOUT_S)
    seeded = run_command([venv_bin("python"), "-m", "bench.seed"], env, ROOT, SETUP_TIMEOUT_S)
    pages = json.loads(seeded.strip().splitlines()[-1])
    port = free_port()
    cmd = [vonk, "run", "--host", loadgen.LOOPBACK, "--port", str(port)]
    return Server("vonk", cmd, port, "/healthz", env, ROOT, tmp), pages


def bench(args: argparse.Namespace, tmp: Path, servers: list[Server]) -> list[report.Row]:
    """Set up, start the servers, verify every page, then load each one in turn."""
    tool = choose_tool(args.tool)
    selected = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    scenarios = [] if args.bare_only else selected
    servers.append(bare_server(tmp))
    if scenarios:
        server, pages = app_server(tmp, args.database_url)
        servers.append(server)
        scenarios = [replace(s, path=s.path.format(**pages)) for s in scenarios]
    for server in servers:
        server.start()
    for server in servers:
        server.wait_ready(READY_TIMEOUT_S)
    bare, app = servers[0], servers[-1]

    plain = {"Accept": "text/html"}
    signed_in, user_name = dict(plain), None
    if any(s.needs_login for s in scenarios):
        signed_in["Cookie"], user_name = login(app.port)
        print(f"Signed in as {user_name}", flush=True)
    jobs = [(bare, BASELINE, plain, None)] + [
        (app, s, signed_in, user_name) if s.needs_login else (app, s, plain, None)
        for s in scenarios
    ]
    for server, scenario, headers, name in jobs:
        verify(server.port, scenario, headers, name)

    print(
        f"Load: {tool}, {args.connections} connections, {args.duration:g} s per page "
        f"after {args.warmup:g} s warm-up",
        flush=True,
    )
    rows = [measure(args, tool, server, scenario, headers) for server, scenario, headers, _ in jobs]
    for row in rows:
        row.ratio_to_bare = row.rps / rows[0].rps if rows[0].rps else None
    print()
    report.print_table(rows)
    print(f"\nWritten to {report.write_results(RESULTS_DIR, args, tool, rows).relative_to(ROOT)}")
    return rows


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
