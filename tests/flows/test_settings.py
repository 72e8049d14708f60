"""The temporary Prefect API of a run without a server: started first, shared, stopped at the end."""

import os
import subprocess
import sys
from urllib.parse import urlsplit

import httpx
import psutil
import pytest

from conftest import SAMPLES
from nvo_nlp.flows.settings import on_shared_server, shared_temporary_api


def test_settings_the_api_starts_while_prepare_runs_and_stops_after(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)

    def prepare() -> list[list[str]]:
        return [child.cmdline() for child in psutil.Process().children()]

    with shared_temporary_api(prepare) as children:
        api_url = os.environ["PREFECT_API_URL"]  # for the Dask workers this process spawns
        assert httpx.get(f"{api_url}/health").status_code == 200
        port = str(urlsplit(api_url).port)
        (server,) = [child for child in psutil.Process().children() if port in child.cmdline()]
        assert server.environ()["PREFECT_SERVER_ANALYTICS_ENABLED"].lower() == "false"  # runs are offline
    # The API process was already starting while prepare ran (the run imports Prefect meanwhile).
    assert any("prefect.server.api.server:create_app" in command and port in command for command in children)
    assert "PREFECT_API_URL" not in os.environ
    assert not server.is_running() or server.status() == psutil.STATUS_ZOMBIE


def test_settings_a_run_does_not_import_prefects_server(tmp_path):
    """Importing it cost the run's process 2.2 s of CPU before the API process began to start."""
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    script = (
        "import sys, nvo_nlp; "
        f"nvo_nlp.run([{str(SAMPLES)!r}], {str(tmp_path / 'out')!r}, engine='prefect'); "
        "print('imported' if 'prefect.server.api.server' in sys.modules else 'not imported')"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=environment
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip().splitlines()[-1] == "not imported"


@pytest.mark.parametrize("prepare_fails", [KeyboardInterrupt, RuntimeError])
def test_settings_no_api_process_outlives_a_start_that_fails(monkeypatch, prepare_fails):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    before = {child.pid for child in psutil.Process().children()}  # a test harness's API, if one runs
    started = []

    def prepare() -> None:
        started.extend(child for child in psutil.Process().children() if child.pid not in before)
        raise prepare_fails

    with pytest.raises(prepare_fails), shared_temporary_api(prepare):
        pass
    assert started and all(not p.is_running() or p.status() == psutil.STATUS_ZOMBIE for p in started)
    assert "PREFECT_API_URL" not in os.environ


def test_settings_the_runs_temporary_api_is_not_a_shared_server(monkeypatch):
    """Per-host limits are held on a server that runs share, not on the API a run started for itself."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert not on_shared_server()
    with shared_temporary_api(lambda: None):
        assert os.environ["PREFECT_API_URL"] and not on_shared_server()
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")  # as on a machine pointed at a server
    assert on_shared_server()
