"""Is a difference an update or a contradiction? Told from when each report was written.

A death toll of 1 in the morning's report and 9 in the evening's is the news
moving on, not two sources disagreeing: the link stays `differs` (a reader
wants the figures side by side either way), but the difference is labelled an
update. Only a count can be updated; a different date, place or actor is a
contradiction whenever it was written. Where the reports' times cannot be
told apart, the difference says so instead of guessing.

A report's time is its publication date (metadata, dateline or opening
lines) and, when its text says so, the hour its figures stand at ("As of
7 pm Wednesday", "By 3:30 pm").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

DifferenceKind = Literal["update", "contradiction", "undated"]
KIND_LABELS: dict[DifferenceKind, str] = {
    "update": "update by a later report",
    "contradiction": "contradiction",
    "undated": "order unknown, report times not stated",
}
NOT_COUNTS = frozenset({"date", "time", "place", "person", "organisation", ""})
_HOUR = re.compile(
    r"\b(?:as of|by|updated(?: at)?)\s+(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?",
    re.IGNORECASE,
)


def same_value(text: str) -> str:
    """A stated value reduced to what it says: "Nine", "nine" and "9" are one figure."""
    from store.analysis.claims import word_number

    words = re.findall(r"[\w.]+", text.casefold().replace(",", ""))
    return " ".join(_as_digits(w, word_number(w)) for w in words)


def _as_digits(word: str, value: float | None) -> str:
    if value is None:
        return word
    return str(int(value)) if value.is_integer() else str(value)


@dataclass(frozen=True)
class ReportTime:
    """When a report's figures stand: a date ("2024-04-03"), and minutes past midnight."""

    date: str = ""
    minutes: int | None = None

    @property
    def known(self) -> bool:
        return bool(self.date) or self.minutes is not None

    def sort_key(self) -> tuple[int, str, int]:
        """Known times first, earliest first; a report with no stated time last."""
        return (
            0 if self.known else 1,
            self.date or "9999",
            -1 if self.minutes is None else self.minutes,
        )

    def label(self) -> str:
        clock = ""
        if self.minutes is not None:
            hour, minute = divmod(self.minutes, 60)
            clock = f"{(hour - 1) % 12 + 1}:{minute:02d} {'am' if hour < 12 else 'pm'}"
        return " ".join(part for part in (self.date, clock) if part) or "time not stated"


def report_time(date: str, text: str) -> ReportTime:
    """The report's date and the first hour its text gives its figures at, if any."""
    m = _HOUR.search(text)
    minutes = None
    if m:
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
        minutes = hour * 60 + int(m.group(2) or 0)
    return ReportTime(date[:10], minutes)


def difference_kind(what: str, a: ReportTime, b: ReportTime) -> DifferenceKind:
    """`update` when a count differs between reports written at different times;
    `contradiction` for anything else that differs, or a count at the same time."""
    if what in NOT_COUNTS:
        return "contradiction"
    if a.date and b.date and a.date != b.date:
        return "update"
    if (a.date == b.date or not (a.date and b.date)) and None not in (a.minutes, b.minutes):
        return "update" if a.minutes != b.minutes else "contradiction"
    return "undated"
