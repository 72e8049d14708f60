"""Write docs/data-dictionary.md from the table schemas (src/nvo_nlp/store/schema.py).

Usage: python scripts/build_data_dictionary.py
"""

from pathlib import Path

from nvo_nlp.store.dictionary import data_dictionary

REPO = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    target = REPO / "docs" / "data-dictionary.md"
    target.write_text(data_dictionary(), encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)}")
