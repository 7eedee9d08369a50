"""Staff hear of work by SMS, in office hours: the agency's officers when a
complaint is routed to them, the regional admins (and the agency) when a case
reaches intervention, the central admins at takeover. Nothing in these messages
names the reporter."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.conftest import auth, file, post_json, route, run_outbox_job
from tests.integration.test_escalation import sweep_as_scheduled

PUPR_OFFICERS = "+6281100001001"  # contacts in the sample region data
DINKES_OFFICERS = "+6281100001002"
REGIONAL_ADMINS = "+6281100000101"
CENTRAL_ADMINS = "+6281100000201"
SECRETS = ("Sumiyati", "3506042602660001", "6281234567890", "0812-3456-7890", "sumi@example.id")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def sent_to(sms_outbox, number: str) -> list[str]:
    return [text for to, text in sms_outbox.sent if to == number]


def test_the_agency_is_told_of_an_anonymous_complaint_without_its_reporter(
    client, clock, sms_outbox
):
    tid = file(client, anonymous=True, nik=SECRETS[1], email=SECRETS[4])["tracking_id"]

    route(client, tid, "PUPR")
    run_outbox_job(client)

    (text,) = sent_to(sms_outbox, PUPR_OFFICERS)
    assert tid in text and "PUPR" in text
    assert "23-05-2025" in text  # the follow-up deadline (30 working days)
    for secret in SECRETS:
        assert secret not in text


def test_a_transfer_tells_the_new_agency_and_the_clock_keeps_running(client, clock, sms_outbox):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    declined = post_json(
        client,
        f"/staff/complaints/{tid}/decline",
        {"reason": "Puskesmas bukan kewenangan kami"},
        auth("agency", agency="PUPR"),
    )
    assert declined.status_code == 200
    clock.set("2025-04-10T03:00:00Z")
    route(client, tid, "DINKES")

    run_outbox_job(client)

    (text,) = sent_to(sms_outbox, DINKES_OFFICERS)
    assert tid in text
    assert "23-05-2025" in text  # same deadline: counted from receipt, not the transfer


def test_a_complaint_routed_after_office_hours_is_told_the_next_working_morning(
    client, clock, sms_outbox
):
    clock.set("2025-04-22T13:00:00Z")  # Tue 22 Apr 2025, 20:00 WIB
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")

    run_outbox_job(client, at=at("2025-04-22T23:00:00+07:00"))
    assert sent_to(sms_outbox, PUPR_OFFICERS) == []
    run_outbox_job(client, at=at("2025-04-23T08:00:00+07:00"))
    assert len(sent_to(sms_outbox, PUPR_OFFICERS)) == 1


def test_an_escalation_due_on_saturday_is_flagged_then_and_told_on_monday(
    client, clock, sms_outbox
):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    run_outbox_job(client)  # the routing messages, sent on filing day
    sms_outbox.sent.clear()

    sweep_as_scheduled(client, "2025-05-24T00:01:00+07:00")  # Saturday
    staff = client.http.get(f"/staff/complaints/{tid}", headers=auth("admin_pusat")).json_body
    assert staff["escalation"] == "intervention"

    run_outbox_job(client, at=at("2025-05-24T10:00:00+07:00"))
    run_outbox_job(client, at=at("2025-05-26T07:59:00+07:00"))
    assert sms_outbox.sent == []
    run_outbox_job(client, at=at("2025-05-26T08:00:00+07:00"))
    (to_admins,) = sent_to(sms_outbox, REGIONAL_ADMINS)
    (to_agency,) = sent_to(sms_outbox, PUPR_OFFICERS)
    assert tid in to_admins and "30 hari kerja" in to_admins
    assert to_agency == to_admins
    assert sent_to(sms_outbox, CENTRAL_ADMINS) == []


def test_a_takeover_tells_the_central_admins_once_however_often_the_sweep_runs(
    client, clock, sms_outbox
):
    tid = file(client)["tracking_id"]
    sweep_as_scheduled(client, "2025-05-24T00:01:00+07:00")
    sweep_as_scheduled(client, "2025-07-14T09:00:00+07:00")  # Monday after the 60th day
    sweep_as_scheduled(client, "2025-07-14T10:00:00+07:00")

    run_outbox_job(client, at=at("2025-07-14T10:30:00+07:00"))
    run_outbox_job(client, at=at("2025-07-14T11:30:00+07:00"))

    (text,) = sent_to(sms_outbox, CENTRAL_ADMINS)
    assert tid in text and "60 hari kerja" in text and "Belum didisposisikan" in text
