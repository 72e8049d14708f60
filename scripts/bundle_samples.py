"""Copy the bundled sample articles into data/raw/samples/ from shared/data, keeping attribution.

Usage: python scripts/bundle_samples.py [--shared DIR]

- the Lithuanian sample article and its metadata sidecar, unchanged;
- Latvian regional newspaper excerpts (LUMII FullStack, CC BY-SA 4.0) as one
  JSONL record per document, with source, date and licence, plus a sidecar
  ``lv_regional.json`` whose licence and attribution apply to every record.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LATVIAN_DOCUMENTS = ("p980", "p9570", "p12556", "p503", "p12461", "p10011")
_PARAGRAPH = re.compile(r"^\[(?P<id>[^\]]+)\]\s*(?P<text>.*)$")


def latvian_record(shared: Path, doc_id: str, row: dict) -> dict:
    lines = (shared / "news" / "lv" / "fullstack_regional" / f"{doc_id}.txt").read_text("utf-8").splitlines()
    paragraphs = [m for line in lines[1:] if (m := _PARAGRAPH.match(line))]
    return {
        "title": lines[0].strip() or None,
        "text": "\n\n".join(m.group("text").strip() for m in paragraphs),
        "published_at": row["date"] or None,
        "source": row["publication"],
        "language": "lv",
        "doc_id": doc_id,
        "paragraph_ids": [m.group("id") for m in paragraphs],
        "note": "Excerpt: isolated paragraphs of the article (paragraph markers removed), not the full text.",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    target = REPO / "data" / "raw" / "samples"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("ngo_capacity_klaipeda_district_lt.txt", "ngo_capacity_klaipeda_district_lt.json"):
        shutil.copyfile(args.shared / "samples" / name, target / name)

    with (args.shared / "news" / "lv" / "sources.tsv").open(encoding="utf-8") as handle:
        rows = {row["doc_id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    records = [latvian_record(args.shared, doc_id, rows[doc_id]) for doc_id in LATVIAN_DOCUMENTS]
    with (target / "lv_regional.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    first = rows[LATVIAN_DOCUMENTS[0]]
    sidecar = {
        "license": "CC BY-SA 4.0",
        "attribution": "LUMII AI Lab, FullStack Latvian corpus (regional periodicals), CC BY-SA 4.0",
        "origin": f"{first['repo']} @ {first['commit']}, UD/ paragraphs and UD/metadata.json",
        "license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
        "note": "Applies to every record of lv_regional.jsonl; each record keeps its publication, date and document id.",
    }
    (target / "lv_regional.json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"bundled 1 Lithuanian article and {len(records)} Latvian excerpts into {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
