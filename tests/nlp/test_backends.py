"""NER backends: any spaCy pipeline, by folder here (a small one the test trains and saves), feeds nvo_entities."""

import pytest
import spacy
from spacy.training import Example

from nvo_nlp.errors import ConfigError
from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.nlp import backends
from nvo_nlp.nlp.pipeline import SETTLED_BY, build_pipeline, pipeline_for

TRAIN = [
    ("Vakar kalbėjo Jonas Petraitis apie ateitį.", [(14, 29, "PERSON")]),
    ("Su juo susitiko Ona Kazlauskienė iš Tauragės.", [(16, 32, "PERSON")]),
    ("Jonas Petraitis ir Ona Kazlauskienė sutarė.", [(0, 15, "PERSON"), (19, 35, "PERSON")]),
    ("Apie tai pranešė Petras Jonaitis.", [(17, 32, "PERSON")]),
]


@pytest.fixture(scope="module")
def lithuanian_ner(tmp_path_factory):
    """A tiny Lithuanian NER pipeline trained here and saved to disk, standing in for lt_core_news_*."""
    nlp = spacy.blank("lt")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": ents}) for text, ents in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    folder = tmp_path_factory.mktemp("lt_ner")
    nlp.to_disk(folder)
    return folder


@pytest.fixture
def restore_backends():
    yield
    backends.configure()


def test_backends_pipeline_by_folder_feeds_people_to_extraction(lithuanian_ner, restore_backends):
    text = "Vakar kalbėjo Jonas Petraitis apie ateitį."
    nlp = build_pipeline("lt", lithuanian_ner)
    # The model runs inside nvo_name_sentences_ner, on the sentences that can hold a name the rules left,
    # before the officials read its people.
    names = nlp.pipe_names
    last_rule = max(names.index(name) for name in SETTLED_BY)
    assert names[last_rule + 1 : names.index("nvo_officials")] == ["nvo_name_sentences_ner"]
    assert nlp.disabled == ["ner"]
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [("Jonas Petraitis", "PERSON")]
    # Configured for the process: the shared pipeline now uses it too.
    backends.configure({"lt": str(lithuanian_ner)})
    assert "ner" in pipeline_for("lt").disabled
    assert backends.ner_setting("lt") == str(lithuanian_ner)


def test_backends_rules_win_over_the_model(lithuanian_ner):
    text = "Vakar kalbėjo Jonas Petraitis apie ateitį."
    people = [m for m in mentions_in(build_pipeline("lt", lithuanian_ner)(text), "nvo_officials", "nvo_entities")]
    # The rules already found the two-word name: the model's identical span adds nothing.
    assert [(m.normalized, m.method) for m in people] == [("Jonas Petraitis", "rules")]


def test_backends_missing_package_or_folder_is_a_clear_error(tmp_path, restore_backends):
    with pytest.raises(ConfigError, match="not installed and nothing is downloaded"):
        backends.configure({"lt": "lt_core_news_sm"})
    with pytest.raises(ConfigError, match="no meta.json"):
        backends.configure({"lt": str(tmp_path)})
    bad = tmp_path / "backends.toml"
    bad.write_text("[ner\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        backends.configure(file=bad)


def test_backends_file_sets_languages(tmp_path, lithuanian_ner, restore_backends):
    config = tmp_path / "backends.toml"
    config.write_text(f'[ner]\nlt = "{lithuanian_ner}"\nen = "none"\n', encoding="utf-8")
    settings = backends.configure(file=config)
    assert settings["lt"] == str(lithuanian_ner) and settings["en"] == "none"
    assert backends.ner_model("lt") == str(lithuanian_ner)
