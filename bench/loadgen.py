"""Closed-loop HTTP/1.1 load generators: wrk when installed, else a built-in asyncio one."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
# A connection stops at its deadline or after this many requests, whichever comes first.
MAX_REQUESTS_PER_CONNECTION = 5_000_000
IO_TIMEOUT_S = 10.0
MAX_HEADER_LINES = 200
MAX_CHUNKS = 100_000


@dataclass
class LoadResult:
    """Outcome of one measured phase against one URL."""

    requests: int
    elapsed_s: float
    p50_ms: float
    p99_ms: float
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        """Completed requests per second over the measured phase."""
        return self.requests / self.elapsed_s if self.elapsed_s > 0 else 0.0


def percentile(sorted_values: list[int], pct: float) -> int:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def build_request(port: int, path: str, headers: dict[str, str]) -> bytes:
    """Raw keep-alive GET request for the loopback server on `port`."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {LOOPBACK}:{port}", "User-Agent: vonk-bench"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class ConnectionClosed(Exception):
    """The server closed the connection; the response may be complete."""


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one full response; return its status and whether the connection stays usable."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionClosed("connection closed before the status line")
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ValueError(f"bad status line {status_line[:80]!r}")
    status = int(parts[1])
    length: int | None = None
    chunked = False
    keep_alive = True
    for _ in range(MAX_HEADER_LINES):
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value:
            chunked = True
        elif name == b"connection" and value == b"close":
            keep_alive = False
    else:
        raise ValueError("too many response header lines")
    if chunked:
        await read_chunked_body(reader)
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep_alive = False
    return status, keep_alive


async def read_chunked_body(reader: asyncio.StreamReader) -> None:
    """Consume a chunked body including its trailers."""
    for _ in range(MAX_CHUNKS):
        size = int((await reader.readline()).split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            break
        await reader.readexactly(size + 2)
    else:
        raise ValueError("too many chunks")
    for _ in range(MAX_HEADER_LINES):
        if (await reader.readline()) in (b"\r\n", b"\n", b""):
            return
    raise ValueError("too many trailer lines")


class Client:
    """One keep-alive connection that reconnects when the server closes it."""

    def __init__(self, port: int, request: bytes) -> None:
        """Remember the target; connect lazily."""
        self.port = port
        self.request = request
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        """Drop the connection, ignoring errors from an already dead socket."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def once(self) -> int:
        """Send the request and read the full response; return the status."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(LOOPBACK, self.port)
        assert self.reader is not None
        self.writer.write(self.request)
        await self.writer.drain()
        status, keep_alive = await read_response(self.reader)
        if not keep_alive:
            await self.close()
        return status

    async def loop(self, deadline: float, latencies: list[int], statuses: Counter[str]) -> int:
        """Issue requests back to back until `deadline`; return the number of failures."""
        failures = 0
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            if time.perf_counter() >= deadline:
                break
            started = time.perf_counter_ns()
            try:
                async with asyncio.timeout(IO_TIMEOUT_S):
                    status = await self.once()
            except (
                OSError,
                TimeoutError,
                asyncio.IncompleteReadError,
                ConnectionClosed,
                ValueError,
            ) as exc:
                failures += 1
                statuses[type(exc).__name__] += 1
                await self.close()
                await asyncio.sleep(0.01)
                continue
            latencies.append(time.perf_counter_ns() - started)
            statuses[str(status)] += 1
            if status != 200:
                failures += 1
        return failures


async def _run_asyncio(
    port: int, path: str, headers: dict[str, str], connections: int, duration: float, warmup: float
) -> LoadResult:
    """Warm up, then measure `connections` clients for `duration` seconds."""
    request = build_request(port, path, headers)
    clients = [Client(port, request) for _ in range(connections)]
    try:
        deadline = time.perf_counter() + warmup
        await asyncio.gather(*(c.loop(deadline, [], Counter()) for c in clients))
        latencies: list[int] = []
        statuses: Counter[str] = Counter()
        started = time.perf_counter()
        failures = await asyncio.gather(
            *(c.loop(started + duration, latencies, statuses) for c in clients)
        )
        elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(c.close() for c in clients))
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        elapsed_s=elapsed,
        p50_ms=percentile(latencies, 50) / 1e6,
        p99_ms=percentile(latencies, 99) / 1e6,
        errors=sum(failures),
        statuses=dict(statuses),
    )


