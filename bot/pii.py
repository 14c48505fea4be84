"""Norwegian national identity numbers (fødselsnummer, D-nummer) in free text.

Eleven digits whose two last are mod-11 check digits; also written with a space or a dot after
the first six (``010190 12345``). Nothing that looks like one may be stored or logged.

    >>> redact("bruker 15076500565 ringte")
    Redacted(text='bruker [fødselsnummer fjernet] ringte', found=1)
    >>> contains_id_number("kontonummer 1234.56.78903")
    False
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

PLACEHOLDER = "[fødselsnummer fjernet]"

# Six digits, an optional single space or dot, five digits; not part of a longer number.
_CANDIDATE = re.compile(r"(?<![\d.])(\d{6})[ .\u00a0]?(\d{5})(?![\d]|\.\d)")
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else check


def is_id_number(digits: str) -> bool:
    """Eleven digits with valid check digits (fødselsnummer and D-nummer share the rule)."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    k1 = _check_digit(digits[:9], _W1)
    if k1 is None or k1 != int(digits[9]):
        return False
    k2 = _check_digit(digits[:10], _W2)
    return k2 is not None and k2 == int(digits[10])


@dataclass(frozen=True)
class Redacted:
    text: str
    found: int


def redact(text: str) -> Redacted:
    """``text`` with every identity number replaced by :data:`PLACEHOLDER`."""
    found = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal found
        if is_id_number(match.group(1) + match.group(2)):
            found += 1
            return PLACEHOLDER
        return match.group(0)

    return Redacted(_CANDIDATE.sub(replace, text), found)


def contains_id_number(text: str) -> bool:
    return redact(text).found > 0


class RedactingFilter(logging.Filter):
    """A safety net on log handlers: identity numbers never reach a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted.found:
            record.msg, record.args = redacted.text, None
        return True
