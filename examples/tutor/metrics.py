"""Prometheus metrics the tutor exposes on /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Info, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from .manifest import Manifest
from .model import Answer

FIELDS = ("english", "spanish")


class TutorMetrics:
    """Counters for answered requests, kept in a registry of their own.

    A private registry keeps the exposition free of the client library's
    process collectors and lets several tutors live in one test process.
    """

    # The classic text format: every Prometheus 2.x server can scrape it.
    content_type = CONTENT_TYPE_PLAIN_0_0_4

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.responses = Counter(
            "tutor_responses",
            "Tutor answers returned with status 200.",
            registry=self.registry,
        )
        self.empty_fields = Counter(
            "tutor_response_empty_field",
            "Tutor answers in which the named field was an empty string.",
            ["field"],
            registry=self.registry,
        )
        self.bad_requests = Counter(
            "tutor_bad_requests",
            "Requests rejected with status 400.",
            registry=self.registry,
        )
        self.budget = Gauge(
            "tutor_max_decode_tokens",
            "Decode budget of the manifest currently in force.",
            registry=self.registry,
        )
        self.release = Info(
            "tutor_release",
            "Version of the manifest currently in force.",
            registry=self.registry,
        )
        # Series that exist from the start at zero make rate() well defined
        # before the first empty field is ever seen.
        for name in FIELDS:
            self.empty_fields.labels(field=name)

    def observe_manifest(self, manifest: Manifest) -> None:
        """Publish which release is live."""
        self.budget.set(manifest.max_decode_tokens)
        self.release.info({"version": manifest.version})

    def observe_answer(self, answer: Answer) -> None:
        """Count one returned answer and any empty field in it."""
        self.responses.inc()
        if not answer.english:
            self.empty_fields.labels(field="english").inc()
        if not answer.spanish:
            self.empty_fields.labels(field="spanish").inc()

    def render(self) -> bytes:
        """Return the text exposition of every tutor metric."""
        return generate_latest(self.registry)
