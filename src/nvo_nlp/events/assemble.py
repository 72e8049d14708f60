"""Assemble the activities an article reports from its mentions.

The main activity is anchored on the first named event („Patirties mainų diena“)
and the first event word (susitikimas, tikšanās, meeting...); its type is that
word's. Every further named event, and the first word of every further activity
type, is an activity of its own. Later words of the main type, and visits
(viešnagė, vizīte: the travel part of a meeting or festival), belong to the main
activity. An activity's evidence is its anchors' sentences. Fields of the main
activity come from the anchor sentences first and from the whole article second;
further activities take date, places and headcount from their own sentences only.
Each field records the method and confidence of the mentions it came from, discounted
when they stand outside the activity's sentences:

- date: first DATE in the evidence, else the article's first DATE finer than a year;
- places: places in the locative (where it happened) in the evidence, else any place there;
- headcount: first HEADCOUNT in the evidence, else of the article;
- officials, organizations, communities, project: all of the article, deduplicated by entity (officials
  by person and role).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.places import is_locative

_PLACE_TYPES = ("PLACE", "MUNICIPALITY")
# Outside the evidence, a bare year ("since 1977") is background, not when the event happened.
_ARTICLE_WIDE_PRECISIONS = ("day", "week", "month-part", "month")


@dataclass(frozen=True)
class Event:
    """One activity reported by an article, with evidence offsets into the article text."""

    event_id: str
    article_id: str
    event_type: str
    title: str
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    date_iso: str | None
    date_text: str | None
    places: tuple[str, ...]
    place_ids: tuple[str, ...]
    participant_count: int | None
    participant_count_max: int | None
    participant_count_qualifier: str | None
    participant_noun: str | None
    participant_origin: str | None
    participant_origin_id: str | None
    officials: tuple[str, ...]
    official_roles: tuple[str, ...]
    official_organizations: tuple[str, ...]
    organizations: tuple[str, ...]
    organization_ids: tuple[str, ...]
    communities: tuple[str, ...]
    project: str | None
    project_english: str | None
    project_programme: str | None
    project_id: str | None
    project_partners: tuple[str, ...]
    project_partner_ids: tuple[str, ...]
    evidence_start: int
    evidence_end: int
    evidence_text: str
    confidence: float
    method: str
    date_method: str | None = None
    date_confidence: float | None = None
    places_method: str | None = None
    places_confidence: float | None = None
    participants_method: str | None = None
    participants_confidence: float | None = None
    officials_method: str | None = None
    officials_confidence: float | None = None
    organizations_method: str | None = None
    organizations_confidence: float | None = None
    project_method: str | None = None
    project_confidence: float | None = None


def assemble_events(article_id: str, lang: str, text: str, mentions: Sequence[Mention]) -> list[Event]:
    """The activities of one article, the main one first."""
    named = _unique([m for m in mentions if m.type == "EVENT"])
    triggers = [m for m in mentions if m.type == "ACTIVITY"]
    if not named and not triggers:
        return []
    main_type = (triggers[0] if triggers else named[0]).event_type or "event"
    activities = [(named[:1] + triggers[:1], main_type)]
    activities += [([m], m.event_type or "event") for m in named[1:]]
    seen_types = {main_type, "visit", *(m.event_type for m in named)}
    for trigger in triggers[1:]:
        if (trigger.event_type or "event") not in seen_types:
            seen_types.add(trigger.event_type or "event")
            activities.append(([trigger], trigger.event_type or "event"))
    events = [
        _event(article_id, lang, text, mentions, anchors, event_type, main=index == 0)
        for index, (anchors, event_type) in enumerate(activities)
    ]
    return sorted(events, key=lambda event: event.evidence_start)


def _event(
    article_id: str,
    lang: str,
    text: str,
    mentions: Sequence[Mention],
    anchors: list[Mention],
    event_type: str,
    *,
    main: bool,
) -> Event:
    title_mention = anchors[0]
    sentences = sorted({(m.sentence_start, m.sentence_end) for m in anchors})
    in_evidence = [m for m in mentions if (m.sentence_start, m.sentence_end) in sentences]
    article_wide = mentions if main else []

    dates = _first(in_evidence, "DATE") or next(
        (m for m in article_wide if m.type == "DATE" and m.date_precision in _ARTICLE_WIDE_PRECISIONS), None
    )
    places = [m for m in in_evidence if m.type in _PLACE_TYPES and m.entity_id]
    where = [m for m in places if is_locative(m, lang)] or places
    headcount = _first(in_evidence, "HEADCOUNT") or _first(article_wide, "HEADCOUNT")
    # One official per person and role: a mayor who also chairs the council is both.
    officials = _unique([m for m in mentions if m.type == "PERSON" and m.role_id], by_role=True)
    organizations = _unique([m for m in mentions if m.type in ("MUNICIPALITY", "ORGANIZATION", "COMPANY")])
    communities = _unique([m for m in mentions if m.type == "COMMUNITY"])
    project = _first(mentions, "PROJECT")
    unique_places = _unique(where)
    evidence_start, evidence_end = sentences[0][0], sentences[-1][1]
    named = title_mention.type == "EVENT"
    return Event(
        event_id=hashlib.sha256(f"{article_id}:{title_mention.start}".encode()).hexdigest()[:16],
        article_id=article_id,
        event_type=event_type,
        title=title_mention.normalized,
        date_start=dates.date_start if dates else None,
        date_end=dates.date_end if dates else None,
        date_precision=dates.date_precision if dates else None,
        date_iso=dates.date_iso if dates else None,
        date_text=dates.text if dates else None,
        places=tuple(m.normalized for m in unique_places),
        place_ids=tuple(m.entity_id for m in unique_places),
        participant_count=headcount.count if headcount else None,
        participant_count_max=headcount.count_max if headcount else None,
        participant_count_qualifier=headcount.count_qualifier if headcount else None,
        participant_noun=headcount.counted_noun if headcount else None,
        participant_origin=headcount.origin if headcount else None,
        participant_origin_id=headcount.origin_id if headcount else None,
        officials=tuple(m.normalized for m in officials),
        official_roles=tuple(m.role_id for m in officials),
        official_organizations=tuple(m.organization or "" for m in officials),
        organizations=tuple(m.normalized for m in organizations),
        organization_ids=tuple(m.entity_id or "" for m in organizations),
        communities=tuple(m.normalized for m in communities),
        project=project.entity_name if project else None,
        project_english=project.english_name if project else None,
        project_programme=project.programme if project else None,
        project_id=project.entity_id if project else None,
        project_partners=project.partners if project else (),
        project_partner_ids=project.partner_ids if project else (),
        evidence_start=evidence_start,
        evidence_end=evidence_end,
        evidence_text=text[evidence_start:evidence_end],
        confidence=(0.8 if named else 0.6) if main else 0.5,
        method="rules",
        **_provenance("date", [dates] if dates else [], in_evidence),
        **_provenance("places", unique_places, in_evidence),
        **_provenance("participants", [headcount] if headcount else [], in_evidence),
        **_provenance("officials", officials, in_evidence),
        **_provenance("organizations", [*organizations, *communities], in_evidence),
        **_provenance("project", [project] if project else [], in_evidence),
    )


# A value taken from elsewhere in the article is less surely this activity's.
_ARTICLE_WIDE_DISCOUNT = 0.7


def _provenance(field: str, used: Sequence[Mention], in_evidence: Sequence[Mention]) -> dict[str, object]:
    """``<field>_method`` and ``<field>_confidence`` of the mentions a field was filled from."""
    if not used:
        return {}
    evidence = {id(m) for m in in_evidence}
    local = all(id(m) in evidence for m in used)
    methods = sorted({m.method for m in used})
    confidence = min(m.confidence for m in used) * (1.0 if local else _ARTICLE_WIDE_DISCOUNT)
    scope = "evidence" if local else "article"
    return {f"{field}_method": f"{'+'.join(methods)}:{scope}", f"{field}_confidence": round(confidence, 3)}


def _first(mentions: Sequence[Mention], mention_type: str) -> Mention | None:
    return next((m for m in mentions if m.type == mention_type), None)


def _unique(mentions: Sequence[Mention], *, by_role: bool = False) -> list[Mention]:
    """First mention of each entity (by id, else by normalized form; with ``by_role``, of each role too)."""
    seen: dict[tuple[str, str | None], Mention] = {}
    for mention in mentions:
        seen.setdefault((mention.entity_id or mention.normalized, mention.role_id if by_role else None), mention)
    return list(seen.values())
