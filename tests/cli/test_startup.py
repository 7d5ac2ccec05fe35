"""`gate --version` starts in a blink: the command line imports no heavy library up front."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("aiohttp", "httpx", "jinja2", "jsonschema", "jsonschema_rs", "orjson", "rich", "yaml")


def test_the_command_line_imports_heavy_libraries_only_when_a_command_runs() -> None:
    probe = (
        f"import sys, gate.cli; print(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_validating_a_valid_project_imports_no_http_client_nor_jsonschema() -> None:
    # `gate validate` runs on every commit as a pre-commit hook (benchmarks/startup.py).
    from tests.conftest import REPO

    probe = (
        "import sys; from pathlib import Path; from gate.project import load_project; "
        "load_project(Path('gate.yaml')); print(','.join(name for name in "
        "('aiohttp', 'httpx', 'jsonschema', 'prometheus_client') if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, ""), done.stderr
