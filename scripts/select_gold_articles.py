"""Draw the articles of the second dev split and the held-out test split (issue 12) from shared/data/news.

Usage: python scripts/select_gold_articles.py [--shared DIR] [--skeletons DIR]

Candidates are the news documents that are neither in ``tests/gold/dev.jsonl`` nor bundled as samples;
Latvian regional excerpts need at least four sentences to hold anything to annotate. Each group (the
Lithuanian ALKSNIS articles, the Latvian LVTB newswire documents, the Latvian regional excerpts) is
ordered by a hash of the file path and dealt alternately to dev2 and test, so neither split is chosen by
reading it. Writes ``tests/gold/selection.tsv``; with ``--skeletons`` also one JSONL file per split of
records with their text and metadata and empty field lists, ready to annotate.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GROUPS = (("lt", "lt/alksnis_v3.0/", 14), ("lv", "lv/lvtb_ud2.1/", 16), ("lv", "lv/fullstack_regional/", 32))
MIN_REGIONAL_SENTENCES = 4
SPLITS = ("dev2", "test")
FIELDS = ("persons", "officials", "organizations", "headcounts", "dates", "places", "projects", "quotes", "events")


def _taken(shared: Path) -> set[str]:
    taken = {json.loads(line)["source"].removeprefix("news/") for line in (REPO / "tests/gold/dev.jsonl").open()}
    samples = REPO / "data/raw/samples/lv_regional.jsonl"
    taken |= {f"lv/fullstack_regional/{json.loads(line)['doc_id']}.txt" for line in samples.open()}
    return taken


def _rows(shared: Path) -> list[dict]:
    rows = []
    for lang in ("lt", "lv"):
        with (shared / "news" / lang / "sources.tsv").open(encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle, delimiter="\t"))
    return rows


def select(shared: Path) -> list[tuple[str, dict]]:
    taken = _taken(shared)
    rows = _rows(shared)
    chosen = []
    for lang, prefix, size in GROUPS:
        candidates = [
            row
            for row in rows
            if row["lang"] == lang
            and row["file"].startswith(prefix)
            and row["file"] not in taken
            and (not prefix.endswith("regional/") or int(row["n_sentences"]) >= MIN_REGIONAL_SENTENCES)
        ]
        candidates.sort(key=lambda row: hashlib.sha1(f"nvo-nlp gold split {row['file']}".encode()).hexdigest())
        chosen.extend((SPLITS[rank % 2], row) for rank, row in enumerate(candidates[:size]))
    return chosen


def skeleton(shared: Path, row: dict) -> dict:
    if row["lang"] == "lt":
        attribution = f"ALKSNIS v3.0, Vytautas Magnus University ({row['genre']})"
    elif "regional" in row["file"]:
        attribution = f"LUMII FullStack ({row['publication']}, {row['date']})"
    else:
        attribution = f"UD Latvian-LVTB ({row['publication'] or 'newswire (source not named)'}, {row['date']})"
    return {
        "id": f"{row['lang']}-{row['doc_id']}",
        "language": row["lang"],
        "source": f"news/{row['file']}",
        "license": row["license"],
        "attribution": attribution,
        # A year-only corpus date is no publication date: the gold format takes a full ISO date.
        "published": row["date"] if len(row["date"]) == 10 else None,
        "text": (shared / "news" / row["file"]).read_text(encoding="utf-8"),
        **{field: [] for field in FIELDS},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--skeletons", type=Path, help="folder for <split>.skeleton.jsonl files")
    args = parser.parse_args()
    chosen = select(args.shared)
    with (REPO / "tests/gold/selection.tsv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(("split", "file", "publication", "date", "sentences"))
        for split, row in chosen:
            writer.writerow((split, f"news/{row['file']}", row["publication"], row["date"], row["n_sentences"]))
    if args.skeletons:
        args.skeletons.mkdir(parents=True, exist_ok=True)
        for split in SPLITS:
            with (args.skeletons / f"{split}.skeleton.jsonl").open("w", encoding="utf-8") as out:
                for _, row in (pair for pair in chosen if pair[0] == split):
                    out.write(json.dumps(skeleton(args.shared, row), ensure_ascii=False) + "\n")
    for split in SPLITS:
        in_split = [row for name, row in chosen if name == split]
        print(f"{split}: {len(in_split)} articles ({sum(r['lang'] == 'lt' for r in in_split)} lt)")


if __name__ == "__main__":
    main()
