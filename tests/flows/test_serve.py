"""Scheduled runs against a REAL Prefect server that this module starts on 127.0.0.1 (about 60 s in all).

The server (``prefect server start``, fresh SQLite database in a temporary PREFECT_HOME) serves the
whole module. ``nvo-nlp serve`` runs in a subprocess and a run of its deployment is triggered over the
API; ``prefect.yaml`` is deployed with ``prefect deploy`` and a run of it executed by a process worker.
Every subprocess is stopped at the end. Nothing touches the network: the sources files stay unread.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL, temporary_settings

import nvo_nlp
from conftest import LT_SAMPLE, REPO, SAMPLES

SERVER_TIMEOUT = 90
RUN_TIMEOUT = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path, **settings: str) -> dict[str, str]:
    """This environment without any Prefect setting of the machine, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", **settings)
    return env


class Process:
    """A subprocess in its own process group, its output in a file, stopped by :meth:`stop`."""

    def __init__(self, args: list[str], log: Path, **kwargs):
        self.log = log
        self._file = log.open("wb")
        self.popen = subprocess.Popen(
            args, stdout=self._file, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            if self.popen.poll() is not None:
                break
            try:
                os.killpg(self.popen.pid, sig)  # the group of this process only: its runs too
            except ProcessLookupError:
                break
            try:
                self.popen.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        self._file.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Prefect server on a free port of 127.0.0.1; yields (API URL, PREFECT_HOME)."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = _env(home, PREFECT_SERVER_UI_ENABLED="false")
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    process = Process(command, home / "server.log", env=env, cwd=home)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if not process.running() or time.monotonic() > deadline:
                pytest.fail(f"the Prefect server did not start within {SERVER_TIMEOUT} s:\n{process.output()}")
            time.sleep(0.5)
        with temporary_settings(updates={PREFECT_API_URL: api}):
            yield api, home
            _flush_to_api()
    finally:
        process.stop()


def _flush_to_api() -> None:
    """Send this process's pending flow run logs and events while the server is up (not at exit)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)


def _wait_for_deployment(name: str, process: Process, timeout: float = 90):
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            try:
                return client.read_deployment_by_name(name)
            except ObjectNotFound:
                pass
            if not process.running() or time.monotonic() > deadline:
                pytest.fail(f"no deployment {name} after {timeout} s:\n{process.output()}")
            time.sleep(0.5)


def _flow_run_state(flow_run_id):
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id).state


def test_nvo_nlp_serve_runs_its_deployment_to_parquet(server, tmp_path):
    from prefect.deployments import run_deployment

    api, home = server
    env = _env(home, PREFECT_API_URL=api, PREFECT_RUNNER_POLL_FREQUENCY="1")
    serve = Process(
        [sys.executable, "-m", "nvo_nlp.cli", "serve", "--input", str(SAMPLES), "--output", "out"]
        + ["--cron", "0 6 * * *", "--name", "test-serve"],
        tmp_path / "serve.log",
        env=env,
        cwd=tmp_path,
    )
    try:
        deployment = _wait_for_deployment("nvo-nlp-scheduled-run/test-serve", serve)
        [schedule] = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == (
            "0 6 * * *",
            "Europe/Vilnius",
            True,
        )
        assert deployment.entrypoint == "nvo_nlp.flows.serve.scheduled_run"
        assert deployment.work_pool_name is None and not deployment.paused  # served: no work pool, no worker
        output = tmp_path / "out"  # made absolute: the runs do not depend on a working directory
        assert deployment.parameters["inputs"] == [str(SAMPLES)]
        assert deployment.parameters["output"] == str(output)

        flow_run = run_deployment(deployment.id, timeout=RUN_TIMEOUT, poll_interval=1)
        assert flow_run.state.is_completed(), f"{flow_run.state}\n{serve.output()}"
    finally:
        serve.stop()
    with get_client(sync_client=True) as client:  # stopping serve (Ctrl-C, SIGTERM) pauses its schedule
        assert client.read_deployment_by_name("nvo-nlp-scheduled-run/test-serve").paused

    articles = nvo_nlp.load("articles", output)
    assert len(articles) == 7 and set(articles.language) == {"lt", "lv"}
    mentions, events = nvo_nlp.load("mentions", output), nvo_nlp.load("events", output)
    assert set(mentions.article_id) <= set(articles.article_id) and len(mentions) > 50
    assert "Patirties mainų diena" in set(events.title)
    assert (output / "timeline.html").exists()


def test_prefect_yaml_deploys_and_a_worker_runs_it(server, tmp_path):
    from prefect.deployments import run_deployment

    api, home = server
    env = _env(home, PREFECT_API_URL=api)

    def prefect(*args: str, cwd: Path) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "prefect", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    prefect("work-pool", "create", "nvo", "--type", "process", cwd=tmp_path)  # the README's commands
    prefect("work-pool", "set-concurrency-limit", "nvo", "1", cwd=tmp_path)
    prefect("--no-prompt", "deploy", "--all", cwd=REPO)

    with get_client(sync_client=True) as client:
        ingest = client.read_deployment_by_name("nvo-nlp-scheduled-ingest/ingest")
        runs = {lang: client.read_deployment_by_name(f"nvo-nlp-scheduled-run/run-{lang}") for lang in ("lt", "lv")}
    assert ingest.entrypoint == "flows/serve.py:scheduled_ingest"
    assert ingest.parameters == {"sources": "sources.example.toml", "output": "data/processed"}
    for lang, deployment in runs.items():
        assert deployment.entrypoint == "flows/serve.py:scheduled_run" and deployment.work_pool_name == "nvo"
        assert deployment.parameters == {
            "sources": "sources.example.toml",
            "output": "data/processed",
            "languages": [lang],
            "ner": {"lv": "bundled"},
        }
        # The relative paths are the repository's: prefect deploy recorded where it ran.
        assert deployment.pull_steps == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO.resolve())}}
        ]
    schedules = {
        d.name: [(s.schedule.cron, s.schedule.timezone) for s in d.schedules] for d in (ingest, *runs.values())
    }
    assert schedules == {
        "ingest": [("0 */3 * * *", "Europe/Vilnius")],
        "run-lt": [("0 6 * * *", "Europe/Vilnius")],
        "run-lv": [("30 6 * * *", "Europe/Vilnius")],
    }

    # A run of run-lt on the samples instead of the web (no sources), into a temporary output.
    output = tmp_path / "out"
    parameters = {"sources": None, "inputs": [str(SAMPLES)], "output": str(output)}
    flow_run = run_deployment(runs["lt"].id, parameters=parameters, timeout=0)
    worker = subprocess.run(
        [sys.executable, "-m", "prefect", "worker", "start", "--pool", "nvo", "--run-once"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    state = _flow_run_state(flow_run.id)
    assert state.is_completed(), f"{state}\n{worker.stdout}\n{worker.stderr}"
    articles = nvo_nlp.load("articles", output)
    # languages=[lt]: the Lithuanian sample only; the 6 Latvian ones are left for run-lv.
    assert list(articles.origin) == [LT_SAMPLE.as_posix()] and list(articles.language) == ["lt"]
    assert len(nvo_nlp.load("mentions", output)) > 20


def test_scheduled_run_ingests_then_analyzes_the_raw_store_one_language_group_at_a_time(server, tmp_path):
    """What one run leaves out (another language), or what an ingest run brought, a later run analyzes."""
    from nvo_nlp.flows.serve import scheduled_run

    lt, lv = tmp_path / "lt", tmp_path / "lv"
    for folder, files in ((lt, (LT_SAMPLE, LT_SAMPLE.with_suffix(".json"))), (lv, (SAMPLES / "lv_regional.jsonl",))):
        folder.mkdir()
        for path in files:
            (folder / path.name).write_bytes(path.read_bytes())
    sources = tmp_path / "sources.toml"  # a local folder: nothing is fetched
    sources.write_text('[[source]]\nname = "lv"\nkind = "folder"\npath = "lv"\n', encoding="utf-8")
    output = tmp_path / "processed"

    first = scheduled_run(sources=str(sources), inputs=[str(lt)], output=str(output), languages=["lv"])
    assert (first.articles, first.unchanged, first.errors) == (6, 0, ())
    assert len(list((tmp_path / "raw" / "articles").glob("*.jsonl"))) == 1  # the ingest's, beside the output
    assert set(nvo_nlp.load("articles", output).language) == {"lv"}  # the Lithuanian input is left out

    second = scheduled_run(inputs=[str(lt)], output=str(output), languages=["lt"])
    assert (second.articles, second.unchanged) == (1, 6)
    third = scheduled_run(output=str(output))  # the raw store only: all of it analyzed already
    assert (third.articles, third.unchanged) == (0, 6)
    table = nvo_nlp.load("articles", output)
    assert len(table) == 7 and sorted(table.language) == ["lt"] + ["lv"] * 6


def test_served_deployments_carry_schedule_and_parameters():
    from nvo_nlp.flows.serve import deployments

    run, ingest = deployments(
        name="daily",
        cron="15 5 * * 1-5",
        timezone="Europe/Riga",
        ingest_cron="0 * * * *",
        output="/data/processed",
        sources="/data/sources.toml",
        languages=["lv"],
        ner={"lv": "none"},
    )
    assert (run.name, run.entrypoint) == ("daily", "nvo_nlp.flows.serve.scheduled_run")
    assert [(s.schedule.cron, s.schedule.timezone) for s in run.schedules] == [("15 5 * * 1-5", "Europe/Riga")]
    assert run.parameters["languages"] == ["lv"] and run.parameters["ner"] == {"lv": "none"}
    assert ingest.entrypoint == "nvo_nlp.flows.serve.scheduled_ingest"
    assert ingest.parameters == {"sources": "/data/sources.toml", "output": "/data/processed", "raw": None}
    assert [(s.schedule.cron, s.schedule.timezone) for s in ingest.schedules] == [("0 * * * *", "Europe/Riga")]
    [run_only] = deployments(name="x", cron="0 6 * * *", timezone="Europe/Vilnius", output="/out", inputs=["/in"])
    assert run_only.parameters["inputs"] == ["/in"] and run_only.parameters["sources"] is None
