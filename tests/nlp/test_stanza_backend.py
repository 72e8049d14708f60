"""The stanza backend on a real stanza model: a lemmatizer the test trains briefly from 80 UD sentences."""

import subprocess
import sys
from pathlib import Path

import pytest

from nvo_nlp.errors import ConfigError
from nvo_nlp.nlp import backends
from nvo_nlp.nlp.pipeline import build_pipeline

stanza = pytest.importorskip("stanza", reason='the stanza extra is not installed: pip install "nvo-nlp[stanza]"')

SAMPLE = Path(__file__).parents[1] / "data" / "lt_alksnis_train_sample.conllu"


@pytest.fixture(scope="module")
def stanza_models(tmp_path_factory):
    """A stanza resources folder holding a Lithuanian lemmatizer trained here (one epoch, no POS)."""
    folder = tmp_path_factory.mktemp("stanza")
    subprocess.run(
        [
            sys.executable, "-m", "stanza.models.lemmatizer", "--mode", "train", "--cpu",
            "--train_file", str(SAMPLE), "--eval_file", str(SAMPLE), "--output_file", str(folder / "pred.conllu"),
            "--shorthand", "lt_nvo", "--num_epoch", "1", "--no_pos", "--batch_size", "50",
            "--save_dir", str(folder), "--save_name", "lt_nvo_lemmatizer.pt",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (folder / "resources.json").write_text('{"lt": {"lang_name": "Lithuanian"}}', encoding="utf-8")
    return folder


@pytest.fixture
def restore_backends():
    yield
    backends.configure()


def backends_file(tmp_path, folder, **extra):
    lines = ["[stanza.lt]", f'dir = "{folder}"', 'processors = "tokenize,lemma"']
    lines += [
        f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {str(value).lower()}"
        for key, value in extra.items()
    ]
    path = tmp_path / "backends.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_stanza_backend_lemmas_from_a_local_model(tmp_path, stanza_models, restore_backends):
    config = backends_file(
        tmp_path, stanza_models, lemma_model_path=str(stanza_models / "lt_nvo_lemmatizer.pt"), lemma_pos=False
    )
    backends.configure(file=config)
    nlp = build_pipeline("lt")
    assert "nvo_stanza" in nlp.pipe_names and "nvo_lemmatizer" not in nlp.pipe_names
    doc = nlp("Lietuvos Respublikos Seimo Kultūros komiteto posėdis.")
    lemmas = {token.text: token.lemma_ for token in doc}
    # Forms of the training sentences come back with their treebank lemma (stanza's dictionary).
    assert lemmas["Lietuvos"] == "Lietuva"
    assert lemmas["komiteto"] == "komitetas"
    assert backends.system_info().stanza_dirs == {"lt": str(stanza_models)}


def test_stanza_backend_names_what_is_missing(tmp_path, restore_backends):
    empty = tmp_path / "models"
    empty.mkdir()
    with pytest.raises(ConfigError, match="has no resources.json; nothing is downloaded at run time"):
        backends.configure(file=backends_file(tmp_path, empty))
    (empty / "resources.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError, match="lemma_model_path = .*: no such file"):
        backends.configure(file=backends_file(tmp_path, empty, lemma_model_path=str(empty / "missing.pt")))
