"""Match predicted values to gold values article by article; precision, recall and F1 per field type.

Matching rules (also in ``tests/gold/README.md``):

- Every person counts in persons; only people with a role count as officials, and only quotations
  with a speaker as quotes.
- Predictions are grouped into one item per entity and article (every mention of "Liepāja" is one
  place); quotes and events are items one by one.
- A predicted item matches a gold item of the same field when their keys agree: persons (name),
  officials (person, role), organizations (name or an alias; a type word with a quoted name, or a
  company form with a name, also matches the name alone), headcounts (count, upper count, counted noun), dates (start,
  end, precision; when the gold has no start, the expression's text, which may be part of the gold's:
  "rugsėjį" matches "dar rugsėjį"), places (gazetteer id or name), projects (name or English name), quotes (speaker), events (type).
- Names compare after NFC normalization, case folding, collapsed spaces and without surrounding
  quotation marks; nothing else is forgiven (a name in the genitive is wrong).
- The match also needs evidence: a predicted mention's sentence (for quotes the quotation itself,
  for events their evidence) must overlap an occurrence of the gold evidence text.
- An organization's kind is scored apart, on the matched pairs (``EvaluationReport.kinds``).
- Each gold item matches at most one predicted item; a predicted item that repeats a matched gold
  key (the English name of a matched project) is neither right nor wrong; every other unmatched
  predicted item is a false positive. Scores are micro-averaged over articles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nvo_nlp.evaluation.gold import FIELDS, GoldArticle, GoldItem
from nvo_nlp.extract.mention import Mention
from nvo_nlp.process import ArticleAnalysis

_MENTION_FIELDS = {
    "PERSON": ("persons", "officials"),
    "COMMUNITY": ("organizations",),
    "ORGANIZATION": ("organizations",),
    "COMPANY": ("organizations",),
    "HEADCOUNT": ("headcounts",),
    "DATE": ("dates",),
    "PLACE": ("places",),
    "MUNICIPALITY": ("places", "organizations"),  # the territory and the institution
    "COUNTRY": ("places",),
    "PROJECT": ("projects",),
    "QUOTE": ("quotes",),
}
_QUOTES = "\"'„“”«»‘’‚"


@dataclass
class _Predicted:
    field: str
    keys: frozenset[tuple]
    label: str
    regions: list[tuple[int, int]] = field(default_factory=list)
    matched: bool = False
    kind: str | None = None


@dataclass(frozen=True)
class ItemResult:
    """One gold or predicted item and how it fared: ``tp``, ``fn`` (gold missed), ``fp`` (spurious)."""

    article_id: str
    field: str
    status: str
    gold: str | None
    predicted: str | None
    evidence: str | None
    gold_kind: str | None = None
    predicted_kind: str | None = None


@dataclass(frozen=True)
class FieldScore:
    field: str
    gold: int
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class EvaluationReport:
    articles: int
    scores: tuple[FieldScore, ...]
    items: tuple[ItemResult, ...]

    def score(self, field_name: str) -> FieldScore:
        return next(score for score in self.scores if score.field == field_name)

    @property
    def kinds(self) -> FieldScore:
        """Organization kinds on the matched organizations: ``precision`` is the share of right kinds."""
        matched = [item for item in self.items if item.field == "organizations" and item.status == "tp"]
        right = sum(item.gold_kind == item.predicted_kind for item in matched)
        return FieldScore("organization kinds", len(matched), len(matched), right)


def normalize_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name).strip().strip(_QUOTES).strip()
    return re.sub(r"\s+", " ", name).casefold()


def score_articles(pairs: Iterable[tuple[GoldArticle, ArticleAnalysis]]) -> EvaluationReport:
    items: list[ItemResult] = []
    count = 0
    for gold, analysis in pairs:
        items.extend(score_article(gold, analysis))
        count += 1
    scores = []
    for name in FIELDS:
        of_field = [item for item in items if item.field == name]
        true_positives = sum(item.status == "tp" for item in of_field)
        gold_count = true_positives + sum(item.status == "fn" for item in of_field)
        predicted = true_positives + sum(item.status == "fp" for item in of_field)
        scores.append(FieldScore(name, gold_count, predicted, true_positives))
    return EvaluationReport(count, tuple(scores), tuple(items))


def score_article(gold: GoldArticle, analysis: ArticleAnalysis) -> list[ItemResult]:
    text = analysis.article.text
    predicted = predicted_items(analysis)
    results = []
    for item in gold.items:
        keys = gold_keys(item)
        occurrences = [(m.start(), m.end()) for m in re.finditer(re.escape(item.evidence), text)]
        match = next(
            (
                candidate
                for candidate in predicted
                if candidate.field == item.field
                and not candidate.matched
                and _compatible(keys, candidate.keys)
                and any(_overlaps(region, spot) for region in candidate.regions for spot in occurrences)
            ),
            None,
        )
        label = _gold_label(item)
        gold_kind = item.values.get("kind")
        if match is None:
            results.append(ItemResult(gold.id, item.field, "fn", label, None, item.evidence, gold_kind))
            continue
        match.matched = True
        results.append(ItemResult(gold.id, item.field, "tp", label, match.label, item.evidence, gold_kind, match.kind))
        for echo in predicted:  # the same entity predicted under another of its keys
            if (
                echo.field == item.field
                and not echo.matched
                and echo.keys & keys
                and item.field not in ("quotes", "events")
            ):
                echo.matched = True
    for candidate in predicted:
        if not candidate.matched:
            spot = candidate.regions[0]
            results.append(
                ItemResult(
                    gold.id, candidate.field, "fp", None, candidate.label, text[spot[0] : spot[1]], None, candidate.kind
                )
            )
    return results


def gold_keys(item: GoldItem) -> frozenset[tuple]:
    v = item.values
    match item.field:
        case "persons":
            return frozenset({(normalize_name(v["name"]),)})
        case "officials":
            return frozenset({(normalize_name(v["person"]), v["role"])})
        case "organizations":
            return frozenset({(normalize_name(name),) for name in (v["name"], *(v.get("aliases") or ()))})
        case "headcounts":
            return frozenset({(int(v["count"]), v.get("count_max"), normalize_name(v["noun"]))})
        case "dates":
            if v.get("start"):
                return frozenset({("range", v["start"], v.get("end") or v["start"], v["precision"])})
            return frozenset({("text", normalize_name(item.evidence))})
        case "places":
            keys = {("name", normalize_name(v["name"]))}
            return frozenset(keys | ({("id", v["id"])} if v.get("id") else set()))
        case "projects":
            names = [v["name"], v.get("english_name")]
            return frozenset({(normalize_name(name),) for name in names if name})
        case "quotes":
            return frozenset({(normalize_name(v["speaker"]),)})
        case "events":
            return frozenset({(v["type"],)})
    raise ValueError(f"unknown field {item.field}")


def predicted_items(analysis: ArticleAnalysis) -> list[_Predicted]:
    grouped: dict[tuple, _Predicted] = {}
    for mention in analysis.mentions:
        for field_name in _MENTION_FIELDS.get(mention.type, ()):
            if field_name == "officials" and not mention.role_id:
                continue
            if field_name == "quotes" and not mention.speaker:
                continue  # an unattributed quotation claims no speaker: gold quotes all have one
            keys = _mention_keys(field_name, mention)
            label = _mention_label(field_name, mention)
            if field_name == "quotes":
                grouped[(field_name, keys, mention.start)] = _Predicted(
                    field_name, keys, label, [(mention.start, mention.end)]
                )
                continue
            item = grouped.setdefault(
                (field_name, keys), _Predicted(field_name, keys, label, kind=mention.organization_kind)
            )
            item.regions.append((mention.sentence_start, mention.sentence_end))
    events = [
        _Predicted(
            "events", frozenset({(event.event_type,)}), event.event_type, [(event.evidence_start, event.evidence_end)]
        )
        for event in analysis.events
    ]
    return list(grouped.values()) + events


def _mention_keys(field_name: str, m: Mention) -> frozenset[tuple]:
    match field_name:
        case "officials":
            return frozenset({(normalize_name(m.normalized), m.role_id)})
        case "headcounts":
            return frozenset({(m.count, m.count_max, normalize_name(m.counted_noun or ""))})
        case "dates":
            if m.date_start is not None:
                end = m.date_end or m.date_start
                return frozenset({("range", m.date_start.isoformat(), end.isoformat(), m.date_precision)})
            return frozenset({("text", normalize_name(m.text))})
        case "places":
            return frozenset(
                {("name", normalize_name(m.normalized))} | ({("id", m.entity_id)} if m.entity_id else set())
            )
        case "quotes":
            return frozenset({(normalize_name(m.speaker or ""),)})
        case "organizations":
            # biedrība „Irlavas interešu klubiņš“ is also known by its quoted name alone.
            quoted = re.search(r"„(.+)“", m.normalized)
            # "SIA Venceb" is also "Venceb": the legal form is no part of the name proper.
            form = re.match(r"(?:SIA|AS|UAB|AB|VšĮ) (.+)", m.normalized)
            names = {m.normalized} | {match[1] for match in (quoted, form) if match}
            return frozenset((normalize_name(name),) for name in names)
    return frozenset({(normalize_name(m.normalized),)})


def _mention_label(field_name: str, m: Mention) -> str:
    match field_name:
        case "officials":
            return f"{m.normalized} ({m.role_id})"
        case "headcounts":
            upper = f"-{m.count_max}" if m.count_max else ""
            return f"{m.count}{upper} {m.counted_noun}"
        case "dates":
            return f"{m.text} -> {m.date_start}/{m.date_end} {m.date_precision}"
        case "places":
            return f"{m.normalized} [{m.entity_id}]" if m.entity_id else m.normalized
        case "quotes":
            return f"{m.speaker}: {m.text[:40]}"
        case "organizations":
            return f"{m.normalized} ({m.organization_kind})"
    return m.normalized


def _gold_label(item: GoldItem) -> str:
    v = item.values
    match item.field:
        case "officials":
            return f"{v['person']} ({v['role']})"
        case "headcounts":
            upper = f"-{v['count_max']}" if v.get("count_max") else ""
            return f"{v['count']}{upper} {v['noun']}"
        case "dates":
            return f"{item.evidence} -> {v.get('start')}/{v.get('end')} {v['precision']}"
        case "places":
            return f"{v['name']} [{v['id']}]" if v.get("id") else v["name"]
        case "quotes":
            return f"{v['speaker']}: {item.evidence[:40]}"
        case "events":
            return v["type"] + (f" {v['title']}" if v.get("title") else "")
        case "organizations":
            return f"{v['name']} ({v['kind']})"
    return v["name"]


def _compatible(gold: frozenset[tuple], predicted: frozenset[tuple]) -> bool:
    """Keys agree; an unresolved date's text may be a part of the gold text ("rugsėjį" in "dar rugsėjį")."""
    if gold & predicted:
        return True
    gold_texts = [key[1] for key in gold if key[0] == "text"]
    return any(key[0] == "text" and key[1] and any(key[1] in text for text in gold_texts) for key in predicted)


def _overlaps(a: Sequence[int], b: Sequence[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
