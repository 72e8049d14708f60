"""Events stage: assemble activity records from an article's mentions."""

from nvo_nlp.events.assemble import Event, assemble_events

__all__ = ["Event", "assemble_events"]
