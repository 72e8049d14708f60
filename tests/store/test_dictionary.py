import pyarrow.parquet as pq
import pytest

from conftest import REPO
from nvo_nlp.store import TABLES
from nvo_nlp.store.dictionary import data_dictionary


def test_dictionary_file_is_current():
    written = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == data_dictionary(), "docs/data-dictionary.md is stale: python scripts/build_data_dictionary.py"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_dictionary_documents_every_column_as_the_parquet_metadata_does(tmp_path, table):
    spec = TABLES[table]
    path = tmp_path / "t.parquet"
    pq.write_table(spec.schema.empty_table(), path)
    schema = pq.read_schema(path)
    section = data_dictionary().split(f"\n## {table}\n", 1)[1].split("\n## ", 1)[0]
    for name in spec.column_names:
        description = schema.field(name).metadata[b"description"].decode().replace("|", "\\|")
        assert f"| `{name}` |" in section and description in section, name
