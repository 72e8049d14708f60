"""Latvian named entities on LUMII's dev set: rules only, the trained model only, and both combined.

Usage: python benchmarks/ner.py [--shared DIR] [--model DIR]

Entity-level precision, recall and F1 per label (PERSON, GPE, ORG, LOC) on lv_ner/dev.conll (one doc per
paragraph), exact span and label, with words per second for each system:

- rules: the nvo rule components, their mentions read as entities (``extract.entities.entity_of``):
  PERSON -> PERSON, MUNICIPALITY (the institution), ORGANIZATION, COMPANY, COMMUNITY -> ORG, COUNTRY
  and PLACE -> GPE (regions -> LOC);
- model: the NER model's ``doc.ents``, its components run on every sentence (--model, default the shipped
  src/nvo_nlp/data/models/lv_ner, else build/lv_ner/output/model-best as scripts/train_lv_ner.py leaves it);
- combined: the flat entity layer of ``extract.entities.resolve``, the policy extraction follows: rules
  win an overlap, except a rule place nested in a longer model name; the model reads only the name
  words of the sentences that can hold a name, with the words around them it needs, as in runs
  (``nvo_name_sentences_ner``).

Speed is measured on one core: the numeric libraries are held to one thread.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections import Counter
from pathlib import Path

for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")  # before numpy loads

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from train_lv_ner import LABELS, paragraphs  # noqa: E402

from nvo_nlp.extract.entities import EntitySpan, entity_of, resolve  # noqa: E402
from nvo_nlp.extract.spans import mentions_in  # noqa: E402
from nvo_nlp.nlp.backends import bundled_ner  # noqa: E402
from nvo_nlp.nlp.pipeline import COMPONENTS, build_pipeline  # noqa: E402

SCORED = ("PERSON", "GPE", "ORG", "LOC")


def gold_entities(words, spaces, tags) -> tuple[str, set[tuple[int, int, str]]]:
    text, offsets = "", []
    for word, space in zip(words, spaces, strict=True):
        offsets.append(len(text))
        text += word + (" " if space else "")
    entities, current = set(), None
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        mapped = LABELS.get(label)
        continues = prefix == "I" and current is not None and current[2] == mapped
        if current is not None and not continues:
            entities.add(current)
            current = None
        if mapped and not continues and prefix in ("B", "I"):
            current = (offsets[index], offsets[index] + len(words[index]), mapped)
        elif continues:
            current = (current[0], offsets[index] + len(words[index]), mapped)
    return text.rstrip(), {e for e in entities if e[2] in SCORED}


def rule_entities(doc) -> list[EntitySpan]:
    mentions = mentions_in(doc, *[c for c in COMPONENTS if c != "nvo_entities"])
    return [e for e in map(entity_of, mentions) if e is not None]


def model_entities(doc) -> list[EntitySpan]:
    return [EntitySpan(e.start_char, e.end_char, e.label_, "model") for e in doc.ents]


def as_tuples(entities) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.label) for e in entities}


def score(found_by_doc, gold_by_doc) -> dict[str, tuple[float, float, float]]:
    counts = {label: Counter() for label in (*SCORED, "all")}
    for found, gold in zip(found_by_doc, gold_by_doc, strict=True):
        found = {f for f in found if f[2] in SCORED}
        for label in (*SCORED, "all"):
            f = {x for x in found if label == "all" or x[2] == label}
            g = {x for x in gold if label == "all" or x[2] == label}
            counts[label]["tp"] += len(f & g)
            counts[label]["found"] += len(f)
            counts[label]["gold"] += len(g)
    result = {}
    for label, c in counts.items():
        p = c["tp"] / c["found"] if c["found"] else 0.0
        r = c["tp"] / c["gold"] if c["gold"] else 0.0
        result[label] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--model", type=Path, default=bundled_ner("lv") or REPO / "build" / "lv_ner" / "output" / "model-best"
    )
    args = parser.parse_args()
    if not (args.model / "meta.json").is_file():
        parser.error(f"no spaCy pipeline in {args.model}: train one with python scripts/train_lv_ner.py")
    dev = [gold_entities(*paragraph) for paragraph in paragraphs(args.shared / "lv_ner" / "dev.conll")]
    texts, gold = [text for text, _ in dev], [entities for _, entities in dev]
    words = sum(len(text.split()) for text in texts)
    rules_nlp, full_nlp = build_pipeline("lv"), build_pipeline("lv", args.model)
    systems = {}
    started = time.perf_counter()
    rule_docs = [rules_nlp(text) for text in texts]
    systems["rules"] = ([as_tuples(rule_entities(d)) for d in rule_docs], time.perf_counter() - started)
    # The model alone, on every sentence (in the pipeline, nvo_name_sentences_ner runs it on some).
    model_components = [full_nlp.get_pipe(name) for name in full_nlp.disabled]
    started = time.perf_counter()
    model_docs = [
        functools.reduce(lambda doc, component: component(doc), model_components, full_nlp.make_doc(text))
        for text in texts
    ]
    elapsed = time.perf_counter() - started
    model_found = [as_tuples(model_entities(d)) for d in model_docs]
    systems["model"] = (model_found, elapsed)
    started = time.perf_counter()
    full_docs = [full_nlp(text) for text in texts]
    elapsed = time.perf_counter() - started
    systems["combined"] = (
        [as_tuples(resolve(model_entities(d), rule_entities(d)).entities) for d in full_docs],
        elapsed,
    )
    print(f"lv_ner dev: {len(texts)} paragraphs, {words:,} words, {sum(len(g) for g in gold)} entities\n")
    print("| system | " + " | ".join(f"{label} F1" for label in SCORED) + " | all P | all R | all F1 | words/s |")
    print("|---|" + "---|" * (len(SCORED) + 4))
    for name, (found, seconds) in systems.items():
        result = score(found, gold)
        cells = " | ".join(f"{result[label][2]:.3f}" for label in SCORED)
        p, r, f = result["all"]
        print(f"| {name} | {cells} | {p:.3f} | {r:.3f} | {f:.3f} | {words / seconds:,.0f} |")


if __name__ == "__main__":
    main()
