"""The public API stays small, sorted and importable."""

from __future__ import annotations

import gate


def test_public_api_is_sorted_and_complete() -> None:
    assert gate.__all__ == sorted(gate.__all__)
    for name in gate.__all__:
        assert getattr(gate, name) is not None


def test_unknown_names_are_attribute_errors() -> None:
    try:
        gate.nothing_here  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'gate' has no attribute 'nothing_here'"
    else:
        raise AssertionError("expected an AttributeError")
