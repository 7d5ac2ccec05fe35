"""Headless Chromium for the HTML report's tests (benchmarks/chromium.py), and a page's log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from benchmarks.chromium import CHROMIUM, chromium


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
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run scripts/install-test-deps.sh (make test does)")
    with chromium() as browser:
        yield Browser(browser)
