"""The http target's settings in gate.yaml: what validation says about them, line by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.config import load_config
from gate.errors import InputErrors
from gate.targets.http_settings import HttpSettings
from gate.targets.retry import RetryPolicy

CONFIG = """\
name: svc
target:
  type: http
  url: http://127.0.0.1:1
  headers:
    Authorization: Bearer ${1TOKEN}
  body:
    input: "{prompt}"
    meta: {item: "{item_id}"}
suites:
  release: {}
"""


def test_templates_and_references_are_checked_before_anything_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("gate.yaml").write_text(CONFIG)
    with pytest.raises(InputErrors) as caught:
        load_config(Path("gate.yaml"))
    assert str(caught.value) == (
        "gate.yaml:6: target.headers.Authorization has '${1TOKEN}', which is not an "
        "environment variable name\n"
        "gate.yaml:9: target.body.meta.item uses {item_id}, which is not an item field "
        "({id}, {prompt}, {source}, {repeat}, {tags}, {expected})\n"
        "2 problems in the gate's input; nothing was run."
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1", "is not a URL: Invalid IPv6 URL"),
        ("http://127.0.0.1:99999", "is not a URL: Port out of range 0-65535"),
        ("http://", "is not an http or https URL"),
    ],
)
def test_a_url_the_client_cannot_read_is_refused_as_gate_yaml_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, problem: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("gate.yaml").write_text(
        f"name: svc\ntarget:\n  type: http\n  url: '{url}'\nsuites:\n  release: {{}}\n"
    )
    with pytest.raises(InputErrors) as caught:
        load_config(Path("gate.yaml"))
    assert str(caught.value) == (
        f"gate.yaml:4: target.url {problem}\n1 problem in the gate's input; nothing was run."
    )


def test_defaults_and_the_preset_fill_what_gate_yaml_leaves_out() -> None:
    plain = HttpSettings.from_settings({"type": "http", "url": "http://h:1/"}, None)
    assert (plain.url, plain.path, plain.method, plain.answer_path) == (
        "http://h:1",
        "/v1/tutor",
        "POST",
        None,
    )
    assert (plain.timeout_s, plain.deadline_s, plain.max_body_bytes, plain.concurrency) == (
        10.0,
        None,
        4 * 1024 * 1024,
        32,
    )
    assert plain.retry == RetryPolicy()
    chat = HttpSettings.from_settings(
        {"type": "http", "url": "http://h:1", "preset": "openai_chat", "model": "m", "path": "/x"},
        "http://override:2",
    )
    assert (chat.url, chat.path, chat.answer_path) == (
        "http://override:2",
        "/x",
        "choices.0.message.content",
    )
    assert chat.body == {"model": "m", "messages": [{"role": "user", "content": "{prompt}"}]}
