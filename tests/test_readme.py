"""The README's "Gate your own service", run as written, on the package built from this checkout.

The commands are the README's fenced blocks marked `own-service`, run in
order by bash in an empty folder outside the checkout, against a loopback
chat completions server. `pip install llm-release-gate` installs the wheel
built from this checkout (the package index is not asked): the session builds
the sdist and the wheel once, and makes a fresh venv that sees this
environment's installed dependencies, so only the gate itself is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from gate.starter import Answers, starter_files
from tests.conftest import REPO
from tests.loopback import FakeChat

MARK = "own-service"


@dataclass(frozen=True)
class Block:
    info: str
    text: str
    line: int


def blocks(marker: str) -> list[Block]:
    """The README's fenced blocks whose info string carries `marker` as its second word."""
    tokens = MarkdownIt().parse((REPO / "README.md").read_text(encoding="utf-8"))
    return [
        Block(token.info, token.content, token.map[0] + 1 if token.map else 0)
        for token in tokens
        if token.type == "fence" and token.info.split()[1:2] == [marker]
    ]


@dataclass(frozen=True)
class Built:
    dist: Path  # the sdist and the wheel
    venv: Path  # a fresh venv without the gate, seeing this environment's dependencies


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("package")
    dist = root / "dist"
    # Built from a copy: a build writes an *.egg-info into its source folder, which
    # would shadow the installed package's entry points for anything run from the checkout.
    source = root / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    # The dependencies this environment already has, without the gate's own
    # editable install, reach the venv through a .pth file: pip then finds them
    # satisfied and installs nothing but the wheel.
    deps = root / "deps"
    deps.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        own = entry.name.startswith(("llm_release_gate", "__editable__", "gate"))
        if not own and not entry.name.endswith(".pth"):
            (deps / entry.name).symlink_to(entry)
    target = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (target / "dev-dependencies.pth").write_text(f"{deps}\n")
    return Built(dist, venv)


@pytest.fixture
def chat() -> Iterator[FakeChat]:
    with FakeChat() as server:
        yield server


def shell(script: str, cwd: Path, built: Built, url: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{built.venv / 'bin'}{os.pathsep}/usr/bin:/bin",
        "HOME": str(cwd),
        "VIRTUAL_ENV": str(built.venv),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(built.dist),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "CHAT_URL": url,
    }
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_package_builds_as_an_sdist_and_a_wheel_without_the_tutor(built: Built) -> None:
    import zipfile

    names = sorted(path.name for path in built.dist.iterdir())
    assert names == ["llm_release_gate-0.1.0-py3-none-any.whl", "llm_release_gate-0.1.0.tar.gz"]
    with zipfile.ZipFile(built.dist / names[0]) as wheel:
        files = wheel.namelist()
    assert not [name for name in files if name.startswith(("examples/", "tests/"))]
    assert "gate/starter/postmortem.md" in files
    assert "gate/schemas/gate.schema.json" in files


def test_gate_your_own_service_as_written(built: Built, chat: FakeChat, tmp_path: Path) -> None:
    found = blocks(MARK)
    assert [block.info for block in found] == [f"sh {MARK}"] * 5 + [f"sh {MARK} blocked"]
    assert found[0].text == "pip install llm-release-gate\ngate --version\n"
    service = tmp_path / "assistant"
    service.mkdir()
    outputs = []
    for block in found:
        chat.empty = block.info.endswith("blocked")
        done = shell(block.text, service, built, chat.url)
        expected = 1 if chat.empty else 0
        assert done.returncode == expected, f"README.md:{block.line}\n{done.stdout}"
        outputs.append(done.stdout)
    assert "gate, version 0.1.0" in outputs[0].splitlines()
    # The gate ran from the wheel, not from this checkout.
    located = shell("python -c 'import gate; print(gate.__file__)'", service, built, chat.url)
    assert located.stdout.startswith(str(built.venv))
    assert outputs[1].splitlines()[-2:] == [
        "gate: warning: INC-2026-01-20-example-empty-answer-field#AI-2 is gate-enforced but "
        "no check names it (see `gate trace`)",
        "gate: gate.yaml: valid: 1 check, 1 corpus, 0 release manifests",
    ]
    assert outputs[2].splitlines()[-1] == "1 postmortem: 0 errors, 0 warnings"
    assert (
        "gate: warning: judged check example-empty-answer-field-ai-2-json-schema alone and the "
        "first 2 items of each corpus: this is not the release's verdict"
    ) in outputs[3].splitlines()
    assert outputs[4].splitlines()[-1].startswith("PASS: every blocking check passed (2 pass)")
    assert outputs[5].splitlines()[0].split()[:2] == [
        "FAIL",
        "example-empty-answer-field-ai-1-field-nonempty",
    ]
    assert (service / "gate-report.json").is_file()


def test_the_workflow_shown_is_the_one_init_writes() -> None:
    (shown,) = blocks(f"{MARK}-workflow")
    answers = Answers(name="svc", preset="openai_chat", url=None, field="answer", model="default")
    written = starter_files(answers)
    assert shown.text == written[next(p for p in written if p.name == "release-gate.yml")]
