"""The retry rules: which answers are retried, after how long, how often."""

import doctest
import random
from datetime import UTC, datetime

import pytest

from bot.delivery import retry
from bot.delivery.retry import Action, RetryPolicy, classify, parse_retry_after

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_docstring_examples():
    failed, attempted = doctest.testmod(retry)
    assert failed == 0 and attempted > 0


@pytest.mark.parametrize("status", [412, 429, 502, 503, 504, 500, 501, 507, 599, None])
def test_throttling_server_errors_and_network_errors_are_retried(status):
    assert classify(status) == Action.RETRY


@pytest.mark.parametrize("status", [403, 404])
def test_a_removed_bot_unsubscribes(status):
    assert classify(status) == Action.UNSUBSCRIBE


@pytest.mark.parametrize("status", [400, 401, 405, 409, 413, 422])
def test_other_client_errors_fail_at_once(status):
    assert classify(status) == Action.FAIL


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_success(status):
    assert classify(status) == Action.SENT


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("0", 0.0),
        ("  12 ", 12.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("Mon, 23 Nov 2026 12:01:00 GMT", 60.0),
        ("Mon, 23 Nov 2026 11:00:00 GMT", 0.0),  # in the past: at once
        ("", None),
        (None, None),
        ("soon", None),
    ],
)
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header, NOW) == seconds


def test_backoff_doubles_up_to_the_cap_with_jitter():
    policy = RetryPolicy(base_seconds=2, cap_seconds=60)
    rng = random.Random(1)
    for attempts, ceiling in [(1, 2), (2, 4), (3, 8), (5, 32), (6, 60), (20, 60)]:
        waits = [policy.backoff(attempts, rng) for _ in range(200)]
        assert all(1 <= w <= ceiling for w in waits)
        if ceiling > 2:
            assert max(waits) - min(waits) > ceiling / 4  # jitter spreads the retries


def test_retry_after_wins_over_backoff_and_is_clamped():
    policy = RetryPolicy(max_retry_after_seconds=120)
    rng = random.Random(1)
    assert policy.delay(5, 7.0, rng) == 7.0
    assert policy.delay(1, 3600.0, rng) == 120
    assert policy.delay(1, -1.0, rng) == 0.0
    assert 1 <= policy.delay(1, None, rng) <= 2


def test_attempts_are_capped():
    policy = RetryPolicy(max_attempts=3)
    assert [policy.gives_up(n) for n in (1, 2, 3, 4)] == [False, False, True, True]


def test_a_policy_that_cannot_work_is_refused():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base_seconds=10, cap_seconds=5)
