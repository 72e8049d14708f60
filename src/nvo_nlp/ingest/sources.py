"""The sources file: which feeds, sitemaps, pages and folders to ingest, and how politely to fetch.

See ``sources.example.toml`` at the repository root for a documented example.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from nvo_nlp.errors import ConfigError

SOURCE_KINDS = ("feed", "sitemap", "page", "folder")


@dataclass(frozen=True)
class FetchSettings:
    """The ``[fetch]`` table: identity, politeness and limits for every HTTP request."""

    user_agent: str = "nvo-nlp/0.1 (regional news research crawler)"
    contact: str | None = None  # appended to the User-Agent so site owners can reach the operator
    requests_per_second_per_host: float = 1.0
    max_concurrency_per_host: int = 2
    max_concurrency: int = 8
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_retries: int = 3
    backoff_base: float = 0.5  # seconds; doubled per retry, with full jitter
    backoff_max: float = 30.0
    max_retry_after: float = 120.0  # a Retry-After longer than this fails the request instead of waiting
    retry_later_after: float = (
        900.0  # a page that failed transiently is tried again in a later run, after this many seconds (doubling)
    )
    max_retry_runs: int = 5  # ... in at most this many later runs
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    allowed_hosts: tuple[str, ...] = ()  # empty: any host
    allow_private_hosts: bool = False  # True lets fetches reach loopback, private and link-local addresses
    respect_robots: bool = True

    @property
    def user_agent_header(self) -> str:
        return f"{self.user_agent} {self.contact}".strip() if self.contact else self.user_agent


@dataclass(frozen=True)
class Source:
    """One ``[[source]]`` table."""

    name: str
    kind: str
    url: str | None = None
    path: str | None = None
    language: str | None = None
    region: str | None = None
    max_items: int | None = None
    enabled: bool = True


@dataclass(frozen=True)
class SourcesConfig:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sources: tuple[Source, ...] = ()

    @property
    def enabled_sources(self) -> tuple[Source, ...]:
        return tuple(source for source in self.sources if source.enabled)


def load_sources(path: str | Path) -> SourcesConfig:
    """Parse and validate a sources TOML file; every problem is a :class:`ConfigError` naming the field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_sources(data, where=str(path), base=path.parent)


def parse_sources(data: dict[str, Any], *, where: str = "sources", base: Path = Path(".")) -> SourcesConfig:
    unknown = set(data) - {"fetch", "source"}
    if unknown:
        raise ConfigError(f"{where}: unknown top-level keys {sorted(unknown)}; expected [fetch] and [[source]]")
    fetch = _build(FetchSettings, data.get("fetch", {}), f"{where} [fetch]")
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError(f"{where}: no [[source]] tables")
    sources = []
    for index, table in enumerate(raw_sources, start=1):
        label = f"{where} [[source]] #{index}"
        source = _build(Source, table, label)
        if source.kind not in SOURCE_KINDS:
            raise ConfigError(f"{label}: kind must be one of {', '.join(SOURCE_KINDS)}, not {source.kind!r}")
        if source.kind == "folder":
            if not source.path:
                raise ConfigError(f"{label}: a folder source needs 'path'")
            source = _replace_path(source, base)
        elif not source.url or not source.url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{label}: a {source.kind} source needs an http(s) 'url'")
        if source.max_items is not None and source.max_items < 1:
            raise ConfigError(f"{label}: max_items must be at least 1")
        sources.append(source)
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{where}: source names must be unique; repeated: {', '.join(duplicates)}")
    return SourcesConfig(fetch=fetch, sources=tuple(sources))


def _build(cls, table: Any, label: str):
    if not isinstance(table, dict):
        raise ConfigError(f"{label}: expected a table")
    known = {f.name: f for f in fields(cls)}
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(f"{label}: unknown keys {sorted(unknown)}; known: {', '.join(known)}")
    values = {}
    for key, value in table.items():
        expected = known[key].type
        if key == "allowed_hosts":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{label}: allowed_hosts must be a list of host names")
            value = tuple(v.lower() for v in value)
        elif "float" in expected and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not _fits(value, expected):
            raise ConfigError(f"{label}: {key} must be {expected}, not {type(value).__name__} {value!r}")
        values[key] = value
    try:
        return cls(**values)
    except TypeError as exc:
        raise ConfigError(f"{label}: {exc}") from None


def _fits(value: Any, annotation: str) -> bool:
    checks = {"str": str, "int": int, "float": float, "bool": bool, "None": type(None), "tuple[str, ...]": tuple}
    options = [part.strip() for part in annotation.split("|")]
    for option in options:
        kind = checks.get(option)
        if kind is int and isinstance(value, bool):
            continue
        if kind is not None and isinstance(value, kind):
            return True
    return False


def _replace_path(source: Source, base: Path) -> Source:
    path = Path(source.path)
    return Source(**{**source.__dict__, "path": str(path if path.is_absolute() else base / path)})
