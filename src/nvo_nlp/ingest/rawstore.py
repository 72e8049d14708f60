"""What ingestion keeps on disk under the raw directory.

::

    raw/
      bodies/ab/cd/<sha256>.gz   every fetched body, content-addressed and gzip-compressed
      state/sources/<source>.json per-source validators (ETag, Last-Modified) and body hash per URL
      state/robots.json          robots.txt rules per host, kept 24 hours
      state/texts.json           text fingerprint -> first article, so syndicated copies are stored once
      state/pending.json         pages that failed transiently, to try again in a later run (with backoff)
      fetch_log/                 Parquet table: one row per request, with the reason of every failure
      articles/<run>.jsonl       the articles a run extracted, ready for ``nvo-nlp run --input``

State is written atomically at the end of a run: a crash before that only means
the next run fetches again, never a lost or duplicated article.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from nvo_nlp.ingest.http import Validators
from nvo_nlp.store.files import atomic_write


class RawStore:
    """Content-addressed, compressed bodies: the same bytes are stored once, whatever URL they came from."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root) / "bodies"

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest[2:4] / f"{digest}.gz"

    def put(self, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        target = self.path(digest)
        if not target.exists():
            compressed = gzip.compress(body, mtime=0)
            atomic_write(target, lambda path: path.write_bytes(compressed))
        return digest

    def get(self, digest: str) -> bytes:
        return gzip.decompress(self.path(digest).read_bytes())


def text_fingerprint(text: str) -> str:
    """Hash of the text with case, spacing and punctuation normalized: syndicated copies share it."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return hashlib.sha256(" ".join(re.findall(r"\w+", folded)).encode("utf-8")).hexdigest()


class IngestState:
    """Per-source URL state, robots rules and text fingerprints; thread-safe, saved with :meth:`save`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root) / "state"
        self._lock = threading.Lock()
        self.sources: dict[str, dict[str, dict[str, Any]]] = {}
        for path in sorted((self.root / "sources").glob("*.json")):
            self.sources[path.stem] = json.loads(path.read_text("utf-8"))
        self.robots: dict[str, Any] = self._read("robots.json")
        self.texts: dict[str, dict[str, str]] = self._read("texts.json")
        self.pending: dict[str, dict[str, dict[str, Any]]] = self._read("pending.json")

    def _read(self, name: str) -> dict:
        path = self.root / name
        return json.loads(path.read_text("utf-8")) if path.exists() else {}

    def validators(self, source: str, url: str) -> Validators:
        entry = self.sources.get(_slug(source), {}).get(url)
        return Validators(entry.get("etag"), entry.get("last_modified")) if entry else Validators()

    def entry(self, source: str, url: str) -> dict[str, Any] | None:
        return self.sources.get(_slug(source), {}).get(url)

    def remember(self, source: str, url: str, **entry: Any) -> None:
        with self._lock:
            self.sources.setdefault(_slug(source), {})[url] = entry

    def claim_text(self, fingerprint: str, article_id: str, url: str) -> str | None:
        """Record who owns a text; returns the owner's article id when another article has it already."""
        with self._lock:
            owner = self.texts.setdefault(fingerprint, {"article_id": article_id, "url": url})
            return owner["article_id"] if owner["article_id"] != article_id else None

    def defer(
        self, source: str, url: str, item: dict[str, Any], *, now: datetime, first_delay: float, max_runs: int
    ) -> bool:
        """Keep a transiently failed page for a later run; False once it has failed ``max_runs`` times."""
        with self._lock:
            pending = self.pending.setdefault(_slug(source), {})
            failures = pending.get(url, {}).get("failures", 0) + 1
            if failures > max_runs:
                pending.pop(url, None)
                return False
            not_before = now + timedelta(seconds=first_delay * 2 ** (failures - 1))
            pending[url] = {"item": item, "failures": failures, "not_before": not_before.isoformat()}
            return True

    def due(self, source: str, now: datetime) -> list[dict[str, Any]]:
        """Deferred pages of ``source`` whose wait is over."""
        with self._lock:
            entries = self.pending.get(_slug(source), {}).values()
            return [e["item"] for e in entries if datetime.fromisoformat(e["not_before"]) <= now]

    def settle(self, source: str, url: str) -> None:
        """Forget a deferred page (it was fetched, or failed for good)."""
        with self._lock:
            self.pending.get(_slug(source), {}).pop(url, None)

    def save(self) -> None:
        with self._lock:
            for name, urls in self.sources.items():
                _write_json(self.root / "sources" / f"{name}.json", urls)
            _write_json(self.root / "robots.json", self.robots)
            _write_json(self.root / "texts.json", self.texts)
            _write_json(self.root / "pending.json", self.pending)


def _write_json(path: Path, value: Any) -> None:
    data = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    atomic_write(path, lambda temporary: temporary.write_bytes(data))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "source"
