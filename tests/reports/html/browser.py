"""Headless Chromium for the HTML report's tests: the system's own, driven by Playwright.

Chromium is Debian's (`scripts/install-test-deps.sh`); Playwright never
downloads a browser here. It is started with every background service off, so
the only requests a page makes are its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",  # the tests run as root, where Chromium's sandbox cannot start
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class Page:
    """A report opened in Chromium, with what it said and asked for on the way."""

    page: Any
    console: list[tuple[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(kind, text) for kind, text in self.console if kind in ("error", "pageerror")]


class Browser:
    """Opens files in one headless Chromium."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def open(self, path: Path, *, width: int = 1280, height: int = 900) -> Page:
        page = self.browser.new_page(viewport={"width": width, "height": height})
        opened = Page(page)
        page.on("console", lambda message: opened.console.append((message.type, message.text)))
        page.on("pageerror", lambda error: opened.console.append(("pageerror", str(error))))
        page.on("request", lambda request: opened.requests.append(request.url))
        page.goto(path.resolve().as_uri(), wait_until="load")
        return opened


def launch() -> Iterator[Browser]:
    """A headless Chromium for the block; fails, never skips, when Chromium is missing."""
    if not CHROMIUM.exists():
        pytest.fail("chromium is not installed: run scripts/install-test-deps.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield Browser(browser)
        finally:
            browser.close()
