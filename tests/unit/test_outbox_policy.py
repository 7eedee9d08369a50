"""Retrying outgoing messages: exponential backoff, then give up and keep it."""

from datetime import timedelta

import pytest

from chalicelib.domain.outbox import RetryPolicy, outbox_id
from tests.unit.builders import utc

NOW = utc(2025, 3, 27, 2, 0)


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16)],
)
def test_the_delay_doubles_after_each_failed_attempt(attempts, delay):
    assert RetryPolicy().next_attempt(attempts, NOW) == NOW + timedelta(minutes=delay)


def test_the_delay_never_exceeds_the_longest_delay():
    policy = RetryPolicy(max_attempts=20, longest_delay=timedelta(hours=1))

    assert policy.next_attempt(15, NOW) == NOW + timedelta(hours=1)


def test_after_the_last_attempt_there_is_no_next_one():
    assert RetryPolicy(max_attempts=6).next_attempt(6, NOW) is None


def test_one_cause_and_purpose_give_one_message_id():
    assert outbox_id("sms-aws#m-1", "acknowledgement") == outbox_id(
        "sms-aws#m-1", "acknowledgement"
    )
    assert outbox_id("sms-aws#m-1", "acknowledgement") != outbox_id("sms-aws#m-1", "status")
