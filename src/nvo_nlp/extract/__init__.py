"""Extraction stage: pure functions from a spaCy ``Doc`` to :class:`Mention` values."""

from nvo_nlp.extract.mention import MENTION_TYPES, Mention, ascii_key

__all__ = ["MENTION_TYPES", "Mention", "ascii_key"]
