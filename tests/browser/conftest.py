"""Browser fixtures: the system Chromium driven by Playwright (sync API), and the Komet app on a real socket."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from simkit.server import ServerThread

CHROMIUM = os.environ.get("KASIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless system Chromium for the session (`playwright install` cannot download here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install the Debian package `chromium` (or set KASIM_CHROMIUM), "
            "or deselect these tests with -m 'not browser'"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def komet_server(komet_app) -> Iterator[ServerThread]:
    """The seeded Komet app served on 127.0.0.1, port 0."""
    server = ServerThread(komet_app).start()
    try:
        yield server
    finally:
        server.stop()


def _context(chromium: Browser, server: ServerThread, **options) -> BrowserContext:
    context = chromium.new_context(base_url=server.url, **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def portal_page(chromium: Browser, komet_server: ServerThread) -> Iterator[Page]:
    """A fresh page (own cookies) that may use the clipboard, as the Copy button needs."""
    context = _context(chromium, komet_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=komet_server.url)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def no_js_page(chromium: Browser, komet_server: ServerThread) -> Iterator[Page]:
    """A page with JavaScript off: every form must still work."""
    context = _context(chromium, komet_server, java_script_enabled=False)
    try:
        yield context.new_page()
    finally:
        context.close()
