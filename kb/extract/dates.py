"""Dates as written in reporting frames ("On April 4", "last Tuesday", "2 April 2018").

A date keeps its surface form (a Span) and gets a normalised value: an ISO date when the
year is known (written, or taken from the document date), else an xsd:gMonthDay such as
"--04-04". Weekdays and "yesterday" need the document date; without one they have no value.
A month ("in July", "last month") becomes an xsd:gYearMonth ("2024-07") and "last year" an
xsd:gYear when the year is known; "last week" is a range and keeps only its surface form.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_MONTHS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "sept": 9,
}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_DAY_NAMES = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTH = rf"(?P<month>{_MONTH_NAMES})\.?"
_WEEKDAY = rf"(?P<weekday>{_DAY_NAMES})"
_ON = r"(?:(?P<on>[Oo]n|[Ll]ast|[Tt]his(?: past)?|[Ee]arlier on|[Ee]arly|[Ll]ate)\s+)?"

DATE_RX = re.compile(
    r"(?<![\w-])(?:"
    # On Tuesday, April 3, 2018 / On April 4 / April 4th, 2018
    rf"{_ON}(?:{_WEEKDAY},?\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<year>\d{{4}}))?"
    # on 2 April 2018 / on the 4th of April
    rf"|(?:(?P<on2>[Oo]n)\s+)?(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<month2>{_MONTH_NAMES})\.?(?:,?\s+(?P<year2>\d{{4}}))?"
    # 2018-04-04
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    # on Tuesday / last Tuesday (morning)
    rf"|(?:(?P<on3>[Oo]n|[Ll]ast|[Tt]his(?: past)?|[Ee]arly|[Ll]ate)\s+)?(?P<weekday3>{_DAY_NAMES})"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?P<rel>[Yy]esterday|[Tt]oday|[Tt]his morning|[Ll]ast night|[Ee]arlier today)"
    # in July / in July 2024 / since March (a month: xsd:gYearMonth when the year is known)
    rf"|(?:(?P<on4>[Ii]n|[Ss]ince|[Bb]y|[Ee]arly|[Ll]ate|[Mm]id-?)\s*)(?P<month4>{_MONTH_NAMES})"
    r"(?:\s+(?P<year4>\d{4}))?(?!\s+\d)"
    # last week / last month / last year / earlier this week
    r"|(?P<rel2>(?:[Ll]ast|[Tt]his|[Ee]arlier this|[Ll]ater this)\s+(?:week|month|year))"
    r")(?![\w-])"
)


def _month_day(month: int, day: int, year: int | None, ref: date | None) -> str | None:
    if year is None and ref is not None:
        year = ref.year
        try:
            if date(year, month, day) > ref + timedelta(days=31):
                year -= 1  # "on December 30" in a January article
        except ValueError:
            return None
    if year is not None:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return None
    return f"--{month:02d}-{day:02d}"


def date_value(m: re.Match[str], ref: date | None) -> str | None:
    """The normalised value of one DATE_RX match."""
    g = m.groupdict()
    if g["month"] or g["month2"]:
        month = _MONTHS[(g["month"] or g["month2"]).lower().rstrip(".")]
        day = int(g["day"] or g["day2"])
        year_s = g["year"] or g["year2"]
        return _month_day(month, day, int(year_s) if year_s else None, ref)
    if g["month4"]:
        month = _MONTHS[g["month4"].lower().rstrip(".")]
        if g["year4"]:
            return f"{int(g['year4']):04d}-{month:02d}"
        if ref is None:
            return None  # a month alone has no value build.py can type without a year
        year = ref.year - (1 if month > ref.month else 0)
        return f"{year:04d}-{month:02d}"
    if g["rel2"]:
        if ref is None:
            return None
        rel2 = " ".join(g["rel2"].lower().split())
        if rel2.endswith("month"):
            year, month = (ref.year, ref.month - (1 if rel2.startswith("last") else 0))
            if month == 0:
                year, month = year - 1, 12
            return f"{year:04d}-{month:02d}"
        if rel2.endswith("year"):
            return f"{ref.year - (1 if rel2.startswith('last') else 0):04d}"
        return None  # a week is a range, not one date
    if g["iso"]:
        try:
            return date.fromisoformat(g["iso"]).isoformat()
        except ValueError:
            return None
    if ref is None:
        return None
    if g["weekday3"]:
        wd = _WEEKDAYS[g["weekday3"].lower()]
        delta = (ref.weekday() - wd) % 7
        if delta == 0 and (g["on3"] or "").lower() == "last":
            delta = 7
        return (ref - timedelta(days=delta)).isoformat()
    rel = (g["rel"] or "").lower()
    if rel in {"yesterday", "last night"}:
        return (ref - timedelta(days=1)).isoformat()
    if rel:
        return ref.isoformat()
    return None


# Every date DATE_RX finds holds a digit or one of these (in lower case): a sentence
# without any has none, and the long pattern need not run over it.
_MAYBE_DATE = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|morning|night|week|month|year"
)


def find_dates(
    text: str, start: int, end: int, ref: date | None
) -> list[tuple[int, int, str | None]]:
    """Date expressions in ``text[start:end]``: (start, end, value)."""
    if not _MAYBE_DATE.search(text[start:end].lower()):
        return []
    return [(m.start(), m.end(), date_value(m, ref)) for m in DATE_RX.finditer(text, start, end)]
