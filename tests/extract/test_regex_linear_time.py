"""Every regular expression of the extractors runs in linear time on pathological text.

A pattern that backtracks (nested quantifiers, overlapping alternatives) takes time quadratic or
worse in a long run of the characters it hesitates over; news pages from the open web contain such
runs (tables of digits, lines of capitals or quotes).
"""

import importlib
import pkgutil
import re
import time

import pytest

from nvo_nlp.extract.dates import DateExtractor

RUNS = {
    "digits": "1",
    "spaced digits": "1 ",
    "dates": "2024-01-",
    "capitals": "A",
    "names": "Jānis Riaukienė ",
    "quotes": "\"„“'",
    "dashes": ", – ",
    "dots": "A. ",
    "letters": "ėėė",
}


def _patterns() -> dict[str, re.Pattern]:
    found = {}
    package = importlib.import_module("nvo_nlp.extract")  # the attribute nvo_nlp.extract is the API function
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"nvo_nlp.extract.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module_info.name}.{name}"] = value
    for lang in ("lt", "lv", "en"):
        for number, (kind, pattern) in enumerate(DateExtractor(lang).patterns):
            found[f"dates[{lang}].{kind}#{number}"] = pattern
    return found


PATTERNS = _patterns()


def _seconds(pattern: re.Pattern, text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in pattern.finditer(text):
            pass
        best = min(best, time.perf_counter() - started)
    return best


def test_regex_linear_time_covers_the_extractors_patterns():
    assert len(PATTERNS) > 30  # module constants and every date pattern of the three languages


@pytest.mark.parametrize("run", RUNS)
def test_regex_linear_time_on_long_runs(run):
    short, long = ((RUNS[run] * (size // len(RUNS[run]) + 1))[:size] for size in (1_000, 100_000))
    slow = {}
    for name, pattern in PATTERNS.items():
        # 100x the text: linear is 100x the time, quadratic 10,000x. The floor keeps timer noise on
        # microsecond matches out of the ratio.
        ratio = _seconds(pattern, long, 1) / max(_seconds(pattern, short, 5), 2e-5)
        if ratio > 1_000:
            slow[name] = round(ratio)
    assert not slow, f"superlinear on a run of {run!r}: {slow}"
