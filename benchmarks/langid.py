"""Language identification: accuracy per language, short snippets, throughput, memory, start-up.

Usage: python benchmarks/langid.py [--shared DIR] [--min-words 5]

Side by side in one run on shared/data/langid/ (UD sentences in 9 languages): langdetect (seed 0),
lingua with all 75 languages, lingua restricted to the ten default candidates, and the project
default (``baltic``: restricted lingua plus Lithuanian/Latvian word evidence, with quotations and
mid-sentence names set aside). "Sentences" are the lines with at least --min-words words (the files
also hold one-word lines and dialogue fragments); snippets are the first 1, 2 and 3 words of those
sentences. Accuracy counts each backend's best guess (``und`` is a separate policy, not scored).
Throughput is sentences/s on the full sentences; peak RSS and start-up are measured in a fresh
process per backend (build + first detection).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = ("lt", "lv", "et", "en", "ru", "pl", "de", "fi", "be")
CONDITIONS = ("sentence", "3 words", "2 words", "1 word")
_BUILD = {
    "langdetect": "from nvo_nlp.langid import LangdetectBackend as B; b = B(); f = b.scores",
    "lingua (all 75)": "from nvo_nlp.langid import LinguaBackend as B; b = B(None, preload=True); f = b.scores",
    "lingua (10)": "from nvo_nlp.langid import LinguaBackend as B; b = B(preload=True); f = b.scores",
    "default (baltic)": "from nvo_nlp.langid import LanguageDetector as D; b = D(); f = b.scores",
}
_MEASURE = """
import resource, time
t = time.perf_counter()
{build}
f("Klaipėdos rajono savivaldybė kartu su Liepojos miesto savivaldybe")
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def snippets(sentences: list[str], condition: str) -> list[str]:
    if condition == "sentence":
        return sentences
    words = int(condition.split()[0])
    return [" ".join(s.split()[:words]) for s in sentences]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--min-words", type=int, default=5)
    args = parser.parse_args()
    data = {}
    for lang in LANGUAGES:
        lines = (args.shared / "langid" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        data[lang] = [line for line in lines if len(line.split()) >= args.min_words]

    resources_used = {}
    for name, build in _BUILD.items():
        out = subprocess.run(
            [sys.executable, "-c", _MEASURE.format(build=build)], capture_output=True, text=True, check=True
        )
        seconds, rss = map(float, out.stdout.split())
        resources_used[name] = (seconds, rss)

    accuracy: dict[str, dict[tuple[str, str], float]] = {}
    throughput = {}
    for name, build in _BUILD.items():
        namespace: dict = {}
        exec(build, namespace)  # the same construction as measured above
        guess = namespace["f"]
        accuracy[name] = {}
        for condition in CONDITIONS:
            started = time.perf_counter()
            total = 0
            for lang in LANGUAGES:
                texts = snippets(data[lang], condition)
                correct = 0
                for text in texts:
                    ranked = guess(text)
                    correct += bool(ranked) and ranked[0][0] == lang
                accuracy[name][(lang, condition)] = correct / len(texts)
                total += len(texts)
            if condition == "sentence":
                throughput[name] = total / (time.perf_counter() - started)
        print(f"measured {name}", file=sys.stderr)

    counts = ", ".join(f"{lang} {len(data[lang])}" for lang in LANGUAGES)
    print(f"Sentences with >= {args.min_words} words: {counts}\n")
    for condition in CONDITIONS:
        print(f"### {condition}\n")
        print("| backend | " + " | ".join(LANGUAGES) + " |")
        print("|---|" + "---|" * len(LANGUAGES))
        best = {
            lang: max(accuracy[n][(lang, condition)] for n in _BUILD if n != "default (baltic)") for lang in LANGUAGES
        }
        for name in _BUILD:
            cells = []
            for lang in LANGUAGES:
                value = accuracy[name][(lang, condition)]
                mark = "**" if value >= best[lang] - 1e-12 else ""
                cells.append(f"{mark}{value:.3f}{mark}")
            print(f"| {name} | " + " | ".join(cells) + " |")
        print()
    print("| backend | sentences/s | start-up s | peak RSS MB |")
    print("|---|---|---|---|")
    for name in _BUILD:
        seconds, rss = resources_used[name]
        print(f"| {name} | {throughput[name]:.0f} | {seconds:.2f} | {rss:.0f} |")
    print(
        json.dumps(
            {"throughput_ratio_default_vs_langdetect": throughput["default (baltic)"] / throughput["langdetect"]}
        )
    )


if __name__ == "__main__":
    main()
