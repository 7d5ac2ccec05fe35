"""Patterns from params run on RE2 where it is installed, and on a capped `re` otherwise."""

from __future__ import annotations

import pytest

from gate.kinds import patterns


def test_re2_is_the_engine_and_refuses_backtracking_features() -> None:
    assert patterns.ENGINE == "re2"
    with pytest.raises(patterns.PatternError) as raised:
        patterns.compile_pattern(r"(a)\1")
    assert str(raised.value) == r"invalid escape sequence: \1"


def test_a_catastrophic_pattern_runs_in_linear_time_on_re2() -> None:
    compiled = patterns.compile_pattern(r"^(a+)+$")
    assert compiled.search("a" * 5000 + "b") is None


def test_without_re2_python_re_reads_a_capped_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "re2", None)
    compiled = patterns.compile_pattern(r"b$")
    assert compiled.search("a" * 10 + "b")
    assert compiled.search("a" * patterns.MAX_TEXT + "b") is None
    with pytest.raises(patterns.PatternError) as raised:
        patterns.compile_pattern("(")
    assert str(raised.value) == "missing ), unterminated subpattern at position 0"
