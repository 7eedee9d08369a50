"""The outbox worker: sends what is due, once; retries with backoff; keeps what failed."""

import threading
from datetime import timedelta

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns import sns_backends

from chalicelib import wiring
from chalicelib.channels.outbound import LoggingSmsSender, SnsSmsSender
from chalicelib.domain.outbox import OutboxMessage, OutboxStatus, RetryPolicy
from chalicelib.services.outbox import deliver_outbox
from tests.integration.conftest import RecordingSender, run_outbox_job

TO = "+6281234567890"


def enqueue(at, message_id: str = "m-1#acknowledgement", text: str = "Aduan diterima.") -> str:
    wiring.outbox().enqueue(
        OutboxMessage(
            id=message_id, channel="sms", to=TO, text=text, purpose="acknowledgement", created_at=at
        )
    )
    return message_id


def stored(message_id: str) -> OutboxMessage:
    message = wiring.outbox().get(message_id)
    assert message is not None
    return message


def run(at, sender, policy: RetryPolicy | None = None):
    return deliver_outbox(
        now=at, repo=wiring.outbox(), sender=sender, policy=policy or RetryPolicy()
    )


@pytest.fixture
def now(dynamodb, clock):
    return clock.now


def test_a_due_message_is_sent_and_marked_sent(now):
    sender = RecordingSender()
    message_id = enqueue(now)

    summary = run(now, sender)

    assert (summary.sent, sender.sent) == (1, [(TO, "Aduan diterima.")])
    assert (stored(message_id).status, stored(message_id).sent_at) == (OutboxStatus.SENT, now)


def test_a_sent_message_is_never_sent_again(now):
    sender = RecordingSender()
    enqueue(now)

    run(now, sender)
    second = run(now + timedelta(minutes=5), sender)

    assert (second.due, len(sender.sent)) == (0, 1)


def test_enqueuing_the_same_message_twice_stores_it_once(now):
    enqueue(now)
    enqueue(now, text="another text")

    assert stored("m-1#acknowledgement").text == "Aduan diterima."


def test_a_message_not_yet_due_is_left_for_later(now):
    sender = RecordingSender()
    enqueue(now + timedelta(minutes=1))

    assert run(now, sender).due == 0


def test_a_failed_send_is_retried_after_a_growing_delay(now):
    sender = RecordingSender(failures=2)
    message_id = enqueue(now)

    first = run(now, sender)
    too_early = run(now + timedelta(seconds=59), sender)
    second = run(now + timedelta(minutes=1), sender)
    still_early = run(now + timedelta(minutes=2, seconds=59), sender)
    third = run(now + timedelta(minutes=3), sender)

    assert (first.retrying, too_early.due, second.retrying, still_early.due) == (1, 0, 1, 0)
    assert third.sent == 1
    message = stored(message_id)
    assert (message.status, message.attempts, message.last_error) == (
        OutboxStatus.SENT,
        3,
        "ConnectionError: SMS provider unavailable",
    )


def test_after_the_last_attempt_a_message_is_kept_as_failed_and_no_longer_tried(now):
    policy = RetryPolicy(max_attempts=3)
    sender = RecordingSender(failures=10)
    message_id = enqueue(now)
    at = now
    for _ in range(3):
        run(at, sender, policy)
        at += timedelta(hours=2)

    later = run(at, sender, policy)

    message = stored(message_id)
    assert (message.status, message.attempts, later.due) == (OutboxStatus.FAILED, 3, 0)


def test_two_workers_at_once_send_each_message_once(now, atomic_requests):
    sender = RecordingSender()
    for i in range(20):
        enqueue(now, message_id=f"m-{i}#acknowledgement", text=f"pesan {i}")
    barrier = threading.Barrier(2)

    def work():
        barrier.wait()
        run(now, sender)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(text for _, text in sender.sent) == sorted(f"pesan {i}" for i in range(20))


def test_a_worker_that_died_mid_send_leaves_the_message_due_again_after_its_lease(now):
    message_id = enqueue(now)
    policy = RetryPolicy()
    claimed = wiring.outbox().claim(
        stored(message_id), "dead-worker", now, now + policy.claim_lease
    )
    assert claimed is not None
    sender = RecordingSender()

    during_lease = run(now + timedelta(minutes=1), sender, policy)
    after_lease = run(now + policy.claim_lease, sender, policy)

    assert (during_lease.due, after_lease.sent) == (0, 1)
    assert stored(message_id).attempts == 2


def test_the_scheduled_worker_sends_through_the_configured_sender(client, clock, sms_outbox):
    enqueue(clock.now)

    summary = run_outbox_job(client, clock.now)

    assert summary["sent"] == 1
    assert sms_outbox.sent == [(TO, "Aduan diterima.")]


def test_the_sns_sender_publishes_a_transactional_sms_to_the_number(dynamodb):
    client = boto3.client("sns", region_name="ap-southeast-3")

    message_id = SnsSmsSender(client).send(TO, "Aduan diterima.")

    backend = sns_backends[DEFAULT_ACCOUNT_ID]["ap-southeast-3"]
    assert backend.sms_messages[message_id] == (TO, "Aduan diterima.")


def test_the_logging_sender_writes_the_sms_to_its_stream(capsys):
    LoggingSmsSender().send(TO, "Aduan diterima.")

    assert capsys.readouterr().err == f"SMS to {TO}: Aduan diterima.\n"
