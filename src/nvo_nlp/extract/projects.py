"""Quoted names — projects (with their English name and partners), named events — and activity words.

Policy: the project mentions of one article name one project. The first name
written is the project's name; a name glossed as English ("angl. „NGO Capacity“")
becomes its English name and its id, so that Lithuanian and Latvian articles
about the same project link to one ``project:...`` entity.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span

from nvo_nlp.extract.lexicon import Lexicon, lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.places import starts_sentence
from nvo_nlp.extract.spans import Quoted, SpanIndex, make_mention, mentions_in, quoted_spans
from nvo_nlp.nlp.tokens import token_table

_MAX_PROGRAMME_TOKENS = 8
_PARTNER_TYPES = ("MUNICIPALITY", "ORGANIZATION", "COMPANY")
_KEYWORD_WINDOW = 3
_MAX_NAME_TOKENS = 12


class ProjectExtractor:
    def __init__(self, lang: str, words: Lexicon | None = None) -> None:
        self.lang = lang
        self.words = words or lexicon(lang)

    def __call__(self, doc: Doc) -> list[Mention]:
        projects: list[Mention] = []
        events: list[Mention] = []
        english: list[Quoted] = []
        quotations = quoted_spans(doc)
        organizations = SpanIndex(mentions_in(doc, "nvo_organizations"), bounds=lambda m: (m.start, m.end))
        for quoted in quotations:
            start = quoted.span.start_char
            if len(quoted.span) > _MAX_NAME_TOKENS or organizations.overlapping(start, start + 1):
                continue
            before = doc[max(0, quoted.outer.start - _KEYWORD_WINDOW) : quoted.outer.start]
            if self._has_english_marker(before):
                english.append(quoted)
            elif any(token.lower_ in self.words.project_keywords for token in before):
                projects.append(make_mention(quoted.span, type="PROJECT", normalized=quoted.span.text, method="rules"))
            elif (event := self._named_event(quoted, before)) is not None:
                events.append(event)
        quoted_ranges = [(q.outer.start, q.outer.end) for q in quotations]
        activities = [
            make_mention(
                doc[token.i : token.i + 1],
                type="ACTIVITY",
                normalized=self.words.event_triggers[token.lower_].lemma,
                method="lexicon",
                confidence=0.6,
                event_type=self.words.event_triggers[token.lower_].key,
            )
            for token in (doc[i] for i in token_table(doc).find(self.words.event_triggers.keys()))
            if not any(s <= token.i < e for s, e in quoted_ranges)
        ]
        mentions = [*self._link_projects(doc, projects, english), *events, *activities]
        return sorted(mentions, key=lambda m: m.start)

    def _has_english_marker(self, before: Span) -> bool:
        text = before.text.lower().replace(" ", "")
        return any(marker.replace(" ", "") in text for marker in self.words.english_name_markers)

    def _named_event(self, quoted: Quoted, before: Span) -> Mention | None:
        last = quoted.span[-1]
        reading = self.words.named_event_heads.get(last.lower_)
        if reading is not None and quoted.span[0].text[:1].isupper():
            head = reading.lemma if last.text[:1].islower() else reading.lemma.capitalize()
            normalized = (quoted.span[:-1].text + " " + head).strip()
        else:
            # An event word right before a capitalized quoted name: festivalis „Jūros šventė“.
            reading = self.words.event_triggers.get(before[-1].lower_) if len(before) else None
            if reading is None or not quoted.span[0].text[:1].isupper():
                return None
            normalized = quoted.span.text
        return make_mention(
            quoted.span,
            type="EVENT",
            normalized=normalized,
            method="rules",
            confidence=0.8,
            event_type=reading.key,
        )

    def _programme(self, doc: Doc) -> str | None:
        """The first funding programme named: "Interreg VI-A Latvijos ir Lietuvos programa", or capitalized
        words before a programme or fund word ("Kohēzijas fonds"); the head word in the nominative."""
        texts = token_table(doc).texts
        for index in token_table(doc).find(self.words.programme_names | self.words.programme_heads.keys()):
            if texts[index].lower() in self.words.programme_names:
                end = index + 1
                while end < len(texts) and end - index < _MAX_PROGRAMME_TOKENS:
                    if texts[end].lower() in self.words.programme_heads:
                        return self._nominative(doc[index : end + 1])
                    end += 1
                return texts[index]
            start = index
            while start > 0 and index - start < 3 and texts[start - 1][:1].isupper() and texts[start - 1].isalpha():
                start -= 1
            if start < index and not starts_sentence(doc[start]):
                return self._nominative(doc[start : index + 1])
        return None

    def _nominative(self, name: Span) -> str:
        head = self.words.programme_heads[name[-1].lower_].lemma
        return f"{name[:-1].text} {head}"

    def _link_projects(self, doc: Doc, projects: list[Mention], english: list[Quoted]) -> list[Mention]:
        if not projects:
            return []
        english_name = english[0].span.text if english else None
        if english:
            # The English name is evidence of the same project, so it is a mention of it too.
            projects.append(make_mention(english[0].span, type="PROJECT", normalized=english_name, method="rules"))
        project_id = "project:" + ascii_key(english_name or projects[0].normalized)
        sentences = {(p.sentence_start, p.sentence_end) for p in projects}
        partners: dict[str, str] = {}
        for mention in mentions_in(doc, "nvo_places", "nvo_organizations"):
            inside_a_name = any(p.start <= mention.start < p.end for p in projects)
            if (
                mention.type in _PARTNER_TYPES
                and (mention.sentence_start, mention.sentence_end) in sentences
                and not inside_a_name
            ):
                partners.setdefault(mention.entity_id or mention.normalized, mention.normalized)
        programme = self._programme(doc)
        return [
            replace(
                project,
                entity_id=project_id,
                entity_name=projects[0].normalized,
                english_name=english_name,
                programme=programme,
                partners=tuple(partners.values()),
                partner_ids=tuple(partners),
            )
            for project in projects
        ]
