"""spaCy components of nvo-nlp, registered by name so ``nlp.add_pipe("nvo_places")`` works in any pipeline.

Each mention component runs one extractor and writes its result twice: as spans
in ``doc.spans[<component name>]`` (label = mention type, ``kb_id_`` = entity
id, ``span._.normalized`` = nominative form) for spaCy users, and as
:class:`~nvo_nlp.extract.Mention` values that later components and the
pipeline read (:func:`nvo_nlp.extract.spans.mentions_in`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator

import numpy
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from nvo_nlp.extract.dates import DateExtractor
from nvo_nlp.extract.entities import EntityExtractor
from nvo_nlp.extract.headcounts import HeadcountExtractor
from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.officials import OfficialExtractor
from nvo_nlp.extract.organizations import OrganizationExtractor
from nvo_nlp.extract.places import PlaceExtractor
from nvo_nlp.extract.projects import ProjectExtractor
from nvo_nlp.extract.quotes import QuoteExtractor
from nvo_nlp.extract.spans import mentions_key, sentences
from nvo_nlp.nlp.embeddings import KeptEmbeddingsTok2Vec, can_keep_embeddings
from nvo_nlp.nlp.gate import context_reach, entities_back, name_windows, sentences_doc, settled_tokens
from nvo_nlp.nlp.greedy_ner import GreedyNer, can_decode
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.segment import set_sentence_starts
from nvo_nlp.nlp.tokens import token_table

for _name in ("normalized",):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Span.has_extension("entity_id"):
    Span.set_extension("entity_id", getter=lambda span: span.kb_id_ or None)
if not Doc.has_extension("published"):
    # Publication date (datetime.date) that anchors relative dates; set before running the pipeline.
    Doc.set_extension("published", default=None)


class MentionComponent:
    """Runs ``extractor(doc)`` and stores its mentions on the doc under the component's name."""

    def __init__(self, name: str, extractor: Callable[[Doc], list[Mention]]) -> None:
        self.name = name
        self.extractor = extractor

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.extractor(doc)
        spans = []
        for mention in mentions:
            span = doc.char_span(
                mention.start, mention.end, label=mention.type, kb_id=mention.entity_id or "", alignment_mode="expand"
            )
            if span is not None:
                span._.normalized = mention.normalized
                spans.append(span)
        doc.spans[self.name] = spans
        doc.user_data[mentions_key(self.name)] = mentions
        return doc


@Language.component("nvo_sentences")
def nvo_sentences(doc: Doc) -> Doc:
    return set_sentence_starts(doc)


class NameSentencesNer:
    """Runs a statistical NER model's components only on the words of the sentences that can hold a name
    that it needs to decide on their names (:mod:`nvo_nlp.nlp.gate`), and sets the entities as ``doc.ents``.

    The components are those named, in the same pipeline and disabled there (``nlp.pipe`` skips them):
    they read a doc made of the chosen parts, batched as ``nlp.pipe`` batches, a greedy spaCy NER
    decoded by :mod:`nvo_nlp.nlp.greedy_ner` (same entities, faster). How many words around a name word
    they read follows from their configs (:func:`~nvo_nlp.nlp.gate.context_reach`); components whose
    reach is unknown read whole sentences. Sentence starts must be set before (``nvo_sentences``), and
    the mentions of the components ``settled_by``, whose words count as no name. A doc that has entities
    already (stanza's, when stanza's ``ner`` runs for the language too) keeps them, unread.
    """

    def __init__(self, nlp: Language, components: list[str], settled_by: list[str]) -> None:
        self.nlp = nlp
        self.components = components
        self.settled_by = settled_by
        self.common_words = lookup_lemmatizer(nlp.lang).common_words
        self.head_words = lexicon(nlp.lang).organization_name_heads.keys()
        self._runners: dict[str, Callable[[list[Doc]], list[Doc]]] = {}

    def _runner(self, name: str) -> Callable[[list[Doc]], list[Doc]]:
        """How a component runs on a batch of docs, chosen on first use (components are looked up late:
        the factory may name components added after it)."""
        if name not in self._runners:
            component = self.nlp.get_pipe(name)
            if can_decode(component):  # spaCy's own loop is three times slower (nlp/greedy_ner.py)
                self._runners[name] = GreedyNer(component).set_entities
            elif can_keep_embeddings(component):  # a token's embedding is computed once (nlp/embeddings.py)
                self._runners[name] = KeptEmbeddingsTok2Vec(component).set_tensors
            elif hasattr(component, "pipe"):
                self._runners[name] = lambda docs: list(component.pipe(docs, batch_size=max(len(docs), 1)))
            else:
                self._runners[name] = lambda docs: [component(doc) for doc in docs]
        return self._runners[name]

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 8) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            # Entities an earlier component set (stanza's) stay: the model reads only docs without any.
            parts = [sentences_doc(doc, [] if doc.ents else self._name_windows(doc)) for doc in batch]
            read = [part for part, _ in parts if len(part)]
            for name in self.components:
                read = self._runner(name)(read)
            done = iter(read)
            for doc, (part, index) in zip(batch, parts, strict=True):
                if len(part):
                    doc.ents = entities_back(doc, next(done), index)
            yield from batch

    def _name_windows(self, doc: Doc) -> list[tuple[int, int]]:
        settled = settled_tokens(doc, self.settled_by) if self.settled_by else frozenset()
        return name_windows(doc, self.common_words, self.head_words, settled, self._reach)

    @functools.cached_property
    def _reach(self) -> int | None:
        # Read on first use, as the components are (see _runner).
        return context_reach(self.nlp.get_pipe_config(name) for name in self.components)


