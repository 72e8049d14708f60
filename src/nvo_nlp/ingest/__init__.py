"""Ingest stage: turn local files into :class:`Article` values, and bad inputs into failures."""

from nvo_nlp.ingest.articles import Article, InputFailure, article_id_for, canonical_url
from nvo_nlp.ingest.local import SUPPORTED_SUFFIXES, discover_files, read_inputs, read_path

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Article",
    "InputFailure",
    "article_id_for",
    "canonical_url",
    "discover_files",
    "read_inputs",
    "read_path",
]
