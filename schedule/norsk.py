"""Norwegian (bokmål) dates and times for user-facing text, independent of the system locale."""

from __future__ import annotations

from datetime import date, datetime, time

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    *("januar", "februar", "mars", "april", "mai", "juni"),
    *("juli", "august", "september", "oktober", "november", "desember"),
)


def long_date(day: date) -> str:
    """``fredag 29. januar 2027``."""
    return f"{WEEKDAYS[day.weekday()]} {day_month_year(day)}"


def day_month_year(day: date) -> str:
    """``29. januar 2027``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """``fre. 29.01.2027``."""
    return f"{WEEKDAYS[day.weekday()][:3]}. {day:%d.%m.%Y}"


def clock(value: time | datetime) -> str:
    """``12:00``."""
    return f"{value:%H:%M}"


def time_range(start: time | datetime, end: time | datetime) -> str:
    """``12:00–13:00``."""
    return f"{clock(start)}–{clock(end)}"
