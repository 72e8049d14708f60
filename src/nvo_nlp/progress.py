"""Progress events for long runs, so a front end (the CLI's progress bar) can follow them.

Events are ``(name, count)``: ingest reports discovered, fetched, unchanged, duplicate and
failed items; analysis reports queued and analyzed articles. Listeners are called in the
thread that reports, so they must be quick and thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_listeners: list[Callable[[str, int], None]] = []
_lock = threading.Lock()


@contextmanager
def progress_listener(callback: Callable[[str, int], None]) -> Iterator[None]:
    """Receive every progress event while the block runs."""
    with _lock:
        _listeners.append(callback)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(callback)


def report(event: str, count: int = 1) -> None:
    with _lock:
        listeners = list(_listeners)
    for callback in listeners:
        callback(event, count)
