"""Which statistical NER each language uses, set once per process from a TOML file or the CLI.

```toml
# backends.toml
[ner]
lv = "bundled"           # the pipeline shipped in the package (src/nvo_nlp/data/models/lv_ner): the default
lt = "lt_core_news_md"   # an installed spaCy package, or the folder of any spaCy pipeline
en = "none"              # rules and gazetteer only: the default for every other language
```

Latvian uses the shipped model by default, as measured (benchmarks/README.md): it finds people and
places no list holds (entity F1 on LUMII's dev set: rules 0.63, combined with the model 0.71), at
12,000-16,000 words/s against about 30,000 for the rules; ``lv = "none"`` (``--ner lv=none``) turns it off.

Nothing is downloaded: a named package must be installed (``pip install`` it, or ``python -m spacy
download``), a folder must hold a saved pipeline (``meta.json``); otherwise :func:`configure` raises a
:class:`ConfigError` that says so before any article is read.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import spacy.util

from nvo_nlp.errors import ConfigError
from nvo_nlp.nlp.stanza_backend import check_settings

BUNDLED = "bundled"
NONE = "none"
#: Statistical NER pipelines shipped in the package (trained by scripts/train_lv_ner.py).
BUNDLED_NER = {"lv": "data/models/lv_ner"}
DEFAULT_NER: dict[str, str] = {"lv": BUNDLED}

_ner: dict[str, str] = dict(DEFAULT_NER)
_stanza: dict[str, dict] = {}


def bundled_ner(lang: str) -> Path | None:
    """Folder of the NER pipeline shipped for ``lang``, if the package has one."""
    relative = BUNDLED_NER.get(lang)
    if relative is None:
        return None
    folder = Path(str(resources.files("nvo_nlp").joinpath(relative)))
    return folder if (folder / "meta.json").is_file() else None


def ner_setting(lang: str) -> str:
    """The configured NER backend of ``lang``: "bundled", "none", a package name or a folder."""
    return _ner.get(lang, NONE)


def ner_model(lang: str) -> str | Path | None:
    """What to load for ``lang``'s NER: a folder or package name, or None for rules only."""
    setting = ner_setting(lang)
    if setting == NONE:
        return None
    if setting == BUNDLED:
        return bundled_ner(lang)
    return setting


def configure(ner: Mapping[str, str] | None = None, *, file: str | Path | None = None) -> dict[str, str]:
    """Set the NER backend per language (the file first, then ``ner`` on top); returns the settings.

    Languages not named keep the defaults (bundled Latvian model, rules only elsewhere).
    """
    loaded = load_backends(file) if file is not None else {}
    chosen = {**loaded.get("ner", {}), **(ner or {})}
    for lang, setting in chosen.items():
        _check(lang, setting)
    stanza = {lang: check_settings(lang, table) for lang, table in loaded.get("stanza", {}).items()}
    settings = {**DEFAULT_NER, **chosen}
    _ner.clear()
    _ner.update(settings)
    _stanza.clear()
    _stanza.update(stanza)
    from nvo_nlp.nlp.pipeline import pipeline_for  # the cached pipelines were built for the old settings

    pipeline_for.cache_clear()
    return dict(settings)


def stanza_settings(lang: str) -> dict | None:
    """The ``[stanza.<lang>]`` settings in force, if ``lang`` uses the stanza backend."""
    return _stanza.get(lang)


def load_backends(path: str | Path) -> dict[str, dict]:
    """The ``[ner]`` and ``[stanza.<lang>]`` tables of a backends TOML file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read backends file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"ner", "stanza"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown section(s) {', '.join(sorted(unknown))}; expected [ner] and [stanza.<lang>]"
        )
    table = data.get("ner", {})
    if not all(isinstance(value, str) for value in table.values()):
        raise ConfigError(f"{path}: [ner] values must be strings (bundled, none, a package name or a folder)")
    stanza = data.get("stanza", {})
    if not all(isinstance(value, dict) for value in stanza.values()):
        raise ConfigError(f"{path}: stanza settings go in one table per language, [stanza.lt]")
    return {"ner": dict(table), "stanza": {lang: dict(value) for lang, value in stanza.items()}}


def _check(lang: str, setting: str) -> None:
    if setting == NONE:
        return
    if setting == BUNDLED:
        if bundled_ner(lang) is None:
            shipped = ", ".join(sorted(BUNDLED_NER)) or "none"
            raise ConfigError(f"no NER pipeline is bundled for '{lang}' (bundled: {shipped})")
        return
    if Path(setting).is_dir():
        if not (Path(setting) / "meta.json").is_file():
            raise ConfigError(f"{setting} is not a saved spaCy pipeline (no meta.json)")
        return
    if not spacy.util.is_package(setting):
        raise ConfigError(
            f"spaCy pipeline '{setting}' for '{lang}' is not installed and nothing is downloaded at run time: "
            f"install it first (pip install {setting}, or python -m spacy download {setting})"
        )


@dataclass(frozen=True)
class ModelInfo:
    """A spaCy pipeline this machine has: bundled in the package or installed as a package."""

    name: str
    source: str  # "bundled" or "installed"
    version: str
    lang: str
    pipes: tuple[str, ...]
    labels: tuple[str, ...]
    ents_f: float | None
    location: str


@dataclass(frozen=True)
class SystemInfo:
    ner: dict[str, str]  # language -> configured backend
    ner_loads: dict[str, str | None]  # language -> what that loads (folder or package), None for rules only
    stanza_dirs: dict[str, str]  # language -> stanza model folder, for languages that use stanza
    models: tuple[ModelInfo, ...]
    stanza: str | None  # stanza's version when installed
    versions: dict[str, str]


def system_info() -> SystemInfo:
    models = []
    for lang in sorted(BUNDLED_NER):
        folder = bundled_ner(lang)
        if folder is not None:
            models.append(_model_info(f"nvo-nlp {lang}_ner", "bundled", folder))
    for name in sorted(spacy.util.get_installed_models()):
        models.append(_model_info(name, "installed", Path(spacy.util.get_package_path(name))))
    versions = {
        name: _version(name) for name in ("nvo-nlp", "spacy", "lingua-language-detector", "simplemma", "prefect")
    }
    languages = ("lt", "lv", "en")
    loads = {lang: str(model) if (model := ner_model(lang)) is not None else None for lang in languages}
    stanza_dirs = {lang: str(settings["dir"]) for lang, settings in _stanza.items()}
    return SystemInfo(
        {lang: ner_setting(lang) for lang in languages}, loads, stanza_dirs, tuple(models), _version("stanza"), versions
    )


def _model_info(name: str, source: str, folder: Path) -> ModelInfo:
    meta = spacy.util.load_meta(_meta_path(folder))
    labels = meta.get("labels", {}).get("ner", ())
    return ModelInfo(
        name=name,
        source=source,
        version=meta.get("version", "?"),
        lang=meta.get("lang", "?"),
        pipes=tuple(meta.get("pipeline", ())),
        labels=tuple(labels),
        ents_f=meta.get("performance", {}).get("ents_f"),
        location=str(folder),
    )


def _meta_path(folder: Path) -> Path:
    direct = folder / "meta.json"
    if direct.is_file():
        return direct
    # An installed package keeps its pipeline in a versioned subfolder.
    return next(folder.glob("*/meta.json"), direct)


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
