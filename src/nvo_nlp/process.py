"""The pure core: from :class:`Article` values to article, mention and event records.

No I/O here: the flow and the CLI read files and write tables around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from nvo_nlp.events import Event, assemble_events
from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.ingest import Article
from nvo_nlp.langid import UNDETERMINED, LanguageResult, LanguageSpan, default_detector
from nvo_nlp.nlp.pipeline import COMPONENTS, SUPPORTED_LANGUAGES, one_blas_thread, pipeline_for

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


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


# Docs per nlp.pipe call: the NER model reads them together, so its matrix products and each step of its
# decoder (nlp/greedy_ner.py) serve every sentence of the batch. 32 docs run 200 corpus articles in 4 %
# fewer instructions than 8 (callgrind), for about 70 MB more at the peak (1,000 articles: 511 against
# 441 MB); 64 docs in 1.2 % fewer than 32, for 45 MB more (559 against 514 MB); identical results
# (benchmarks/README.md).
PIPE_BATCH_SIZE = 64


@dataclass(frozen=True)
class _Prepared:
    """An article with its language decided, waiting for its pipeline."""

    article: Article
    language: LanguageResult
    spans: tuple[LanguageSpan, ...]
    nlp: Language

    def make_doc(self) -> Doc:
        doc = self.nlp.make_doc(self.article.text)
        doc._.published = self.article.published_at.date() if self.article.published_at else None
        return doc


def _prepare(article: Article) -> _Prepared:
    detected, spans = default_detector().detect_document(article.text)
    language = choose_language(article, detected)
    nlp = pipeline_for(language.language if language.language in SUPPORTED_LANGUAGES else "xx")
    return _Prepared(article, language, tuple(spans), nlp)


def _finish(prepared: _Prepared, doc: Doc) -> ArticleAnalysis:
    article, language = prepared.article, prepared.language
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
    return ArticleAnalysis(record, mentions, events, prepared.spans)


def analyze(article: Article) -> ArticleAnalysis:
    """Language, mentions and events of one article."""
    prepared = _prepare(article)
    with one_blas_thread():
        doc = prepared.nlp(prepared.make_doc())
    return _finish(prepared, doc)


def analyze_batch(articles: Iterable[Article], *, on_article: Callable[[], None] | None = None) -> BatchResult:
    """Analyze many articles, the same as :func:`analyze` one by one but with each language's pipeline
    run on batches of docs; one that fails becomes an error record and the rest go on.

    ``on_article`` is called after each article (progress reporting). Results keep the input order.
    """
    outcomes: list[ArticleAnalysis | ErrorRecord | None] = []
    by_pipeline: dict[Language, list[tuple[int, _Prepared]]] = {}
    for article in articles:
        try:
            prepared = _prepare(article)
        except Exception as exc:  # noqa: BLE001 — one bad article must not stop the batch
            outcomes.append(_error(article, exc))
            _call(on_article)
            continue
        by_pipeline.setdefault(prepared.nlp, []).append((len(outcomes), prepared))
        outcomes.append(None)
    with one_blas_thread():
        for group in by_pipeline.values():
            for position, prepared, doc in _run_pipeline(group):
                outcomes[position] = _finish_or_error(prepared, doc)
                _call(on_article)
    return BatchResult(
        tuple(item for item in outcomes if isinstance(item, ArticleAnalysis)),
        tuple(item for item in outcomes if isinstance(item, ErrorRecord)),
    )


def _run_pipeline(group: list[tuple[int, _Prepared]]) -> Iterator[tuple[int, _Prepared, Doc | Exception]]:
    """Docs of one pipeline's articles through ``nlp.pipe``; after a failure, the rest one at a time,
    so that only the article that fails is lost."""
    nlp = group[0][1].nlp
    done = 0
    try:
        for doc in nlp.pipe((prepared.make_doc() for _, prepared in group), batch_size=PIPE_BATCH_SIZE):
            yield *group[done], doc
            done += 1
    except Exception:  # noqa: BLE001 — which doc of the batch failed is unknown: retry them singly
        for position, prepared in group[done:]:
            try:
                doc = nlp(prepared.make_doc())
            except Exception as exc:  # noqa: BLE001
                yield position, prepared, exc
                continue
            yield position, prepared, doc


def _finish_or_error(prepared: _Prepared, doc: Doc | Exception) -> ArticleAnalysis | ErrorRecord:
    if isinstance(doc, Exception):
        return _error(prepared.article, doc)
    try:
        return _finish(prepared, doc)
    except Exception as exc:  # noqa: BLE001
        return _error(prepared.article, exc)


def _error(article: Article, exc: Exception) -> ErrorRecord:
    return ErrorRecord(article.origin, "analyze", type(exc).__name__, str(exc) or repr(exc))


def _call(callback: Callable[[], None] | None) -> None:
    if callback is not None:
        callback()
