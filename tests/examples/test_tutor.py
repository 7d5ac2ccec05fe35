"""Tests of the reference tutor: its data files in-process, its HTTP service as a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

REPO_ROOT = Path(__file__).resolve().parents[2]
# The tests import the tutor's modules directly, wherever pytest was started.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from examples.tutor.lessons import FALLBACK_GLOSS, Lesson, load_lessons  # noqa: E402
from examples.tutor.manifest import Manifest, load_manifest  # noqa: E402
from examples.tutor.model import answer_tokens, count_tokens, decode, truncate_tokens  # noqa: E402
from examples.tutor.tools import build_corpora  # noqa: E402

RELEASES = REPO_ROOT / "releases"
REGRESSION = REPO_ROOT / "corpora" / "regression.jsonl"
EVAL = REPO_ROOT / "corpora" / "eval.jsonl"
PORTAL_LOG = REPO_ROOT / "examples" / "tutor" / "portal-log.jsonl"
LONG_PROMPT = "I am going to write an email to my family."
COMMA_PROMPT = "If it rains, we stay at home."
STARTUP_SECONDS = 10.0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cost(answer: dict[str, str]) -> int:
    return answer_tokens(answer["english"], answer["spanish"])


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


REGRESSION_ITEMS = read_jsonl(REGRESSION)
EVAL_ITEMS = read_jsonl(EVAL)
PORTAL_ROWS = read_jsonl(PORTAL_LOG)
LESSONS = load_lessons()
BASELINE = load_manifest(RELEASES / "v2.3.4.yaml")
CANDIDATE = load_manifest(RELEASES / "v2.4.0.yaml")


# --- the running service -------------------------------------------------------------


@dataclass
class Tutor:
    """A tutor subprocess listening on a loopback port."""

    url: str
    proc: subprocess.Popen[bytes]
    manifest: Path
    stdout: Path
    stderr: Path

    def post(self, payload: object) -> httpx.Response:
        return httpx.post(f"{self.url}/v1/tutor", json=payload, timeout=5.0)

    def ask(self, prompt: str) -> dict[str, str]:
        response = self.post({"id": "t-1", "prompt": prompt})
        assert response.status_code == 200, response.text
        body: dict[str, str] = response.json()
        return body

    def metrics(self) -> dict[str, float]:
        text = httpx.get(f"{self.url}/metrics", timeout=5.0).text
        values: dict[str, float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                values[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
        return values


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_manifest(path: Path, **knobs: Any) -> None:
    path.write_text(yaml.safe_dump(knobs, sort_keys=False), encoding="utf-8")


def start_tutor(workdir: Path, manifest: dict[str, Any], *extra: str) -> Tutor:
    workdir.mkdir(parents=True, exist_ok=True)
    manifest_path = workdir / "manifest.yaml"
    write_manifest(manifest_path, **manifest)
    port = free_port()
    stdout, stderr = workdir / "stdout.log", workdir / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "examples.tutor",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--manifest",
                str(manifest_path),
                *extra,
            ],
            cwd=REPO_ROOT,
            stdout=out,
            stderr=err,
        )
    tutor = Tutor(f"http://127.0.0.1:{port}", proc, manifest_path, stdout, stderr)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"tutor exited early: {stderr.read_text()}")
        try:
            if httpx.get(f"{tutor.url}/healthz", timeout=1.0).text == "ok":
                return tutor
        except httpx.TransportError:
            time.sleep(0.05)
    stop_tutor(tutor)
    raise RuntimeError("tutor did not become healthy in time")


def stop_tutor(tutor: Tutor) -> int:
    if tutor.proc.poll() is None:
        tutor.proc.send_signal(signal.SIGTERM)
        try:
            tutor.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            tutor.proc.kill()
            tutor.proc.wait()
    return tutor.proc.returncode


def manifest_dict(manifest: Manifest, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": manifest.version,
        "max_decode_tokens": manifest.max_decode_tokens,
    }
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tutor]:
    tutor = start_tutor(tmp_path_factory.mktemp("baseline"), manifest_dict(BASELINE))
    yield tutor
    stop_tutor(tutor)


@pytest.fixture(scope="module")
def candidate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tutor]:
    tutor = start_tutor(tmp_path_factory.mktemp("candidate"), manifest_dict(CANDIDATE))
    yield tutor
    stop_tutor(tutor)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Tutor]:
    """A baseline tutor of the test's own, free to have its manifest rewritten."""
    tutor = start_tutor(tmp_path, manifest_dict(BASELINE, extra_key="ignored by the tutor"))
    yield tutor
    stop_tutor(tutor)


