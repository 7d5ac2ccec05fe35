"""A headless Chromium shared by the HTML report's browser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reports.html.browser import Browser, launch


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    yield from launch()
