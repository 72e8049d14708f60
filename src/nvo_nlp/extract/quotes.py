"""Direct quotes, reported speech and their speakers.

A quotation followed by ", –" or "–" is attributed to the person named after
it in the sentence where it closes („...“, – akcentavo vicemerė Violeta Riaukienė);
otherwise to the person named before it in the sentence where it opens
(Jānis Džeriņš pabrėžė: „...“).

A sentence without a quotation is reported speech when a verb of saying with content (a "kad"/"ka"
clause, or after a comma: "..., teigė X") or a source phrase (``speech_verbs``, ``source_phrases`` in
the lexicon: "sakė", "norāda", "pasak", "pēc ... teiktā") names its speaker: a person in the same sentence ("Pasak Jono Jonaičio, ...", "A. Karpenko piebilda, ka ..."),
or, for a pronoun ("jis teigė", "viņaprāt"), the person last named in the two sentences before.
When the sentence names nobody, the speaker is the official named before whose role it names
("Direktoriaus nuomone, ..."). The mention spans the sentence;
method ``rules:reported``. In an interview printed as dash lines, the lines that ask nothing are the
answers of the person named before the first question.

Speech set off by dashes and closed by ", – teica X" is X's, from the dash that opens it or the
start of its paragraph; method ``rules:dash``. A paragraph opened by a person's name and a colon ("Ģirts Kuplais: ...") is that person's interview
answer; method ``rules:interview``.
"""

from __future__ import annotations

import re

from spacy.attrs import LEMMA
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.spans import (
    make_mention,
    mentions_in,
    quoted_spans,
    sentence_bounds,
    sentences,
    span_text,
    text_lines,
)
from nvo_nlp.nlp.tokens import token_table

_MIN_QUOTE_TOKENS = 4
_ATTRIBUTION_AFTER = {",", "–", "—", "-"}
_CONTEXT_SENTENCES = 2
# How an interview line opens: a dash and a space.
_DASH_OPENERS = ("- ", "– ", "— ")
# ", –" or ", —" before a verb of saying: the end of speech set off by dashes.
_DASH_ATTRIBUTION = re.compile(r"[,?!]\s*[–—]\s+")


def _nominative(person: Mention) -> bool:
    """A speaker is the subject: written in the nominative ("D. Žemonienė", not "Prezidentui Valdui Adamkui")."""
    return person.text.split()[-1] in person.normalized.split()


def _quote(span: Span, method: str, confidence: float, speaker: Mention | None) -> Mention:
    return make_mention(
        span,
        type="QUOTE",
        normalized=span_text(span),
        method=method,
        confidence=confidence,
        speaker=speaker.normalized if speaker else None,
        speaker_id=speaker.entity_id if speaker else None,
    )


def _people(doc: Doc) -> list[Mention]:
    return [m for m in mentions_in(doc, "nvo_officials", "nvo_entities") if m.type == "PERSON"]


def _previous_sentences(doc: Doc, token_index: int, count: int) -> int:
    """Character offset where the ``count`` sentences before the token's sentence start."""
    starts = sentences(doc).token_starts
    start = starts[token_index]
    for _ in range(count):
        if start == 0:
            break
        start = starts[start - 1]
    return doc[start].idx


