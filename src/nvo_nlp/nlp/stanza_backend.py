"""stanza as a backend: its lemmas, POS tags and entities on the nvo pipeline's own tokens.

Optional (``pip install "nvo-nlp[stanza]"``, which brings torch). Models come from a local folder named
in the backends file and are never downloaded (``download_method=None``):

```toml
[stanza.lt]
dir = "models/stanza"                  # a stanza resources folder: resources.json and the models
processors = "tokenize,pos,lemma"      # tokens are ours: stanza gets them pretokenized
lemma_model_path = "models/stanza/lt_nvo_lemmatizer.pt"   # any <processor>_<option> is passed on
```

With ``ner`` among the processors (where stanza has a model for the language), its entities become
``doc.ents`` and reach ``nvo_entities`` like those of a spaCy model.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from nvo_nlp.errors import ConfigError

INSTALL_HINT = 'pip install "nvo-nlp[stanza]"'


def check_settings(lang: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Validated stanza settings of ``lang``; raises :class:`ConfigError` naming what is missing."""
    try:
        import stanza  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"the stanza backend for '{lang}' needs stanza and torch: {INSTALL_HINT}") from exc
    settings = dict(settings)
    folder = settings.get("dir")
    if not isinstance(folder, str):
        raise ConfigError(f"[stanza.{lang}] needs dir = the folder of the stanza models")
    if not (Path(folder) / "resources.json").is_file():
        raise ConfigError(
            f"[stanza.{lang}] dir {folder} has no resources.json; nothing is downloaded at run time: get the models "
            f"once with python -c \"import stanza; stanza.download('{lang}', model_dir='{folder}')\" "
            "or train your own"
        )
    for key, value in settings.items():
        if key.endswith("_path") and not Path(str(value)).is_file():
            raise ConfigError(f"[stanza.{lang}] {key} = {value}: no such file")
    settings.setdefault("processors", "tokenize,pos,lemma")
    return settings


class StanzaComponent:
    """Runs a stanza pipeline on the doc's sentences, pretokenized, and writes lemmas, POS and entities."""

    def __init__(self, lang: str, settings: Mapping[str, Any]) -> None:
        import stanza

        options = {key: value for key, value in settings.items() if key not in ("dir", "processors")}
        self.processors = str(settings["processors"])
        self.pipeline = stanza.Pipeline(
            lang=lang,
            dir=settings["dir"],
            processors=self.processors,
            tokenize_pretokenized=True,
            download_method=None,
            logging_level="WARN",
            **options,
        )

    def __call__(self, doc: Doc) -> Doc:
        sentences = [[token for token in sent if not token.is_space] for sent in doc.sents]
        sentences = [tokens for tokens in sentences if tokens]
        if not sentences:
            return doc
        result = self.pipeline([[token.text for token in tokens] for tokens in sentences])
        entities = []
        for tokens, sentence in zip(sentences, result.sentences, strict=True):
            for token, word in zip(tokens, sentence.words, strict=True):
                if word.lemma:
                    token.lemma_ = word.lemma
                if word.upos:
                    token.pos_ = word.upos
            for entity in getattr(sentence, "ents", ()):
                first, last = entity.tokens[0].id[0] - 1, entity.tokens[-1].id[-1] - 1
                entities.append(Span(doc, tokens[first].i, tokens[last].i + 1, label=entity.type))
        if entities:
            doc.ents = entities
        return doc
