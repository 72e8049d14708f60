"""CPU seconds of each process of a command: the flow process, Prefect's temporary API, Dask workers.

Usage: python benchmarks/process_cpu.py nvo-nlp run --input corpus.jsonl --output OUT --engine dask --dask-workers 2

Needs psutil (installed with the dask extra). Runs the command and reads the CPU time (user + system)
of it and of every process it starts, four times a second until it ends; a process's last reading
counts. However many workers a Dask run has, the flow process's share is not spread over them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from typing import IO

import psutil


def kind(command: list[str]) -> str:
    joined = " ".join(command)
    if "uvicorn" in joined:
        return "Prefect API"
    if "spawn_main" in joined:
        return "Dask worker"
    if "resource_tracker" in joined:
        return "resource tracker"
    return "flow process"


def main() -> None:
    command = sys.argv[1:]
    if not command:
        raise SystemExit(__doc__)
    with tempfile.TemporaryFile() as errors:  # a pipe would fill with the run's log lines and stall it
        wall, seconds = measure(command, errors)
    by_kind: dict[str, list[float]] = defaultdict(list)
    for name, cpu in seconds.values():
        by_kind[name].append(cpu)
    print(f"wall {wall:.1f} s, CPU {sum(cpu for _, cpu in seconds.values()):.1f} s")
    for name, values in sorted(by_kind.items()):
        print(f"  {name:<18}{' + '.join(f'{value:.1f}' for value in sorted(values))} s")


def measure(command: list[str], errors: IO[bytes]) -> tuple[float, dict[int, tuple[str, float]]]:
    """Wall seconds of ``command``, and (kind, CPU seconds) of each of its processes by pid."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
    root = psutil.Process(child.pid)
    seconds: dict[int, tuple[str, float]] = {}
    while child.poll() is None:
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            break  # the command ended meanwhile
        for process in processes:
            try:
                times = process.cpu_times()
                seconds[process.pid] = (kind(process.cmdline()), times.user + times.system)
            except psutil.Error:
                continue  # ended between the listing and the reading: its last reading stands
        time.sleep(0.25)
    wall = time.perf_counter() - started
    if child.wait():
        errors.seek(0)
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')}")
    return wall, seconds


if __name__ == "__main__":
    main()
