"""`gate init` in an empty folder: a gate that validates and runs at once, for each preset."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from tests.loopback import FakeChat, LoopbackServer

CHECK = "checks/example-empty-answer-field-ai-1-field-nonempty.yaml"
WRITTEN = [
    "gate.yaml",
    CHECK,
    "corpora/example.jsonl",
    "postmortems/TEMPLATE.md",
    "postmortems/INC-2026-01-20-example-empty-answer-field.md",
    ".github/workflows/release-gate.yml",
]
NEXT = (
    "next: `gate validate`, then `gate run`; write your first postmortem from "
    "postmortems/TEMPLATE.md and its checks with `gate new-check`"
)


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "assistant"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def chat() -> Iterator[FakeChat]:
    with FakeChat() as server:
        yield server


def gate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_openai_chat_validates_then_passes_and_fails_on_the_field(
    empty: Path, chat: FakeChat
) -> None:
    code, output = gate("init", "--preset", "openai_chat", "--url", chat.url)
    assert (code, output.splitlines()) == (ExitCode.OK, [f"wrote {p}" for p in WRITTEN] + [NEXT])
    code, output = gate("validate")
    assert code == ExitCode.OK, output
    assert (code, output.splitlines()[-1]) == (
        ExitCode.OK,
        "gate: gate.yaml: valid: 1 check, 1 corpus, 0 release manifests",
    )
    code, output = gate("run")
    assert code == ExitCode.OK, output
    assert len(chat.asked) == 3
    assert chat.models == ["default"] * 3
    chat.empty = True
    code, output = gate("run")
    assert code == ExitCode.BLOCKED
    assert [line.split() for line in output.splitlines()[:2]] == [
        [
            "FAIL",
            "example-empty-answer-field-ai-1-field-nonempty",
            "measured",
            "100.00%",
            "limit",
            "<=",
            "0.00%",
        ],
        ["INC-2026-01-20-example-empty-answer-field#AI-1,", "owner", "Ana"],
    ]


def test_the_field_and_model_reach_the_config_and_the_check(empty: Path, chat: FakeChat) -> None:
    chat.field = "summary"
    gate("init", "--url", chat.url, "--field", "summary", "--model", "qwen2.5:7b-instruct")
    assert (empty / "gate.yaml").read_text().splitlines()[9:16] == [
        "target:",
        "  type: http",
        "  preset: openai_chat",
        f'  url: "{chat.url}"',
        '  model: "qwen2.5:7b-instruct"',
        '  system_prompt: "Reply with a JSON object: {\\"summary\\": \\"...\\"}"',
        "",
    ]
    assert "  field: summary\n" in (empty / CHECK).read_text()
    assert gate("run")[0] == ExitCode.OK
    assert chat.models == ["qwen2.5:7b-instruct"] * 3


def test_http_splits_the_endpoint_into_url_and_path(empty: Path) -> None:
    from aiohttp import web

    async def answer(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"answer": f"an answer to {body['id']}"})

    app = web.Application()
    app.router.add_post("/api/ask", answer)
    with LoopbackServer(app) as server:
        gate("init", "--preset", "http", "--url", f"{server.url}/api/ask")
        assert "target:\n  type: http\n" in (empty / "gate.yaml").read_text()
        assert f'  url: "{server.url}"\n  path: "/api/ask"\n' in (empty / "gate.yaml").read_text()
        assert gate("validate")[0] == ExitCode.OK
        assert gate("run")[0] == ExitCode.OK


def test_recorded_runs_on_the_answers_it_writes(empty: Path) -> None:
    code, output = gate("init", "--preset", "recorded")
    assert code == ExitCode.OK
    assert output.splitlines()[-2] == "wrote recorded.jsonl"
    assert gate("run")[0] == ExitCode.OK


def test_no_file_is_overwritten_without_force(empty: Path) -> None:
    (empty / "gate.yaml").write_text("name: mine\n")
    (empty / "corpora").mkdir()
    (empty / "corpora" / "example.jsonl").write_text("")
    assert gate("init") == (
        ExitCode.INPUT_ERROR,
        "gate.yaml: exists; gate init writes no file over another\n  fix: pass --force\n"
        "corpora/example.jsonl: exists; gate init writes no file over another\n"
        "  fix: pass --force\n"
        "2 problems in the gate's input; nothing was run.\n",
    )
    assert (empty / "gate.yaml").read_text() == "name: mine\n"
    assert sorted(path.name for path in empty.iterdir()) == ["corpora", "gate.yaml"]
    assert gate("init", "--force")[0] == ExitCode.OK
    assert (empty / "gate.yaml").read_text().startswith("# The release gate of assistant")


def test_a_file_where_a_folder_goes_stops_init_before_any_file_is_written(empty: Path) -> None:
    (empty / "checks").write_text("")
    assert gate("init") == (
        ExitCode.INPUT_ERROR,
        "gate: checks: cannot be made a folder: File exists\n"
        "  fix: move the file of that name away, or run gate init elsewhere\n",
    )
    assert sorted(path.name for path in empty.iterdir()) == [".github", "checks"]


@pytest.mark.parametrize("name", ["2024", "my svc: two", "#svc", "yes"])
def test_any_service_name_is_written_as_a_string_that_validates(empty: Path, name: str) -> None:
    assert gate("init", "--name", name)[0] == ExitCode.OK
    code, output = gate("validate")
    assert (code, output.splitlines()[-1]) == (
        ExitCode.OK,
        "gate: gate.yaml: valid: 1 check, 1 corpus, 0 release manifests",
    )
    assert f"name: {json.dumps(name)}\n" in (empty / "gate.yaml").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--url", "127.0.0.1:8000"),
            "gate: --url '127.0.0.1:8000' is not an http or https URL\n"
            "  fix: give the service's URL, such as http://127.0.0.1:8000\n",
        ),
        (
            ("--field", "the answer"),
            "gate: --field 'the answer' is not a field name\n"
            "  fix: give the answer's field as a dotted path, such as answer or result.text\n",
        ),
    ],
)
def test_bad_answers_write_nothing(empty: Path, args: tuple[str, ...], message: str) -> None:
    assert gate("init", *args) == (ExitCode.INPUT_ERROR, message)
    assert list(empty.iterdir()) == []


def test_the_workflow_uses_the_published_action_and_is_well_formed(empty: Path) -> None:
    gate("init")
    workflow = empty / ".github" / "workflows" / "release-gate.yml"
    assert "      - uses: llm-release-gate/llm-release-gate@v0\n" in workflow.read_text()
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_template_written_is_the_repository_s(empty: Path) -> None:
    from tests.conftest import REPO

    gate("init")
    template = (REPO / "postmortems" / "TEMPLATE.md").read_text(encoding="utf-8")
    assert (empty / "postmortems" / "TEMPLATE.md").read_text(encoding="utf-8") == template


def test_on_a_terminal_it_asks_for_what_is_not_given(
    empty: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gate.cli.init_cmd._on_a_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["init"], input="http\nhttp://127.0.0.1:9/api/ask\nsummary\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.output.splitlines()[:3] == [
        "How is the service asked? (openai_chat, http, recorded) [openai_chat]: http",
        "Its URL [http://127.0.0.1:8000/v1/answer]: http://127.0.0.1:9/api/ask",
        "The answer field to check [answer]: summary",
    ]
    text = (empty / "gate.yaml").read_text()
    assert '  url: "http://127.0.0.1:9"\n  path: "/api/ask"\n' in text
    assert "  field: summary\n" in (empty / CHECK).read_text()


def test_off_a_terminal_it_asks_nothing(empty: Path) -> None:
    # No input at all: a prompt would fail with an end of file.
    result = CliRunner().invoke(cli, ["init"], input="")
    assert result.exit_code == ExitCode.OK, result.output
    assert '  url: "http://127.0.0.1:8000"\n' in (empty / "gate.yaml").read_text()
