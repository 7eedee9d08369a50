"""The scheduled escalation sweep, invoked as EventBridge invokes it."""

import threading
from datetime import UTC, datetime

from chalicelib import wiring
from chalicelib.jobs.escalation import run_sweep
from tests.integration.conftest import auth, file, follow_up, route

# Filed Thu 27 Mar 2025 09:00 WIB (the `clock` fixture): the 30th working day is
# Fri 23 May 2025 and the 60th is Fri 11 Jul 2025.
LAST_DAY_BEFORE_INTERVENTION = "2025-05-23T23:59:00+07:00"
INTERVENTION_FROM = "2025-05-24T00:00:00+07:00"
LAST_DAY_BEFORE_TAKEOVER = "2025-07-11T23:59:00+07:00"
TAKEOVER_FROM = "2025-07-12T00:00:00+07:00"


def sweep_as_scheduled(client, at: str, name: str = "escalation_sweep_hourly") -> dict:
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    event["time"] = datetime.fromisoformat(at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.lambda_.invoke(name, event)
    return response.payload


def escalation_of(client, tracking_id: str) -> str:
    return client.http.get(f"/complaints/{tracking_id}").json_body["escalation"]


def events_of(client, tracking_id: str) -> list[str]:
    staff = client.http.get(f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat"))
    return [e["type"] for e in staff.json_body["events"]]


def test_nothing_is_flagged_on_the_30th_working_day_itself(client, clock):
    tid = file(client)["tracking_id"]

    summary = sweep_as_scheduled(client, LAST_DAY_BEFORE_INTERVENTION)

    assert summary["flagged_intervention"] == 0
    assert escalation_of(client, tid) == "none"


def test_intervention_is_flagged_from_midnight_after_the_30th_working_day(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")

    summary = sweep_as_scheduled(client, INTERVENTION_FROM, name="escalation_sweep_midnight")

    assert summary["flagged_intervention"] == 1
    assert escalation_of(client, tid) == "intervention"


def test_an_escalation_due_on_a_saturday_is_flagged_on_the_saturday(client, clock):
    tid = file(client)["tracking_id"]

    sweep_as_scheduled(client, "2025-05-24T10:00:00+07:00")  # Saturday

    assert escalation_of(client, tid) == "intervention"


def test_takeover_is_flagged_after_60_working_days(client, clock):
    tid = file(client)["tracking_id"]
    sweep_as_scheduled(client, INTERVENTION_FROM)

    before = sweep_as_scheduled(client, LAST_DAY_BEFORE_TAKEOVER)
    after = sweep_as_scheduled(client, TAKEOVER_FROM)

    assert before["flagged_takeover"] == 0
    assert after["flagged_takeover"] == 1
    assert escalation_of(client, tid) == "takeover"


def test_a_complaint_nobody_verified_for_45_working_days_still_escalates(client, clock):
    tid = file(client)["tracking_id"]  # never routed

    sweep_as_scheduled(client, "2025-06-20T08:00:00+07:00")

    assert escalation_of(client, tid) == "intervention"


def test_a_case_first_swept_after_60_working_days_goes_straight_to_takeover(client, clock):
    tid = file(client)["tracking_id"]

    summary = sweep_as_scheduled(client, TAKEOVER_FROM)

    assert summary["flagged_takeover"] == 1 and summary["flagged_intervention"] == 0
    assert escalation_of(client, tid) == "takeover"


def test_a_followed_up_case_never_escalates(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    follow_up(client, tid)

    summary = sweep_as_scheduled(client, TAKEOVER_FROM)

    assert summary["cases_read"] == 0
    assert escalation_of(client, tid) == "none"


def test_a_transfer_between_agencies_does_not_restart_the_clock(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    clock.set("2025-05-20T02:00:00Z")
    route(client, tid, "PERKIM")

    sweep_as_scheduled(client, INTERVENTION_FROM)

    assert escalation_of(client, tid) == "intervention"


def test_a_sweep_run_twice_flags_a_case_once(client, clock):
    tid = file(client)["tracking_id"]

    first = sweep_as_scheduled(client, INTERVENTION_FROM)
    second = sweep_as_scheduled(client, INTERVENTION_FROM)

    assert first["flagged_intervention"] == 1
    assert second["flagged_intervention"] == 0 and second["cases_read"] == 0
    assert events_of(client, tid).count("escalated") == 1


def test_two_sweeps_at_once_flag_each_case_once(client, clock, atomic_requests):
    tids = [file(client)["tracking_id"] for _ in range(5)]
    at = datetime.fromisoformat(INTERVENTION_FROM).astimezone(UTC)
    summaries, barrier = [], threading.Barrier(2)

    def sweep():
        barrier.wait()
        summaries.append(run_sweep(at))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(s.flagged_intervention for s in summaries) == 5
    for tid in tids:
        assert events_of(client, tid).count("escalated") == 1
        trail = client.http.get(f"/staff/complaints/{tid}/events", headers=auth("admin_pusat"))
        assert trail.json_body["chain"]["verified"] is True


def test_the_regional_admin_holds_an_intervention_case_and_may_follow_it_up(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    sweep_as_scheduled(client, INTERVENTION_FROM)
    daerah = auth("admin_daerah", region="tanggamus")

    queue = client.http.get("/staff/queues/intervention", headers=daerah).json_body
    response = follow_up(client, tid, as_=daerah)

    assert [i["tracking_id"] for i in queue["items"]] == [tid]
    assert response.status_code == 200


def test_after_takeover_only_the_central_admin_may_follow_up(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    sweep_as_scheduled(client, TAKEOVER_FROM)

    by_agency = follow_up(client, tid)
    takeover = client.http.get("/staff/queues/takeover", headers=auth("admin_pusat")).json_body
    by_pusat = follow_up(client, tid, as_=auth("admin_pusat"))

    assert by_agency.status_code == 403
    assert [i["tracking_id"] for i in takeover["items"]] == [tid]
    assert by_pusat.status_code == 200


def test_the_sweep_reads_only_due_cases(client, clock):
    file(client)  # due at the sweep below
    clock.set("2025-05-20T02:00:00Z")
    for _ in range(3):
        file(client)  # recent: not due

    summary = sweep_as_scheduled(client, INTERVENTION_FROM)

    assert summary["cases_read"] == 1 and summary["flagged_intervention"] == 1


def test_deadlines_shown_follow_the_calendar_in_force_when_read(client, clock, monkeypatch):
    from chalicelib.domain.calendar import HolidayYear, WorkingCalendar
    from chalicelib.services.holiday_sources import default_source

    clock.set("2024-11-01T02:00:00Z")
    tid = file(client)["tracking_id"]
    official = default_source()

    class Before22Nov:  # the list as it stood before 27 Nov 2024 was declared a holiday
        def year(self, year):
            got = official.year(year)
            days = {d: h for d, h in got.holidays.items() if d.isoformat() != "2024-11-27"}
            return HolidayYear(days, got.provisional)

    monkeypatch.setattr(wiring, "calendar_for", lambda region: WorkingCalendar(Before22Nov()))
    before = client.http.get(f"/complaints/{tid}").json_body["deadlines"]["follow_up_due"]
    monkeypatch.undo()
    after = client.http.get(f"/complaints/{tid}").json_body["deadlines"]["follow_up_due"]

    assert (before, after) == ("2024-12-13", "2024-12-16")
