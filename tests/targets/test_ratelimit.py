"""max_rps: requests are spaced however many workers ask at once."""

from __future__ import annotations

import asyncio

from gate.targets.ratelimit import RateLimiter


def test_a_burst_is_spread_over_time() -> None:
    async def burst() -> list[float]:
        limiter = RateLimiter(100)
        loop = asyncio.get_running_loop()
        moments: list[float] = []

        async def one() -> None:
            await limiter.wait()
            moments.append(loop.time())

        await asyncio.gather(*(one() for _ in range(11)))
        return sorted(moments)

    moments = asyncio.run(burst())
    assert moments[-1] - moments[0] >= 0.099
    assert moments[5] - moments[0] >= 0.049  # half the burst took half the time


def test_no_limit_never_waits() -> None:
    async def many() -> None:
        limiter = RateLimiter(None)
        for _ in range(1000):
            await limiter.wait()

    asyncio.run(asyncio.wait_for(many(), 1))
