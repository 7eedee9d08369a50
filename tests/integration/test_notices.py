"""Reporters hear of what happens to their complaint by SMS: the message is queued
with the change itself, once, and only to a reporter who gave a phone number."""

import threading

from chalicelib.domain.messages import SEGMENT, gsm7_length, is_gsm7
from tests.integration.conftest import (
    auth,
    file,
    follow_up,
    post_json,
    route,
    run_outbox_job,
)

REPORTER = "+6281234567890"
PUPR_OFFICERS = "+6281100001001"  # the sample region data's contact for PUPR


def to_reporters(sms_outbox) -> list[tuple[str, str]]:
    """What was sent to reporters (the region's staff contacts are told too)."""
    staff = {PUPR_OFFICERS, "+6281100001002", "+6281100000101", "+6281100000201"}
    return [(to, text) for to, text in sms_outbox.sent if to not in staff]


def test_routing_tells_the_reporter_which_agency_has_the_complaint(client, clock, sms_outbox):
    tid = file(client)["tracking_id"]

    assert route(client, tid, "PUPR").status_code == 200
    run_outbox_job(client)

    ((to, text),) = to_reporters(sms_outbox)
    assert to == REPORTER
    assert tid in text and "Pekerjaan Umum" in text
    assert is_gsm7(text) and gsm7_length(text) <= SEGMENT


def test_a_follow_up_is_reported_to_the_reporter_once(client, clock, sms_outbox):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    follow_up(client, tid, text="Lubang ditambal hari ini")

    run_outbox_job(client)
    run_outbox_job(client)

    texts = [text for _, text in to_reporters(sms_outbox)]
    assert len(texts) == 2
    assert "ditindaklanjuti" in texts[1] and "Lubang ditambal hari ini" in texts[1]


def test_a_reporter_without_a_phone_gets_no_sms(client, clock, sms_outbox):
    tid = file(client, phone=None, email="warga@example.id")["tracking_id"]

    route(client, tid, "PUPR")
    run_outbox_job(client)

    assert to_reporters(sms_outbox) == []


def test_of_two_routings_racing_on_one_version_only_the_winner_is_announced(
    client, clock, sms_outbox, atomic_requests
):
    tid = file(client)["tracking_id"]
    answers = []

    def route_to(agency):
        answers.append(route(client, tid, agency).status_code)

    threads = [threading.Thread(target=route_to, args=(a,)) for a in ("PUPR", "DISDUKCAPIL")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run_outbox_job(client)

    winners = answers.count(200)
    assert winners >= 1
    assert len(to_reporters(sms_outbox)) == winners  # a refused change queued nothing
    view = client.http.get(f"/staff/complaints/{tid}", headers=auth("admin_pusat")).json_body
    assert len([e for e in view["events"] if e["type"] == "routed"]) == winners


def test_a_refused_change_queues_nothing(client, clock, sms_outbox):
    tid = file(client)["tracking_id"]

    refused = post_json(
        client, f"/staff/complaints/{tid}/follow-ups", {"text": "x"}, auth("agency", agency="PUPR")
    )
    run_outbox_job(client)

    assert refused.status_code == 404
    assert sms_outbox.sent == []