class QuoteExtractor:
    def __init__(self, lang: str = "xx") -> None:
        self.lang = lang
        self.words = lexicon(lang) if lang in ("lt", "lv", "en") else None
        # Lemma hashes of the verbs of saying, compared with the doc's lemma array.
        self.verb_lemmas = (
            frozenset(get_string_id(verb) for verb in self.words.speech_verbs) if self.words else frozenset()
        )

    def __call__(self, doc: Doc) -> list[Mention]:
        people, verbs = _people(doc), self._verbs_of_saying(doc)
        direct = self._direct(doc, people, verbs) + self._interview_answers(doc, people)
        direct += self._dash_quotes(doc, direct, people, verbs)
        direct += self._answers(doc, direct, people)
        return sorted(direct + self._reported(doc, direct, people, verbs), key=lambda m: m.start)

    def _verbs_of_saying(self, doc: Doc) -> frozenset[int]:
        """Indices of the doc's verbs of saying, by the lemma the pipeline gave them or by their form."""
        if self.words is None:
            return frozenset()
        texts = token_table(doc).texts
        verbs = {i for i, lemma in enumerate(doc.to_array(LEMMA).tolist()) if lemma in self.verb_lemmas}
        verbs.update(token_table(doc).find(self.words.speech_verbs))
        return frozenset(i for i in verbs if texts[i].isalpha() and not texts[i][:1].isupper())

    def _answers(self, doc: Doc, found: list[Mention], people: list[Mention]) -> list[Mention]:
        """ "- Kas paskatino rengti šį projektą?" / "- Paplitus GMO, ...": in an interview printed as lines
        opened by dashes, a line that asks nothing is the interviewee's answer, up to the next dash
        line. The interviewee is the person named last before the first question."""
        text = token_table(doc).text
        dashed = [(start, line) for start, line in text_lines(text) if line.lstrip()[:2] in _DASH_OPENERS]
        questions = [start for start, line in dashed if line.rstrip().endswith("?")]
        if not questions:
            return []
        before = [p for p in people if p.end <= questions[0] and _nominative(p)]
        if not before:
            return []
        interviewee = before[-1]
        answers = []
        starts = [start for start, _ in dashed] + [len(text)]
        for (start, line), following in zip(dashed, starts[1:], strict=True):
            if line.rstrip().endswith("?") or any(m.start <= start + 2 < m.end for m in found):
                continue
            body = start + len(line) - len(line.lstrip()) + 2
            span = doc.char_span(body, following, alignment_mode="contract")
            if span is None or len(span) < _MIN_QUOTE_TOKENS:
                continue
            answers.append(_quote(span, "rules:interview", 0.7, interviewee))
        return answers

    def _dash_quotes(
        self, doc: Doc, found: list[Mention], people: list[Mention], verbs: frozenset[int]
    ) -> list[Mention]:
        """ "— Vienīgā iespēja ... , — aicināja M. Bērzlaps.": speech set off by dashes, ended by a comma, a
        dash, a verb of saying and the speaker; it starts at the dash that opens it, or its paragraph."""
        text = token_table(doc).text
        quotes = []
        for match in _DASH_ATTRIBUTION.finditer(text):
            after = match.end()
            verb_end = text.find(" ", after)
            verb = text[after : verb_end if verb_end > 0 else len(text)].strip(" .,")
            verb_span = doc.char_span(after, after + len(verb), alignment_mode="expand")
            if not verb or verb_span is None or not len(verb_span) or verb_span.start not in verbs:
                continue
            speaker = next((p for p in people if 0 <= p.start - after <= len(verb) + 40), None)
            if speaker is None or any(m.start <= match.start() < m.end + 3 for m in found):
                continue
            paragraph = text.rfind("\n", 0, match.start()) + 1
            opening = max(text.rfind(" – ", paragraph, match.start()), text.rfind(" — ", paragraph, match.start()))
            start = opening + 3 if opening >= 0 else paragraph
            while start < match.start() and (text[start] in "–—- " or text[start] == "["):
                start = text.find("]", start) + 1 if text[start] == "[" else start + 1
            span = doc.char_span(start, match.start(), alignment_mode="contract")
            if span is None or len(span) < _MIN_QUOTE_TOKENS:
                continue
            quotes.append(_quote(span, "rules:dash", 0.8, speaker))
        return quotes

    def _interview_answers(self, doc: Doc, people: list[Mention]) -> list[Mention]:
        """ "Ģirts Kuplais: Gada laikā ...": a paragraph opened by a person's name and a colon is their
        answer, up to the paragraph's end (interviews print the speaker so)."""
        found = []
        text = token_table(doc).text
        for person in people:
            line_start = text.rfind("\n", 0, person.start) + 1
            before = text[line_start : person.start].strip(" *–-")
            # The first name may stand outside a later mention that names the surname only.
            if (before and not (before.istitle() and " " not in before)) or text[person.end : person.end + 1] != ":":
                continue
            end = text.find("\n", person.end)
            end = len(text) if end < 0 else end
            span = doc.char_span(person.end + 1, end, alignment_mode="contract")
            if span is None or len(span) < _MIN_QUOTE_TOKENS:
                continue
            found.append(_quote(span, "rules:interview", 0.8, person))
        return found

    def _direct(self, doc: Doc, people: list[Mention], verbs: frozenset[int]) -> list[Mention]:
        names = [m for m in mentions_in(doc, "nvo_projects", "nvo_organizations") if m.type != "COMMUNITY"]
        quotes = []
        for quoted in quoted_spans(doc):
            span, outer = quoted.span, quoted.outer
            if len(span) < _MIN_QUOTE_TOKENS or any(
                n.start <= span.start_char and span.end_char <= n.end for n in names
            ):
                continue  # the quotation marks enclose a name (asociacija „Kartu“), not speech
            opening_sentence, _ = sentence_bounds(outer[:1])
            closing_sentence, _ = sentence_bounds(outer[-1:])
            after = [p for p in people if p.sentence_start == closing_sentence and p.start >= outer.end_char]
            before = [p for p in people if p.sentence_start == opening_sentence and p.end <= outer.start_char]
            after = [p for p in after if _nominative(p)]
            before = [p for p in before if _nominative(p)]
            following = doc[outer.end] if outer.end < len(doc) else None
            # „...“, – sakė X / „..., ” teica X / „...” saka X: the speaker comes after.
            follows = following is not None and (
                following.text in _ATTRIBUTION_AFTER or following.text[:1].islower() or span[-1].text == ","
            )
            speaker = (after[:1] if follows else before[-1:]) or after[:1] or before[-1:]
            if not speaker:
                speaker = self._speaker_in_next_sentence(doc, outer.end - 1, people, verbs)
            if not speaker:
                context = _previous_sentences(doc, outer.start, _CONTEXT_SENTENCES)
                speaker = [p for p in people if context <= p.start < outer.start_char and _nominative(p)][-1:]
            quotes.append(_quote(span, "rules", 0.9 if speaker else 0.6, speaker[0] if speaker else None))
        return quotes

    def _speaker_in_next_sentence(
        self, doc: Doc, last: int, people: list[Mention], verbs: frozenset[int]
    ) -> list[Mention]:
        """ "„...“ Taip teigė Jonas Petraitis.": the next sentence names the speaker with a verb of saying."""
        table = sentences(doc)
        start = table.token_ends[last]
        if start >= len(doc):
            return []
        end = table.token_ends[start]
        if not any(i in verbs for i in range(start, end)):
            return []
        bounds = table.char_bounds[start]
        return [p for p in people if bounds[0] <= p.start < bounds[1] and _nominative(p)][:1]

    def _reported(self, doc: Doc, direct: list[Mention], people: list[Mention], verbs: frozenset[int]) -> list[Mention]:
        if self.words is None or not len(doc):
            return []
        table = sentences(doc)
        texts = token_table(doc).texts
        # Only sentences holding a verb of saying or a source phrase are read: most hold neither.
        cues = verbs | set(token_table(doc).find(self.words.source_phrases))
        firsts = sorted({table.token_starts[i] for i in cues})
        if not firsts:
            return []
        quoted = [(m.start, m.end) for m in direct]
        found = []
        for first in firsts:
            bounds = table.char_bounds[first]
            if any(start < bounds[1] and bounds[0] < end for start, end in quoted):
                continue
            end = table.token_ends[first]
            lowers = {text.lower() for text in texts[first:end]}
            # Speech with content: "X sakė, kad ...", "..., teigė X", or a source phrase ("pasak X").
            saying = bool(lowers & self.words.source_phrases) or any(
                i in verbs and (lowers & self.words.speech_complementizers or texts[i - 1] == ",")
                for i in range(first + 1, end)
            )
            if not saying:
                continue
            named = [p for p in people if bounds[0] <= p.start and p.end <= bounds[1]]
            # The speaker: a person named in the sentence (the subject when one is in the nominative),
            # else the one a pronoun points back to.
            speaker = [p for p in named if _nominative(p)][:1] or named[:1]
            if not speaker and lowers & self.words.subject_pronouns:
                context = _previous_sentences(doc, first, _CONTEXT_SENTENCES)
                speaker = [p for p in people if context <= p.start < bounds[0]][-1:]
            if not speaker:
                speaker = self._by_role_word(texts[first:end], people, bounds[0])
            if not speaker:
                continue
            span = doc.char_span(bounds[0], bounds[1], alignment_mode="expand")
            found.append(_quote(span, "rules:reported", 0.6, speaker[0]))
        return found

    def _by_role_word(self, words, people: list[Mention], before: int) -> list[Mention]:
        """ "Direktoriaus nuomone, ...": the official named before with the role the sentence names."""
        roles = {self.words.roles[w.lower()].lemma for w in words if w.lower() in self.words.roles}
        holders = [p for p in people if p.start < before and p.role in roles]
        return holders[-1:]
