"""How many words of Latvian articles the NER model reads: the sentences that can hold a name, those
whose possible names the rules left, and the windows around those names the pipeline reads now.

Usage: python benchmarks/ner_reading.py [--articles 1000] [--shared DIR]

Counts over the pipeline's own docs (``pipeline_for("lv")``), with ``nlp/gate.py``'s ``name_windows``:
whole sentences without settled words, with the words of the rule components that run before the model
(``pipeline.SETTLED_BY``), and the windows of the reach the model's config gives. On the Latvian shared
news texts and the first ``--articles`` Latvian articles of the engines.py corpus.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: one core, as runs analyze

from engines import corpus  # noqa: E402
from extraction_cost import REPO, news  # noqa: E402

from nvo_nlp.extract.lexicon import lexicon  # noqa: E402
from nvo_nlp.ingest import read_inputs  # noqa: E402
from nvo_nlp.nlp.gate import context_reach, name_windows, settled_tokens  # noqa: E402
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer  # noqa: E402
from nvo_nlp.nlp.pipeline import SETTLED_BY, pipeline_for  # noqa: E402


def counts(texts: list[str]) -> tuple[int, int, int, int]:
    """Tokens; tokens in name sentences; the same without settled words; in name windows."""
    nlp = pipeline_for("lv")
    common, heads = lookup_lemmatizer("lv").common_words, lexicon("lv").organization_name_heads
    model = nlp.get_pipe("nvo_name_sentences_ner")
    reach = context_reach(nlp.get_pipe_config(name) for name in model.components)
    totals = [0, 0, 0, 0]
    for doc in nlp.pipe(texts):
        settled = settled_tokens(doc, SETTLED_BY)
        parts = (
            name_windows(doc, common, heads),
            name_windows(doc, common, heads, settled),
            name_windows(doc, common, heads, settled, reach),
        )
        totals[0] += len(doc)
        for position, bounds in enumerate(parts, start=1):
            totals[position] += sum(end - start for start, end in bounds)
    return totals[0], totals[1], totals[2], totals[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="Latvian corpus articles")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # The corpus is 70 % Latvian: twice the articles hold enough.
        articles, _ = read_inputs([str(corpus(options.shared, 2 * options.articles, Path(folder) / "c.jsonl"))])
    latvian_news = [text for lang, text in news(options.shared) if lang == "lv"]
    samples = {
        f"{len(latvian_news)} news texts": latvian_news,
        f"{options.articles:,} corpus articles": [a.text for a in articles if a.language_hint == "lv"][
            : options.articles
        ],
    }
    print("| Latvian texts | tokens | name sentences | + settled words | + windows | fewer than name sentences |")
    print("|---|---|---|---|---|---|")
    for name, texts in samples.items():
        tokens, sentences, unsettled, windows = counts(texts)
        shares = " | ".join(f"{n:,} ({n / tokens:.1%})" for n in (sentences, unsettled, windows))
        print(f"| {name} | {tokens:,} | {shares} | {1 - windows / sentences:.1%} |")


if __name__ == "__main__":
    main()
