"""Browser journeys: the real app in a subprocess, driven by Playwright in the system Chromium.

Chromium comes from the system (``/usr/bin/chromium``, or ``VONK_CHROMIUM``); Playwright never
downloads a browser. Without it these tests are skipped, unless ``VONK_REQUIRE_BROWSER=1``
(set in CI), which turns the skip into a failure. The tests are plain sync functions: the
Playwright sync API cannot run inside an asyncio loop.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("VONK_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("VONK_REQUIRE_BROWSER", "") == "1"
# The network is closed: without these Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_SECONDS = 60
SERVER_STOP_SECONDS = 15
COMMAND_SECONDS = 120
DEFAULT_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Account:
    """A person the server was seeded with."""

    email: str
    name: str
    department: str
    password: str
    role: str = "employee"


# Created with `vonk createuser` before the server starts; their departments are the ones
# the registration form offers.
ACCOUNTS = {
    "kees": Account("kees.keyboard@example.com", "Kees Keyboard", "Research", "toets-Bord-2026"),
    "sara": Account("sara.screens@example.com", "Sara Screens", "Finance", "scherm-Foto-2026"),
    "lotte": Account("lotte.lang@example.com", "Lotte Lang", "Research", "lange-Woorden-2026"),
    "mira": Account(
        "mira.manager@example.com", "Mira Manager", "Finance", "budget-Plan-2026", "manager"
    ),
    "rob": Account(
        "rob.reviewer@example.com", "Rob Reviewer", "Finance", "score-Card-2026", "reviewer"
    ),
    "ria": Account(
        "ria.reviewer@example.com", "Ria Reviewer", "Research", "weigh-Ideas-2026", "reviewer"
    ),
}


@dataclass
class LiveServer:
    """The running app: where it answers and who can sign in."""

    base_url: str
    data_dir: Path
    accounts: dict[str, Account]
    process: subprocess.Popen[bytes]
    stderr_path: Path

    def stderr(self) -> str:
        """What the server wrote to standard error so far."""
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser journeys last, after the faster suites."""
    # Also a guard: while Playwright's sync API is open its event loop counts as running in
    # this thread, so asyncio.run() in the database fixtures fails in any test run meanwhile.
    # The browser fixtures are package-scoped for the same reason (closed on leaving here).
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items:
        others = [item for item in items if not item.get_closest_marker("browser")]
        items[:] = others + browser_items


def _fail_or_skip(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (VONK_REQUIRE_BROWSER=1, so this is a failure)", pytrace=False)
    pytest.skip(f"{reason}; set VONK_REQUIRE_BROWSER=1 to make this a failure")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium, or a skip (a failure when VONK_REQUIRE_BROWSER=1)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _fail_or_skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        _fail_or_skip(f"the playwright package is not installed ({exc})")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _vonk_executable() -> str:
    beside_python = Path(sys.executable).parent / "vonk"
    if beside_python.exists():
        return str(beside_python)
    return str(REPO / ".venv" / "bin" / "vonk")


def _server_env(data_dir: Path, base_url: str) -> dict[str, str]:
    # The root conftest set VONK_* for in-process tests (test mode, its own data dir): the
    # subprocess gets a clean development configuration of its own instead.
    env = {key: value for key, value in os.environ.items() if not key.startswith("VONK_")}
    env.update(
        {
            "VONK_ENV": "development",
            "VONK_DATA_DIR": str(data_dir),
            "VONK_BASE_URL": base_url,
            "VONK_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "VONK_LOG_LEVEL": "warning",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _vonk(env: dict[str, str], *args: str, stdin: str = "") -> None:
    result = subprocess.run(
        [_vonk_executable(), *args],
        input=stdin.encode(),
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`vonk {' '.join(args)}` exited {result.returncode}:\n"
            f"{result.stdout.decode(errors='replace')}\n{result.stderr.decode(errors='replace')}",
            pytrace=False,
        )


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and json.load(response).get("status") == "ok"
    except (OSError, ValueError, urllib.error.URLError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SERVER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=SERVER_STOP_SECONDS)


@pytest.fixture(scope="package")
def live_server(chromium_path: str) -> Iterator[LiveServer]:
    """``vonk run --no-demo`` on a temp SQLite database with ACCOUNTS, for all browser tests."""
    root = Path(tempfile.mkdtemp(prefix="vonk-browser-"))
    data_dir = root / "data"
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _server_env(data_dir, base_url)

    _vonk(env, "migrate")
    for account in ACCOUNTS.values():
        _vonk(
            env,
            "createuser",
            account.email,
            "--role",
            account.role,
            "--name",
            account.name,
            "--department",
            account.department,
            "--password-stdin",
            stdin=account.password + "\n",
        )

    stdout_path, stderr_path = root / "server.out", root / "server.err"
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(
            [
                _vonk_executable(),
                "run",
                "--no-demo",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    server = LiveServer(base_url, data_dir, dict(ACCOUNTS), process, stderr_path)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(f"{base_url}/healthz"):
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the server did not answer /healthz within {SERVER_START_SECONDS}s; "
                    f"its stderr:\n{server.stderr()}",
                    pytrace=False,
                )
            try:
                # Waiting on the process doubles as the poll interval and catches an early exit.
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(
                f"the server exited with code {process.returncode} before it was ready; "
                f"its stderr:\n{server.stderr()}",
                pytrace=False,
            )
        yield server
    finally:
        _stop(process)
        errors = server.stderr()
        if "Traceback" in errors:
            # Keep server-side exceptions visible even when the pages looked fine.
            print(f"\n--- vonk server stderr ---\n{errors}", file=sys.stderr)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless system Chromium for all the browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS, timeout=60_000
            )
        except Exception as exc:
            _fail_or_skip(f"Chromium at {chromium_path} did not start: {exc}")
        yield instance
        instance.close()


@dataclass
class Console:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.errors.append(f"console.error at {location.get('url', '?')}: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught exception: {error}")

    def assert_clean(self, where: str = "") -> None:
        """Fail when the browser reported any error (CSP violations are console errors)."""
        assert not self.errors, f"browser console errors{' on ' + where if where else ''}:\n" + (
            "\n".join(self.errors)
        )


@pytest.fixture
def console() -> Console:
    """The console log of this test's page."""
    return Console()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the item, so ``page`` can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Any, live_server: LiveServer, console: Console
) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page, in English, 1280 px wide."""
    context = browser.new_context(
        base_url=live_server.base_url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    try:
        yield page
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            # What the browser showed when the test failed, for the CI artefacts.
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
            page.screenshot(path=str(SCREENSHOTS / f"FAILED-{name}.png"), full_page=True)
    finally:
        context.close()
    console.assert_clean("this test's pages")


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where screenshots go: test-artifacts/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
