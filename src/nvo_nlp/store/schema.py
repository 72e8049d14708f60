"""The single source of truth for the Parquet tables: columns, types and their documentation.

Every column's description is stored in the Parquet field metadata
(``description``), so ``pyarrow.parquet.read_schema(path).field(name).metadata``
documents the data wherever it travels. Writers cast to these schemas.

Each file also records the layout it was written with (``nvo_nlp_schema_version`` in
the schema metadata). Versions:

1. one ``part-0.parquet`` per table directory, no version in the metadata;
2. article tables Hive-partitioned by ``language=``/``year=``/``month=`` of publication;
   ``articles.duplicate_group``, ``events.event_group``, ``events.source_article_ids`` and
   the ``signatures`` table added (first as one file; partitioned like the article tables
   since, and the one file is moved into partitions by the next write, as version 1 files are).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyarrow as pa

_TEXTS = pa.list_(pa.string())

#: Layout and columns this code writes; it reads every version up to this one.
SCHEMA_VERSION = 2
#: The Parquet schema-metadata key holding the version (absent in version 1).
VERSION_KEY = "nvo_nlp_schema_version"


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = True


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    key: tuple[str, ...]  # columns that identify a row
    columns: tuple[Column, ...]
    order: tuple[str, ...] = ()  # row order on disk (defaults to the key): text order reads best
    #: Hive partition keys (directories ``key=value``), taken from the row's article.
    partitions: tuple[Column, ...] = ()

    @property
    def sort_columns(self) -> tuple[str, ...]:
        return self.order or self.key

    @functools.cached_property  # built once: writes and reads ask for it per file
    def schema(self) -> pa.Schema:
        fields = [
            pa.field(c.name, c.type, nullable=c.nullable, metadata={"description": c.description}) for c in self.columns
        ]
        metadata = {"table": self.name, "description": self.description, VERSION_KEY: str(SCHEMA_VERSION)}
        return pa.schema(fields, metadata=metadata)

    @property
    def partition_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.partitions)

    @functools.cached_property
    def file_schema(self) -> pa.Schema:
        """The schema inside each file: partition keys live in the directory names only (Hive style)."""
        schema = self.schema
        for name in self.partition_names:
            if name in schema.names:
                schema = schema.remove(schema.get_field_index(name))
        return schema

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_OFFSETS = (
    Column("start", pa.int32(), "Start character offset of the evidence in articles.text (inclusive).", False),
    Column("end", pa.int32(), "End character offset of the evidence in articles.text (exclusive).", False),
    Column("sentence_start", pa.int32(), "Start offset of the sentence holding the evidence.", False),
    Column("sentence_end", pa.int32(), "End offset of the sentence holding the evidence.", False),
)

# Researchers filter by language and period; Hive directories let DuckDB, polars and pyarrow skip the rest.
# An unknown publication date is year=0/month=0, not a null partition: pandas cannot read null partitions.
_BY_ARTICLE = (
    Column("language", pa.string(), "The article's language (articles.language).", False),
    Column("year", pa.int32(), "Year of the article's publication (UTC); 0 when unknown.", False),
    Column("month", pa.int32(), "Month of the article's publication (1-12, UTC); 0 when unknown.", False),
)

ARTICLES = TableSpec(
    name="articles",
    description="One row per article: metadata, detected language and the exact text all offsets refer to.",
    key=("article_id",),
    columns=(
        Column(
            "article_id",
            pa.string(),
            "Stable id: sha256 of the canonical URL, or of the normalized text when there is no URL (16 hex chars).",
            False,
        ),
        Column("origin", pa.string(), "File (path#line for JSONL) or URL the article was read from.", False),
        Column("url", pa.string(), "Canonical URL of the article, when known."),
        Column("source", pa.string(), "Publication or portal that published the article."),
        Column("title", pa.string(), "Headline of the article."),
        Column("published_at", pa.timestamp("us", tz="UTC"), "Publication time (UTC), when known."),
        Column("language", pa.string(), "Main language, ISO 639-1 code, or 'und' when undetermined.", False),
        Column("language_confidence", pa.float64(), "Confidence of the language decision in [0, 1].", False),
        Column("language_reason", pa.string(), "Why the language is 'und' or was taken from the source's declaration."),
        Column("language_declared", pa.string(), "Language the source declares (html lang, feed, sidecar)."),
        Column("license", pa.string(), "Licence of the article text, when the source states one."),
        Column("attribution", pa.string(), "Who to credit (publisher or data set) when reusing the text."),
        Column("author", pa.string(), "Author, when the page or feed names one."),
        Column("site_name", pa.string(), "Site name the page declares (og:site_name, feed title)."),
        Column("text", pa.string(), "Article text (NFC); all character offsets point into it.", False),
        Column(
            "content_hash",
            pa.string(),
            "sha256 of the article as read (text and metadata) and of the analysis (the package's code and data, the NER settings): a later run skips an article whose hash is unchanged. Empty in outputs of schema version 1.",
        ),
        Column(
            "duplicate_group",
            pa.string(),
            "Near-duplicate group (syndicated copies of one text with small edits, found by MinHash of word shingles): article_id of the group's first-published article; the article's own id when no other article is a copy. Empty in outputs of schema version 1.",
        ),
    ),
    partitions=_BY_ARTICLE,
)

MENTIONS = TableSpec(
    name="mentions",
    description="Every extracted value with its evidence offsets into articles.text.",
    key=("article_id", "mention_id"),
    order=("article_id", "start", "end", "type", "mention_id"),
    partitions=_BY_ARTICLE,
    columns=(
        Column("article_id", pa.string(), "Article the mention belongs to (articles.article_id).", False),
        Column("mention_id", pa.string(), "Stable id of the mention: hash of article, type and offsets.", False),
        Column(
            "type",
            pa.string(),
            "MUNICIPALITY, PLACE, COUNTRY, PERSON, ROLE, ORGANIZATION (any named organization; its kind in organization_kind), COMPANY, COMMUNITY, PROJECT, EVENT, ACTIVITY, HEADCOUNT, DATE or QUOTE.",
            False,
        ),
        Column("text", pa.string(), "The mention as written in the text.", False),
        Column(
            "normalized",
            pa.string(),
            "Nominative (dictionary) form; for DATE the ISO 8601 date or interval; for HEADCOUNT the count with ~, >, <, ≤ or a range.",
            False,
        ),
        *_OFFSETS,
        Column(
            "method",
            pa.string(),
            "What produced the mention: gazetteer, lexicon, rules, coreference (a later mention of a name found before) or model (statistical NER).",
            False,
        ),
        Column("confidence", pa.float64(), "Confidence in [0, 1].", False),
        Column(
            "entity_id",
            pa.string(),
            "Canonical entity: ISO 3166-2 code for municipalities (LT-21, LV-LPX), ISO 3166-1 alpha-2 for countries, person:/community:/org:/project: keys otherwise.",
        ),
        Column(
            "entity_name",
            pa.string(),
            "Canonical name of the linked entity (English for places, first-written name for projects).",
        ),
        Column("role", pa.string(), "ROLE/PERSON: role title in the nominative, as written (vicemerė)."),
        Column(
            "role_id", pa.string(), "ROLE/PERSON: role in the controlled vocabulary (vice_mayor, mayor, minister...)."
        ),
        Column("organization", pa.string(), "ROLE/PERSON: organization the official represents, nominative."),
        Column(
            "organization_id",
            pa.string(),
            "ROLE/PERSON: entity id of that organization (ISO 3166-2 code for a municipality).",
        ),
        Column(
            "organization_kind",
            pa.string(),
            "ORGANIZATION/COMPANY/COMMUNITY/MUNICIPALITY: ngo, community, government, municipality, company, media, international, education or other; ROLE/PERSON: the kind of the official's organization.",
        ),
        Column("person", pa.string(), "ROLE: nominative name of the person holding the role."),
        Column("count", pa.int64(), "HEADCOUNT: number of people (lower bound for ranges)."),
        Column("count_max", pa.int64(), "HEADCOUNT: upper bound of a range (20–30)."),
        Column("count_qualifier", pa.string(), "HEADCOUNT: exact, approx, more_than, less_than, at_most or range."),
        Column("counted_noun", pa.string(), "HEADCOUNT: lemma of the counted noun (svečias, dalībnieks, participant)."),
        Column("origin", pa.string(), "HEADCOUNT: where the people came from, nominative (Latvija)."),
        Column("origin_id", pa.string(), "HEADCOUNT: entity id of the origin (LV)."),
        Column("speaker", pa.string(), "QUOTE: nominative name of the speaker."),
        Column("speaker_id", pa.string(), "QUOTE: entity id of the speaker (person:...)."),
        Column("english_name", pa.string(), "PROJECT: English name of the project, when the text gives one."),
        Column(
            "programme",
            pa.string(),
            "PROJECT: funding programme or fund named in the article (Interreg ..., Kohēzijas fonds), as written.",
        ),
        Column(
            "event_type",
            pa.string(),
            "EVENT/ACTIVITY: activity type (meeting, visit, training, conference, festival...).",
        ),
        Column("partners", _TEXTS, "PROJECT: partner organizations named with the project, nominative."),
        Column("partner_ids", _TEXTS, "PROJECT: entity ids of the partners, aligned with partners."),
        Column("date_start", pa.date32(), "DATE: first day of the range; empty when the year is unknown."),
        Column("date_end", pa.date32(), "DATE: last day of the range; empty when the year is unknown."),
        Column("date_precision", pa.string(), "DATE: day, week, month-part, month, year or unknown."),
        Column(
            "date_iso", pa.string(), "DATE: ISO 8601 date or interval; year-less as --MM-DD when the year is unknown."
        ),
    ),
)

EVENTS = TableSpec(
    name="events",
    description="One row per activity an article reports, with the evidence sentence offsets.",
    key=("article_id", "event_id"),
    order=("article_id", "evidence_start", "event_id"),
    partitions=_BY_ARTICLE,
    columns=(
        Column("event_id", pa.string(), "Stable id of the event: hash of article and anchor offset.", False),
        Column("article_id", pa.string(), "Article reporting the event (articles.article_id).", False),
        Column(
            "event_type",
            pa.string(),
            "meeting, visit, training, conference, festival, exhibition, concert, competition, campaign or event.",
            False,
        ),
        Column("title", pa.string(), "Name of the event in the nominative, or the activity word when unnamed.", False),
        Column("date_start", pa.date32(), "First day of the event's date range; empty when unknown."),
        Column("date_end", pa.date32(), "Last day of the event's date range; empty when unknown."),
        Column("date_precision", pa.string(), "day, week, month-part, month, year or unknown."),
        Column("date_iso", pa.string(), "ISO 8601 date or interval; --MM-DD/--MM-DD when the year is unknown."),
        Column("date_text", pa.string(), "The date expression as written."),
        Column("places", _TEXTS, "Where the event took place, nominative."),
        Column("place_ids", _TEXTS, "Entity ids of places (ISO 3166-2), aligned with places."),
        Column("participant_count", pa.int64(), "Number of participants (lower bound for ranges)."),
        Column("participant_count_max", pa.int64(), "Upper bound when the count is a range."),
        Column("participant_count_qualifier", pa.string(), "exact, approx, more_than, less_than, at_most or range."),
        Column("participant_noun", pa.string(), "Lemma of the counted noun (svečias)."),
        Column("participant_origin", pa.string(), "Where participants came from, nominative."),
        Column("participant_origin_id", pa.string(), "Entity id of the participants' origin."),
        Column("officials", _TEXTS, "Officials taking part, nominative names."),
        Column("official_roles", _TEXTS, "Role ids of the officials, aligned with officials."),
        Column("official_organizations", _TEXTS, "Organizations of the officials, aligned with officials."),
        Column("organizations", _TEXTS, "Municipalities and organizations named, nominative."),
        Column("organization_ids", _TEXTS, "Entity ids of the organizations, aligned with organizations."),
        Column("communities", _TEXTS, "Communities named, nominative."),
        Column("project", pa.string(), "Project the event belongs to (first-written name)."),
        Column("project_english", pa.string(), "English name of the project."),
        Column("project_programme", pa.string(), "Funding programme of the project, when the article names one."),
        Column("project_id", pa.string(), "Entity id of the project (project:...)."),
        Column("project_partners", _TEXTS, "Project partners, nominative."),
        Column("project_partner_ids", _TEXTS, "Entity ids of the project partners."),
        Column("evidence_start", pa.int32(), "Start offset of the evidence sentence(s) in articles.text.", False),
        Column("evidence_end", pa.int32(), "End offset of the evidence sentence(s) in articles.text.", False),
        Column("evidence_text", pa.string(), "The evidence sentence(s).", False),
        Column("confidence", pa.float64(), "Confidence in [0, 1] that the article reports this activity.", False),
        Column("method", pa.string(), "What produced the event record.", False),
        Column(
            "date_method",
            pa.string(),
            "How the date was found: the extractor's method, then ':evidence' (the event's own sentences) or ':article' (elsewhere in the article).",
        ),
        Column("date_confidence", pa.float64(), "Confidence in [0, 1] of the date; empty when there is none."),
        Column(
            "places_method",
            pa.string(),
            "How the places was found: the extractor's method, then ':evidence' (the event's own sentences) or ':article' (elsewhere in the article).",
        ),
        Column("places_confidence", pa.float64(), "Confidence in [0, 1] of the places; empty when there is none."),
        Column(
            "participants_method",
            pa.string(),
            "How the participant count was found: the extractor's method, then ':evidence' (the event's own sentences) or ':article' (elsewhere in the article).",
        ),
        Column(
            "participants_confidence",
            pa.float64(),
            "Confidence in [0, 1] of the participant count; empty when there is none.",
        ),
        Column(
            "officials_method",
            pa.string(),
            "How the officials was found: the extractor's method, then ':evidence' (the event's own sentences) or ':article' (elsewhere in the article).",
        ),
        Column(
            "officials_confidence", pa.float64(), "Confidence in [0, 1] of the officials; empty when there is none."
        ),
        Column(
            "organizations_method",
            pa.string(),
            "How the organizations and communities was found: the extractor's method, then ':evidence' (the event's own sentences) or ':article' (elsewhere in the article).",
        ),
        Column(
            "organizations_confidence",
            pa.float64(),
            "Confidence in [0, 1] of the organizations and communities; empty when there is none.",
        ),
        Column(
            "project_method",
            pa.string(),
            "How the project was found: the extractor's method, then ':evidence' (the event's own sentences) or ':article' (elsewhere in the article).",
        ),
        Column("project_confidence", pa.float64(), "Confidence in [0, 1] of the project; empty when there is none."),
        Column(
            "event_group",
            pa.string(),
            "The same event reported by syndicated copies (articles.duplicate_group) is one group: event_id of its report in the first-published article; the row's own event_id when one article reports it. Count events with count(DISTINCT event_group). Empty in outputs of schema version 1.",
        ),
        Column(
            "source_article_ids",
            _TEXTS,
            "Every article reporting this event (the group's articles), first-published first.",
        ),
    ),
)

LANGUAGE_SPANS = TableSpec(
    name="language_spans",
    description="Language of every paragraph of every article, so mixed-language articles are visible.",
    key=("article_id", "start"),
    partitions=_BY_ARTICLE,
    columns=(
        Column("article_id", pa.string(), "Article (articles.article_id).", False),
        Column("start", pa.int32(), "Start offset of the paragraph in articles.text.", False),
        Column("end", pa.int32(), "End offset of the paragraph in articles.text.", False),
        Column("language", pa.string(), "ISO 639-1 code, or 'und' when undetermined.", False),
        Column("confidence", pa.float64(), "Confidence of the decision in [0, 1].", False),
        Column("reason", pa.string(), "Why the paragraph is 'und' (too few letters, ambiguous...)."),
    ),
)

ERRORS = TableSpec(
    name="errors",
    description="Inputs and articles that could not be processed, with the reason; the rest of the run went on.",
    key=("origin", "stage"),
    columns=(
        Column("origin", pa.string(), "File (path#line for JSONL) or URL that failed.", False),
        Column("stage", pa.string(), "Stage that failed: read or analyze.", False),
        Column(
            "kind",
            pa.string(),
            "Error kind: empty, binary, decode, malformed, unsupported, io, or an exception name.",
            False,
        ),
        Column("reason", pa.string(), "Human-readable reason.", False),
    ),
)

FETCH_LOG = TableSpec(
    name="fetch_log",
    description="One row per HTTP request of the ingest runs (under the raw directory), with the outcome and every failure's reason.",
    key=("run_id", "url", "purpose"),
    order=("run_id", "fetched_at", "url", "purpose"),
    columns=(
        Column("run_id", pa.string(), "Ingest run (UTC start time, sortable).", False),
        Column("source", pa.string(), "Source name from the sources file.", False),
        Column("purpose", pa.string(), "What the request was for: feed, sitemap or page.", False),
        Column("url", pa.string(), "Requested URL (canonicalized).", False),
        Column("final_url", pa.string(), "URL after redirects."),
        Column("status", pa.int32(), "HTTP status of the last attempt; empty when no response arrived."),
        Column("content_type", pa.string(), "Content-Type header of the response."),
        Column("bytes", pa.int64(), "Body size in bytes (after decompression)."),
        Column(
            "elapsed_ms", pa.float64(), "Wall time of the fetch including retries and waits, in milliseconds.", False
        ),
        Column("attempts", pa.int32(), "Number of attempts (1 + retries).", False),
        Column("conditional", pa.bool_(), "The request carried If-None-Match / If-Modified-Since.", False),
        Column("not_modified", pa.bool_(), "The server answered 304 Not Modified.", False),
        Column("body_sha256", pa.string(), "Content address of the stored body in raw/bodies/."),
        Column("outcome", pa.string(), "stored, unchanged, duplicate or failed.", False),
        Column(
            "error_kind",
            pa.string(),
            "Why it failed: timeout, connect, truncated, rate_limited, server_unavailable, http_NNN, too_large, decoding, redirect_loop, robots_disallowed, unsupported_scheme, invalid_url, host_not_allowed, private_address, unsafe_xml, malformed, empty...",
        ),
        Column("error_message", pa.string(), "Human-readable reason (or the duplicate's owner)."),
        Column("fetched_at", pa.timestamp("us", tz="UTC"), "When the fetch started (UTC).", False),
    ),
)

ENTITIES = TableSpec(
    name="entities",
    description="The canonical registry: one row per entity a mention links to, joinable on entity_id from mentions and events.",
    key=("entity_id",),
    columns=(
        Column(
            "entity_id",
            pa.string(),
            "Canonical id (mentions.entity_id): ISO 3166-2 / 3166-1 code, gazetteer id (LT-21:gargzdai), person:/org:/community:/project: key.",
            False,
        ),
        Column(
            "type",
            pa.string(),
            "municipality, country, place (town, county, eldership, region...), person, organization, company, community, project or event.",
            False,
        ),
        Column(
            "kind",
            pa.string(),
            "Gazetteer kind of places (municipality, town, eldership, county, country, city, region...) or organization kind (ngo, government, company, media...).",
        ),
        Column("name", pa.string(), "Nominative name in the language of the article that first named it.", False),
        Column("name_lt", pa.string(), "Lithuanian nominative name, when known."),
        Column("name_lv", pa.string(), "Latvian nominative name, when known."),
        Column("name_en", pa.string(), "English name, when known."),
        Column(
            "iso_code", pa.string(), "ISO 3166-2 (municipalities, counties) or ISO 3166-1 alpha-2 (countries) code."
        ),
        Column("country", pa.string(), "ISO 3166-1 alpha-2 code of the country a place lies in."),
        Column("parent", pa.string(), "entity_id of the unit a place belongs to (its municipality or county)."),
    ),
)

SIGNATURES = TableSpec(
    name="signatures",
    description="MinHash signature of every article's text, kept so that a run compares new articles with all earlier ones without re-reading their text.",
    key=("article_id",),
    columns=(
        Column("article_id", pa.string(), "Article (articles.article_id).", False),
        Column(
            "minhash",
            pa.list_(pa.uint32()),
            "Minimum hash of the text's casefolded 3-word shingles under each of 128 fixed hash functions; the share of equal positions estimates the Jaccard similarity of two texts.",
            False,
        ),
    ),
    # Partitioned like the article tables, so that a write rewrites the signatures of the months it
    # touches, not one file of every article's (a long backfill rewrote it with every batch).
    partitions=_BY_ARTICLE,
)

TABLES = {
    spec.name: spec for spec in (ARTICLES, MENTIONS, EVENTS, LANGUAGE_SPANS, ERRORS, ENTITIES, SIGNATURES, FETCH_LOG)
}
