"""The progress bar: drawn on a terminal with done/total, errors and rate; absent in a CI log."""

from __future__ import annotations

import io

from gate.cli.progress import progress_for


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_the_total_errors_and_rate() -> None:
    stream = Terminal()
    counted: list[int] = []

    def total() -> int:
        counted.append(1)
        return 40

    with progress_for(stream, total) as update:
        assert update is not None
        for done in range(1, 41):
            update(done, done // 10)
    assert counted == [1]
    assert "40/40" in stream.getvalue()
    assert "4 errors" in stream.getvalue()


def test_one_error_is_said_in_the_singular() -> None:
    stream = Terminal()
    with progress_for(stream, lambda: 2) as update:
        assert update is not None
        update(2, 1)
    assert "1 error," in stream.getvalue()
    assert "1 errors" not in stream.getvalue()


def test_a_log_gets_nothing_and_the_corpora_are_not_counted() -> None:
    def total() -> int:
        raise AssertionError("counted without a terminal")

    stream = io.StringIO()
    with progress_for(stream, total) as update:
        assert update is None
    assert stream.getvalue() == ""
