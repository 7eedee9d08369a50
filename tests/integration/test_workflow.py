"""The life of a complaint after filing: verification, transfers, the reporter's
reply, duplicates and the automatic closures, through HTTP and the schedules."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.conftest import (
    auth,
    deliver_sms,
    file,
    follow_up,
    post_json,
    route,
    run_outbox_job,
)

# Filed Thu 27 Mar 2025 09:00 WIB (the `clock` fixture): the 30th working day is
# Fri 23 May 2025.
INTERVENTION_FROM = "2025-05-24T00:00:00+07:00"


def admin() -> dict:
    return auth("admin_pusat")


def pupr() -> dict:
    return auth("agency", agency="PUPR")


def act(client, tid: str, action: str, body: dict, as_: dict | None = None):
    return post_json(client, f"/staff/complaints/{tid}/{action}", body, as_ or admin())


def staff_view(client, tid: str, as_: dict | None = None) -> dict:
    response = client.http.get(f"/staff/complaints/{tid}", headers=as_ or admin())
    assert response.status_code == 200, response.body
    return response.json_body


def event_types(client, tid: str) -> list[str]:
    return [e["type"] for e in staff_view(client, tid)["events"]]


def reply(client, filed: dict, kind: str, text: str | None = None):
    body = {"kind": kind} | ({"text": text} if text else {})
    return post_json(
        client,
        f"/complaints/{filed['tracking_id']}/replies",
        body,
        {"X-Access-Code": filed["access_code"]},
    )


def scheduled(client, name: str, at: str) -> dict:
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    event["time"] = datetime.fromisoformat(at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return client.lambda_.invoke(name, event).payload


def queue(client, name: str, as_: dict | None = None, query: str = "") -> list[str]:
    response = client.http.get(f"/staff/queues/{name}{query}", headers=as_ or admin())
    assert response.status_code == 200, response.body
    return [item["tracking_id"] for item in response.json_body["items"]]


def resolved(client, clock, at: str = "2025-04-10T03:00:00Z") -> dict:
    """Filed, routed to PUPR, followed up and resolved on Thu 10 Apr 2025."""
    filed = file(client)
    tid = filed["tracking_id"]
    assert route(client, tid, "PUPR").status_code == 200
    assert follow_up(client, tid).status_code == 200
    clock.set(at)
    done = act(client, tid, "resolve", {"outcome": "Jalan sudah ditambal"}, pupr())
    assert done.status_code == 200, done.body
    return filed


# --- verification ------------------------------------------------------------------


def test_the_central_admin_accepts_a_complaint_and_it_waits_for_routing(client):
    tid = file(client)["tracking_id"]

    accepted = act(client, tid, "accept", {})

    assert accepted.json_body["status"] == "verified"
    assert tid in queue(client, "triage")


def test_a_complaint_sent_back_for_information_waits_for_the_reporter(client):
    tid = file(client)["tracking_id"]

    sent_back = act(client, tid, "request-info", {"missing": "Foto dan alamat lengkap"})

    assert sent_back.json_body["status"] == "needs_info"
    assert tid not in queue(client, "triage")
    assert tid in queue(client, "awaiting-info")


def test_the_missing_information_restarts_the_clock_when_it_arrives(client, clock):
    filed = file(client)
    tid = filed["tracking_id"]
    act(client, tid, "request-info", {"missing": "Alamat lengkap"})
    clock.set("2025-04-14T02:00:00Z")  # Mon 14 Apr 2025, 09:00 WIB

    answered = reply(client, filed, "information", "Jl. Raya Way Gelang no. 12")

    view = answered.json_body
    assert view["status"] == "received"
    assert view["deadlines"]["clock_started_on"] == "2025-04-14"
    assert tid in queue(client, "triage")


def test_a_complaint_whose_information_never_comes_is_withdrawn_after_30_days(client, clock):
    tid = file(client)["tracking_id"]
    act(client, tid, "request-info", {"missing": "Alamat lengkap"})  # Thu 27 Mar 2025

    on_the_30th_day = scheduled(client, "closure_sweep_hourly", "2025-04-26T23:00:00+07:00")
    after = scheduled(client, "closure_sweep_hourly", "2025-04-27T00:30:00+07:00")

    assert on_the_30th_day["withdrawn"] == 0
    assert after["withdrawn"] == 1
    view = staff_view(client, tid)
    assert (view["status"], view["closure"]) == ("closed", "withdrawn")


def test_a_complaint_sent_back_does_not_escalate_while_it_waits(client, clock):
    tid = file(client)["tracking_id"]
    act(client, tid, "request-info", {"missing": "Alamat lengkap"})

    scheduled(client, "escalation_sweep_hourly", INTERVENTION_FROM)

    assert staff_view(client, tid)["escalation"] == "none"


def test_rejecting_a_complaint_needs_a_reason(client):
    tid = file(client)["tracking_id"]

    response = act(client, tid, "reject", {})

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "reason"


def test_a_rejected_complaint_is_closed_as_rejected_with_its_reason(client):
    tid = file(client)["tracking_id"]

    act(client, tid, "reject", {"reason": "Bukan pengaduan pelayanan publik"})

    view = staff_view(client, tid)
    assert (view["status"], view["closure"]) == ("closed", "rejected")
    assert view["events"][-1]["data"]["reason"] == "Bukan pengaduan pelayanan publik"


def test_spam_is_quarantined_kept_and_reviewable_and_reaches_no_agency(client):
    spam = file(client, title="Pinjaman cepat cair", description="Pinjol tanpa agunan, WA 0812")
    tid = spam["tracking_id"]

    quarantined = act(client, tid, "quarantine", {"reason": "Iklan pinjol"})

    assert quarantined.json_body["status"] == "quarantined"
    assert tid in queue(client, "quarantine")
    assert tid not in queue(client, "triage")
    assert route(client, tid, "PUPR").status_code == 409
    assert client.http.get(f"/staff/complaints/{tid}", headers=pupr()).status_code == 404
    assert event_types(client, tid) == ["received", "quarantined"]


def test_a_quarantined_complaint_released_by_a_reviewer_goes_back_to_triage(client):
    tid = file(client)["tracking_id"]
    act(client, tid, "quarantine", {"reason": "Tampak seperti iklan"})

    released = act(client, tid, "release", {"reason": "Ternyata aduan sungguhan"})

    assert released.json_body["status"] == "received"
    assert tid in queue(client, "triage")


def test_only_the_central_admin_verifies(client):
    tid = file(client)["tracking_id"]

    response = act(client, tid, "accept", {}, auth("admin_daerah", region="tanggamus"))

    assert response.status_code == 403


# --- routing and transfers ---------------------------------------------------------


def test_an_agency_that_is_not_competent_sends_the_case_back_with_a_reason(client):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")

    declined = act(client, tid, "decline", {"reason": "Kewenangan Dinas Perhubungan"}, pupr())

    assert declined.status_code == 200, declined.body
    assert tid in queue(client, "triage")
    view = staff_view(client, tid)
    assert (view["status"], view["agency"], view["declined_by"]) == ("verified", None, ["PUPR"])


def test_after_a_decline_the_case_routed_elsewhere_stays_open_with_its_clock(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    act(client, tid, "decline", {"reason": "Bukan kewenangan kami"}, pupr())
    clock.set("2025-04-02T02:00:00Z")

    rerouted = route(client, tid, "DISHUB")

    assert rerouted.json_body["status"] == "routed"
    assert rerouted.json_body["deadlines"]["clock_started_on"] == "2025-03-27"
    assert tid in queue(client, "agency", auth("agency", agency="DISHUB"))
    assert client.http.get(f"/staff/complaints/{tid}", headers=pupr()).status_code == 404


def test_the_case_declined_and_rerouted_still_escalates_from_receipt(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    act(client, tid, "decline", {"reason": "Bukan kewenangan kami"}, pupr())
    route(client, tid, "DISHUB")

    scheduled(client, "escalation_sweep_hourly", INTERVENTION_FROM)

    assert staff_view(client, tid)["escalation"] == "intervention"


def test_the_new_agency_is_told_through_its_queue_and_the_reporter_by_sms(
    client, clock, sms_outbox
):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    act(client, tid, "decline", {"reason": "Bukan kewenangan kami"}, pupr())

    route(client, tid, "DISHUB")

    run_outbox_job(client)
    texts = [text for _, text in sms_outbox.sent]
    assert any("Dinas Perhubungan" in text for text in texts)


def test_a_regional_admin_adds_a_note_on_an_intervention_case(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    scheduled(client, "escalation_sweep_hourly", INTERVENTION_FROM)
    daerah = auth("admin_daerah", region="tanggamus")

    noted = act(client, tid, "notes", {"text": "Sudah ditelepon Kadis PUPR"}, daerah)

    assert noted.status_code == 200
    assert event_types(client, tid)[-1] == "note"


def test_a_regional_admin_routes_an_intervention_case_to_another_agency(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    scheduled(client, "escalation_sweep_hourly", INTERVENTION_FROM)
    daerah = auth("admin_daerah", region="tanggamus")

    moved = route(client, tid, "DISHUB", as_=daerah)

    assert (moved.status_code, moved.json_body["agency"]["code"]) == (200, "DISHUB")
    assert moved.json_body["escalation"] == "intervention"


# --- concurrency and late updates ----------------------------------------------------


def test_a_change_based_on_a_stale_version_is_refused_with_the_current_version(client):
    tid = file(client)["tracking_id"]
    read = staff_view(client, tid)["version"]
    route(client, tid, "PUPR")  # someone else changes it first

    stale = act(client, tid, "route", {"agency": "DISHUB", "version": read})

    assert stale.status_code == 409
    assert stale.json_body["error"]["code"] == "stale_version"
    assert stale.json_body["error"]["current_version"] == read + 1
    assert staff_view(client, tid)["agency"]["code"] == "PUPR"


def test_a_change_naming_the_version_it_read_goes_through(client):
    tid = file(client)["tracking_id"]
    read = staff_view(client, tid)["version"]

    response = act(client, tid, "route", {"agency": "PUPR", "version": read})

    assert response.status_code == 200


def test_an_agency_update_that_arrives_after_a_newer_one_does_not_overwrite_it(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    clock.set("2025-04-01T03:00:00Z")
    follow_up(client, tid)
    clock.set("2025-04-03T03:00:00Z")
    act(client, tid, "resolve", {"outcome": "Sudah ditambal"}, pupr())
    clock.set("2025-04-04T03:00:00Z")

    late = act(
        client,
        tid,
        "follow-ups",
        {"text": "Survei lokasi", "occurred_at": "2025-04-02T10:00:00+07:00"},
        pupr(),
    )

    assert late.status_code == 409
    assert late.json_body["error"]["code"] == "superseded_update"
    view = staff_view(client, tid)
    assert view["status"] == "resolved"
    assert view["events"][-1]["type"] == "late_update"
    assert view["events"][-1]["data"]["text"] == "Survei lokasi"


# --- the reporter's reply ------------------------------------------------------------


def test_the_reporter_confirms_and_the_complaint_closes_as_resolved(client, clock):
    filed = resolved(client, clock)

    confirmed = reply(client, filed, "confirm")

    assert confirmed.status_code == 200, confirmed.body
    assert (confirmed.json_body["status"], confirmed.json_body["closure"]) == (
        "closed",
        "resolved",
    )


def test_a_disputed_resolution_reopens_to_the_same_agency_with_a_new_clock(client, clock):
    filed = resolved(client, clock)
    clock.set("2025-04-14T02:00:00Z")

    disputed = reply(client, filed, "dispute", "Lubangnya masih ada")

    view = disputed.json_body
    assert (view["status"], view["agency"]["code"]) == ("routed", "PUPR")
    assert view["deadlines"]["clock_started_on"] == "2025-04-14"
    assert view["deadlines"]["clock_stopped_at"] is None
    assert filed["tracking_id"] in queue(client, "agency", pupr())


def test_a_dispute_needs_the_reporters_reason(client, clock):
    filed = resolved(client, clock)

    response = reply(client, filed, "dispute")

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "text"


def test_a_reply_without_the_access_code_is_as_if_the_complaint_did_not_exist(client, clock):
    filed = resolved(client, clock)

    response = reply(client, filed | {"access_code": "WRONG-CODE-1234"}, "confirm")

    assert response.status_code == 404
    assert staff_view(client, filed["tracking_id"])["status"] == "resolved"


def test_the_reporter_adds_information_without_changing_the_state(client, clock):
    filed = resolved(client, clock)

    added = reply(client, filed, "information", "Ini fotonya")

    assert added.json_body["status"] == "resolved"
    assert added.json_body["history"][-1]["type"] == "reporter_information"


def test_a_resolution_nobody_answers_closes_without_reply_after_10_working_days(client, clock):
    # Resolved Thu 10 Apr 2025; Good Friday (18 Apr) is skipped: the 10th working day
    # is Fri 25 Apr.
    filed = resolved(client, clock)

    on_the_last_day = scheduled(client, "closure_sweep_hourly", "2025-04-25T23:30:00+07:00")
    after = scheduled(client, "closure_sweep_midnight", "2025-04-26T00:01:00+07:00")

    assert on_the_last_day["closed_without_reply"] == 0
    assert after["closed_without_reply"] == 1
    view = staff_view(client, filed["tracking_id"])
    assert (view["status"], view["closure"]) == ("closed", "closed_without_reply")


def test_a_closure_sweep_run_twice_closes_once(client, clock):
    filed = resolved(client, clock)

    first = scheduled(client, "closure_sweep_hourly", "2025-04-29T08:00:00+07:00")
    second = scheduled(client, "closure_sweep_hourly", "2025-04-29T09:00:00+07:00")

    assert (first["closed_without_reply"], second["closed_without_reply"]) == (1, 0)
    assert event_types(client, filed["tracking_id"]).count("closed") == 1


def test_the_closure_sweep_reads_only_the_waits_that_ran_out(client, clock):
    resolved(client, clock)  # resolved 10 Apr: due
    resolved(client, clock, at="2025-04-25T03:00:00Z")  # resolved 25 Apr: not yet
    file(client)  # still open: no wait at all

    summary = scheduled(client, "closure_sweep_hourly", "2025-04-29T08:00:00+07:00")

    assert (summary["cases_read"], summary["closed_without_reply"]) == (1, 1)


def test_a_reply_after_the_window_is_refused_even_before_the_sweep(client, clock):
    filed = resolved(client, clock)
    clock.set("2025-04-29T02:00:00Z")

    late = reply(client, filed, "dispute", "Masih rusak")

    assert late.status_code == 409


def test_the_awaiting_reply_queue_holds_resolved_complaints(client, clock):
    filed = resolved(client, clock)

    assert filed["tracking_id"] in queue(client, "awaiting-reply")


def test_the_reporter_rates_a_resolved_complaint_once(client, clock):
    filed = resolved(client, clock)
    path = f"/complaints/{filed['tracking_id']}/rating"
    code = {"X-Access-Code": filed["access_code"]}

    first = post_json(client, path, {"rating": 4, "comment": "Cepat"}, code)
    second = post_json(client, path, {"rating": 1}, code)

    assert (first.status_code, first.json_body["rating"]) == (200, 4)
    assert second.status_code == 409


def test_a_rating_outside_one_to_four_names_the_field(client, clock):
    filed = resolved(client, clock)

    response = post_json(
        client,
        f"/complaints/{filed['tracking_id']}/rating",
        {"rating": 5},
        {"X-Access-Code": filed["access_code"]},
    )

    assert (response.status_code, response.json_body["error"]["field"]) == (400, "rating")


def test_an_open_complaint_cannot_be_rated(client):
    filed = file(client)

    response = post_json(
        client,
        f"/complaints/{filed['tracking_id']}/rating",
        {"rating": 3},
        {"X-Access-Code": filed["access_code"]},
    )

    assert response.status_code == 409


# --- duplicates ----------------------------------------------------------------------


def test_duplicates_of_one_road_follow_their_master_and_never_escalate(client, clock):
    master = file(client)["tracking_id"]
    duplicates = []
    for day in range(12):  # 12 citizens over three days
        clock.set(f"2025-03-{27 + day // 4}T0{day % 4 + 2}:00:00Z")
        duplicates.append(file(client, name=f"Warga {day + 1}")["tracking_id"])
    for tid in duplicates:
        assert act(client, tid, "duplicate", {"master": master}).status_code == 200
    route(client, master, "PUPR")

    summary = scheduled(client, "escalation_sweep_hourly", INTERVENTION_FROM)

    assert summary["flagged_intervention"] == 1
    for tid in duplicates:
        public = client.http.get(f"/complaints/{tid}").json_body
        assert public["escalation"] == "none"
        assert public["duplicate_of"] == master
        assert public["follows"]["status"] == "routed"
        assert public["follows"]["escalation"] == "intervention"


def test_the_reporters_of_duplicates_hear_of_the_masters_follow_up(client, clock, sms_outbox):
    master = file(client)["tracking_id"]
    duplicate = file(client, name="Warga Lain", phone="0813-1111-2222")["tracking_id"]
    act(client, duplicate, "duplicate", {"master": master})
    route(client, master, "PUPR")

    follow_up(client, master, text="Penambalan dijadwalkan")

    run_outbox_job(client)
    to_duplicate = [text for to, text in sms_outbox.sent if to == "+6281311112222"]
    assert any(duplicate in text and "ditindaklanjuti" in text for text in to_duplicate)


def test_a_duplicate_of_a_duplicate_is_refused_naming_the_master(client):
    master = file(client)["tracking_id"]
    first = file(client)["tracking_id"]
    second = file(client)["tracking_id"]
    act(client, first, "duplicate", {"master": master})

    response = act(client, second, "duplicate", {"master": first})

    assert (response.status_code, response.json_body["error"]["field"]) == (400, "master")


def test_an_agency_cannot_mark_duplicates(client):
    master = file(client)["tracking_id"]
    other = file(client)["tracking_id"]
    route(client, master, "PUPR")
    route(client, other, "PUPR")

    response = act(client, other, "duplicate", {"master": master}, pupr())

    assert response.status_code == 403


# --- the reporter's reply by SMS -----------------------------------------------------


def test_the_reporter_confirms_a_resolution_by_sms(client, clock, sms_outbox):
    filed = resolved(client, clock)
    tid = filed["tracking_id"]

    deliver_sms(client, "form", f"{tid} SETUJU, terima kasih", message_id="reply-1")

    view = staff_view(client, tid)
    assert (view["status"], view["closure"]) == ("closed", "resolved")


def test_the_reporter_disputes_a_resolution_by_sms_and_it_reopens(client, clock, sms_outbox):
    filed = resolved(client, clock)
    tid = filed["tracking_id"]

    deliver_sms(client, "json", f"{tid} SANGGAH lubangnya masih ada", message_id="reply-2")

    assert staff_view(client, tid)["status"] == "routed"


def test_missing_information_sent_by_sms_restarts_the_clock(client, clock, sms_outbox):
    tid = file(client)["tracking_id"]
    act(client, tid, "request-info", {"missing": "Alamat lengkap"})
    clock.set("2025-04-14T02:00:00Z")

    deliver_sms(client, "sns", f"{tid} alamatnya Jl. Raya Way Gelang 12", message_id="reply-3")

    view = staff_view(client, tid)
    assert (view["status"], view["deadlines"]["clock_started_on"]) == ("received", "2025-04-14")
