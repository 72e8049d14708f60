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
from nvo_nlp.extract.spans import SpanIndex, make_mention
from nvo_nlp.nlp.morph import inflect
from nvo_nlp.nlp.tokens import token_table

_MONTH_KINDS = frozenset({"day", "days", "part", "month"})
_WINDOW = 60  # characters around an anchor word wide enough for the longest date expression


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
        next_year = _alternation(table["next_year"])
        week = _alternation(table["week_words"])
        year_ref = rf"(?:(?P<this>{this_year})|(?P<last>{last_year})|(?P<next>{next_year}))"
        self.weekday_genitives = {day.lower(): index for index, day in enumerate(table["weekday_genitives"])}
        self.range_words = [tuple(pair) for pair in table["range_words"]]
        day_time = _alternation(table["day_times"])
        if lang == "lt":
            year = r"(?P<year>\d{4})\s*m\."
            patterns = [
                ("day", rf"(?:{year}\s*|{year_ref}\s+)?(?P<month>{month})\s+(?P<day>\d{{1,2}})\s*d\."),
                ("part", rf"(?:{year}\s*|{year_ref}\s+)?(?P<month>{month})\s+(?:mėn(?:\.|esio)\s+)?(?P<part>{part})"),
                ("month", rf"(?:{year}\s*|{year_ref}\s+)?(?P<month>{month})\s+mėn(?:\.|esį)"),
                (
                    "month",
                    rf"(?:{year}\s*|{year_ref}\s+)?(?P<month>{_alternation(f for f in self.months if f.endswith(('į', 'ę', 'ą')))})",
                ),
                ("years", r"(?P<year>\d{4})\s*[-–]\s*(?P<year2>\d{4})\s*(?:m\.|metų|metais|metams)"),
                (
                    "day",
                    rf"(?:{year}\s*)?(?P<month>{month})\s+(?P<day>\d{{1,2}})\s*-?\s*(?:oji|ąją|osios|ajai|ąja|ojoje|ą|os|ai|a)",
                ),
                ("year", r"(?P<year>\d{4})\s*(?:m\.?|metais|metų|metams)"),
            ]
        elif lang == "lv":
            year = r"(?P<year>\d{4})\.\s*gad(?:a|ā|s|u|am)"
            abbreviation = _alternation(table["month_abbreviations"])
            patterns = [
                (
                    "days",
                    rf"(?:no\s+)?(?P<day>\d{{1,2}})\.\s*(?:-|–|līdz)\s*(?P<day2>\d{{1,2}})\.\s*(?P<month>{month})",
                ),
                ("day", rf"(?:{year}\s+|{year_ref}\s+)?(?P<day>\d{{1,2}})\.\s*(?P<month>{month})"),
                ("dateline", rf"(?P<day>\d{{1,2}})\.\s*(?P<month_abbreviation>{abbreviation})\."),
                ("part", rf"(?:{year}\s+|{year_ref}\s+)?(?P<month>{month})\s+(?P<part>{part})"),
                (
                    "month",
                    rf"(?:{year}\s+|{year_ref}\s+)?(?P<month>{_alternation(f for f in self.months if f.endswith(('ī', 'ā')))})",
                ),
                (
                    "years",
                    r"(?P<year>\d{4})\.?(?:,\s*\d{4}\.)*\s*(?:[-–]|un)\s*(?P<year2>\d{4})\.\s*gad(?:a|ā|s|u|am|iem|os)",
                ),
                ("year", year),
            ]
            self.month_abbreviations = {a.lower(): n for n, a in enumerate(table["month_abbreviations"], start=1)}
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
        self.seasons = {key.lower(): tuple(value) for key, value in table["seasons"].items()}
        self.this_seasons = {key.lower(): tuple(value) for key, value in table["this_seasons"].items()}
        self.relative_days = {key.lower(): offset for key, offset in table["relative_days"].items()}
        self.habitual = frozenset(word.lower() for word in table["habitual"])
        ago = table["years_ago"]
        self.ago_numbers = {word.lower(): number for word, number in ago["numbers"].items()}
        self.holidays = {" ".join(name.lower().split()): when for name, when in table["holidays"].items()}
        patterns = [("holiday", rf"(?P<holiday>{_alternation(table['holidays'])})"), *patterns]
        patterns += [
            ("years_ago", ago["pattern"].format(n=rf"(?P<ago>\d{{1,2}}|{_alternation(self.ago_numbers)})")),
            ("season", rf"(?:{year_ref}\s+)?(?P<season>{_alternation(self.seasons)})"),
            ("weekday", rf"(?P<rel>{relative})\s+(?P<weekday>{weekday})"),
            ("week", rf"(?P<rel>{relative})\s+(?P<week>{week})"),
            ("relative_year", year_ref),
        ]
        if lang != "en":
            # "trečiadienį", "antradienio vakarą": the last such day up to publication.
            patterns += [("weekday", rf"(?P<weekday>{weekday})")]
            if self.weekday_genitives:
                patterns += [
                    ("weekday", rf"(?P<weekday_genitive>{_alternation(self.weekday_genitives)})\s+(?:{day_time})")
                ]
        patterns += [
            ("relative_day", rf"(?P<relative_day>{_alternation(self.relative_days)})"),
            ("this_season", rf"(?P<this_season>{_alternation(self.this_seasons)})"),
            ("iso", r"(?P<year>\d{4})-(?P<month_number>\d{2})-(?P<day>\d{2})"),
        ]
        self.patterns = [(kind, re.compile(rf"(?<!\w){regex}(?!\w)", re.IGNORECASE)) for kind, regex in patterns]

        # Every pattern holds a digit or one of its words: each runs only near them ("anchors").
        def words(*groups) -> frozenset[str]:
            return frozenset(w.lower() for group in groups for phrase in group for w in phrase.split())

        year_words = words(*(table[key] for key in ("this_year", "last_year", "next_year")))
        self.anchors: dict[str, tuple[frozenset[str], str]] = {
            **dict.fromkeys(_MONTH_KINDS, (words(self.months), "with letters")),
            "holiday": (words(self.holidays), "none"),
            "season": (words(self.seasons), "none"),
            "weekday": (words(self.weekdays, self.weekday_genitives, self.week_offsets), "none"),
            "week": (words(table["week_words"]), "none"),
            "relative_year": (year_words, "none"),
            "relative_day": (words(self.relative_days), "none"),
            "this_season": (words(self.this_seasons), "none"),
            "years_ago": (words(self.ago_numbers, [ago["pattern"]]), "all"),
        }

    def __call__(self, doc: Doc, published: date | None = None) -> list[Mention]:
        if not self.enabled:
            return []
        taken: SpanIndex[tuple[int, int]] = SpanIndex()
        mentions = []
        text = token_table(doc).text
        windows_of: dict[tuple[frozenset[str], str], list[tuple[int, int]]] = {}
        for kind, pattern in self.patterns:
            anchor = self.anchors.get(kind, (frozenset(), "all"))  # years, ISO dates, datelines: numbers
            if anchor not in windows_of:
                windows_of[anchor] = self._windows(doc, len(text), anchor[0], digits=anchor[1])
            windows = windows_of[anchor]
            for match in (m for first, last in windows for m in pattern.finditer(text, first, last)):
                start, end = match.span()
                if taken.overlapping(start, end):
                    continue
                if kind in ("season", "weekday") and self._habitual_before(text, start):
                    continue  # "kiekvieną pavasarį", "katru piektdien": not one time
                resolved = self.resolve(kind, match, published)
                span = doc.char_span(start, end, alignment_mode="expand")
                if resolved is None or span is None:
                    continue
                taken.add((start, end))
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
        return self._merge_ranges(doc, text, sorted(mentions, key=lambda m: m.start))

    def _windows(self, doc: Doc, length: int, words: frozenset[str], *, digits: str) -> list[tuple[int, int]]:
        """Merged character windows around the tokens a date expression must contain: ``words``, and
        numbers that can be part of one ("all": years, small numbers of "prieš 5 metus", tokens with
        letters such as "4.jūn."; "with letters": only those, "9.jūlijam"; "none")."""
        table = token_table(doc)
        numbers = []
        if digits != "none":
            numbers = [i for i in table.with_digits if _date_number(table.texts[i], digits == "with letters")]
        anchors = sorted({*table.find(words), *numbers})
        windows: list[tuple[int, int]] = []
        for index in anchors:
            start = table.offsets[index]
            first, last = max(0, start - _WINDOW), min(length, start + len(table.texts[index]) + _WINDOW)
            if windows and first <= windows[-1][1]:
                windows[-1] = (windows[-1][0], last)
            else:
                windows.append((first, last))
        return windows

    def _habitual_before(self, text: str, start: int) -> bool:
        words = text[max(0, start - 15) : start].split()
        return bool(words) and words[-1].lower() in self.habitual

    def _merge_ranges(self, doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
        """One range from "no 2009.gada 1.janvāra līdz 2011.gada 30.jūnijam" or "No 5.līdz 9.jūlijam"."""
        merged: list[Mention] = []
        for mention in mentions:
            previous = merged[-1] if merged else None
            if previous is not None and previous.date_start and mention.date_start:
                between = text[previous.end : mention.start].strip().lower()
                before = text[max(0, previous.start - 4) : previous.start].strip().lower()
                pair = next((p for p in self.range_words if between == p[1] and before.endswith(p[0])), None)
                if pair is not None and previous.date_start <= mention.date_start:
                    start = previous.start - len(pair[0]) - (previous.start - len(text[: previous.start].rstrip()))
                    span = doc.char_span(start, mention.end, alignment_mode="expand")
                    if span is not None:
                        precision = (
                            previous.date_precision if previous.date_precision == mention.date_precision else "day"
                        )
                        iso = (
                            f"{previous.date_start.isoformat()}/{(mention.date_end or mention.date_start).isoformat()}"
                        )
                        merged[-1] = make_mention(
                            span,
                            type="DATE",
                            normalized=iso,
                            method="rules",
                            date_start=previous.date_start,
                            date_end=mention.date_end or mention.date_start,
                            date_precision=precision,
                            date_iso=iso,
                        )
                        continue
            merged.append(mention)
        return merged

    def resolve(self, kind: str, match: re.Match, published: date | None) -> DateRange | None:
        groups = {key: value for key, value in match.groupdict().items() if value}
        year = self._year(groups, published)
        if kind in ("day", "dateline", "iso"):
            if "month_number" in groups:
                month = int(groups["month_number"])
            elif "month_abbreviation" in groups:
                month = self.month_abbreviations[groups["month_abbreviation"].lower()]
            else:
                month = self.months[groups["month"].lower()]
            return _day_range(year, month, int(groups["day"]), int(groups["day"]))
        if kind == "days":
            return _day_range(year, self.months[groups["month"].lower()], int(groups["day"]), int(groups["day2"]))
        if kind == "years":
            first, last = int(groups["year"]), int(groups["year2"])
            if first >= last:
                return None
            return DateRange(date(first, 1, 1), date(last, 12, 31), "year", f"{first}/{last}")
        if kind == "part":
            first, last = self.parts[" ".join(groups["part"].lower().split())]
            return _day_range(year, self.months[groups["month"].lower()], first, last, precision="month-part")
        if kind == "month":
            return _day_range(year, self.months[groups["month"].lower()], 1, 31, precision="month")
        if kind == "year":
            return DateRange(date(year, 1, 1), date(year, 12, 31), "year", str(year))
        if published is None:
            return DateRange(None, None, "unknown", None)
        if kind == "holiday":
            if year is None:
                return DateRange(None, None, "day", None)
            return _holiday(self.holidays[" ".join(groups["holiday"].lower().split())], year)
        if kind == "years_ago":
            if published is None:
                return DateRange(None, None, "year", None)
            ago = groups["ago"].lower()
            back = int(ago) if ago.isdigit() else self.ago_numbers[ago]
            return DateRange(
                date(published.year - back, 1, 1),
                date(published.year - back, 12, 31),
                "year",
                str(published.year - back),
            )
        if kind == "season":
            if not {"this", "last", "next"} & groups.keys():
                return DateRange(None, None, "unknown", None)  # "vasarą": which summer is not said
            return _season_range(year, *self.seasons[groups["season"].lower()])
        if kind == "relative_year":
            return DateRange(date(year, 1, 1), date(year, 12, 31), "year", str(year))
        if kind == "relative_day":
            day = published + timedelta(days=self.relative_days[groups["relative_day"].lower()])
            return DateRange(day, day, "day", day.isoformat())
        if kind == "this_season":
            return _season_range(year, *self.this_seasons[" ".join(groups["this_season"].lower().split())])
        if "rel" not in groups and kind == "weekday":
            index = self.weekdays.get(groups.get("weekday", "").lower())
            if index is None:
                index = self.weekday_genitives[groups["weekday_genitive"].lower()]
            day = published - timedelta(days=(published.weekday() - index) % 7)
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
        return published.year + (-1 if "last" in groups else 1 if "next" in groups else 0)


def _date_number(text: str, letters_only: bool) -> bool:
    """A number a date expression can hold: one with letters, a year, or (unless ``letters_only``) a small
    number; sums and counts ("15 000", "240") cannot."""
    if any(ch.isalpha() for ch in text):
        return True
    if letters_only:
        return False
    digits = "".join(ch for ch in text if ch.isdigit())
    return len(digits) == 4 or len(digits) <= 2


def _easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 90) // 25
    p = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 33 * n + 19) % 32
    return date(year, n, p)


def _holiday(when: str, year: int) -> DateRange:
    if when.startswith("easter"):
        sunday = _easter(year)
        if when == "easter":  # Easter Sunday and Monday
            start, end = sunday, sunday + timedelta(days=1)
        else:
            start = end = sunday + timedelta(days=int(when.removeprefix("easter")))
    else:
        month, day = (int(part) for part in when.split("-"))
        start = end = date(year, month, day)
    iso = start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
    return DateRange(start, end, "day", iso)


def _season_range(year: int, first: int, last: int) -> DateRange:
    """Months ``first``..``last`` of ``year``; a winter (12..2) starts in the year before."""
    start = date(year - 1 if first > last else year, first, 1)
    end = date(year, last, calendar.monthrange(year, last)[1])
    return DateRange(start, end, "month", f"{start.isoformat()}/{end.isoformat()}")


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
