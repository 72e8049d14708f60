"""The tokenizer's cache: spaCy's own, a larger one, and the pipeline's, filled chunk by chunk.

Usage: python benchmarks/tokenizer_cache.py [--articles 4000] [--repeat 2] [--shared DIR] [--baseline SRC]

Each figure comes from a fresh process, so that no variant finds lexemes another one made.

- tokenizer: one pass over --articles corpus articles (``engines.corpus``) and the 394 shared news
  texts, with spaCy's tokenizer as spaCy sets it up (a cache of 10,000 chunks), the same with a cache
  of ``CACHED_CHUNKS``, and the pipeline's ``BoundedTokenizer`` over a copy of it: milliseconds per text,
  and a digest of every token's text, whitespace and norm, which must be the same for all three.
- analysis: ``analyze_batch`` over the 394 shared news texts twice in one process (after ``warm_up``):
  CPU milliseconds per article on first reading, when every word is new, and on the second, when
  every chunk has been seen. With --baseline SRC, the package in SRC (a ``src`` folder of another
  version) too, alternating.
- lexemes: what making spaCy's lexeme of a new word costs (``nlp.vocab[word]``), for the words of the
  Latvian shared news texts, in a fresh process.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from engines import REPO, corpus, with_package  # noqa: E402
from extraction_cost import news  # noqa: E402  (the 394 shared news texts, with their language)

VARIANTS = ("spaCy, cache of 10,000", "spaCy, larger cache", "filled chunk by chunk")


def tokenize(variant: str, texts_file: Path) -> dict[str, object]:
    import spacy.tokenizer

    from nvo_nlp.nlp.pipeline import CACHED_CHUNKS, BoundedTokenizer, pipeline_for

    stream = json.loads(texts_file.read_text(encoding="utf-8"))
    tokenizers = {}
    for lang in ("lt", "lv"):
        own = pipeline_for(lang, ner=False).tokenizer.tokenizer
        size = CACHED_CHUNKS if variant != VARIANTS[0] else 10_000
        copy = spacy.tokenizer.Tokenizer(own.vocab).from_bytes(own.to_bytes())
        copy.max_cache_size = size
        tokenizers[lang] = BoundedTokenizer(copy) if variant == VARIANTS[2] else copy
    started = time.perf_counter()
    docs = [tokenizers[lang](text) for lang, text in stream]
    seconds = time.perf_counter() - started
    digest = hashlib.sha256()
    for doc in docs:
        for token in doc:
            digest.update(f"{token.text}\t{token.whitespace_}\t{token.norm_}\n".encode())
    return {"ms": 1000 * seconds / len(stream), "digest": digest.hexdigest()[:16]}


def readings(shared: Path) -> dict[str, float]:
    from nvo_nlp.ingest import Article
    from nvo_nlp.process import analyze_batch
    from nvo_nlp.runs import warm_up

    warm_up()
    articles = [Article(f"n{i}", text, f"news#{i}") for i, (_, text) in enumerate(news(shared))]
    figures = {}
    for reading in ("first", "second"):
        started = time.process_time()
        analyze_batch(articles)
        figures[reading] = 1000 * (time.process_time() - started) / len(articles)
    return figures


def lexemes(shared: Path) -> dict[str, float]:
    from nvo_nlp.nlp.pipeline import pipeline_for

    vocab = pipeline_for("lv", ner=False).vocab
    words = {word.strip('.,;:!?()„“”"«»') for lang, text in news(shared) if lang == "lv" for word in text.split()}
    new = [word for word in words if word and word not in vocab]
    started = time.perf_counter()
    for word in new:
        vocab[word]
    return {"words": len(new), "us": 1e6 * (time.perf_counter() - started) / len(new)}


def _child(arguments: list[str], src: Path | None = None) -> dict:
    command = [sys.executable, __file__, *arguments]
    completed = subprocess.run(command, capture_output=True, text=True, check=True, env=with_package(src), cwd=REPO)
    return json.loads(completed.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--baseline", type=Path, help="analysis: also the package in this src folder")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ARGUMENT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, argument = args.child
        children = {"readings": readings, "lexemes": lexemes}
        result = children[task](Path(argument)) if task in children else tokenize(task, Path(argument))
        print(json.dumps(result))
        return
    if not (args.shared / "news").is_dir():
        raise SystemExit(f"needs the news texts of shared/data (not found at {args.shared})")
    with tempfile.TemporaryDirectory() as tmp:
        articles = corpus(args.shared, args.articles, Path(tmp) / "corpus.jsonl")
        stream = [(row["language"], row["text"]) for row in map(json.loads, articles.open(encoding="utf-8"))]
        stream += news(args.shared)
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(stream, ensure_ascii=False), encoding="utf-8")
        timings: dict[str, list[dict]] = {variant: [] for variant in VARIANTS}
        for _ in range(args.repeat):
            for variant in VARIANTS:
                timings[variant].append(_child(["--child", variant, str(texts_file)]))
    print(f"## tokenizer: one pass over {len(stream)} texts ({args.articles} corpus articles, the shared news)")
    print(f"{'variant':<28}{'ms per text (each run)':>26}{'median':>10}  digest")
    for variant, runs in timings.items():
        each = " / ".join(f"{run['ms']:.3f}" for run in runs)
        digests = sorted({run["digest"] for run in runs})
        print(f"{variant:<28}{each:>26}{statistics.median(r['ms'] for r in runs):>10.3f}  {', '.join(digests)}")
    packages = {"this package": None} | ({"baseline": args.baseline} if args.baseline else {})
    figures: dict[str, list[dict]] = {name: [] for name in packages}
    for _ in range(args.repeat):
        for name, src in packages.items():
            figures[name].append(_child(["--child", "readings", str(args.shared)], src))
    print("\n## analyze_batch over the 394 shared news texts, CPU ms per article (each run)")
    print(f"{'package':<16}{'first reading':>24}{'second reading':>24}")
    for name, runs in figures.items():
        first = " / ".join(f"{run['first']:.2f}" for run in runs)
        second = " / ".join(f"{run['second']:.2f}" for run in runs)
        print(f"{name:<16}{first:>24}{second:>24}")
    made = _child(["--child", "lexemes", str(args.shared)])
    print(f"\nspaCy lexemes of {made['words']} new Latvian words: {made['us']:.1f} µs each")


if __name__ == "__main__":
    main()
