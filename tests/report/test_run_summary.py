import re

from nvo_nlp.ingest import Article
from nvo_nlp.process import ArticleAnalysis, analyze
from nvo_nlp.report import run_summary_markdown


def analysis(title: str, text: str, lang: str = "lt") -> ArticleAnalysis:
    return analyze(Article(article_id="a1", text=text, origin="test", title=title, language_hint=lang))


def test_run_summary_lists_tables_events_and_the_timeline(tmp_path):
    text = "Klaipėdos rajone vyko susitikimas. Meras Jonas Petraitis sveikino 22 svečius iš Latvijos."
    markdown = run_summary_markdown(
        {"events": 1, "mentions": 9}, [analysis("Susitikimas", text)], str(tmp_path / "timeline.html")
    )
    assert "| events | 1 |" in markdown and "| mentions | 9 |" in markdown
    assert (tmp_path / "timeline.html").as_uri() in markdown
    [row] = [line for line in markdown.splitlines() if line.startswith("| ") and "meeting" in line]
    assert "Klaipėdos rajonas" in row and "Jonas Petraitis" in row and "Susitikimas" in row


def test_run_summary_article_text_is_plain_text_in_its_cell(tmp_path):
    title = "Renginys <script>alert(1)</script> | [x](javascript:alert(1))"
    markdown = run_summary_markdown({}, [analysis(title, "Klaipėdoje vyko susitikimas.")], str(tmp_path / "t.html"))
    [row] = [line for line in markdown.splitlines() if "Renginys" in line]
    # Markup is escaped: no tag, no link can form.
    assert re.search(r"(?<!\\)[<\[]", row) is None
    assert "\\<script\\>" in row and "\\[x\\]" in row
    assert row.count(" | ") == 5  # the pipe in the title does not add a column


def test_run_summary_links_a_timeline_given_by_a_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    markdown = run_summary_markdown({}, [], "data/processed/timeline.html")
    assert (tmp_path / "data/processed/timeline.html").as_uri() in markdown
