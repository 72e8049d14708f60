"""Absolute and relative date expressions, resolved against the publication date into ranges.

Precision is one of ``day``, ``week``, ``month-part``, ``month``, ``year`` or
``unknown``. When the year is neither written nor derivable from the
publication date, the range is kept as ISO 8601 with the year left out
(``--09-21/--09-30``) and ``date_start``/``date_end`` stay empty.
"""

from __future__ import annotations

import calendar
import functools
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from spacy.tokens import Doc

from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.spans import make_mention
from nvo_nlp.nlp.morph import inflect


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None
    precision: str
    iso: str | None


@functools.cache
def _tables() -> dict:
    return json.loads(resources.files("nvo_nlp").joinpath("data/lexicon/dates.json").read_text("utf-8"))


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


class DateExtractor:
    """Date mentions of one language; ``published`` (when known) anchors relative and year-less dates."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        table = _tables().get(lang)
        self.enabled = table is not None
        if not self.enabled:
            return
        self.months: dict[str, int] = {}
        for number, lemma in enumerate(table["months"], start=1):
            for form in [lemma, *inflect(lemma, lang).values()]:
                self.months.setdefault(form.lower(), number)
            if lang == "en":
                self.months.setdefault(lemma[:3].lower(), number)
        self.parts = {key.lower(): tuple(value) for key, value in table["month_parts"].items()}
        self.weekdays = {day.lower(): index for index, day in enumerate(table["weekdays"])}
        self.week_offsets = table["relative_week_offset"]
        month = _alternation(self.months)
        part = _alternation(self.parts)
        weekday = _alternation(self.weekdays)
        relative = _alternation(self.week_offsets)
        this_year = _alternation(table["this_year"])
        last_year = _alternation(table["last_year"])
        week = _alternation(table["week_words"])
        year_ref = rf"(?:(?P<this>{this_year})|(?P<last>{last_year}))"
        if lang == "lt":
            year = r"(?P<year>\d{4})\s*m\."
            patterns = [
                ("day", rf"(?:{year}\s*)?(?P<month>{month})\s+(?P<day>\d{{1,2}})\s*d\."),
                ("part", rf"(?:{year}\s*|{year_ref}\s+)?(?P<month>{month})\s+(?:mėn(?:\.|esio)\s+)?(?P<part>{part})"),
                ("month", rf"(?:{year}\s*|{year_ref}\s+)?(?P<month>{month})\s+mėn(?:\.|esį)"),
                (
                    "month",
                    rf"(?:{year}\s*|{year_ref}\s+)?(?P<month>{_alternation(f for f in self.months if f.endswith(('į', 'ę', 'ą')))})",
                ),
                ("year", year),
            ]
        elif lang == "lv":
            year = r"(?P<year>\d{4})\.\s*gad(?:a|ā|s)"
            patterns = [
                ("day", rf"(?:{year}\s+)?(?P<day>\d{{1,2}})\.\s*(?P<month>{month})"),
                ("part", rf"(?:{year}\s+|{year_ref}\s+)?(?P<month>{month})\s+(?P<part>{part})"),
                (
                    "month",
                    rf"(?:{year}\s+|{year_ref}\s+)?(?P<month>{_alternation(f for f in self.months if f.endswith(('ī', 'ā')))})",
                ),
                ("year", year),
            ]
        else:
            year = r"(?P<year>\d{4})"
            patterns = [
                ("day", rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{month})\.?(?:,?\s+{year})?"),
                ("day", rf"(?P<month>{month})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*{year})?"),
                ("part", rf"(?P<part>{part})\s*(?P<month>{month})(?:\s+{year})?"),
                ("month", rf"(?:in\s+)?(?P<month>{month})\s+{year}"),
                ("month", rf"in\s+(?P<month>{month})"),
                ("year", rf"in\s+{year}"),
            ]
        patterns += [
            ("weekday", rf"(?P<rel>{relative})\s+(?P<weekday>{weekday})"),
            ("week", rf"(?P<rel>{relative})\s+(?P<week>{week})"),
            ("yesterday", _alternation(table["yesterday"])),
            ("today", _alternation(table["today"])),
            ("iso", r"(?P<year>\d{4})-(?P<month_number>\d{2})-(?P<day>\d{2})"),
        ]
        self.patterns = [(kind, re.compile(rf"(?<!\w){regex}(?!\w)", re.IGNORECASE)) for kind, regex in patterns]

    def __call__(self, doc: Doc, published: date | None = None) -> list[Mention]:
        if not self.enabled:
            return []
        taken: list[tuple[int, int]] = []
        mentions = []
        for kind, pattern in self.patterns:
            for match in pattern.finditer(doc.text):
                start, end = match.span()
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                resolved = self.resolve(kind, match, published)
                span = doc.char_span(start, end, alignment_mode="expand")
                if resolved is None or span is None:
                    continue
                taken.append((start, end))
                mentions.append(
                    make_mention(
                        span,
                        type="DATE",
                        normalized=resolved.iso or match.group(0),
                        method="rules",
                        confidence=1.0 if resolved.precision != "unknown" else 0.3,
                        date_start=resolved.start,
                        date_end=resolved.end,
                        date_precision=resolved.precision,
                        date_iso=resolved.iso,
                    )
                )
        return sorted(mentions, key=lambda m: m.start)

    def resolve(self, kind: str, match: re.Match, published: date | None) -> DateRange | None:
        groups = {key: value for key, value in match.groupdict().items() if value}
        year = self._year(groups, published)
        if kind in ("day", "iso"):
            month = int(groups["month_number"]) if "month_number" in groups else self.months[groups["month"].lower()]
            return _day_range(year, month, int(groups["day"]), int(groups["day"]))
        if kind == "part":
            first, last = self.parts[" ".join(groups["part"].lower().split())]
            return _day_range(year, self.months[groups["month"].lower()], first, last, precision="month-part")
        if kind == "month":
            return _day_range(year, self.months[groups["month"].lower()], 1, 31, precision="month")
        if kind == "year":
            return DateRange(date(year, 1, 1), date(year, 12, 31), "year", str(year))
        if published is None:
            return DateRange(None, None, "unknown", None)
        if kind in ("yesterday", "today"):
            day = published - timedelta(days=1 if kind == "yesterday" else 0)
            return DateRange(day, day, "day", day.isoformat())
        offset = self.week_offsets.get(groups["rel"].lower(), 0)
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        if kind == "week":
            sunday = monday + timedelta(days=6)
            return DateRange(monday, sunday, "week", f"{monday.isoformat()}/{sunday.isoformat()}")
        day = monday + timedelta(days=self.weekdays[groups["weekday"].lower()])
        if offset == -1 and day >= published:
            day -= timedelta(weeks=1)  # "last Friday" said on a Saturday means the day before
        return DateRange(day, day, "day", day.isoformat())

    @staticmethod
    def _year(groups: dict, published: date | None) -> int | None:
        if "year" in groups:
            return int(groups["year"])
        if published is None:
            return None
        return published.year - 1 if "last" in groups else published.year


def _day_range(year: int | None, month: int, first: int, last: int, precision: str = "day") -> DateRange | None:
    if not 1 <= month <= 12:
        return None
    month_end = calendar.monthrange(year or 2000, month)[1]  # leap year stands in when the year is unknown
    last = min(last, month_end)
    if not 1 <= first <= month_end:
        return None
    if year is None:
        bounds = [f"--{month:02d}-{first:02d}", f"--{month:02d}-{last:02d}"]
        return DateRange(None, None, precision, bounds[0] if first == last else "/".join(bounds))
    start, end = date(year, month, first), date(year, month, last)
    iso = start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
    return DateRange(start, end, precision, iso)
