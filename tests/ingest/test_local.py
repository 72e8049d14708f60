import json
from datetime import UTC, datetime

import pytest

from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.ingest import Article, InputFailure, article_id_for, canonical_url, discover_files, read_inputs, read_path


def test_local_reads_bundled_samples_with_sidecar_metadata():
    articles, failures = read_inputs([SAMPLES])
    assert failures == []
    assert len(articles) == 7
    lithuanian = next(a for a in articles if a.origin.endswith(".txt"))
    assert lithuanian.text.startswith("Rugsėjo pabaigoje Klaipėdos rajone")
    assert lithuanian.source.startswith("Miesto naujienos")
    assert lithuanian.attribution == "Klaipėdos rajono savivaldybė"  # from the sidecar's publisher
    assert lithuanian.published_at is None
    latvian = [a for a in articles if ".jsonl#" in a.origin]
    assert len(latvian) == 6
    assert all(a.license == "CC BY-SA 4.0" and a.language_hint == "lv" for a in latvian)
    assert latvian[0].published_at == datetime(2008, 6, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Klaipėdos rajone".encode("cp1257") + b" \xff\xfe", "decode"),
    ],
)
def test_local_bad_file_becomes_failure_with_reason(tmp_path, content, kind):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [failure] = read_path(path)
    assert isinstance(failure, InputFailure)
    assert failure.kind == kind
    assert failure.origin == path.as_posix()
    assert failure.reason


def test_local_jsonl_bad_line_does_not_stop_good_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "Liepājā notika pasākums.", "url": "https://example.lv/a?utm_source=x#top"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Klaipėdoje vyko susitikimas.", "published_at": "2025-09-30"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = read_path(path)
    assert [type(i).__name__ for i in items] == ["Article", "InputFailure", "InputFailure", "InputFailure", "Article"]
    assert [i.kind for i in items if isinstance(i, InputFailure)] == ["malformed", "malformed", "empty"]
    assert items[1].origin.endswith("#2")
    assert items[0].url == "https://example.lv/a?utm_source=x#top"
    assert items[0].article_id == article_id_for(url="https://example.lv/a", text="other text")
    assert items[4].published_at == datetime(2025, 9, 30, tzinfo=UTC)


def test_local_html_main_text_and_metadata(tmp_path):
    page = """<html lang="lt"><head><title>Susitikimas Klaipėdoje</title>
    <meta property="article:published_time" content="2025-09-30T10:00:00+03:00">
    <link rel="canonical" href="https://example.lt/naujiena?utm_medium=rss"></head>
    <body><nav>Meniu Kontaktai</nav><article><h1>Susitikimas Klaipėdoje</h1>
    <p>Rugsėjo pabaigoje Klaipėdos rajone vyko pirmasis projekto partnerių susitikimas, kuriame dalyvavo daug svečių.</p>
    <p>Į renginį atvyko 22 svečiai iš Latvijos, kurie aplankė bendruomenes ir susipažino su jų veikla.</p>
    </article><footer>Visos teisės saugomos</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [article] = read_path(path)
    assert isinstance(article, Article)
    assert "22 svečiai iš Latvijos" in article.text
    assert "Meniu" not in article.text
    assert article.title == "Susitikimas Klaipėdoje"
    assert article.url == "https://example.lt/naujiena"
    assert article.published_at.date().isoformat() == "2025-09-30"


def test_local_unsupported_and_missing_files_are_failures(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert read_path(pdf)[0].kind == "unsupported"
    assert read_path(tmp_path / "missing.txt")[0].kind == "input"


def test_local_discovery_skips_sidecars_and_hidden_files(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text("{}", encoding="utf-8")
    assert [p.name for p in discover_files([tmp_path])] == ["a.txt", "b.jsonl"]


def test_articles_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTPS://Example.LT/a?b=2&utm_source=rss&a=1#comments") == "https://example.lt/a?a=1&b=2"


def test_articles_id_is_stable_across_whitespace_and_normalization():
    text = LT_SAMPLE.read_text(encoding="utf-8")
    decomposed = "Rugse\u0307jo pabaigoje"  # combining dot, as some sources send it
    assert article_id_for(url=None, text=text) == article_id_for(url=None, text="  " + text.replace(" ", "  "))
    assert article_id_for(url=None, text=decomposed) == article_id_for(url=None, text="Rugsėjo pabaigoje")
