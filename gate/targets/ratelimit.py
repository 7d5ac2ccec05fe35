"""An optional ceiling on requests per second, shared by every worker of a run."""

from __future__ import annotations

import asyncio


class RateLimiter:
    """Spaces requests at least 1/max_rps seconds apart; retries take a slot too.

    Each caller books the next free slot before it sleeps, so bursts never
    exceed the rate however many workers wait at once, and the order of
    booking is the order of sending.
    """

    def __init__(self, max_rps: float | None) -> None:
        self.interval = 1.0 / max_rps if max_rps else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        """Return when this request may be sent."""
        if not self.interval:
            return
        now = asyncio.get_running_loop().time()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)
