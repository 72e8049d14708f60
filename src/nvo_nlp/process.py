"""The pure core: from :class:`Article` values to article, mention and event records.

No I/O here: the flow and the CLI read files and write tables around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from nvo_nlp.events import Event, assemble_events
from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.ingest import Article
from nvo_nlp.langid import UNDETERMINED, LanguageResult, LanguageSpan, default_detector
from nvo_nlp.nlp.pipeline import COMPONENTS, SUPPORTED_LANGUAGES, pipeline_for


@dataclass(frozen=True)
class ArticleRecord:
    """One row of the ``articles`` table."""

    article_id: str
    origin: str
    url: str | None
    source: str | None
    title: str | None
    published_at: datetime | None
    language: str
    language_confidence: float
    language_reason: str | None
    language_declared: str | None
    license: str | None
    attribution: str | None
    author: str | None
    site_name: str | None
    text: str


@dataclass(frozen=True)
class ErrorRecord:
    """One row of the ``errors`` table: an input or article that could not be processed, and why."""

    origin: str
    stage: str
    kind: str
    reason: str


@dataclass(frozen=True)
class ArticleAnalysis:
    article: ArticleRecord
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    language_spans: tuple[LanguageSpan, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    analyses: tuple[ArticleAnalysis, ...]
    errors: tuple[ErrorRecord, ...]


def choose_language(article: Article, detected: LanguageResult) -> LanguageResult:
    """Detected language; the source's declared language only when detection is undetermined."""
    if detected.language == UNDETERMINED and article.language_hint:
        return LanguageResult(article.language_hint.lower(), 0.0, f"declared by source ({detected.reason})")
    return detected


def analyze(article: Article) -> ArticleAnalysis:
    """Language, mentions and events of one article."""
    detector = default_detector()
    detected, spans = detector.detect_document(article.text)
    language = choose_language(article, detected)
    nlp = pipeline_for(language.language if language.language in SUPPORTED_LANGUAGES else "xx")
    doc = nlp.make_doc(article.text)
    doc._.published = article.published_at.date() if article.published_at else None
    doc = nlp(doc)
    mentions = tuple(mentions_in(doc, *COMPONENTS))
    events = tuple(assemble_events(article.article_id, language.language, article.text, mentions))
    record = ArticleRecord(
        article_id=article.article_id,
        origin=article.origin,
        url=article.url,
        source=article.source,
        title=article.title,
        published_at=article.published_at,
        language=language.language,
        language_confidence=language.confidence,
        language_reason=language.reason,
        language_declared=article.language_hint,
        license=article.license,
        attribution=article.attribution,
        author=article.author,
        site_name=article.site_name,
        text=article.text,
    )
    return ArticleAnalysis(record, mentions, events, tuple(spans))


def analyze_batch(articles: Iterable[Article], *, on_article: Callable[[], None] | None = None) -> BatchResult:
    """Analyze many articles; one that fails becomes an error record and the rest go on.

    ``on_article`` is called after each article (progress reporting).
    """
    analyses, errors = [], []
    for article in articles:
        try:
            analyses.append(analyze(article))
        except Exception as exc:  # noqa: BLE001 — one bad article must not stop the batch
            errors.append(ErrorRecord(article.origin, "analyze", type(exc).__name__, str(exc) or repr(exc)))
        if on_article is not None:
            on_article()
    return BatchResult(tuple(analyses), tuple(errors))
