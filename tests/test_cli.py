import json

from typer.testing import CliRunner

from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.cli import app

runner = CliRunner()


def test_cli_extract_prints_records_of_one_article_as_json():
    result = runner.invoke(app, ["extract", str(LT_SAMPLE)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert records["article"]["language"] == "lt"
    assert {m["normalized"] for m in records["mentions"] if m["type"] == "COMMUNITY"} >= {"Brožių kaimo bendruomenė"}
    assert records["events"][0]["title"] == "Patirties mainų diena"


def test_cli_extract_one_record_of_a_jsonl_file():
    result = runner.invoke(app, ["extract", f"{SAMPLES / 'lv_regional.jsonl'}#2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["article"]["language"] == "lv"
    result = runner.invoke(app, ["extract", str(SAMPLES / "lv_regional.jsonl")])
    assert result.exit_code == 1 and "pick one with" in result.output


def test_cli_extract_bad_file_is_a_one_line_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 1
    assert "file is empty" in result.output
    assert len(result.output.strip().splitlines()) == 1
