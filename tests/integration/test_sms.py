"""SMS to 1708 through both entry points: the SNS topic of AWS End User Messaging
and the HTTP gateway route (form and JSON). Every field-case row is delivered
through each."""

import json
import threading
from datetime import timedelta
from urllib.parse import quote

import pytest

from chalicelib import wiring
from chalicelib.domain.inbound import InboundMessage
from chalicelib.domain.messages import SEGMENT, gsm7_length, is_gsm7
from chalicelib.services.phones import read_sender
from tests.integration.conftest import (
    FORM,
    GATEWAY_SECRET,
    REPORTER,
    SMS_ENTRY_POINTS,
    auth,
    deliver_sms,
    file,
    post_json,
    route,
    run_outbox_job,
)
from tests.sms_field_cases import (
    CANONICAL_REPORTER,
    FILED,
    NEEDS_CONTENT,
    NO_KEYWORD,
    REPLY_TEMPLATE,
    REPORTER_FORMS,
    ROWS,
    SHORT_QUOTED_ID,
)

pytestmark = pytest.mark.usefixtures("clock", "sms_outbox")
entry_points = pytest.mark.parametrize("entry", SMS_ENTRY_POINTS)


def rows(intent: str):
    return [row for row in ROWS if row.intent == intent]


def staff_view(client, tracking_id: str) -> dict:
    response = client.http.get(f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat"))
    assert response.status_code == 200, response.body
    return response.json_body


def triage(client) -> list[str]:
    queue = client.http.get("/staff/queues/triage?limit=100", headers=auth("admin_pusat"))
    return [c["tracking_id"] for c in queue.json_body["items"]]


def inbound(client, outcome: str) -> list[dict]:
    listed = client.http.get(f"/staff/inbound?outcome={outcome}", headers=auth("admin_pusat"))
    assert listed.status_code == 200, listed.body
    return listed.json_body["items"]


def sent_after_outbox_run(client, sms_outbox) -> list[tuple[str, str]]:
    run_outbox_job(client)
    return sms_outbox.sent


# --- the field-case rows, through every entry point ----------------------------------


@entry_points
@pytest.mark.parametrize("row", rows(FILED), ids=str)
def test_a_row_with_a_region_keyword_is_filed_in_that_region(client, sms_outbox, entry, row):
    receipt = deliver_sms(client, entry, row.body)

    assert (receipt["outcome"], receipt["duplicate"]) == ("filed", False)
    view = staff_view(client, receipt["tracking_id"])
    assert (view["region"], view["channel"], view["region_unknown"]) == (row.region, "sms", False)
    assert view["description"] == row.content
    assert view["reporter"]["phone"] == CANONICAL_REPORTER


@entry_points
@pytest.mark.parametrize("row", rows(FILED), ids=str)
def test_a_filed_row_is_acknowledged_with_its_tracking_id_in_one_plain_sms(
    client, sms_outbox, entry, row
):
    receipt = deliver_sms(client, entry, row.body)

    ((to, text),) = sent_after_outbox_run(client, sms_outbox)
    assert to == CANONICAL_REPORTER
    assert receipt["tracking_id"] in text
    assert text.isascii() and is_gsm7(text) and gsm7_length(text) <= SEGMENT


@entry_points
@pytest.mark.parametrize("row", rows(NEEDS_CONTENT), ids=str)
def test_an_empty_row_is_kept_and_the_reporter_is_asked_for_the_content(
    client, sms_outbox, entry, row
):
    receipt = deliver_sms(client, entry, row.body)

    assert (receipt["outcome"], receipt["tracking_id"]) == ("needs_content", None)
    assert [m["body"] for m in inbound(client, "needs_content")] == [row.body]
    ((to, text),) = sent_after_outbox_run(client, sms_outbox)
    assert to == CANONICAL_REPORTER and "TANGGAMUS_isi aduan" in text


@entry_points
@pytest.mark.parametrize("row", rows(NEEDS_CONTENT), ids=str)
def test_an_empty_row_reaches_no_queue_and_no_agency(client, entry, row):
    deliver_sms(client, entry, row.body)

    assert triage(client) == []


@entry_points
def test_an_sms_with_no_text_at_all_is_kept_and_the_reporter_asked_for_the_content(
    client, sms_outbox, entry
):
    receipt = deliver_sms(client, entry, "")

    assert receipt["outcome"] == "needs_content"
    assert [m["body"] for m in inbound(client, "needs_content")] == [""]
    ((_, text),) = sent_after_outbox_run(client, sms_outbox)
    assert "KABUPATEN_isi aduan" in text


@entry_points
@pytest.mark.parametrize("row", rows(NO_KEYWORD), ids=str)
def test_a_row_without_a_keyword_reaches_the_central_triage_queue(client, entry, row):
    receipt = deliver_sms(client, entry, row.body)

    assert receipt["outcome"] == "filed"
    assert triage(client) == [receipt["tracking_id"]]
    view = staff_view(client, receipt["tracking_id"])
    assert (view["region_unknown"], view["description"]) == (True, row.content)


@entry_points
@pytest.mark.parametrize("row", rows(NO_KEYWORD), ids=str)
def test_a_row_without_a_keyword_is_acknowledged_saying_an_admin_will_route_it(
    client, sms_outbox, entry, row
):
    receipt = deliver_sms(client, entry, row.body)

    ((_, text),) = sent_after_outbox_run(client, sms_outbox)
    assert receipt["tracking_id"] in text and "admin" in text


@entry_points
def test_the_same_sms_three_times_within_a_minute_once_with_a_new_id_is_one_complaint(
    client, clock, sms_outbox, entry
):
    body = ROWS[0].body
    first = deliver_sms(client, entry, body, message_id="gw-1")
    clock.now += timedelta(seconds=20)
    again = deliver_sms(client, entry, body, message_id="gw-1")
    clock.now += timedelta(seconds=20)
    renamed = deliver_sms(client, entry, body, message_id="gw-1-resent")

    assert [r["duplicate"] for r in (first, again, renamed)] == [False, True, True]
    assert {r["tracking_id"] for r in (first, again, renamed)} == {first["tracking_id"]}
    assert triage(client) == [first["tracking_id"]]
    assert len(sent_after_outbox_run(client, sms_outbox)) == 1


@entry_points
def test_every_delivery_of_a_duplicate_leaves_a_trace(client, entry):
    body = ROWS[0].body
    for message_id in ("gw-1", "gw-1", "gw-2"):
        deliver_sms(client, entry, body, message_id=message_id)

    (original,) = inbound(client, "filed")
    (renamed,) = inbound(client, "duplicate")
    assert (original["deliveries"], renamed["deliveries"]) == (2, 1)
    assert renamed["duplicate_of"] == original["id"]


@entry_points
def test_the_same_text_from_another_sender_is_another_complaint(client, entry):
    deliver_sms(client, entry, ROWS[0].body, sender="081234567890", message_id="a")
    deliver_sms(client, entry, ROWS[0].body, sender="081298765432", message_id="b")

    assert len(triage(client)) == 2


@entry_points
def test_the_same_text_again_after_the_duplicate_window_is_a_new_complaint(client, clock, entry):
    deliver_sms(client, entry, ROWS[0].body, message_id="a")
    clock.now += timedelta(minutes=30)
    deliver_sms(client, entry, ROWS[0].body, message_id="b")

    assert len(triage(client)) == 2


# --- replies and status ---------------------------------------------------------------


@entry_points
def test_a_reply_quoting_the_tracking_id_from_its_reporter_is_added_to_that_complaint(
    client, clock, entry
):
    filed = deliver_sms(client, entry, ROWS[0].body, message_id="first")
    clock.now += timedelta(days=14)
    reply = REPLY_TEMPLATE.format(tracking_id=filed["tracking_id"])

    receipt = deliver_sms(client, entry, reply, sender="+6281234567890", message_id="reply")

    assert (receipt["outcome"], receipt["tracking_id"]) == ("reply", filed["tracking_id"])
    assert triage(client) == [filed["tracking_id"]]
    events = staff_view(client, filed["tracking_id"])["events"]
    assert [e["type"] for e in events] == ["received", "reporter_message"]
    assert events[-1]["data"]["text"] == reply


@entry_points
def test_a_reply_does_not_restart_the_clock(client, clock, entry):
    filed = deliver_sms(client, entry, ROWS[0].body, message_id="first")
    before = staff_view(client, filed["tracking_id"])["deadlines"]
    clock.now += timedelta(days=14)

    deliver_sms(
        client, entry, REPLY_TEMPLATE.format(tracking_id=filed["tracking_id"]), message_id="r"
    )

    view = staff_view(client, filed["tracking_id"])
    assert (view["status"], view["deadlines"]) == ("received", before)


@entry_points
def test_a_reply_is_acknowledged_once_however_often_it_is_delivered(client, sms_outbox, entry):
    filed = deliver_sms(client, entry, ROWS[0].body, message_id="first")
    reply = REPLY_TEMPLATE.format(tracking_id=filed["tracking_id"])
    for _ in range(3):
        deliver_sms(client, entry, reply, message_id="reply")

    texts = [text for _, text in sent_after_outbox_run(client, sms_outbox)]
    assert len(texts) == 2 and "Tanggapan" in texts[1]
    events = staff_view(client, filed["tracking_id"])["events"]
    assert [e["type"] for e in events] == ["received", "reporter_message"]


@entry_points
def test_the_short_id_of_the_field_case_files_nothing_and_asks_to_check_the_id(
    client, sms_outbox, entry
):
    receipt = deliver_sms(client, entry, SHORT_QUOTED_ID)

    assert receipt["outcome"] == "unmatched_reference"
    assert triage(client) == []
    ((_, text),) = sent_after_outbox_run(client, sms_outbox)
    assert "TGM-7K3QX tidak dikenali" in text


@entry_points
def test_a_reply_from_another_number_is_not_added_and_gets_only_the_public_status(
    client, sms_outbox, entry
):
    filed = deliver_sms(client, entry, ROWS[0].body, message_id="first")
    reply = REPLY_TEMPLATE.format(tracking_id=filed["tracking_id"])

    receipt = deliver_sms(client, entry, reply, sender="081298765432", message_id="other")

    assert receipt["outcome"] == "unmatched_reference"
    events = staff_view(client, filed["tracking_id"])["events"]
    assert [e["type"] for e in events] == ["received"]
    to, text = sent_after_outbox_run(client, sms_outbox)[-1]
    assert to == "+6281298765432" and text.startswith(f"Aduan {filed['tracking_id']}: ")
    assert "Jalan" not in text and "0812" not in text


@entry_points
def test_cek_answers_with_the_status_and_the_working_days_left(client, clock, sms_outbox, entry):
    tid = file(client)["tracking_id"]  # Thu 27 Mar 2025: follow-up due Fri 23 May 2025
    route(client, tid, "PUPR")
    clock.set("2025-05-19T02:00:00Z")  # Monday of the last week

    receipt = deliver_sms(client, entry, f"CEK {tid}", sender="089876543210")

    assert (receipt["outcome"], receipt["tracking_id"]) == ("status_query", tid)
    sent = sent_after_outbox_run(client, sms_outbox)
    (text,) = [text for to, text in sent if to == "+6289876543210"]
    assert text == (
        f"Aduan {tid}: diteruskan ke PUPR. Batas tindak lanjut 23-05-2025, 4 hari kerja lagi."
    )


@entry_points
def test_cek_on_a_confidential_complaint_from_another_number_reveals_nothing(
    client, sms_outbox, entry
):
    tid = file(client, confidential=True)["tracking_id"]

    receipt = deliver_sms(client, entry, f"CEK {tid}", sender="089876543210")

    assert (receipt["outcome"], receipt["tracking_id"]) == ("unmatched_reference", None)
    ((_, text),) = sent_after_outbox_run(client, sms_outbox)
    unknown = deliver_sms(client, entry, "CEK TGM-7K3QX4X", sender="089876543210", message_id="x")
    ((_, unknown_text),) = sent_after_outbox_run(client, sms_outbox)[1:]
    assert unknown["outcome"] == "unmatched_reference"
    assert text.replace(tid, "TGM-7K3QX4X") == unknown_text


@entry_points
def test_cek_on_a_confidential_complaint_from_its_reporter_gets_the_status(
    client, sms_outbox, entry
):
    tid = file(client, confidential=True, phone="0812-3456-7890")["tracking_id"]

    receipt = deliver_sms(client, entry, f"cek {tid.lower()}", sender="+6281234567890")

    assert (receipt["outcome"], receipt["tracking_id"]) == ("status_query", tid)


@entry_points
def test_a_reporter_who_filed_on_the_web_can_reply_by_sms(client, entry):
    tid = file(client, phone="0812-3456-7890")["tracking_id"]

    receipt = deliver_sms(client, entry, f"{tid} sudah ada petugas datang?")

    assert (receipt["outcome"], receipt["tracking_id"]) == ("reply", tid)


# --- senders ---------------------------------------------------------------------------


@entry_points
@pytest.mark.parametrize("written", REPORTER_FORMS)
def test_every_way_of_writing_the_sender_is_one_canonical_number_with_the_raw_kept(
    client, entry, written
):
    receipt = deliver_sms(client, entry, ROWS[0].body, sender=written)

    reporter = staff_view(client, receipt["tracking_id"])["reporter"]
    assert (reporter["phone"], reporter["phone_raw"]) == (CANONICAL_REPORTER, written)


@entry_points
def test_one_sms_sent_from_two_spellings_of_one_number_is_one_complaint(client, entry):
    deliver_sms(client, entry, ROWS[0].body, sender="081234567890", message_id="a")
    deliver_sms(client, entry, ROWS[0].body, sender="+6281234567890", message_id="b")

    assert len(triage(client)) == 1


@entry_points
def test_an_ambiguous_sender_is_flagged_kept_raw_and_answered_there(client, sms_outbox, entry):
    receipt = deliver_sms(client, entry, ROWS[0].body, sender="81234567890")

    (stored,) = inbound(client, "filed")
    assert (stored["sender"], stored["sender_canonical"], stored["sender_ambiguous"]) == (
        "81234567890",
        None,
        True,
    )
    reporter = staff_view(client, receipt["tracking_id"])["reporter"]
    assert (reporter["phone"], reporter["phone_raw"]) == (None, "81234567890")
    ((to, _),) = sent_after_outbox_run(client, sms_outbox)
    assert to == "81234567890"


# --- at-least-once delivery under load --------------------------------------------------


def test_a_burst_of_50_deliveries_10_at_once_files_one_complaint_and_one_acknowledgement(
    client, sms_outbox, atomic_requests
):
    """50 deliveries of one SMS: 10 at once, then 40 more through both gateways,
    some re-sent under new IDs. Threads call the service directly: the Chalice test
    client handles one request at a time."""
    intake = wiring.sms_intake()
    now = wiring.now()

    def delivery(source: str, message_id: str) -> InboundMessage:
        return InboundMessage(
            source=source,
            channel="sms",
            gateway_message_id=message_id,
            sender=read_sender(REPORTER),
            body=ROWS[0].body,
            received_at=now,
        )

    barrier, receipts = threading.Barrier(10), []

    def deliver(message: InboundMessage) -> None:
        barrier.wait()
        receipts.append(intake.receive(message, now))

    threads = [
        threading.Thread(target=deliver, args=(delivery("sms-aws", f"m-{i % 3}"),))
        for i in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for i in range(40):
        source = "sms-aws" if i % 2 else "sms-http"
        receipts.append(intake.receive(delivery(source, f"m-{i % 7}"), now))

    assert len(receipts) == 50
    # A copy that came while the first was being handled is told it is still "received".
    assert len({r.tracking_id for r in receipts} - {None}) == 1
    assert sum(not r.duplicate for r in receipts) == 1
    assert len(triage(client)) == 1
    assert len(sent_after_outbox_run(client, sms_outbox)) == 1
    traces = inbound(client, "filed") + inbound(client, "duplicate")
    assert sum(m["deliveries"] for m in traces) == 50


# --- interrupted handling ---------------------------------------------------------------


def test_a_delivery_whose_handling_failed_is_kept_and_a_redelivery_completes_it_once(
    client, clock, sms_outbox, monkeypatch
):
    intake = wiring.sms_intake()
    failing = {"left": 1}
    real_file = intake.filing.file

    def file_once_failing(*args, **kwargs):
        if failing["left"]:
            failing["left"] -= 1
            raise ConnectionError("DynamoDB throttled")
        return real_file(*args, **kwargs)

    monkeypatch.setattr(
        type(intake.filing), "file", lambda self, *a, **k: file_once_failing(*a, **k)
    )
    with pytest.raises(ConnectionError):
        deliver_sms(client, "sns", ROWS[0].body)
    (kept,) = inbound(client, "received")
    assert kept["detail"].startswith("ConnectionError")

    clock.now += timedelta(seconds=30)
    receipt = deliver_sms(client, "sns", ROWS[0].body)

    assert (receipt["outcome"], receipt["duplicate"]) == ("filed", False)
    assert inbound(client, "received") == []
    assert len(sent_after_outbox_run(client, sms_outbox)) == 1


def test_a_delivery_still_being_handled_is_not_taken_over_by_a_redelivery(client, clock):
    message = InboundMessage(
        source="sms-aws",
        channel="sms",
        gateway_message_id="slow",
        sender=read_sender(REPORTER),
        body=ROWS[0].body,
        received_at=clock.now,
    )
    assert wiring.inbox().repo.store_first(message, lease_until=clock.now + timedelta(minutes=2))

    receipt = deliver_sms(client, "sns", ROWS[0].body, message_id="slow")

    assert (receipt["outcome"], receipt["duplicate"]) == ("received", True)
    assert triage(client) == []


# --- the gateway route and the SNS topic ----------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [FORM, FORM | {"X-Saber-Token": "wrong"}, FORM | {"X-Saber-Signature": "sha256=00"}],
)
def test_a_gateway_request_without_the_secret_is_refused_with_401(client, headers):
    response = client.http.post("/channels/sms", headers=headers, body="from=0812&text=x")

    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "unauthenticated"
    assert inbound(client, "received") == []


def test_a_gateway_request_without_a_sender_names_the_field(client):
    response = client.http.post(
        "/channels/sms", headers=FORM | {"X-Saber-Token": GATEWAY_SECRET}, body="text=x"
    )

    assert (response.status_code, response.json_body["error"]["field"]) == (400, "from")


def test_a_gateway_request_in_another_content_type_is_refused_with_415(client):
    response = client.http.post(
        "/channels/sms",
        headers={"Content-Type": "text/plain", "X-Saber-Token": GATEWAY_SECRET},
        body="Tanggamus_jalan",
    )

    assert response.status_code == 415


def test_a_gateway_request_with_broken_json_is_a_400(client):
    response = post_json(client, "/channels/sms", "{no", {"X-Saber-Token": GATEWAY_SECRET})

    assert (response.status_code, response.json_body["error"]["code"]) == (400, "invalid_json")


def test_an_oversized_gateway_request_is_refused_with_413(client):
    body = "from=081234567890&text=" + "x" * 70_000
    response = client.http.post(
        "/channels/sms", headers=FORM | {"X-Saber-Token": GATEWAY_SECRET}, body=body
    )

    assert response.status_code == 413


def test_an_sns_message_that_is_no_sms_is_kept_for_admins(client):
    event = client.events.generate_sns_event(message="{not an sms")

    receipt = client.lambda_.invoke("inbound_sms", event).payload

    assert receipt["outcome"] == "unreadable"
    (kept,) = inbound(client, "unreadable")
    assert (kept["body"], kept["detail"]) == ("{not an sms", "the SNS message is not JSON")


def test_the_sns_handler_answers_the_same_for_a_redelivered_sns_message(client):
    event = client.events.generate_sns_event(message="{not an sms")

    first = client.lambda_.invoke("inbound_sms", event).payload
    second = client.lambda_.invoke("inbound_sms", event).payload

    assert (first["id"], second["duplicate"]) == (second["id"], True)


def test_inbound_messages_are_for_the_central_admin_only(client):
    listed = client.http.get("/staff/inbound", headers=auth("admin_daerah", region="tanggamus"))

    assert listed.status_code == 403


def test_an_unknown_inbound_outcome_names_the_field(client):
    listed = client.http.get("/staff/inbound?outcome=lost", headers=auth("admin_pusat"))

    assert (listed.status_code, listed.json_body["error"]["field"]) == (400, "outcome")


@entry_points
def test_an_sms_longer_than_a_description_is_filed_clipped_and_kept_whole(client, entry):
    text = "jalan rusak " * 450  # 5,400 characters
    receipt = deliver_sms(client, entry, f"Tanggamus_{text}")

    view = staff_view(client, receipt["tracking_id"])
    kept = client.http.get("/staff/inbound?outcome=filed", headers=auth("admin_pusat")).json_body

    assert len(view["description"]) == 4000 and view["description"].endswith("[...]")
    assert kept["items"][0]["body"] == f"Tanggamus_{text}"


@entry_points
def test_admins_do_not_learn_an_anonymous_reporters_number_from_their_sms(client, entry):
    tid = file(client, anonymous=True, phone="0812-3456-7890")["tracking_id"]
    deliver_sms(client, entry, f"{tid} ada perkembangan? sdh 2 minggu", message_id="gw-a")
    deliver_sms(client, entry, f"CEK {tid}", message_id="gw-b")
    named = file(client)["tracking_id"]
    deliver_sms(client, entry, f"{named} ada kabar?", message_id="gw-c")

    shown = {}
    for outcome in ("reply", "status_query"):
        listed = client.http.get(f"/staff/inbound?outcome={outcome}", headers=auth("admin_pusat"))
        shown |= {(m["tracking_id"], m["body"][:3]): m for m in listed.json_body["items"]}

    hidden = [m for (t, _), m in shown.items() if t == tid]
    assert len(hidden) == 2
    for message in hidden:
        assert message["sender_hidden"] is True
        assert "6281234567890" not in json.dumps(message)
    assert shown[(named, named[:3])]["sender_canonical"] == CANONICAL_REPORTER


# --- an admin places a message the service could not place -----------------------


def attach(client, key: str, tracking_id: str, headers: dict | None = None):
    return post_json(
        client,
        f"/staff/inbound/{quote(key, safe='')}/attach",
        {"tracking_id": tracking_id},
        headers or auth("admin_pusat"),
    )


def unmatched(client) -> str:
    """The field case's reply quoting a mistyped ID: kept, placed nowhere."""
    return deliver_sms(client, "form", SHORT_QUOTED_ID, message_id="gw-short")["id"]


def test_an_admin_attaches_a_reply_with_a_mistyped_id_to_its_complaint_once(client):
    key = unmatched(client)
    tid = file(client)["tracking_id"]

    first = attach(client, key, tid)
    again = attach(client, key, tid)

    assert first.status_code == again.status_code == 200
    assert (first.json_body["outcome"], first.json_body["tracking_id"]) == ("attached", tid)
    texts = [
        e["data"]["text"]
        for e in staff_view(client, tid)["events"]
        if e["type"] == "reporter_message"
    ]
    assert texts == [SHORT_QUOTED_ID]
    listed = client.http.get("/staff/inbound?outcome=attached", headers=auth("admin_pusat"))
    assert [m["id"] for m in listed.json_body["items"]] == [key]


def test_an_attached_message_cannot_be_moved_to_another_complaint(client):
    key = unmatched(client)
    first, second = file(client)["tracking_id"], file(client)["tracking_id"]
    attach(client, key, first)

    moved = attach(client, key, second)

    assert moved.status_code == 409
    assert moved.json_body["error"]["code"] == "already_handled"


def test_a_message_that_became_a_complaint_cannot_be_attached(client):
    receipt = deliver_sms(client, "form", "Tanggamus_Jalan rusak", message_id="gw-filed")
    other = file(client)["tracking_id"]

    response = attach(client, receipt["id"], other)

    assert response.status_code == 409
    events = [e["type"] for e in staff_view(client, other)["events"]]
    assert "reporter_message" not in events


@pytest.mark.parametrize(
    ("key", "tracking_id", "status", "field"),
    [
        ("sms-http#nope", None, 404, None),
        (None, "bukan-id", 400, "tracking_id"),
        (None, "TGM-0000000", 400, "tracking_id"),
    ],
)
def test_attaching_names_what_is_wrong(client, key, tracking_id, status, field):
    response = attach(client, key or unmatched(client), tracking_id or file(client)["tracking_id"])

    assert response.status_code == status
    assert response.json_body["error"]["field"] == field


def test_only_the_central_admin_attaches_messages(client):
    key = unmatched(client)
    tid = file(client)["tracking_id"]

    response = attach(client, key, tid, auth("admin_daerah", region="tanggamus"))

    assert response.status_code == 403