def run_asyncio(
    port: int, path: str, headers: dict[str, str], connections: int, duration: float, warmup: float
) -> LoadResult:
    """Run the built-in generator on uvloop when available, else the default loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(_run_asyncio(port, path, headers, connections, duration, warmup))
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(_run_asyncio(port, path, headers, connections, duration, warmup))


async def _run_sequential(
    port: int, path: str, headers: dict[str, str], requests: int, max_seconds: float
) -> LoadResult:
    """One connection, one request after another: `requests` of them, or fewer if
    `max_seconds` runs out first (after one unmeasured warm-up request)."""
    client = Client(port, build_request(port, path, headers))
    latencies: list[int] = []
    statuses: Counter[str] = Counter()
    failures = 0
    try:
        async with asyncio.timeout(max_seconds):
            await client.once()
        started = time.perf_counter()
        deadline = started + max_seconds
        while len(latencies) + failures < requests and time.perf_counter() < deadline:
            begun = time.perf_counter_ns()
            try:
                async with asyncio.timeout(max_seconds):
                    status = await client.once()
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ConnectionClosed) as exc:
                failures += 1
                statuses[type(exc).__name__] += 1
                await client.close()
                continue
            latencies.append(time.perf_counter_ns() - begun)
            statuses[str(status)] += 1
            failures += status != 200
        elapsed = time.perf_counter() - started
    finally:
        await client.close()
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        elapsed_s=elapsed,
        p50_ms=percentile(latencies, 50) / 1e6,
        p99_ms=percentile(latencies, 99) / 1e6,
        errors=failures,
        statuses=dict(statuses),
    )


def run_sequential(
    port: int, path: str, headers: dict[str, str], requests: int, max_seconds: float
) -> LoadResult:
    """Latency without concurrency: a single client's requests, timed one by one."""
    return asyncio.run(_run_sequential(port, path, headers, requests, max_seconds))


WRK_SCRIPT = """\
local headers = {HEADERS}
for name, value in pairs(headers) do wrk.headers[name] = value end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"p50_us\\":%d,\\"p99_us\\":%d,"
    .. "\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk_path() -> str | None:
    """The wrk binary on PATH, if any."""
    return shutil.which("wrk")


def lua_string(value: str) -> str:
    """Quote `value` as a Lua string literal."""
    return json.dumps(value)


def _wrk_once(
    wrk: str, script: Path, port: int, path: str, connections: int, seconds: float
) -> dict[str, int]:
    """Run wrk once and return the figures its `done` hook printed."""
    threads = max(1, min(connections, len(os.sched_getaffinity(0))))
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        f"--timeout={int(IO_TIMEOUT_S)}s",
        "-s",
        str(script),
        f"http://{LOOPBACK}:{port}{path}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def run_wrk(
    port: int, path: str, headers: dict[str, str], connections: int, duration: float, warmup: float
) -> LoadResult:
    """Warm up, then measure with wrk; its Lua hook reports exact counts and percentiles."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not on PATH")
    table = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
    with tempfile.TemporaryDirectory(prefix="vonk-bench-wrk-") as tmp:
        script = Path(tmp, "bench.lua")
        script.write_text(WRK_SCRIPT.replace("{HEADERS}", "{" + table + "}"))
        if warmup > 0:
            _wrk_once(wrk, script, port, path, connections, warmup)
        data = _wrk_once(wrk, script, port, path, connections, duration)
    errors = {k: data[k] for k in ("connect", "read", "write", "status", "timeout") if data[k]}
    return LoadResult(
        requests=data["requests"],
        elapsed_s=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1e3,
        p99_ms=data["p99_us"] / 1e3,
        errors=sum(errors.values()),
        statuses=errors,
    )


def run_load(
    tool: str,
    port: int,
    path: str,
    headers: dict[str, str],
    connections: int,
    duration: float,
    warmup: float,
) -> LoadResult:
    """Dispatch to the chosen tool ("wrk" or "asyncio")."""
    runner = run_wrk if tool == "wrk" else run_asyncio
    return runner(port, path, headers, connections, duration, warmup)
