"""Run summaries and model warm-up shared by the flow, the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from nvo_nlp.langid import default_detector
from nvo_nlp.nlp.pipeline import SUPPORTED_LANGUAGES, pipeline_for
from nvo_nlp.process import ErrorRecord

#: Articles per analysis task; progress is logged per batch, and every task run costs bookkeeping.
DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class StageTimes:
    """Seconds spent in each stage of a run (wall clock)."""

    read: float = 0.0
    load: float = 0.0
    analyze: float = 0.0
    write: float = 0.0

    @property
    def total(self) -> float:
        return self.read + self.load + self.analyze + self.write


@dataclass(frozen=True)
class RunSummary:
    """What a run did: counts, failures, where the output is, and where the time went."""

    output: str
    timeline: str | None
    articles: int
    mentions: int
    events: int
    errors: tuple[ErrorRecord, ...] = ()
    table_rows: dict[str, int] = field(default_factory=dict)
    times: StageTimes = StageTimes()
    #: Seconds from the call until the flow body ran, plus after it: orchestration start-up and shutdown.
    orchestration_seconds: float = 0.0
    wall_seconds: float = 0.0

    @property
    def per_article_seconds(self) -> float | None:
        return self.times.analyze / self.articles if self.articles else None


_WARM_UP_WORD = "Xyzzy"  # unknown everywhere: the lemmatizer goes on to the dictionary


def warm_up() -> None:
    """Load the language detector and every language pipeline once, so per-article timings exclude loading.

    Running each pipeline on a word also loads what they open on first use (simplemma's dictionary).
    """
    default_detector()
    for lang in SUPPORTED_LANGUAGES:
        pipeline_for(lang)(_WARM_UP_WORD)
