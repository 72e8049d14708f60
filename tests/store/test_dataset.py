"""load() and connect() on an output directory written by a real run (write_run over analyzed articles)."""

from datetime import UTC, datetime

import pandas as pd
import pytest

import nvo_nlp
from nvo_nlp.errors import ConfigError, StoreError
from nvo_nlp.ingest.articles import Article
from nvo_nlp.process import analyze
from nvo_nlp.store import write_run

ARTICLES = [
    (
        "lt",
        "2025-09-26",
        "Rugsėjo 20 d. Klaipėdos rajone vyko susitikimas, į kurį atvyko 22 svečiai iš Latvijos. "
        "Klaipėdos rajono savivaldybės vicemerė Violeta Riaukienė sveikino svečius.",
    ),
    ("lv", "2024-05-10", "Maija sākumā Liepājā notika talka, kurā piedalījās 40 iedzīvotāji."),
]


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    output = tmp_path_factory.mktemp("processed")
    analyses = [
        analyze(
            Article(
                article_id=f"a{index}",
                text=text,
                origin=f"test#{index}",
                language_hint=lang,
                published_at=datetime.fromisoformat(published).replace(tzinfo=UTC),
            )
        )
        for index, (lang, published, text) in enumerate(ARTICLES)
    ]
    write_run(output, analyses, [], [])
    return output


def test_dataset_load_filters_by_municipality_date_and_column(output):
    events = nvo_nlp.load("events", output)
    assert len(events) == 2
    # A code or a name in any language picks the same municipality.
    for municipality in ("LT-21", "Klaipėdos rajonas", "Klaipēdas rajons"):
        assert list(nvo_nlp.load("events", output, municipality=municipality).article_id) == ["a0"]
    assert list(nvo_nlp.load("articles", output, since="2025-01-01").article_id) == ["a0"]
    assert list(nvo_nlp.load("articles", output, until="2024-05-10").article_id) == ["a1"]
    people = nvo_nlp.load("mentions", output, where={"type": "PERSON"})
    assert list(people.normalized) == ["Violeta Riaukienė"]
    assert set(nvo_nlp.load("mentions", output, where={"type": ["PERSON", "HEADCOUNT"]}).type) == {
        "PERSON",
        "HEADCOUNT",
    }


def test_dataset_load_reads_only_the_columns_asked_for(output):
    # The filters look at columns not asked for (type, the municipality's entity ids).
    people = nvo_nlp.load("mentions", output, columns=["normalized"], where={"type": "PERSON"}, municipality="LT-21")
    assert list(people.columns) == ["normalized"] and list(people.normalized) == ["Violeta Riaukienė"]
    dated = nvo_nlp.load("articles", output, columns=["article_id"], since="2025-01-01")
    assert dated.to_dict("list") == {"article_id": ["a0"]}


def test_dataset_connect_joins_mentions_to_the_entities_registry(output):
    connection = nvo_nlp.connect(output)
    rows = connection.execute(
        "SELECT e.name_lv, count(*) FROM mentions m JOIN entities e USING (entity_id) "
        "WHERE e.type = 'municipality' GROUP BY e.name_lv ORDER BY e.name_lv"
    ).fetchall()
    mentions, entities = nvo_nlp.load("mentions", output), nvo_nlp.load("entities", output)
    joined = mentions.merge(entities, on="entity_id", suffixes=("", "_entity"))
    expected = joined[joined.type_entity == "municipality"].groupby("name_lv").size()
    assert rows == list(expected.items())
    assert {name for name, _ in rows} >= {"Klaipēdas rajons", "Liepāja"}
    assert connection.execute("SELECT count(*) FROM events").fetchone()[0] == len(nvo_nlp.load("events", output))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda out: nvo_nlp.load("events", out / "missing"), StoreError, "no output directory"),
        (lambda out: nvo_nlp.load("fetch_log", out), StoreError, "has no fetch_log table"),
        (lambda out: nvo_nlp.load("evnts", out), ConfigError, "unknown table 'evnts'"),
        (lambda out: nvo_nlp.load("events", out, where={"colour": 1}), ConfigError, "no column 'colour'"),
        (lambda out: nvo_nlp.load("events", out, columns=["colour"]), ConfigError, "no column 'colour'"),
        (lambda out: nvo_nlp.load("language_spans", out, since="2025-01-01"), ConfigError, "no date"),
        (lambda out: nvo_nlp.load("events", out, since="yesterday-ish"), ConfigError, "not a date"),
        (lambda out: nvo_nlp.load("events", out, municipality="Atlantis"), ConfigError, "unknown municipality"),
        (lambda out: nvo_nlp.connect(out / "missing"), StoreError, "no output directory"),
    ],
)
def test_dataset_bad_requests_are_one_line_errors_and_write_nothing(output, call, error, message):
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    with pytest.raises(error, match=message) as raised:
        call(output)
    assert "\n" not in str(raised.value)
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before


def test_dataset_load_returns_the_written_rows_unchanged(output):
    mentions = nvo_nlp.load("mentions", output)
    # pandas reads the partition keys from the directory names as extra columns.
    direct = pd.read_parquet(output / "mentions").drop(columns=["language", "year", "month"])
    key = ["article_id", "mention_id"]
    pd.testing.assert_frame_equal(
        mentions.sort_values(key).reset_index(drop=True), direct.sort_values(key).reset_index(drop=True)
    )


def test_dataset_tables_are_hive_partitioned_by_language_and_month(output):
    files = sorted(p.relative_to(output).as_posix() for p in (output / "events").rglob("*.parquet"))
    assert files == [
        "events/language=lt/year=2025/month=9/part-0.parquet",
        "events/language=lv/year=2024/month=5/part-0.parquet",
    ]
    assert [p.name for p in (output / "errors").iterdir()] == ["part-0.parquet"]  # not about articles
    connection = nvo_nlp.connect(output)
    rows = connection.execute("SELECT language, year, month, count(*) FROM events GROUP BY ALL ORDER BY 1").fetchall()
    assert rows == [("lt", 2025, 9, 1), ("lv", 2024, 5, 1)]
    assert list(nvo_nlp.load("articles", output).sort_values("article_id").language) == ["lt", "lv"]


def test_dataset_municipality_keeps_rows_about_places_in_it(tmp_path):
    text = "Gargžduose vyko talka, kurioje dalyvavo 30 gyventojų."
    analysis = analyze(Article(article_id="town", text=text, origin="test#town", language_hint="lt"))
    write_run(tmp_path, [analysis], [], [])
    events = nvo_nlp.load("events", tmp_path, municipality="LT-21")
    assert list(events.article_id) == ["town"] and "LT-21" not in list(events.place_ids[0])  # only the town
    assert list(nvo_nlp.load("articles", tmp_path, municipality="Klaipėdos rajonas").article_id) == ["town"]
    assert nvo_nlp.load("events", tmp_path, municipality="LV-LPX").empty
