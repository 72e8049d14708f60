"""Report stage: the HTML event timeline and the markdown summary of a run."""

from nvo_nlp.report.run_summary import run_summary_markdown
from nvo_nlp.report.timeline import render_timeline, write_timeline

__all__ = ["render_timeline", "run_summary_markdown", "write_timeline"]
