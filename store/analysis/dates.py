"""Dates: month and weekday names, reading a date phrase, writing a date for people.

Dates are normalised to ISO-like strings so two reports can be compared:
"2024-06-19", "--06-19" (no year known), "2024-06", "2024", "wd-tuesday"
(a weekday with no article date to resolve it against).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# "january" and "jan" (and "sept") -> 1..12
MONTHS = {name.casefold(): i for i, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
# A month name as written in a dateline ("Jun.", "June", "Sept").
MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def normalise_date(text: str, ref: date | None, ahead: bool = False) -> str:
    """ "June 19" -> "2024-06-19" (year from the article date), "2023" -> "2023",
    "yesterday" -> the day before the article date; other phrases -> "" (not a date we compare).

    A weekday is the nearest such day to the article date: the same day, or the
    last one before it ("on Tuesday" in a report of Thursday is two days back),
    or, where the sentence speaks of what will happen (`ahead`), the next one.
    "last Tuesday" is always before the article's day, "next Tuesday" after it,
    "this Tuesday" the coming one.
    """
    low = text.casefold().strip()
    low = re.sub(
        r"^(the|on|in|last|this|next|early|late|mid)\s+",
        lambda m: m.group() if m.group(1) in {"last", "this", "next"} else "",
        low,
    )
    m = re.search(r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", low)
    if m and m.group(1) in MONTHS:
        year = m.group(3) or (str(ref.year) if ref else "")
        month, day = MONTHS[m.group(1)], int(m.group(2))
        return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    m = re.search(r"\b(\d{1,2})\s+([a-z]{3,9})(?:\s+(\d{4}))?\b", low)
    if m and m.group(2) in MONTHS:
        year = m.group(3) or (str(ref.year) if ref else "")
        month, day = MONTHS[m.group(2)], int(m.group(1))
        return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    m = re.search(r"\b([a-z]{3,9})\s+(\d{4})\b", low)
    if m and m.group(1) in MONTHS:
        return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    if re.fullmatch(r"(?:in\s+)?(\d{4})", low):
        return low[-4:]
    word, _, bare = re.sub(r"\s+(?:morning|afternoon|evening|night)$", "", low).rpartition(" ")
    if bare in WEEKDAYS and word in {"", "on", "last", "this", "next"}:
        return _weekday(WEEKDAYS.index(bare), word, ref, ahead)
    if ref is not None:
        relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
        if low in relative:
            return (ref + timedelta(days=relative[low])).isoformat()
        if low == "last year":
            return str(ref.year - 1)
        if low == "this year":
            return str(ref.year)
    return ""


def _weekday(day: int, word: str, ref: date | None, ahead: bool) -> str:
    """The date of a weekday named in a report of `ref` ("wd-tuesday" when it has no date)."""
    if ref is None:
        return f"wd-{WEEKDAYS[day]}"
    forward = (day - ref.weekday()) % 7
    back = (ref.weekday() - day) % 7
    if word == "last":
        return (ref - timedelta(days=back or 7)).isoformat()
    if word == "next":
        return (ref + timedelta(days=forward or 7)).isoformat()
    if word == "this":  # "this Friday": the coming one
        return (ref + timedelta(days=forward)).isoformat()
    return (ref + timedelta(days=forward) if ahead else ref - timedelta(days=back)).isoformat()


RANGE = re.compile(
    r"\b(?:([a-z]{3,9})\.?\s+(\d{1,2})\s*[-\u2013]\s*(\d{1,2})"
    r"|(\d{1,2})\s*[-\u2013]\s*(\d{1,2})\s+([a-z]{3,9}))\b(?:,?\s+(\d{4}))?"
)


def normalise_dates(text: str, ref: date | None, ahead: bool = False) -> tuple[str, ...]:
    """A date phrase as the days it names: a range ("June 18-19") is every day of it."""
    found = RANGE.search(text.casefold())
    if found:
        month = found.group(1) or found.group(6)
        first, last = (found.group(2), found.group(3)) if found.group(1) else found.groups()[3:5]
        if month in MONTHS and int(first) < int(last) <= 31:
            year = found.group(7) or (str(ref.year) if ref else "")
            days = range(int(first), int(last) + 1)
            prefix = f"{year}-" if year else "--"
            return tuple(f"{prefix}{MONTHS[month]:02d}-{day:02d}" for day in days)
    norm = normalise_date(text, ref, ahead)
    return (norm,) if norm else ()


def parse_article_date(text: str) -> date | None:
    """The article's own date from metadata or a dateline, when it names a full date."""
    if not text:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    norm = normalise_date(text, None)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", norm):
        return date.fromisoformat(norm)
    return None


FULL_DATE = re.compile(
    rf"\b(?:{MONTH_PATTERN}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}\s+{MONTH_PATTERN},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d)\b"
)
OPENING_CHARS = 600  # where a report states when it was published, if it does


def article_date(metadata: str, dateline: str, text: str) -> date | None:
    """When the report was published: from metadata, else its dateline, else the first
    full date (with a year) in its opening lines ("Published 19 June 2024")."""
    found = parse_article_date(metadata) or parse_article_date(dateline)
    if found is None:
        m = FULL_DATE.search(text[:OPENING_CHARS])
        found = parse_article_date(m.group()) if m else None
    return found


def readable_date(norm: str) -> str:
    """A normalised date as a reader writes it: "2024-06-19" -> "June 19, 2024"."""
    if norm.startswith("wd-"):
        return norm[3:].capitalize()
    year, _, rest = (
        norm.lstrip("-").partition("-") if not norm.startswith("--") else ("", "", norm[2:])
    )
    parts = rest.split("-") if rest else []
    if len(parts) == 2:
        text = f"{MONTH_NAMES[int(parts[0]) - 1]} {int(parts[1])}"
        return f"{text}, {year}" if year else text
    if len(parts) == 1:
        return f"{MONTH_NAMES[int(parts[0]) - 1]} {year}"
    return year or norm