@Language.factory("nvo_name_sentences_ner", default_config={"components": ["tok2vec", "ner"], "settled_by": []})
def make_name_sentences_ner(nlp: Language, name: str, components: list[str], settled_by: list[str]):
    return NameSentencesNer(nlp, components, settled_by)


_LEMMA_CACHE_SIZE = 200_000
_NOT_A_WORD = 0  # the hash of no lemma: the token keeps the lemma it has


@Language.factory("nvo_lemmatizer")
def make_lemmatizer(nlp: Language, name: str):
    lemmatizer = lookup_lemmatizer(nlp.lang)
    # form -> lemma hash, inside a sentence and as its first word: news repeats its words
    inside: dict[str, int] = {}
    first: dict[str, int] = {}

    def lemma_hash(cache: dict[str, int], text: str, sentence_start: bool, strings: StringStore) -> int:
        if len(cache) > _LEMMA_CACHE_SIZE:
            cache.clear()
        lemma = lemmatizer.lemmatize(text, sentence_start=sentence_start) if text.isalpha() else None
        cache[text] = _NOT_A_WORD if lemma is None else strings.add(lemma)
        return cache[text]

    def lemmatize(doc: Doc) -> Doc:
        texts, strings = token_table(doc).texts, doc.vocab.strings
        array = doc.to_array(LEMMA)  # set in one go: per-token attribute setting is slow
        # All tokens looked up at once (a loop in C); then each sentence's first word, past any opening
        # quote or dash, again as a first word.
        hashes = list(map(inside.get, texts))
        if None in hashes:
            for index in [index for index, found in enumerate(hashes) if found is None]:
                hashes[index] = lemma_hash(inside, texts[index], False, strings)
        for start, end in sentences(doc).token_bounds:
            for index in range(start, end):
                if texts[index].isalpha():
                    found = first.get(texts[index])
                    hashes[index] = lemma_hash(first, texts[index], True, strings) if found is None else found
                    break
        lemmas = numpy.array(hashes, dtype=numpy.uint64)
        doc.from_array([LEMMA], numpy.where(lemmas == _NOT_A_WORD, array, lemmas).reshape(-1, 1))
        return doc

    return lemmatize


@Language.factory("nvo_stanza", default_config={"settings": {}})
def make_stanza(nlp: Language, name: str, settings: dict):
    """stanza's lemmas, POS and entities (``[stanza.<lang>]`` settings of the backends file)."""
    from nvo_nlp.nlp.stanza_backend import StanzaComponent, check_settings

    return StanzaComponent(nlp.lang, check_settings(nlp.lang, settings))


@Language.factory("nvo_places")
def make_places(nlp: Language, name: str):
    # A tokenizer without spaCy's special cases (not spaCy's) gets every form tokenized.
    special_cases = getattr(nlp.tokenizer, "rules", None)
    return MentionComponent(name, PlaceExtractor(nlp.vocab, nlp.make_doc, nlp.lang, special_cases=special_cases))


@Language.factory("nvo_dates")
def make_dates(nlp: Language, name: str):
    extractor = DateExtractor(nlp.lang)
    return MentionComponent(name, lambda doc: extractor(doc, doc._.published))


@Language.factory("nvo_organizations")
def make_organizations(nlp: Language, name: str):
    return MentionComponent(name, OrganizationExtractor(nlp.lang))


@Language.factory("nvo_projects")
def make_projects(nlp: Language, name: str):
    return MentionComponent(name, ProjectExtractor(nlp.lang))


@Language.factory("nvo_officials")
def make_officials(nlp: Language, name: str):
    return MentionComponent(name, OfficialExtractor(nlp.vocab, nlp.make_doc, nlp.lang))


@Language.factory("nvo_entities")
def make_entities(nlp: Language, name: str):
    """People and places of a statistical NER component that ran before (``doc.ents``), after the rules."""
    return MentionComponent(name, EntityExtractor(nlp.lang))


@Language.factory("nvo_headcounts")
def make_headcounts(nlp: Language, name: str):
    return MentionComponent(name, HeadcountExtractor(nlp.lang))


@Language.factory("nvo_quotes")
def make_quotes(nlp: Language, name: str):
    return MentionComponent(name, QuoteExtractor(nlp.lang))
