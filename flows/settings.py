"""Prefect settings for runs on the embedded (temporary) API."""

from __future__ import annotations

import contextlib
import inspect
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from nvo_nlp.errors import ConfigError


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
    process and the Dask workers it spawns at it; stop it when the run ends.

    Otherwise every worker process starts a temporary API of its own (a uvicorn process, on the cores
    the analysis needs) and reports its task runs there, out of the flow run's sight. Sharing one:
    2,000 articles on two workers, 74.5 -> 51.7 s (``benchmarks/engines.py --only dask``). Runs on the
    prefect engine use it too, for its faster start (``_start_temporary_api``).
    """
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.utilities.asyncutils import run_coro_as_sync

    server, api_url = _start_temporary_api()
    os.environ["PREFECT_API_URL"] = api_url  # read by the worker processes, spawned after this
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            try:
                yield
            finally:
                # Logs and events still queued would retry against the stopped API for a minute at exit.
                run_coro_as_sync(_send_queued_logs_and_events())
    finally:
        del os.environ["PREFECT_API_URL"]
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _start_temporary_api() -> tuple[subprocess.Popen[bytes], str]:
    """The API process Prefect's own ``SubprocessASGIServer`` starts (same command and settings), started
    without importing Prefect's server into this process: that import alone took 2.2 s of this process's
    CPU before the API process began to start. A port of our own: Prefect's default server may already
    serve the process's other flows (a test harness), and stopping it after this run broke them."""
    import httpx
    import prefect
    from prefect.logging import get_logger
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    environment = {
        **os.environ,
        # What SubprocessASGIServer sets: no UI, and only the services a temporary API needs.
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **settings.to_environment_variables(exclude_unset=True),
    }
    deadline = time.monotonic() + settings.server.ephemeral.startup_timeout_seconds
    for _attempt in range(3):  # uvicorn exits with 3 when it cannot start: another process may have taken the port
        port = _free_port()
        api_url = f"http://127.0.0.1:{port}/api"
        get_logger("nvo_nlp").info("Starting a temporary Prefect API for this run on %s", api_url)
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent), "--factory"]
            + ["prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port)]
            + ["--log-level", "error", "--lifespan", "on"],
            env=environment,
        )
        try:
            while server.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{api_url}/health", timeout=5).status_code == 200:
                        return server, api_url
                time.sleep(0.05)
        except BaseException:  # Ctrl-C while waiting: no API process left behind
            server.kill()
            server.wait()
            raise
        if server.returncode != 3:
            break
    server.kill()
    server.wait()
    raise ConfigError(
        f"the temporary Prefect API did not start (exit code {server.returncode}; the time allowed is "
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS): start a Prefect server "
        "and set PREFECT_API_URL, or run with --engine local"
    )


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
