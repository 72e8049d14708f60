"""Retry policy shared by the flows' I/O tasks."""

from nvo_nlp.errors import is_transient


def retry_on_transient(task, task_run, state) -> bool:
    """Prefect retry condition: retry only errors marked transient (never bad input)."""
    return is_transient(state.result(raise_on_failure=False))
