"""The hooks of .pre-commit-hooks.yaml, run by pre-commit itself on commits to a new repository.

The hooks are declared `language: python`, which makes pre-commit install this
package from its repository. Here nothing may be fetched, so each hook is run
as a `repo: local` hook with the same entry, file patterns and arguments,
calling the `gate` installed beside this interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

BIN = Path(sys.executable).parent
HOOKS: list[dict[str, Any]] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())


def run(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Ana",
        "GIT_AUTHOR_EMAIL": "ana@example.com",
        "GIT_COMMITTER_NAME": "Ana",
        "GIT_COMMITTER_EMAIL": "ana@example.com",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    # pre-commit writes to stdout, git's hook to stderr: one stream keeps them in order.
    return subprocess.run(
        list(args),
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=check,
    )


def local_config() -> str:
    hooks = []
    for hook in HOOKS:
        local = {key: value for key, value in hook.items() if key != "description"}
        local.update(language="system", entry=f"{BIN / 'gate'} {hook['entry'].split(' ', 1)[1]}")
        hooks.append(local)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository gated by `gate init`, with the hooks installed and a first commit."""
    root = tmp_path_factory.mktemp("hooked") / "service"
    root.mkdir()
    run(root, "git", "init", "-q", "-b", "main")
    run(root, str(BIN / "gate"), "init", "--preset", "recorded")
    (root / ".pre-commit-config.yaml").write_text(local_config())
    run(root, str(BIN / "pre-commit"), "install")
    run(root, "git", "add", "-A")
    run(root, "git", "commit", "-q", "-m", "Gate the service")
    return root


def commit(repo: Path, path: str, text: str) -> subprocess.CompletedProcess[str]:
    (repo / path).write_text(text)
    run(repo, "git", "add", path)
    done = run(repo, "git", "commit", "-q", "-m", f"Change {path}", check=False)
    if done.returncode != 0:
        run(repo, "git", "reset", "-q", "--hard", "HEAD")
    return done


def hook_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    """pre-commit's status line of each hook, without its dots."""
    return [
        " ".join(line.replace(".", " ").split())
        for line in done.stdout.splitlines()
        if line.startswith("gate ")
    ]


def test_the_manifest_is_valid_for_pre_commit() -> None:
    done = run(REPO, str(BIN / "pre-commit"), "validate-manifest", ".pre-commit-hooks.yaml")
    assert done.returncode == 0, done.stdout
    assert [hook["id"] for hook in HOOKS] == ["gate-validate", "gate-postmortem-lint"]


def test_the_first_commit_ran_both_hooks_and_passed(repo: Path) -> None:
    log = run(repo, "git", "log", "--oneline").stdout.splitlines()
    assert len(log) == 1


def test_a_broken_check_stops_the_commit_with_the_gate_s_message(repo: Path) -> None:
    check = next((repo / "checks").glob("*.yaml"))
    text = check.read_text().replace("max_failure_rate: 0\n", "max_failure_rate: 2\n")
    done = commit(repo, f"checks/{check.name}", text)
    assert done.returncode == 1
    assert hook_lines(done) == [
        "gate validate Failed",
        "gate postmortem lint (no files to check)Skipped",
    ]
    assert done.stdout.splitlines()[1:7] == [
        "- hook id: gate-validate",
        "- exit code: 2",
        "",
        f"checks/{check.name}:16:3: 'params.max_failure_rate': 2 is greater than the maximum of 1",
        "  fix: 'params.max_failure_rate' is the largest share of judged answers that may be "
        "missing or blank: at 0.02, 2 in 100 pass and 3 fail",
        "1 problem in the gate's input; nothing was run.",
    ]


def test_a_postmortem_breaking_the_template_stops_the_commit(repo: Path) -> None:
    path = next(p for p in (repo / "postmortems").glob("INC-*.md"))
    text = path.read_text().replace("| Ana | 2026-02-03 |", "| the team | 2026-02-03 |", 1)
    done = commit(repo, f"postmortems/{path.name}", text)
    assert done.returncode == 1
    assert hook_lines(done) == ["gate validate Failed", "gate postmortem lint Failed"]
    assert "1 postmortem: 1 error, 0 warnings" in done.stdout


def test_a_commit_touching_no_gate_file_runs_no_hook(repo: Path) -> None:
    done = commit(repo, "NOTES.md", "Notes.\n")
    assert done.returncode == 0, done.stdout
    assert hook_lines(done) == [
        "gate validate (no files to check)Skipped",
        "gate postmortem lint (no files to check)Skipped",
    ]


def test_a_good_change_to_a_corpus_commits(repo: Path) -> None:
    corpus = (repo / "corpora" / "example.jsonl").read_text()
    done = commit(repo, "corpora/example.jsonl", corpus.replace("Say hello", "Say hi"))
    assert done.returncode == 0, done.stdout
    assert hook_lines(done) == [
        "gate validate Passed",
        "gate postmortem lint (no files to check)Skipped",
    ]
