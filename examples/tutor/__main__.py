"""Command line entry point: ``python -m examples.tutor``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from aiohttp import web
from prometheus_client import disable_created_metrics

from .app import TutorState, make_app
from .lessons import DEFAULT_LESSONS, load_lessons
from .manifest import ManifestWatcher
from .metrics import TutorMetrics

log = logging.getLogger("examples.tutor")

# The kernel caps this at net.core.somaxconn, but asking for a deep queue
# keeps a burst of hundreds of connects from being refused or reset.
LISTEN_BACKLOG = 2048


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the tutor's command line."""
    parser = argparse.ArgumentParser(prog="python -m examples.tutor", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--manifest", type=Path, required=True, help="release manifest (YAML)")
    parser.add_argument(
        "--lessons", type=Path, default=DEFAULT_LESSONS, help="lessons table (JSON lines)"
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="added sleep per tutor request"
    )
    parser.add_argument(
        "--token-ms",
        type=float,
        default=0.0,
        help="added sleep per token decoded, a dropped gloss's included",
    )
    args = parser.parse_args(argv)
    if args.latency_ms < 0:
        parser.error("--latency-ms must not be negative")
    if args.token_ms < 0:
        parser.error("--token-ms must not be negative")
    return args


async def serve(args: argparse.Namespace) -> None:
    """Run the tutor until SIGTERM or SIGINT."""
    metrics = TutorMetrics()
    watcher = ManifestWatcher(args.manifest, on_change=metrics.observe_manifest)
    state = TutorState(
        lessons=load_lessons(args.lessons),
        manifest=watcher,
        metrics=metrics,
        latency_seconds=args.latency_ms / 1000.0,
        token_seconds=args.token_ms / 1000.0,
    )
    runner = web.AppRunner(make_app(state), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port, backlog=LISTEN_BACKLOG)
    await site.start()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP, watcher.force_reload)
    log.info(
        "tutor %s ready on http://%s:%d (max_decode_tokens=%d, %d lessons)",
        watcher.current.version,
        args.host,
        args.port,
        watcher.current.max_decode_tokens,
        len(state.lessons),
    )
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    """Start the tutor; return the process exit status."""
    args = parse_args(argv)
    # The *_created series only add noise for an alert that works on rate().
    disable_created_metrics()  # type: ignore[no-untyped-call]  # unannotated upstream
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(args))
    except ValueError as exc:
        # A bad manifest or lessons file: say which and exit without a traceback.
        log.error("%s", exc)
        return 2
    except OSError as exc:
        log.error("cannot serve: %s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