async def ask_all(url: str, prompts: list[str], concurrency: int) -> list[tuple[int, Any]]:
    """POST every prompt at once over up to ``concurrency`` connections; return (status, body)."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=15.0)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(number: int, prompt: str) -> tuple[int, Any]:
            payload = {"id": f"c-{number}", "prompt": prompt}
            async with session.post(f"{url}/v1/tutor", json=payload) as response:
                return response.status, await response.json()

        return await asyncio.gather(*(one(n, p) for n, p in enumerate(prompts)))


def regression_answers(tutor: Tutor) -> list[dict[str, str]]:
    prompts = [item["prompt"] for item in REGRESSION_ITEMS]
    results = asyncio.run(ask_all(tutor.url, prompts, concurrency=50))
    assert all(status == 200 for status, _ in results)
    return [body for _, body in results]


def wait_for(predicate: Any, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_logs_one_ready_line_and_nothing_else(baseline: Tutor) -> None:
    assert baseline.stdout.read_text() == ""
    lines = baseline.stderr.read_text().splitlines()
    assert len(lines) == 1 and "ready" in lines[0] and "2.3.4" in lines[0]


def test_budget_32_returns_every_expected_answer(baseline: Tutor) -> None:
    answers = regression_answers(baseline)
    mismatches = [
        item["id"]
        for item, answer in zip(REGRESSION_ITEMS, answers, strict=True)
        if answer != item["expected"]
    ]
    assert mismatches == []


def test_budget_16_empties_the_long_tail_and_counts_it(candidate: Tutor) -> None:
    before = candidate.metrics()
    answers = regression_answers(candidate)
    after = candidate.metrics()
    empty = [answer["spanish"] == "" for answer in answers]
    overflowing = [cost(item["expected"]) > 16 for item in REGRESSION_ITEMS]
    assert empty == overflowing
    assert 0.25 <= share(empty) <= 0.35
    spanish_key = "tutor_response_empty_field_total{field=spanish}"
    assert after[spanish_key] - before[spanish_key] == sum(empty)
    assert after["tutor_responses_total"] - before["tutor_responses_total"] == len(answers)
    assert after["tutor_response_empty_field_total{field=english}"] == 0
    assert after["tutor_max_decode_tokens"] == 16
    assert after["tutor_release_info{version=2.4.0}"] == 1


def test_metrics_expose_both_fields_from_the_start(fresh: Tutor) -> None:
    values = fresh.metrics()
    assert values["tutor_response_empty_field_total{field=spanish}"] == 0
    assert values["tutor_responses_total"] == 0
    response = httpx.get(f"{fresh.url}/metrics")
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b"{}",
        b'{"prompt": 7}',
        b'{"prompt": null}',
        b'{"prompt": ["a"]}',
        b'{"prompt": "   "}',
        b"\xff\xfe",
    ],
)
def test_bad_input_is_rejected_with_400(baseline: Tutor, body: bytes) -> None:
    response = httpx.post(
        f"{baseline.url}/v1/tutor", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)


def test_lookup_forgives_case_and_spacing_and_unknown_prompts_fall_back(baseline: Tutor) -> None:
    assert baseline.ask("  i HAVE 25   years. ") == {
        "english": "I am 25 years old.",
        "spanish": "Tengo 25 años.",
    }
    assert baseline.ask("my cat sleeps on the roof") == {
        "english": "My cat sleeps on the roof.",
        "spanish": FALLBACK_GLOSS,
    }
    assert baseline.ask("is it?")["english"] == "Is it?"


def test_stop_sequences_shorten_the_gloss(tmp_path: Path) -> None:
    tutor = start_tutor(tmp_path, manifest_dict(BASELINE, stop_sequences=[",", ";"]))
    try:
        assert tutor.ask(COMMA_PROMPT) == {
            "english": "If it rains, we will stay at home.",
            "spanish": "Si llueve",
        }
        assert tutor.ask("I have 25 years.")["spanish"] == "Tengo 25 años."
    finally:
        assert stop_tutor(tutor) == 0


def test_spanish_label_prefixes_only_glosses_that_survive(tmp_path: Path) -> None:
    tutor = start_tutor(tmp_path, manifest_dict(CANDIDATE, spanish_label="Spanish: "))
    try:
        assert tutor.ask("I have 25 years.")["spanish"] == "Spanish: Tengo 25 años."
        assert tutor.ask(LONG_PROMPT)["spanish"] == ""
    finally:
        stop_tutor(tutor)


def test_key_order_changes_the_text_but_not_the_object(tmp_path: Path) -> None:
    tutor = start_tutor(tmp_path, manifest_dict(BASELINE, response_key_order="spanish_first"))
    try:
        response = tutor.post({"prompt": "I have 25 years."})
        assert response.text.startswith('{"spanish"')
        assert response.json() == {"english": "I am 25 years old.", "spanish": "Tengo 25 años."}
    finally:
        stop_tutor(tutor)


def test_manifest_change_is_picked_up_without_restart(fresh: Tutor) -> None:
    full = fresh.ask(LONG_PROMPT)
    assert full["spanish"] == "Voy a escribir un email a mi familia."
    write_manifest(fresh.manifest, **manifest_dict(CANDIDATE))
    assert wait_for(lambda: fresh.ask(LONG_PROMPT)["spanish"] == "")
    assert fresh.metrics()["tutor_release_info{version=2.4.0}"] == 1
    # A broken manifest is ignored and the last good one stays in force.
    fresh.manifest.write_text("version: [unclosed\n", encoding="utf-8")
    time.sleep(0.7)
    assert fresh.ask(LONG_PROMPT)["spanish"] == ""
    write_manifest(fresh.manifest, **manifest_dict(BASELINE))
    assert wait_for(lambda: fresh.ask(LONG_PROMPT) == full)
    assert fresh.proc.poll() is None


def test_sighup_forces_a_reread(fresh: Tutor) -> None:
    # Same size, same inode, old mtime restored: only SIGHUP can reveal the edit.
    before = os.stat(fresh.manifest)
    text = fresh.manifest.read_text(encoding="utf-8")
    edited = text.replace("max_decode_tokens: 32", "max_decode_tokens: 16")
    assert edited != text and len(edited) == len(text)
    with fresh.manifest.open("r+", encoding="utf-8") as handle:
        handle.write(edited)
    os.utime(fresh.manifest, ns=(before.st_atime_ns, before.st_mtime_ns))
    time.sleep(0.7)
    assert fresh.ask(LONG_PROMPT)["spanish"] != ""
    fresh.proc.send_signal(signal.SIGHUP)
    assert wait_for(lambda: fresh.ask(LONG_PROMPT)["spanish"] == "", seconds=2.0)


def test_two_hundred_concurrent_requests_all_succeed(tmp_path: Path) -> None:
    tutor = start_tutor(tmp_path, manifest_dict(BASELINE), "--latency-ms", "200")
    try:
        prompts = [REGRESSION_ITEMS[n % len(REGRESSION_ITEMS)]["prompt"] for n in range(200)]
        started = time.monotonic()
        results = asyncio.run(ask_all(tutor.url, prompts, concurrency=250))
        elapsed = time.monotonic() - started
        assert [status for status, _ in results] == [200] * 200
        # Sequential service would need 40 s; overlapping sleeps need about one.
        assert elapsed < 5.0
    finally:
        assert stop_tutor(tutor) == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_signal(tmp_path: Path, sig: signal.Signals) -> None:
    tutor = start_tutor(tmp_path, manifest_dict(BASELINE))
    tutor.proc.send_signal(sig)
    assert tutor.proc.wait(timeout=5) == 0


# --- the decoder and the data, in-process ---------------------------------------------


def test_token_rule() -> None:
    assert count_tokens("I don't know.") == 6
    assert count_tokens("¿Dónde vives?") == 4
    assert truncate_tokens("One two, three four.", 3) == "One two,"
    assert truncate_tokens("anything", 0) == ""


def test_decoder_spends_the_budget_on_english_first() -> None:
    lesson = Lesson("p", "One two three four five.", "Uno dos.")
    tight = Manifest(version="0.0.1", max_decode_tokens=4)
    assert decode(lesson, tight).english == "One two three four"
    assert decode(lesson, tight).spanish == ""
    assert decode(lesson, Manifest(version="0.0.1", max_decode_tokens=8)).spanish == ""
    assert decode(lesson, Manifest(version="0.0.1", max_decode_tokens=9)).spanish == "Uno dos."


def test_the_tokens_decoded_a_dropped_gloss_included_set_the_latency() -> None:
    lesson = Lesson("p", "One two three four five.", "Uno dos.")  # 6 tokens, then 3
    decoded = [
        decode(lesson, Manifest(version="0.0.1", max_decode_tokens=budget)).decoded
        for budget in (4, 8, 9, 32)
    ]
    # Cut English: the whole budget; a gloss that does not fit: decoded until the budget ran out.
    assert decoded == [4, 8, 9, 9]


def test_an_untranslated_release_answers_the_english_as_the_gloss() -> None:
    manifest = load_manifest(
        REPO_ROOT / "postmortems/INC-2026-08-14-tutor-spanish-gloss-missing/english-gloss.yaml"
    )
    assert manifest.untranslated_one_in == 14
    english = [
        item["id"]
        for item in REGRESSION_ITEMS
        if (answer := decode(LESSONS.lookup(item["prompt"]), manifest)).spanish == answer.english
    ]
    assert len(english) == 20
    assert all(decode(LESSONS.lookup(i["prompt"]), manifest).spanish for i in REGRESSION_ITEMS)


@pytest.mark.parametrize("value", [-1, 1.5, "3", True])
def test_untranslated_one_in_must_be_a_whole_number(value: object) -> None:
    from examples.tutor.manifest import ManifestError, parse_manifest

    with pytest.raises(ManifestError, match="untranslated_one_in must be a whole number"):
        parse_manifest({"version": "1.0.0", "max_decode_tokens": 8, "untranslated_one_in": value})


def test_a_negative_token_cost_is_refused() -> None:
    from examples.tutor.__main__ import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--manifest", "m.yaml", "--token-ms", "-1"])
    assert parse_args(["--manifest", "m.yaml", "--token-ms", "2.5"]).token_ms == 2.5


def test_regression_corpus_shape() -> None:
    ids = [item["id"] for item in REGRESSION_ITEMS]
    assert len(ids) >= 320 and len(set(ids)) == len(ids)
    for item in REGRESSION_ITEMS:
        assert item["source"] == "curated"
        assert item["tags"] and item["tags"][0] not in ("long-tail", "capstone")
        assert ("long-tail" in item["tags"]) == (cost(item["expected"]) > 16)
        answer = decode(LESSONS.lookup(item["prompt"]), BASELINE)
        assert {"english": answer.english, "spanish": answer.spanish} == item["expected"]
        assert item["prompt"] in LESSONS


def test_regression_corpus_has_the_incident_long_tail() -> None:
    costs = [cost(item["expected"]) for item in REGRESSION_ITEMS]
    assert max(costs) <= 32
    assert 0.25 <= share([c > 16 for c in costs]) <= 0.35
    assert share([c > 20 for c in costs]) >= 0.05
    glosses = [count_tokens(item["expected"]["spanish"]) for item in REGRESSION_ITEMS]
    assert min(glosses) <= 3 and max(glosses) >= 14


def test_eval_set_fits_the_small_budget_and_differs_slightly() -> None:
    assert [item["id"] for item in EVAL_ITEMS] == [f"ev-{n:02d}" for n in range(1, 13)]
    differing = 0
    for item in EVAL_ITEMS:
        assert item["tags"] == ["capstone"] and item["source"] == "curated"
        assert item["prompt"] in LESSONS
        answer = decode(LESSONS.lookup(item["prompt"]), CANDIDATE)
        assert cost({"english": answer.english, "spanish": answer.spanish}) <= 16
        assert cost(item["expected"]) <= 16
        differing += {"english": answer.english, "spanish": answer.spanish} != item["expected"]
    assert 2 <= differing <= 3


def test_portal_log_is_answered_from_the_lessons_with_a_heavy_tail() -> None:
    assert len(PORTAL_ROWS) >= 400
    prompts = [" ".join(row["prompt"].split()).casefold() for row in PORTAL_ROWS]
    assert len(set(prompts)) < len(prompts)
    for row in PORTAL_ROWS:
        assert row["prompt"] in LESSONS
        assert row["release"] == "2.3.4" and row["module"] == "quiz"
        assert row["ts"].startswith("2026-08-1") and row["ts"].endswith("Z")
        answer = decode(LESSONS.lookup(row["prompt"]), BASELINE)
        assert row["response"] == {"english": answer.english, "spanish": answer.spanish}
    costs = [cost(row["response"]) for row in PORTAL_ROWS]
    assert max(costs) <= 32
    assert share([c > 16 for c in costs]) >= 0.3
    assert [row["ts"] for row in PORTAL_ROWS] == sorted(row["ts"] for row in PORTAL_ROWS)


def test_derived_files_are_up_to_date() -> None:
    for path, text in build_corpora.build().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale; rerun build_corpora"
