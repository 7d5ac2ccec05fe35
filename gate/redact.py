"""Masking secrets: a target's own redactor, and the process-wide last line of defence."""

from __future__ import annotations

from collections.abc import Iterable

MASK = "***"

# Every secret this process has expanded. A target masks its own in what it
# reports; this set masks them where no target is at hand: a crash's traceback,
# a launched service's output, a rollback hook's output, a kind's message.
_SEEN: set[str] = set()


class Redactor:
    """Replaces every secret value in a text with ***, longest first."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def including(self, secrets: Iterable[str]) -> Redactor:
        """A redactor that masks these secrets as well."""
        return Redactor([*self.secrets, *secrets])


def remember(secret: str) -> None:
    """Mask `secret` wherever `scrub` is applied, for the rest of the process."""
    if secret:
        _SEEN.add(secret)


def scrub(text: str) -> str:
    """`text` with every secret this process has expanded masked.

    Apply it before cutting a text short: half a secret can no longer be found.
    """
    return Redactor(_SEEN)(text) if _SEEN else text
