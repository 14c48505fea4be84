"""Single values as editors write them in the YAML."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from schedule import fields as F
from schedule.model import OSLO


@pytest.mark.parametrize(("text", "value"), [("12:00", time(12)), ("9:05", time(9, 5))])
def test_time(text: str, value: time) -> None:
    assert F.parse_time(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "ikke et gyldig klokkeslett"),
        ("12:60", "ikke et gyldig klokkeslett"),
        ("12.00", "ikke et klokkeslett"),
        ("kl. 12", "ikke et klokkeslett"),
        ("12:00+01:00", "UTC-offset"),
        ("12:00Z", "UTC-offset"),
    ],
)
def test_bad_time(text: str, message: str) -> None:
    with pytest.raises(F.FieldError, match=message):
        F.parse_time(text)


def test_dates_and_datetimes() -> None:
    assert F.parse_date("2028-02-29") == date(2028, 2, 29)
    assert F.parse_date_or_datetime("2027-01-15") == date(2027, 1, 15)
    expected = datetime(2027, 1, 15, 9, 0, tzinfo=OSLO)
    assert F.parse_date_or_datetime("2027-01-15 09:00") == expected
    assert F.parse_date_or_datetime("2027-01-15T09:00") == expected
    assert F.parse_changed("2026-11-20") == datetime(2026, 11, 20, 0, 0, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-02-29", "ikke en gyldig dato"),
        ("2027-1-5", "ikke en dato"),
        ("15.01.2027", "ikke en dato"),
    ],
)
def test_bad_date(text: str, message: str) -> None:
    with pytest.raises(F.FieldError, match=message):
        F.parse_date(text)


@pytest.mark.parametrize(
    "text", ["2027-01-15T09:00+02:00", "2027-01-15 09:00 Z", "2027-01-15T08:00Z"]
)
def test_datetime_with_offset_is_refused(text: str) -> None:
    with pytest.raises(F.FieldError, match="Europe/Oslo"):
        F.parse_date_or_datetime(text)


def test_durations() -> None:
    assert F.parse_duration("PT90M") == timedelta(minutes=90)
    assert F.parse_duration("p1d") == timedelta(days=1)
    for text in ("1h", "-PT1H", "PT0M"):
        with pytest.raises(F.FieldError):
            F.parse_duration(text)


def test_ids_revision_timezone_url() -> None:
    assert F.parse_id("fredagsprat-2027-01") == "fredagsprat-2027-01"
    for bad in ("Fredagsprat", "årshjul", "-x", "x-", "a b"):
        with pytest.raises(F.FieldError):
            F.parse_id(bad)
    assert F.parse_revision("3") == 3
    with pytest.raises(F.FieldError):
        F.parse_revision("-1")
    assert F.parse_timezone("Europe/Oslo") == "Europe/Oslo"
    with pytest.raises(F.FieldError, match="Europe/Oslo"):
        F.parse_timezone("CET")
    with pytest.raises(F.FieldError):
        F.parse_https_url("teams.microsoft.com/l/meetup-join/x")
