import logging

import pytest

from bot.pii import PLACEHOLDER, RedactingFilter, contains_id_number, is_id_number, redact

VALID = "15076500565"  # fødselsnummer with valid check digits (synthetic)
D_NUMBER = "41019012393"  # D-nummer: first digit + 4, same check digits rule


@pytest.mark.parametrize("number", [VALID, D_NUMBER])
def test_valid_numbers(number):
    assert is_id_number(number)


@pytest.mark.parametrize("number", ["15076500566", "15076500575", "1507650056", "abcdefghijk"])
def test_invalid_numbers(number):
    assert not is_id_number(number)


@pytest.mark.parametrize(
    "text",
    [
        f"bruker {VALID} ringte",
        "fnr 150765 00565.",
        "fnr: 150765.00565",
        f"({VALID})",
        f"d-nr {D_NUMBER}",
    ],
)
def test_redacted_in_text(text):
    result = redact(text)
    assert result.found == 1
    assert PLACEHOLDER in result.text
    assert "00565" not in result.text and "12393" not in result.text


@pytest.mark.parametrize(
    "text",
    [
        "kontonummer 1234.56.78903",
        f"saksnummer 9{VALID}",  # twelve digits: not an identity number
        "telefon 22 33 44 55",
        "15076500566",  # wrong check digit
        "§ 17 og § 18",
    ],
)
def test_other_numbers_are_left_alone(text):
    assert not contains_id_number(text)
    assert redact(text).text == text


def test_two_numbers():
    assert redact(f"{VALID} og {D_NUMBER}").found == 2


def test_log_filter_redacts(caplog):
    logger = logging.getLogger("test.pii")
    caplog.handler.addFilter(RedactingFilter())
    try:
        logger.warning("question was %s", f"bruker {VALID}")
    finally:
        caplog.handler.filters.clear()
    assert VALID not in caplog.text
    assert PLACEHOLDER in caplog.text
