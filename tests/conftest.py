from pathlib import Path

import hypothesis
import pytest

from nvo_nlp.nlp.pipeline import pipeline_for

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "raw" / "samples"
LT_SAMPLE = SAMPLES / "ngo_capacity_klaipeda_district_lt.txt"


@pytest.fixture(scope="session")
def lt_sample_text() -> str:
    return LT_SAMPLE.read_text(encoding="utf-8").strip()


def analyze_text(text: str, lang: str, published=None):
    """Run the nvo pipeline of ``lang`` on ``text``; returns the doc."""
    nlp = pipeline_for(lang)
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)


def extracted(text: str, lang: str, published=None, kind: str | None = None):
    """Mentions of all nvo components (of one type with ``kind``), each checked against its offsets."""
    from nvo_nlp.extract.spans import mentions_in
    from nvo_nlp.nlp.pipeline import COMPONENTS

    found = mentions_in(analyze_text(text, lang, published), *COMPONENTS)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text  # offsets point at the evidence
    return [m for m in found if kind is None or m.type == kind]


@pytest.fixture(scope="session")
def harness():
    """Prefect's test harness: a real temporary API for the flow tests (started once, ~10 s)."""
    from prefect.testing.utilities import prefect_test_harness

    from nvo_nlp.flows.settings import local_run_settings

    with prefect_test_harness(server_startup_timeout=120), local_run_settings():
        yield


@pytest.fixture(scope="session")
def lv_sample_texts() -> list[str]:
    import json

    lines = (SAMPLES / "lv_regional.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


# Property tests draw the same examples on every run: CI checks what passed here, and a new failure
# comes from a change, not from a lucky draw. NVO_FUZZ_SCALE raises the counts for a longer search.
hypothesis.settings.register_profile("nvo", derandomize=True)
hypothesis.settings.load_profile("nvo")
