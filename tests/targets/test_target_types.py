"""The built-in target types: settings known without importing the network stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gate.targets import TARGET_TYPES


@pytest.mark.parametrize("name", sorted(TARGET_TYPES))
def test_a_type_s_settings_are_its_class_s(name: str) -> None:
    target_type = TARGET_TYPES[name]
    target_class = target_type.load()
    assert target_class.name == name
    assert target_type.settings_schema is target_class.settings_schema
    assert target_type.check_settings({"type": name}) == target_class.check_settings({"type": name})


def test_validating_a_configuration_imports_no_http_client() -> None:
    probe = (
        "import sys; from pathlib import Path; from gate.project import load_project; "
        "load_project(Path('gate.yaml')); "
        "print(sorted(m for m in ('aiohttp', 'httpx') if m in sys.modules))"
    )
    from tests.conftest import REPO

    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr
