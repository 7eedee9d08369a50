"""Each function's IAM grants (`infra/access.py`) equal the DynamoDB calls its code
makes: every call of the API's flows and of a sweep that flags cases is recorded
against moto and compared with the grants, so a missing permission fails here
rather than as AccessDenied in AWS, and a permission nobody uses is noticed."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest.mock import patch

from botocore.client import BaseClient

from chalicelib import wiring
from chalicelib.jobs.closure import run_closure_sweep
from chalicelib.jobs.escalation import run_sweep
from infra.access import (
    API_FUNCTION,
    CLOSURE_SWEEP,
    FUNCTION_ACCESS,
    HOURLY_SWEEP,
    INBOUND_SMS,
    OUTBOX_WORKER,
    granted,
)
from tests.integration.conftest import (
    auth,
    complaint_body,
    deliver_sms,
    file,
    follow_up,
    post_json,
    route,
    run_outbox_job,
)
from tests.integration.open311_client import get, issue_api_key, mobile_form, post_form

# A single-item action per transaction item: how IAM authorises a transaction.
TRANSACTION_ITEM_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}

Call = tuple[str, str, str | None]


def calls_of(operation: str, params: dict) -> list[Call]:
    """(action, table suffix, index) for one DynamoDB request."""
    if operation in ("TransactWriteItems", "TransactGetItems"):
        return [
            (TRANSACTION_ITEM_ACTIONS[kind], table_suffix(body["TableName"]), None)
            for item in params["TransactItems"]
            for kind, body in item.items()
        ]
    if "RequestItems" in params:
        return [(operation, table_suffix(name), None) for name in params["RequestItems"]]
    return [(operation, table_suffix(params["TableName"]), params.get("IndexName"))]


def table_suffix(name: str) -> str:
    prefix = wiring.settings().table_prefix + "-"
    assert name.startswith(prefix), name
    return name.removeprefix(prefix)


@contextmanager
def recorded_calls() -> Iterator[set[Call]]:
    calls: set[Call] = set()
    make_api_call = BaseClient._make_api_call

    def record(client, operation, params):
        if client.meta.service_model.service_name == "dynamodb":
            calls.update(calls_of(operation, params))
        return make_api_call(client, operation, params)

    with patch.object(BaseClient, "_make_api_call", record):
        yield calls


def ok(response):
    assert response.status_code < 300, response.body
    return response


def exercise_the_api(client) -> None:
    """Every route, the way reporters and staff use them; each step must succeed, so
    no call is missed because a step was refused."""
    retry_key = {"Idempotency-Key": "permissions-1"}
    filed = ok(post_json(client, "/complaints", complaint_body(), retry_key)).json_body
    ok(post_json(client, "/complaints", complaint_body(), retry_key))  # replayed
    tid, code = filed["tracking_id"], filed["access_code"]
    ok(client.http.get("/"))
    ok(client.http.get(f"/complaints/{tid}"))
    ok(client.http.get(f"/complaints/{tid}", headers={"X-Access-Code": code}))
    ok(client.http.get("/regions/tanggamus/agencies"))
    admin, pupr = auth("admin_pusat"), auth("agency", agency="PUPR")
    queues = ("triage", "intervention", "takeover", "awaiting-reply", "awaiting-info", "quarantine")
    for queue in queues:
        ok(client.http.get(f"/staff/queues/{queue}?region=tanggamus", headers=admin))
    ok(post_json(client, f"/staff/complaints/{tid}/accept", {}, admin))
    ok(route(client, tid, "PUPR"))
    ok(client.http.get("/staff/queues/agency", headers=pupr))
    ok(post_json(client, f"/staff/complaints/{tid}/notes", {"text": "Dicek"}, admin))
    ok(follow_up(client, tid))
    ok(post_json(client, f"/staff/complaints/{tid}/resolve", {"outcome": "Sudah ditambal"}, pupr))
    ok(
        post_json(
            client, f"/complaints/{tid}/replies", {"kind": "confirm"}, {"X-Access-Code": code}
        )
    )
    ok(post_json(client, f"/complaints/{tid}/rating", {"rating": 4}, {"X-Access-Code": code}))
    ok(client.http.get(f"/staff/complaints/{tid}", headers=admin))
    exercise_verification(client, admin, pupr)
    exercise_open311(client)
    exercise_channels(client, tid)


def exercise_verification(client, admin: dict, pupr: dict) -> None:
    """Sent back and answered, quarantined and released, rejected, declined by the
    agency and routed elsewhere, resolved then disputed, marked as a duplicate."""
    asked = file(client)
    tid, code = asked["tracking_id"], {"X-Access-Code": asked["access_code"]}
    ok(post_json(client, f"/staff/complaints/{tid}/request-info", {"missing": "Alamat"}, admin))
    ok(
        post_json(
            client, f"/complaints/{tid}/replies", {"kind": "information", "text": "Jl. 1"}, code
        )
    )
    ok(post_json(client, f"/staff/complaints/{tid}/quarantine", {"reason": "Iklan"}, admin))
    ok(post_json(client, f"/staff/complaints/{tid}/release", {"reason": "Asli"}, admin))
    ok(post_json(client, f"/staff/complaints/{tid}/reject", {"reason": "Bukan aduan"}, admin))
    master = file(client)
    mid, code = master["tracking_id"], {"X-Access-Code": master["access_code"]}
    ok(route(client, mid, "PUPR"))
    ok(post_json(client, f"/staff/complaints/{mid}/decline", {"reason": "Bukan kami"}, pupr))
    ok(route(client, mid, "PUPR"))
    ok(follow_up(client, mid))
    duplicate = file(client)["tracking_id"]
    ok(post_json(client, f"/staff/complaints/{duplicate}/duplicate", {"master": mid}, admin))
    ok(post_json(client, f"/staff/complaints/{mid}/resolve", {"outcome": "Ditambal"}, pupr))
    ok(post_json(client, f"/complaints/{mid}/replies", {"kind": "dispute", "text": "Belum"}, code))
    ok(client.http.get(f"/complaints/{duplicate}"))


def exercise_channels(client, tid: str) -> None:
    """SMS through the gateway route (a new complaint, a repeat, a reply, a status
    query, an empty text), tweets (a new one and a retweet), and the admin's list."""
    for n, entry in enumerate(("form", "json")):
        sender = f"08123456789{n}"
        text = f"TANGGAMUS lampu jalan mati {entry}"
        new = deliver_sms(client, entry, text, sender=sender, message_id=f"gw-{entry}-1")
        assert new["outcome"] == "filed", new
        deliver_sms(client, entry, text, sender=sender, message_id=f"gw-{entry}-2")  # resent
        reply = f"{new['tracking_id']} sudah tiga hari"
        deliver_sms(client, entry, reply, sender=sender, message_id=f"gw-{entry}-3")
        deliver_sms(client, entry, f"CEK {tid}", sender=sender, message_id=f"gw-{entry}-4")
        deliver_sms(client, entry, "", sender=sender, message_id=f"gw-{entry}-5")
    exercise_twitter(client)
    ok(client.http.get("/staff/inbound?outcome=filed", headers=auth("admin_pusat")))


def exercise_twitter(client) -> None:
    from tests.integration.test_twitter import AUTHOR, post_tweet, retweet_of, tweet

    (first,) = post_tweet(client, tweet("1800000000000000001", "#lapor1708 jalan rusak", AUTHOR))
    (support,) = post_tweet(client, retweet_of("1800000000000000001"))
    assert (first["outcome"], support["outcome"]) == ("filed", "support"), (first, support)

    exercise_the_calendar(client)


def exercise_the_calendar(client) -> None:
    daerah = auth("admin_daerah")
    ok(post_json(client, "/staff/calendar/changes", regional_holiday(), daerah))
    ok(client.http.get("/staff/calendar/changes?scope=tanggamus&year=2025", headers=daerah))
    ok(client.http.get("/regions/tanggamus/calendar?year=2025"))


def regional_holiday() -> dict:
    return {
        "date": "2025-03-21",
        "change": "add",
        "scope": "tanggamus",
        "name": "Hari Jadi Kabupaten Tanggamus",
        "reason": "Perbup tentang hari libur daerah",
    }


def exercise_open311(client) -> None:
    key = issue_api_key(client)
    ok(client.http.get("/staff/api-keys", headers=auth("admin_pusat")))
    posted = ok(post_form(client, mobile_form(key))).json_body[0]["service_request_id"]
    for path in ("discovery", "services", "services/jalan", "requests"):
        ok(get(client, path, "json"))
    ok(get(client, f"requests/{posted}", "json"))
    ok(get(client, f"tokens/{posted}", "json"))


def test_the_api_uses_exactly_the_dynamodb_access_it_is_granted(client, clock):
    with recorded_calls() as calls:
        exercise_the_api(client)

    assert calls == granted(FUNCTION_ACCESS[API_FUNCTION])


