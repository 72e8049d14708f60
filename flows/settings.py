"""Prefect settings for runs on the embedded (temporary) API."""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from nvo_nlp.errors import ConfigError

T = TypeVar("T")

#: Set beside PREFECT_API_URL while it points at the temporary API a run started for itself.
_TEMPORARY_API_URL = "NVO_NLP_TEMPORARY_API_URL"


@contextmanager
def local_run_settings() -> Iterator[None]:
    """Settings for a one-shot run: no flow heartbeats (the temporary API it starts sends no telemetry).

    Heartbeats let a server notice crashed runs of deployments on workers; a run in
    this process needs none, and their thread costs about 1 s at the end of every
    flow and subflow (measured: an empty flow takes 1.1 s with them, 0.1 s without).
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@contextmanager
def shared_temporary_api(prepare: Callable[[], T]) -> Iterator[T]:
    """Without a Prefect server (``PREFECT_API_URL`` unset), start the temporary API here and point this
    process and the Dask workers it spawns at it; stop it when the run ends. Yields what ``prepare``
    returns, run while the API process starts (importing Prefect and the flows: both take seconds).

    Otherwise every worker process starts a temporary API of its own (a uvicorn process, on the cores
    the analysis needs) and reports its task runs there, out of the flow run's sight. Sharing one:
    2,000 articles on two workers, 74.5 -> 51.7 s (``benchmarks/engines.py --only dask``). Runs on the
    prefect engine use it too, for its faster start (:class:`_TemporaryApi`).
    """
    if os.environ.get("PREFECT_API_URL"):
        yield prepare()
        return
    server = _TemporaryApi()
    try:
        prepared = prepare()
        api_url = server.wait_until_ready()
    except BaseException:  # Ctrl-C or an error while starting: no API process left behind
        server.stop()
        raise
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.utilities.asyncutils import run_coro_as_sync

    os.environ["PREFECT_API_URL"] = api_url  # read by the worker processes, spawned after this
    os.environ[_TEMPORARY_API_URL] = api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            try:
                yield prepared
            finally:
                # Logs and events still queued would retry against the stopped API for a minute at exit.
                run_coro_as_sync(_send_queued_logs_and_events())
    finally:
        del os.environ["PREFECT_API_URL"], os.environ[_TEMPORARY_API_URL]
        server.stop()


def on_shared_server() -> bool:
    """Whether ``PREFECT_API_URL`` is a Prefect server that other runs may share, not the temporary API
    of this run (which serves it alone: per-host limits held there would only slow its requests)."""
    api_url = os.environ.get("PREFECT_API_URL")
    return bool(api_url) and api_url != os.environ.get(_TEMPORARY_API_URL)


class _TemporaryApi:
    """The API process Prefect's own ``SubprocessASGIServer`` starts (same command and settings), started
    before this process imports Prefect's server or even Prefect: that import alone took 2.2 s of this
    process's CPU before the API process began to start, and Prefect itself takes another second or two
    that can now pass while the API starts. A port of our own: Prefect's default server may already
    serve the process's other flows (a test harness), and stopping it after this run broke them."""

    def __init__(self) -> None:
        self.environment = {
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # runs are offline: no telemetry, unless asked for
            **os.environ,
            # What SubprocessASGIServer sets: no UI, and only the services a temporary API needs.
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
        }
        if "prefect" in sys.modules:
            # Settings changed in this process (temporary_settings, a test harness), as Prefect passes them;
            # before Prefect is imported there are none: the API process reads the environment and profile.
            from prefect.settings import get_current_settings

            self.environment.update(get_current_settings().to_environment_variables(exclude_unset=True))
        self._spawn()

    def _spawn(self) -> None:
        prefect_init = importlib.util.find_spec("prefect").origin  # found, not imported
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect_init).parent.parent), "--factory"]
            + ["prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port)]
            + ["--log-level", "error", "--lifespan", "on"],
            env=self.environment,
        )

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_until_ready(self) -> str:
        """The API's URL once it answers; a :class:`ConfigError` if it does not start in the time allowed."""
        import httpx
        from prefect.logging import get_logger
        from prefect.settings import get_current_settings

        deadline = time.monotonic() + get_current_settings().server.ephemeral.startup_timeout_seconds
        for _attempt in range(3):  # uvicorn exits with 3 when it cannot start: another process may have taken the port
            get_logger("nvo_nlp").info("Starting a temporary Prefect API for this run on %s", self.api_url)
            while self.process.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{self.api_url}/health", timeout=5).status_code == 200:
                        return self.api_url
                time.sleep(0.05)
            if self.process.returncode != 3:
                break
            self._spawn()
        raise ConfigError(
            f"the temporary Prefect API did not start (exit code {self.process.poll()}; the time allowed is "
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS): start a Prefect server "
            "and set PREFECT_API_URL, or run with --engine local"
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


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
