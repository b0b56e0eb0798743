"""Helpers for the tests that use a real browser: Debian's Chromium driven by Playwright, and a live
`gidraft serve` app on a free loopback port.  Playwright never downloads a browser here: it launches the
system Chromium (``/usr/bin/chromium``, Debian package ``chromium``); without it the tests are skipped."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    binary = chromium_path()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); browser tests need it")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=binary, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh page (own cookies and storage) that records console errors and CSP violations."""
    context = browser.new_context(viewport={"width": 1300, "height": 950}, accept_downloads=True)
    opened = context.new_page()
    opened.errors = []
    opened.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    context.close()


def screenshot(page, name: str, **options) -> Path:
    path = ARTIFACTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if options.get("full_page"):
        page.evaluate("() => window.scrollTo(0, 0)")  # a sticky header stays at the top of a full-page picture
    page.screenshot(path=str(path), **options)
    return path


class LiveServer:
    """`gidraft serve`'s app under uvicorn in a thread, on a port the system picked."""

    def __init__(self, data: Path) -> None:
        import uvicorn

        from gidraft.serve.app import create_app

        self.data = data
        self.app = create_app(data)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    @property
    def bench(self):
        return self.app.state.bench

    def upload(self, *paths: Path, names: list[str] | None = None) -> list[dict]:
        import httpx2 as httpx

        files = [("files", (name, Path(path).read_bytes())) for path, name in zip(paths, names or [Path(p).name for p in paths])]
        answer = httpx.post(f"{self.url}/api/reports", files=files, headers={"X-Gidraft": "1"}, timeout=600)
        answer.raise_for_status()
        return answer.json()["files"]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.socket.close()
