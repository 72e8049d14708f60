"""Report stage: the HTML event timeline."""

from nvo_nlp.report.timeline import render_timeline, write_timeline

__all__ = ["render_timeline", "write_timeline"]
