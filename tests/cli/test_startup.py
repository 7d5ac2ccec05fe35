"""`gate --version` starts in a blink: the command line imports no heavy library up front."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("aiohttp", "httpx", "jinja2", "jsonschema", "jsonschema_rs", "orjson", "rich", "yaml")

# What `gate validate` on this repository, a pre-commit hook's every commit, has no use for:
# the modules of the other commands, what only a run uses (the targets' classes, tallies,
# promtool's subprocess), what only a mistake needs (difflib, for the nearest name), and RE2,
# since none of its checks holds a pattern.
NOT_FOR_VALIDATE = (
    "gate.cli.run_cmd",
    "gate.cli.smoke_cmd",
    "gate.cli.prove_cmd",
    "gate.cli.trace_cmd",
    "gate.cli.init_cmd",
    "difflib",
    "gate.targets.base",
    "gate.targets.http",
    "gate.targets.recorded",
    "gate.tally",
    "re2",
    "subprocess",
)


def _loaded_by_validate(names: tuple[str, ...]) -> list[str]:
    """Which of `names` a `gate validate` of this repository imports; it must pass."""
    from tests.conftest import REPO

    probe = (
        "import sys\n"
        "sys.argv = ['gate', 'validate']\n"
        "from gate.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        f"print(','.join(name for name in {names!r} if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.splitlines()[-1]
    return [name for name in last.split(",") if name]


def test_the_command_line_imports_heavy_libraries_only_when_a_command_runs() -> None:
    probe = (
        f"import sys, gate.cli; print(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_the_command_line_imports_a_command_s_module_only_when_it_runs() -> None:
    probe = "import sys, gate.cli; print(','.join(sorted(m for m in sys.modules if '_cmd' in m)))"
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


def test_validating_imports_nothing_only_other_commands_need() -> None:
    assert _loaded_by_validate(NOT_FOR_VALIDATE) == []
