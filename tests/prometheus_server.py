"""Real processes for end-to-end tests: the reference tutor, and Debian's `prometheus` scraping it.

Prometheus runs on a free loopback port with a generated config that scrapes
every second and evaluates the tutor's alert rules every second, so a test sees
a rate within seconds of the traffic that makes it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import yaml

from gate.targets.launch import free_port

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "examples" / "tutor" / "alerts.yml"
PORTAL_LOG = REPO / "examples" / "tutor" / "portal-log.jsonl"
# What the tutor check's `match` asks for: the manifests' own `service`.
TUTOR_LABELS = {"service": "grammar-tutor"}


def wait_for(ready: Callable[[], Any], seconds: float = 20, what: str = "it") -> None:
    """Poll `ready` until it is true; a refused connection counts as not yet."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"{what} did not get there in {seconds:g} s")


class Tutor:
    """The reference tutor, started on a free port at a manifest a test may swap on disk."""

    def __init__(self, folder: Path, release: str = "v2.3.4.yaml") -> None:
        self.manifest = folder / "live.yaml"
        shutil.copy(REPO / "releases" / release, self.manifest)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "examples.tutor", "--host", "127.0.0.1"),
                *("--port", str(self.port), "--manifest", str(self.manifest)),
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200)

    def wait_for(self, ready: Callable[[], Any], seconds: float = 20) -> None:
        wait_for(ready, seconds, "the tutor")

    def budget(self) -> int:
        text = httpx.get(f"{self.url}/metrics", timeout=1).text
        return int(float(re.search(r"^tutor_max_decode_tokens (\S+)$", text, re.M)[1]))  # type: ignore[index]

    def deploy(self, release: str) -> float:
        """Put another release's manifest in force; the time it is served, as Unix time."""
        shutil.copy(REPO / "releases" / release, self.manifest)
        wanted = 16 if release == "v2.4.0.yaml" else 32
        self.wait_for(lambda: self.budget() == wanted)
        return time.time()

    def ask(self, count: int) -> None:
        """Send the first `count` prompts of the portal log, as learners sent them."""
        lines = PORTAL_LOG.read_text(encoding="utf-8").splitlines()[:count]
        with httpx.Client(timeout=5) as client:
            for n, line in enumerate(lines):
                body = {"id": f"learner-{n}", "prompt": json.loads(line)["prompt"]}
                client.post(f"{self.url}/v1/tutor", json=body).raise_for_status()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class PrometheusServer:
    """Debian's `prometheus` binary on a free loopback port, scraping `targets` every second.

    Args:
      folder: where its config and its TSDB live.
      targets: host:port of each service to scrape, as job `tutor`.
      labels: target labels, as a deployment's service discovery would attach them.
      rules: rules files to load (default: the tutor's alerts.yml).
    """

    def __init__(
        self,
        folder: Path,
        targets: list[str],
        *,
        labels: Mapping[str, str] = TUTOR_LABELS,
        rules: tuple[Path, ...] = (RULES,),
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.config = folder / "prometheus.yml"
        self.config.write_text(
            yaml.safe_dump(
                {
                    "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                    "rule_files": [str(path) for path in rules],
                    "scrape_configs": [
                        {
                            "job_name": "tutor",
                            "static_configs": [{"targets": targets, "labels": dict(labels)}],
                        }
                    ],
                }
            )
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (folder / "prometheus.log").open("wb")
        self.process = subprocess.Popen(
            [
                "prometheus",
                f"--config.file={self.config}",
                f"--storage.tsdb.path={folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._ready, 30, "prometheus")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(
                f"prometheus exited {self.process.returncode}: see {self.log.name}"
            )
        return httpx.get(f"{self.url}/-/ready", timeout=1).status_code == 200

    def query(self, promql: str) -> list[dict[str, Any]]:
        """The result of an instant query, as the HTTP API gives it."""
        answer = httpx.post(f"{self.url}/api/v1/query", data={"query": promql}, timeout=5)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()["data"]["result"]
        return result

    def value(self, promql: str) -> float | None:
        """The first value of an instant query, or None when it matched nothing."""
        result = self.query(promql)
        return float(result[0]["value"][1]) if result else None

    def wait_up(self) -> None:
        """Until every target has been scraped once and answered."""
        wait_for(lambda: self.value('min(up{job="tutor"})') == 1, 20, "the tutor target")

    def wait_rate(self) -> None:
        """Until the tutor's answers show as a rate: two scrapes apart, traffic between them."""
        wait_for(
            lambda: (self.value("sum(rate(tutor_responses_total[15m]))") or 0) > 0,
            20,
            "a rate of tutor answers",
        )

    def rules(self) -> list[dict[str, Any]]:
        """Every rule Prometheus has loaded, with its state."""
        groups = httpx.get(f"{self.url}/api/v1/rules", timeout=5).json()["data"]["groups"]
        return [rule for group in groups for rule in group["rules"]]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


def warmed(folder: Path, release: str, answers: int = 40) -> tuple[Tutor, PrometheusServer]:
    """A tutor at `release` with some learner traffic, scraped by a Prometheus that has a rate."""
    (folder / "tutor").mkdir()
    tutor = Tutor(folder / "tutor", release)
    try:
        prometheus = PrometheusServer(folder / "prometheus", [f"127.0.0.1:{tutor.port}"])
    except BaseException:
        tutor.stop()
        raise
    try:
        prometheus.wait_up()
        tutor.ask(answers)
        prometheus.wait_rate()
    except BaseException:
        prometheus.stop()
        tutor.stop()
        raise
    return tutor, prometheus
