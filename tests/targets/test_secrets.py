"""${NAME} in headers: expanded from the environment, checked, and masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import InputError
from gate.targets.secrets import Redactor, expand_headers, reference_problems


def test_references_expand_and_their_values_are_masked() -> None:
    headers, redact = expand_headers(
        {"Authorization": "Bearer ${TOKEN}", "X-Org": "${ORG}-eu", "Accept": "a/b"},
        environ={"TOKEN": "tok-123456", "ORG": "acme"},
        config_path=Path("gate.yaml"),
    )
    assert headers == {"Authorization": "Bearer tok-123456", "X-Org": "acme-eu", "Accept": "a/b"}
    assert redact("sent Bearer tok-123456 for acme") == "sent Bearer *** for ***"


@pytest.mark.parametrize("environ", [{}, {"TOKEN": ""}])
def test_an_unset_or_empty_variable_is_an_input_error(environ: dict[str, str]) -> None:
    with pytest.raises(InputError) as caught:
        expand_headers(
            {"Authorization": "Bearer ${TOKEN}"},
            environ=environ,
            config_path=Path("gate.yaml"),
            locate=lambda key_path: 9,
        )
    assert str(caught.value) == (
        "gate.yaml:9: target.headers.Authorization needs the environment variable TOKEN, "
        "which is not set or is empty\n"
        "  fix: export TOKEN before running the gate, or remove the header"
    )


def test_malformed_references_are_named() -> None:
    assert reference_problems("Bearer ${TOKEN}") == []
    assert reference_problems("Bearer ${1TOKEN}") == [
        "has '${1TOKEN}', which is not an environment variable name"
    ]
    assert reference_problems("Bearer ${TOKEN") == ["has '${' without its closing '}'"]


def test_longer_secrets_are_masked_first() -> None:
    assert Redactor(["abc", "abcdef"])("abcdef abc") == "*** ***"
    assert not Redactor([""])


@pytest.mark.parametrize("value", ["tok\n", "tok\r\nX-Evil: 1", "tok\x00", "tökén"])
def test_a_value_a_header_cannot_carry_is_named_but_never_shown(value: str) -> None:
    with pytest.raises(InputError) as caught:
        expand_headers(
            {"Authorization": "Bearer ${TOKEN}"},
            environ={"TOKEN": value},
            config_path=Path("gate.yaml"),
            locate=lambda key_path: 7,
        )
    assert str(caught.value) == (
        "gate.yaml:7: target.headers.Authorization takes the environment variable TOKEN, "
        "whose value has a character a header cannot carry (a line break, a control "
        "character or a letter outside ASCII)\n"
        "  fix: export TOKEN again without it; a pasted token often ends in a line break"
    )


def test_a_literal_a_header_cannot_carry_is_a_problem() -> None:
    assert reference_problems("Bearer\t${TOKEN} ok") == []
    assert reference_problems("caf\u00e9 ${TOKEN}") == [
        "has a character a header cannot carry (a line break, a control character "
        "or a letter outside ASCII)"
    ]
