"""Prefect settings for runs on the embedded (temporary) API."""

from __future__ import annotations

import inspect
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def local_run_settings() -> Iterator[None]:
    """Settings for a local run: no telemetry (runs are offline), no flow heartbeats.

    Heartbeats let a server notice crashed runs of deployments on workers; a run in
    this process needs none, and their thread costs about 1 s at the end of every
    flow and subflow (measured: an empty flow takes 1.1 s with them, 0.1 s without).
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@contextmanager
def shared_temporary_api() -> Iterator[None]:
    """Without a Prefect server (``PREFECT_API_URL`` unset), start the temporary API here and point this
    process and the Dask workers it spawns at it.

    Otherwise every worker process starts a temporary API of its own (a uvicorn process, on the cores
    the analysis needs) and reports its task runs there, out of the flow run's sight. Sharing one:
    2,000 articles on two workers, 74.5 -> 51.7 s (``benchmarks/engines.py --only dask``).
    """
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.utilities.asyncutils import run_coro_as_sync

    # A port of our own: SubprocessASGIServer() without one is the process's default server, which
    # Prefect (or a test harness) may already run for other flows; stopping it after this run broke them.
    server = SubprocessASGIServer(port=_free_port())
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url  # read by the worker processes, spawned after this
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            try:
                yield
            finally:
                # Logs and events still queued would retry against the stopped API for a minute at exit.
                run_coro_as_sync(_send_queued_logs_and_events())
    finally:
        del os.environ["PREFECT_API_URL"]
        server.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _send_queued_logs_and_events() -> None:
    """What ``prefect_test_harness`` does before stopping its server."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    try:
        drained = APILogWorker.instance().drain()
        if inspect.isawaitable(drained):
            await drained
    except RuntimeError:  # the log worker never started
        pass
    drained = EventsWorker.drain_all()
    if inspect.isawaitable(drained):
        await drained
