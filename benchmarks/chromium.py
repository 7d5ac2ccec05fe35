"""Headless Chromium as the tests, the benchmarks and `make screenshot` open the HTML report.

The browser is Debian's (`scripts/install-test-deps.sh`), driven by Playwright
through `executable_path`; Playwright never downloads one here. It starts with
every background service off, so the only requests a page makes are its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",  # as root, where Chromium's sandbox cannot start
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (a Playwright Browser) for the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