def test_the_sweep_uses_exactly_the_dynamodb_access_it_is_granted(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    ok(post_json(client, "/staff/calendar/changes", regional_holiday(), auth("admin_pusat")))

    with recorded_calls() as calls:
        summary = run_sweep(datetime(2025, 7, 12, 0, 0, tzinfo=UTC))

    assert summary.flagged_intervention + summary.flagged_takeover == 1
    assert calls == granted(FUNCTION_ACCESS[HOURLY_SWEEP])


def test_both_sweeps_are_granted_the_same_access():
    assert FUNCTION_ACCESS["escalation_sweep_midnight"] == FUNCTION_ACCESS[HOURLY_SWEEP]


def test_the_closure_sweep_uses_exactly_the_dynamodb_access_it_is_granted(client, clock):
    admin, pupr = auth("admin_pusat"), auth("agency", agency="PUPR")
    master = file(client)["tracking_id"]
    duplicate = file(client)["tracking_id"]
    ok(post_json(client, f"/staff/complaints/{duplicate}/duplicate", {"master": master}, admin))
    ok(route(client, master, "PUPR"))
    ok(follow_up(client, master))
    ok(post_json(client, f"/staff/complaints/{master}/resolve", {"outcome": "Ditambal"}, pupr))
    ok(post_json(client, "/staff/calendar/changes", regional_holiday(), admin))

    with recorded_calls() as calls:
        summary = run_closure_sweep(datetime(2025, 5, 1, 0, 0, tzinfo=UTC))

    assert summary.closed_without_reply == 1
    assert calls == granted(FUNCTION_ACCESS[CLOSURE_SWEEP])


def test_both_closure_sweeps_are_granted_the_same_access():
    assert FUNCTION_ACCESS["closure_sweep_midnight"] == FUNCTION_ACCESS[CLOSURE_SWEEP]


def test_the_sns_handler_uses_exactly_the_dynamodb_access_it_is_granted(client, clock):
    tid = file(client)["tracking_id"]
    resolved = file(client)["tracking_id"]  # its reporter confirms the resolution by SMS
    ok(route(client, resolved, "PUPR"))
    ok(follow_up(client, resolved))
    pupr = auth("agency", agency="PUPR")
    ok(post_json(client, f"/staff/complaints/{resolved}/resolve", {"outcome": "Ditambal"}, pupr))
    ok(post_json(client, "/staff/calendar/changes", regional_holiday(), auth("admin_pusat")))
    wiring.reset()  # a fresh container: nothing cached from the API's calls
    with recorded_calls() as calls:
        new = deliver_sms(client, "sns", "TANGGAMUS jalan berlubang", message_id="sns-1")
        deliver_sms(client, "sns", "TANGGAMUS jalan berlubang", message_id="sns-1")  # redelivery
        # The gateway resends under a new id, then delivers that resend again.
        deliver_sms(client, "sns", "TANGGAMUS jalan berlubang", message_id="sns-1b")
        deliver_sms(client, "sns", "TANGGAMUS jalan berlubang", message_id="sns-1b")
        deliver_sms(client, "sns", f"{new['tracking_id']} masih rusak", message_id="sns-2")
        deliver_sms(client, "sns", f"CEK {tid}", message_id="sns-3")
        deliver_sms(client, "sns", f"{resolved} SETUJU", message_id="sns-5")
        deliver_sms(client, "sns", "", message_id="sns-4")
        unreadable = client.events.generate_sns_event(message="{not an sms")
        assert client.lambda_.invoke(INBOUND_SMS, unreadable).payload["outcome"] == "unreadable"

    assert new["outcome"] == "filed", new
    assert calls == granted(FUNCTION_ACCESS[INBOUND_SMS])


def test_the_outbox_worker_uses_exactly_the_dynamodb_access_it_is_granted(
    client, clock, sms_outbox
):
    deliver_sms(client, "form", "TANGGAMUS jembatan putus", message_id="out-1")
    deliver_sms(client, "form", "TANGGAMUS pasar becek", sender="081298765432", message_id="out-2")
    sms_outbox.failures = 1  # one send fails and is scheduled again

    with recorded_calls() as calls:
        summary = run_outbox_job(client)

    assert len(sms_outbox.sent) == 1, summary
    assert calls == granted(FUNCTION_ACCESS[OUTBOX_WORKER])
