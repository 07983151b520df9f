"""Start, watch and stop the server processes under test, and read their memory use."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.loadgen import LOOPBACK

LOG_TAIL_CHARS = 4000
STOP_TIMEOUT_S = 10.0


class BenchError(Exception):
    """A setup step failed; the message says which and why."""


def free_port() -> int:
    """An unused loopback TCP port (the OS picks; the tiny reuse race is acceptable here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def tail(path: Path) -> str:
    """The last few thousand characters of a log file, or a note that it is empty."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no output)"
    return text[-LOG_TAIL_CHARS:] or "(no output)"


def run_command(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float) -> str:
    """Run a setup command to completion; raise with its output if it fails."""
    try:
        proc = subprocess.run(
            cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{' '.join(cmd)} did not finish within {timeout:.0f} s") from exc
    if proc.returncode != 0:
        raise BenchError(
            f"{' '.join(cmd)} exited with {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout[-LOG_TAIL_CHARS:]}\n"
            f"--- stderr ---\n{proc.stderr[-LOG_TAIL_CHARS:]}"
        )
    return proc.stdout


@dataclass
class Server:
    """One server process in its own session, so stopping it also stops its children."""

    name: str
    cmd: list[str]
    port: int
    health_path: str
    env: dict[str, str]
    cwd: Path
    log_dir: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def stdout_path(self) -> Path:
        """File that collects the server's stdout."""
        return self.log_dir / f"{self.name}.stdout.log"

    @property
    def stderr_path(self) -> Path:
        """File that collects the server's stderr."""
        return self.log_dir / f"{self.name}.stderr.log"

    def start(self) -> None:
        """Launch the process with output going to log files."""
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                self.cmd,
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def logs(self) -> str:
        """Tails of the server's stderr and stdout, for error messages."""
        return (
            f"--- {self.name} stderr ---\n{tail(self.stderr_path)}\n"
            f"--- {self.name} stdout ---\n{tail(self.stdout_path)}"
        )

    def wait_ready(self, timeout: float) -> None:
        """Poll the health path until it answers 200; fail if the process dies or time runs out."""
        assert self.proc is not None
        url = f"http://{LOOPBACK}:{self.port}{self.health_path}"
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                code = self.proc.poll()
                if code is not None:
                    raise BenchError(
                        f"{self.name} exited with {code} while starting\n{self.logs()}"
                    )
                try:
                    response = client.get(url)
                except httpx.TransportError as exc:
                    last = f"{type(exc).__name__}: {exc}"
                else:
                    if response.status_code == 200:
                        return
                    last = f"HTTP {response.status_code}: {response.text[:300]}"
                time.sleep(0.1)
        raise BenchError(
            f"{self.name} not ready at {url} after {timeout:.0f} s ({last})\n{self.logs()}"
        )

    def stop(self) -> None:
        """SIGTERM the process group, then SIGKILL it if it has not exited in time."""
        if self.proc is None:
            return
        for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, STOP_TIMEOUT_S)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        if self.proc.poll() is None:
            print(f"warning: {self.name} (pid {self.proc.pid}) did not exit after SIGKILL")

    def memory_mb(self) -> tuple[float, float]:
        """Current and peak resident memory (VmRSS, VmHWM) in MB, summed over its process tree."""
        memory = self.memory()
        return memory["VmRSS"], memory["VmHWM"]

    def memory(self) -> dict[str, float]:
        """VmRSS, VmHWM and the parts of VmRSS (RssAnon: heap; RssFile: mapped files such as
        the search index) in MB, summed over its process tree."""
        assert self.proc is not None
        totals = dict.fromkeys(("VmRSS", "VmHWM", "RssAnon", "RssFile"), 0.0)
        for pid in process_tree(self.proc.pid):
            status = read_status(pid)
            for key in totals:
                totals[key] += status.get(key, 0) / 1024
        return totals


def read_status(pid: int) -> dict[str, int]:
    """The kB-valued fields of /proc/<pid>/status; empty if the process is gone."""
    fields: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return fields
    for line in text.splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB":
            fields[key] = int(parts[0])
    return fields


def process_tree(root: int, limit: int = 64) -> list[int]:
    """`root` and its descendants (at most `limit`), read from /proc/<pid>/task/*/children."""
    found: list[int] = []
    pending = [root]
    while pending and len(found) < limit:
        pid = pending.pop()
        if pid in found:
            continue
        found.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in children.read_text().split())
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found
