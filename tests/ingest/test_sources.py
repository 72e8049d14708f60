from pathlib import Path

import pytest

from nvo_nlp.errors import ConfigError
from nvo_nlp.ingest.sources import load_sources, parse_sources

REPO = Path(__file__).resolve().parents[2]


def test_sources_example_file_is_valid():
    config = load_sources(REPO / "sources.example.toml")
    kinds = {source.kind for source in config.sources}
    assert kinds == {"feed", "sitemap", "page", "folder"}
    assert config.fetch.contact and config.fetch.max_bytes > 0
    assert config.fetch.allow_private_hosts is False
    assert {s.language for s in config.sources} >= {"lt", "lv"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": [{"name": "a", "kind": "rss", "url": "http://a.lt"}]}, "kind must be one of"),
        ({"source": [{"name": "a", "kind": "feed"}]}, "needs an http(s) 'url'"),
        ({"source": [{"name": "a", "kind": "feed", "url": "file:///x"}]}, "needs an http(s) 'url'"),
        ({"source": [{"name": "a", "kind": "folder"}]}, "needs 'path'"),
        ({"source": [{"name": "a", "kind": "page", "url": "http://a.lt", "max_items": 0}]}, "max_items"),
        ({"source": [{"name": "a", "kind": "page", "url": "http://a.lt", "colour": "red"}]}, "unknown keys ['colour']"),
        (
            {"fetch": {"read_timeout": "fast"}, "source": [{"name": "a", "kind": "page", "url": "http://a.lt"}]},
            "read_timeout must be float",
        ),
        (
            {
                "source": [
                    {"name": "a", "kind": "page", "url": "http://a.lt"},
                    {"name": "a", "kind": "page", "url": "http://b.lt"},
                ]
            },
            "unique",
        ),
        (
            {"fetch": {"allow_private_hosts": "yes"}, "source": [{"name": "a", "kind": "page", "url": "http://a.lt"}]},
            "allow_private_hosts must be bool",
        ),
        ({"fetch": {}}, "no [[source]] tables"),
    ],
)
def test_sources_invalid_files_name_the_problem(data, message):
    with pytest.raises(
        ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")
    ):
        parse_sources(data)


def test_sources_bad_toml_is_a_config_error(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[[source]\nname = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_sources(path)


def test_sources_allow_private_hosts_is_read_from_fetch():
    page = [{"name": "a", "kind": "page", "url": "http://127.0.0.1/"}]
    assert parse_sources({"fetch": {"allow_private_hosts": True}, "source": page}).fetch.allow_private_hosts is True
    assert parse_sources({"source": page}).fetch.allow_private_hosts is False
