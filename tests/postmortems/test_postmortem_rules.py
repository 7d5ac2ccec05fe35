"""The heuristics behind the rules, one value at a time."""

from __future__ import annotations

import re

import pytest

from gate.postmortems import RULES
from gate.postmortems.checks.actions import done_when_problem, owner_problem
from gate.postmortems.checks.language import blame_phrase
from gate.postmortems.times import clock, iso_date, utc_stamp


def test_rule_ids_are_unique_and_kebab_case() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule_id) for rule_id in ids)
    assert all(rule.summary for rule in RULES)


@pytest.mark.parametrize("owner", ["Borja", "Tomás", "Jean-Luc Picard", "Siobhán O'Neil"])
def test_one_person_owns(owner: str) -> None:
    assert owner_problem(owner) is None


@pytest.mark.parametrize(
    ("owner", "problem"),
    [
        ("", "has no owner"),
        ("TBD", "owner 'TBD' is a placeholder"),
        ("TBA", "owner 'TBA' is a placeholder"),
        ("?", "owner '?' is a placeholder"),
        ("Priya and Tomás", "owner 'Priya and Tomás' names more than one person"),
        ("Priya, Tomás", "owner 'Priya, Tomás' names more than one person"),
        ("Priya/Tomás", "owner 'Priya/Tomás' names more than one person"),
        ("Priya & Tomás", "owner 'Priya & Tomás' names more than one person"),
        ("Payments team", "owner 'Payments team' is a group, not a person"),
        ("SRE", "owner 'SRE' is a group, not a person"),
        ("oncall", "owner 'oncall' is a group, not a person"),
        ("Checkout squad", "owner 'Checkout squad' is a group, not a person"),
        ("eng", "owner 'eng' is a group, not a person"),
        ("@priya", "owner '@priya' is not a person's name"),
        ("priya", "owner 'priya' is not a person's name"),
    ],
)
def test_owner_that_is_not_one_person(owner: str, problem: str) -> None:
    assert owner_problem(owner) == problem


@pytest.mark.parametrize(
    "done_when",
    [
        "A release with an empty gloss in more than 2% of its answers fails the eval gate",
        "Runbook section 'Payments failover' exists",
        "Alert fires when p99 latency is better than the SLO for 10 min",
    ],
)
def test_binary_done_when(done_when: str) -> None:
    assert done_when_problem(done_when) is None


@pytest.mark.parametrize(
    ("done_when", "problem"),
    [
        ("", "has no 'Done when' criterion"),
        ("TBD", "has no 'Done when' criterion"),
        ("Alerting is improved", "'Done when' says 'improved' with no measurable threshold"),
        ("Better test coverage", "'Done when' says 'better' with no measurable threshold"),
        ("Ongoing review of pages", "'Done when' says 'ongoing' with no measurable threshold"),
        ("Runbooks updated as needed", "'Done when' says 'as needed' with no measurable threshold"),
        ("Dashboards, alerts, etc.", "'Done when' says 'etc' with no measurable threshold"),
    ],
)
def test_vague_done_when(done_when: str, problem: str) -> None:
    assert done_when_problem(done_when) == problem


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Borja has to be more careful with the deploy script", "be more careful"),
        ("The engineer should have checked the logs", "should have"),
        ("This was human error", "human error"),
        ("Lena forgot to acknowledge the page", "forgot to"),
        ("A careless edit to the config", "careless"),
        ("It was the fault of the reviewer", "fault of"),
        ("Priya failed to add retries", "Priya failed to"),
        ("He failed to read the alert", "He failed to"),
    ],
)
def test_blame_aimed_at_a_person(text: str, phrase: str) -> None:
    assert blame_phrase(text, frozenset({"priya", "borja"})) == phrase


@pytest.mark.parametrize(
    "text",
    [
        "The deploy failed to start because the image was missing",
        "Checkout failed to charge 35% of orders",
        "The alert rule did not cover empty fields",
        "This postmortem names no single root cause; it is a blameless review.",
    ],
)
def test_statements_about_the_system_are_not_blame(text: str) -> None:
    assert blame_phrase(text, frozenset({"priya"})) is None


def test_dates_and_times_must_be_real() -> None:
    assert iso_date("2026-02-28") is not None
    assert iso_date("2026-02-30") is None
    assert iso_date("2026-2-3") is None
    assert clock("23:59") is not None
    assert clock("24:00") is None
    assert clock("9:31") is None
    assert utc_stamp("2026-06-10T14:02Z") is not None
    assert utc_stamp("2026-06-10T14:02+02:00") is None
    assert utc_stamp("2026-06-10 14:02") is None
