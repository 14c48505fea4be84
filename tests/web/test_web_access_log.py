"""The access log keeps aiohttp's line but never writes the private feed's token."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from aiohttp.web_log import AccessLogger

from bot.web.access_log import RedactingAccessLogger

SECRET = "Hemmelig-token-0123456789abcdef"
FORMAT = '"%r" %s'


def line(logger_class: type[AccessLogger], path: str, caplog: pytest.LogCaptureFixture) -> str:
    caplog.clear()
    logger = logging.getLogger("test.access")
    request = make_mocked_request("GET", path)
    logger_class(logger, FORMAT).log(request, web.Response(status=200), 0.001)
    (record,) = caplog.records
    return record.getMessage()


def test_aiohttps_own_access_log_would_write_the_token(caplog: pytest.LogCaptureFixture) -> None:
    # Why the redacting logger exists (and proof that this test sees what a log would hold).
    caplog.set_level(logging.INFO, logger="test.access")
    assert SECRET in line(AccessLogger, f"/calendar/frister.ics?token={SECRET}", caplog)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/calendar/frister.ics?token={SECRET}", '"GET /calendar/frister.ics?token=REDACTED'),
        (
            f"/calendar/frister.ics?a=1&token={SECRET}&token=x&b=2",
            '"GET /calendar/frister.ics?a=1&token=REDACTED&token=REDACTED&b=2',
        ),
        ("/calendar/fredagsprat.ics?x=1", '"GET /calendar/fredagsprat.ics?x=1'),
        ("/", '"GET / HTTP/1.1" 200'),
    ],
)
def test_secret_query_values_are_replaced(
    path: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="test.access")
    message = line(RedactingAccessLogger, path, caplog)

    assert message.startswith(expected)
    assert SECRET not in message


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/rutiner?q=bruker+150765+00565+ringte",
            '"GET /rutiner?q=REDACTED HTTP/1.1" 200',
        ),
        ("/rutiner/15076500565", '"GET /rutiner/%5Bf%C3%B8dselsnummer%20fjernet%5D HTTP/1.1"'),
        ("/rutiner?q=klage+12345678901", '"GET /rutiner?q=REDACTED HTTP/1.1"'),
        ("/x?note=klage+12345678901", '"GET /x?note=klage+12345678901 HTTP/1.1"'),
        ("/x?note=ring+150765+00565", '"GET /x?note=ring+%5Bf%C3%B8dselsnummer+fjernet%5D'),
    ],
)
def test_identity_numbers_in_a_search_or_path_are_not_logged(
    path: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="test.access")
    message = line(RedactingAccessLogger, path, caplog)

    assert message.startswith(expected)  # 12345678901 fails the check digits: kept
    assert "00565" not in message
