"""The built-in target types: settings known without importing the network stack."""

from __future__ import annotations

import pytest

from gate.targets import TARGET_TYPES


@pytest.mark.parametrize("name", sorted(TARGET_TYPES))
def test_a_type_s_settings_are_its_class_s(name: str) -> None:
    target_type = TARGET_TYPES[name]
    target_class = target_type.load()
    assert target_class.name == name
    assert target_type.settings_schema is target_class.settings_schema
    assert target_type.check_settings({"type": name}) == target_class.check_settings({"type": name})
