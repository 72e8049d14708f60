"""Greedy decoding of spaCy's transition-based NER, every sentence of a batch at once, in numpy.

spaCy's ``ner`` component (``spacy.TransitionBasedParser.v2``, greedy) decodes one action per token
in a compiled loop. In spaCy 3.8's build that loop takes and drops the GIL several times per token
and candidate action (``benchmarks/README.md``, where the analysis time goes), which made it the
largest cost of a Latvian article. Entities cannot cross a sentence start, so each sentence is
decoded on its own: here all sentences of a batch advance together, one numpy step per token
position, with the model's own weights and the same rules of which action is valid. The entities are
those of spaCy's loop (tested on the bundled samples; the same on 361 Latvian news texts).
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span

from nvo_nlp.nlp.ops import maxout

_KINDS = "BILUO"
_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)


def can_decode(component: object) -> bool:
    """Whether ``component`` is a greedy spaCy NER whose model this module reads."""
    if not isinstance(component, EntityRecognizer) or component.cfg.get("beam_width", 1) != 1:
        return False
    model = component.model
    if not all(model.has_ref(name) for name in ("tok2vec", "lower", "upper")):
        return False
    if not model.attrs.get("has_upper") or model.attrs.get("unseen_classes"):
        return False
    lower = model.get_ref("lower")
    return lower.name == "precomputable_affine" and lower.get_dim("nF") == 3


class GreedyNer:
    """Runs a greedy spaCy NER component (see :func:`can_decode`) on docs whose tok2vec has run."""

    def __init__(self, component: EntityRecognizer) -> None:
        self.component = component
        self.model = component.model
        names = [component.moves.get_class_name(i) for i in range(component.moves.n_moves)]
        self.kinds = numpy.array([_KINDS.index(name[0]) for name in names])
        self.labels = sorted({name[2:] for name in names if name[2:]})
        self.label_of = numpy.array([self.labels.index(name[2:]) if name[2:] else -1 for name in names])
        self.valid = self._validity_table()

    def _validity_table(self) -> numpy.ndarray:
        """Valid actions by state: rows 0-3 for no open entity (can begin × can be a unit), then two rows
        per label of an open entity (the sentence ends after this token, or goes on)."""
        kinds, label_of = self.kinds, self.label_of
        labelled = label_of >= 0
        rows = []
        for can_begin in (False, True):
            for can_unit in (False, True):
                rows.append(
                    ((kinds == _BEGIN) & labelled & can_begin)
                    | ((kinds == _UNIT) & labelled & can_unit)
                    | (kinds == _OUT)
                )
        for label in range(len(self.labels)):
            for goes_on in (False, True):
                rows.append(((kinds == _IN) & (label_of == label) & goes_on) | ((kinds == _LAST) & (label_of == label)))
        return numpy.array(rows)

    def set_entities(self, docs: list[Doc]) -> list[Doc]:
        """Set ``doc.ents`` as the component would. Docs that carry entities already go to spaCy's loop:
        preset entities change which actions are valid."""
        preset = [doc for doc in docs if doc.has_annotation("ENT_IOB")]
        if preset:
            self.component.set_annotations(preset, self.component.predict(preset))
        fresh = [doc for doc in docs if len(doc) and not doc.has_annotation("ENT_IOB")]
        if fresh:
            for doc, entities in zip(fresh, self.entities(fresh), strict=True):
                doc.ents = [Span(doc, start, end, label=label) for start, end, label in entities]
        return docs

    def entities(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """(start, end, label) token bounds of each doc's entities."""
        model = self.model
        lower, upper = model.get_ref("lower"), model.get_ref("upper")
        # Row 0: the padding vector of a missing feature; row i + 1: token i of the batch.
        cached = lower.predict(model.get_ref("tok2vec").predict(docs))
        bias, weights, upper_bias = lower.get_param("b"), upper.get_param("W"), upper.get_param("b")
        starts, ends, spaces, doc_starts = _sentences(docs)
        lengths = ends - starts
        # Per token, the row of the validity table (see there) when no entity is open, and the first row
        # of an open entity's label: they depend on the token alone, so they are looked up, not computed.
        goes_on = numpy.arange(len(spaces)) + 1 < numpy.repeat(ends, lengths)
        not_space = ~spaces
        closed_state = 2 * (goes_on & not_space) + not_space
        open_state = 4 + goes_on
        order = numpy.argsort(lengths, kind="stable")[::-1]  # longest first: the active ones lead
        starts, lengths = starts[order], lengths[order]
        # Sentences still going at each position: those longer than it (lengths fall, so a prefix).
        actives = numpy.searchsorted(-lengths, -numpy.arange(int(lengths[0])), side="left").tolist()
        open_start = numpy.full(len(starts), -1)
        open_label = numpy.zeros(len(starts), dtype=int)
        found: list[tuple[int, int, int]] = []
        for position, active in enumerate(actives):
            token = starts[:active] + position
            is_open = open_start[:active] >= 0
            # The model's three features: the token, and the first and last tokens of an open entity.
            hidden = cached[token + 1, 0] + cached[numpy.where(is_open, open_start[:active] + 1, 0), 1]
            hidden += cached[numpy.where(is_open, token, 0), 2]
            hidden += bias
            scores = maxout(hidden) @ weights.T
            scores += upper_bias
            state = numpy.where(is_open, open_state[token] + 2 * open_label[:active], closed_state[token])
            action = numpy.where(self.valid[state], scores, -numpy.inf).argmax(axis=1)
            kind, label = self.kinds[action], self.label_of[action]
            for index in numpy.flatnonzero(kind == _UNIT).tolist():
                found.append((int(token[index]), int(token[index]) + 1, int(label[index])))
            closing = numpy.flatnonzero(kind == _LAST)
            for index in closing.tolist():
                found.append((int(open_start[index]), int(token[index]) + 1, int(open_label[index])))
            open_start[closing] = -1
            beginning = numpy.flatnonzero(kind == _BEGIN)
            open_start[beginning] = token[beginning]
            open_label[beginning] = label[beginning]
        by_doc: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        for start, end, label in sorted(found):
            index = int(numpy.searchsorted(doc_starts, start, side="right")) - 1
            offset = int(doc_starts[index])
            by_doc[index].append((start - offset, end - offset, self.labels[label]))
        return by_doc


def _sentences(docs: list[Doc]) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Token bounds of every sentence of the batch (token indices of the docs laid end to end), whether
    each token is a space, and each doc's first index. A sentence starts where ``sent_start`` is 1, as
    for spaCy's NER, which never lets an entity run on into the next sentence."""
    arrays = [doc.to_array([SENT_START, IS_SPACE]).astype(numpy.int64) for doc in docs]
    sizes = numpy.array([len(doc) for doc in docs])
    doc_starts = numpy.concatenate([[0], numpy.cumsum(sizes)[:-1]])
    columns = numpy.concatenate(arrays)
    first = columns[:, 0] == 1
    first[doc_starts] = True
    starts = numpy.flatnonzero(first)
    ends = numpy.append(starts[1:], sizes.sum())
    return starts, ends, columns[:, 1].astype(bool), doc_starts
