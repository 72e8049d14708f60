import pytest

from conftest import REPO
from nvo_nlp.store import TABLES
from nvo_nlp.store.dictionary import data_dictionary


def test_dictionary_file_is_current():
    written = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == data_dictionary(), "docs/data-dictionary.md is stale: python scripts/build_data_dictionary.py"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_dictionary_documents_every_column_of_the_schema(table):
    section = data_dictionary().split(f"\n## {table}\n", 1)[1].split("\n## ", 1)[0]
    for column in TABLES[table].columns:
        assert f"| `{column.name}` |" in section and column.description.replace("|", "\\|") in section, column.name
