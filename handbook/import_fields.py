"""Front-matter fields stated in a routine's own text: ``Ansvarlig: …``, ``Revidert: 12.03.2025``.

>>> field_line("Revidert: 12.03.2025")
('revised', '12.03.2025')
>>> field_line("Sist revidert 12.03.2025")  # a date needs no colon
('revised', '12.03.2025')
>>> field_line("Rutineeier – Fagleder sosiale tjenester")
('owner', 'Fagleder sosiale tjenester')
>>> field_line("Ansvarlig for rutinen er den som har saken")  # prose, not a field
>>> parse_date("12. mars 2025")
datetime.date(2025, 3, 12)
>>> parse_date("mars 2025")  # a month alone: its first day
datetime.date(2025, 3, 1)
"""

from __future__ import annotations

import re
from datetime import date

LABELS: dict[str, tuple[str, ...]] = {
    "owner": (
        "ansvarlig",
        "ansvarleg",
        "rutineansvarlig",
        "rutineansvarleg",
        "eier",
        "eigar",
        "rutineeier",
        "rutineeigar",
        "eier av rutinen",
        "eigar av rutina",
    ),
    "revised": (
        "revidert",
        "sist revidert",
        "oppdatert",
        "sist oppdatert",
        "revisjonsdato",
        "dato for revisjon",
    ),
    "review_by": (
        "neste revisjon",
        "neste gjennomgang",
        "gjennomgås innen",
        "gjennomgåast innan",
        "revideres innen",
        "reviderast innan",
        "skal revideres innen",
    ),
    "legal": (
        "lovgrunnlag",
        "hjemmel",
        "heimel",
        "lovhjemmel",
        "lovheimel",
        "hjemmelsgrunnlag",
        "heimelsgrunnlag",
        "lovverk",
    ),
    # Search words an office writes under a routine: become its ``tags`` (not a TODO field).
    "tags": ("stikkord", "stikkordsliste", "nøkkelord", "nokkelord", "søkeord", "emneord"),
}
_BY_LABEL = {label: key for key, labels in LABELS.items() for label in labels}
_LABEL_RE = "|".join(sorted((re.escape(label) for label in _BY_LABEL), key=len, reverse=True))
_LINE = re.compile(
    rf"^\s*(?P<label>{_LABEL_RE})(?:\s*[:：]|\s+[–—-])\s*(?P<value>\S.*?)\s*$", re.IGNORECASE
)
# "Sist revidert 12.03.2025": a date field may go without a colon when a date follows.
_BARE = re.compile(rf"^\s*(?P<label>{_LABEL_RE})\s+(?P<value>\d.*?|[a-zæøå]+\s+\d{{4}})\s*$", re.I)
DATE_FIELDS = ("revised", "review_by")
MAX_VALUE = 200  # longer "Ansvarlig: …" lines are prose about responsibility, not a field

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("desember", "des"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})$", re.IGNORECASE)
_MONTH_WORD = re.compile(r"^([a-zæøå]+)\.?\s+(\d{4})$", re.IGNORECASE)
_MONTH_NUMBER = re.compile(r"^(\d{1,2})[./-](\d{4})$")


def field_line(text: str) -> tuple[str, str] | None:
    """``(field, value)`` when ``text`` is a line such as ``Lovgrunnlag: stl. § 17``."""
    text = text.replace("*", "")
    match = _LINE.match(text)
    if match is None:
        bare = _BARE.match(text)
        key = _BY_LABEL[bare.group("label").lower()] if bare else None
        if key not in DATE_FIELDS or parse_date(bare.group("value")) is None:
            return None
        match = bare
    if len(match.group("value")) > MAX_VALUE:
        return None
    return _BY_LABEL[match.group("label").lower()], match.group("value").rstrip(".").strip()


def parse_date(text: str) -> date | None:
    """A date as Norwegian documents write it (``12.03.2025``, ``12. mars 2025``, ``2025-03-12``)."""
    text = text.strip().rstrip(".")
    try:
        if match := _ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(text):
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            return date(year, int(match[2]), int(match[1]))
        if (match := _WORDS.match(text)) and match[2].lower() in MONTHS:
            return date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
        if (match := _MONTH_WORD.match(text)) and match[1].lower() in MONTHS:
            return date(int(match[2]), MONTHS[match[1].lower()], 1)
        if match := _MONTH_NUMBER.match(text):
            return date(int(match[2]), int(match[1]), 1)
    except ValueError:
        return None
    return None


def one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
