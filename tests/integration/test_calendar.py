"""Holidays changed at run time through the API: the public calendar, the admin
routes and their rights, and deadlines and sweeps that follow each change."""

import threading
from datetime import UTC, date, datetime
from functools import cache
from unittest.mock import patch

import pytest
from botocore.client import BaseClient

from chalicelib import wiring
from chalicelib.domain.access import Actor, Role
from chalicelib.domain.calendar import ChangeType
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.region import Region
from chalicelib.services.calendars import ChangeRequest, HolidayCalendars
from chalicelib.services.holiday_sources import (
    LibrarySource,
    OfficialListSource,
    official_holidays,
)
from chalicelib.storage.holidays import HolidayChangeRepository
from tests.integration.conftest import auth, file, post_json, route
from tests.integration.test_escalation import sweep_as_scheduled

CHANGES = "/staff/calendar/changes"
ELECTION_DAY = date(2024, 11, 27)  # declared a holiday by Keppres 33/2024 on 22 Nov 2024


def national_holiday(day: str = "2024-11-27", **overrides) -> dict:
    return {
        "date": day,
        "change": "add",
        "scope": "national",
        "kind": "national",
        "name": "Hari Pemungutan Suara Pilkada Serentak 2024",
        "reason": "Keppres 33/2024",
    } | overrides


def regional_holiday(day: str = "2025-05-21", **overrides) -> dict:
    return {
        "date": day,
        "change": "add",
        "scope": "tanggamus",
        "name": "Hari Jadi Kabupaten Tanggamus",
        "reason": "Perbup libur daerah",
    } | overrides


def change(client, body: dict, as_: dict | None = None):
    return post_json(client, CHANGES, body, as_ or auth("admin_pusat"))


def staff_view(client, tracking_id: str) -> dict:
    return client.http.get(
        f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat")
    ).json_body


def calendar(client, year: int, region: str = "tanggamus") -> dict:
    response = client.http.get(f"/regions/{region}/calendar?year={year}")
    assert response.status_code == 200, response.body
    return response.json_body


def days_off(answer: dict) -> dict[str, dict]:
    return {d["date"]: d for d in answer["days_off"]}


def official_list_before_election_day() -> OfficialListSource:
    """The packaged list as it stood before 22 Nov 2024: without the one day the
    Keppres of that date added."""
    return OfficialListSource(
        tuple(h for h in official_holidays() if h.day != ELECTION_DAY), LibrarySource()
    )


@pytest.fixture
def before_22_november(monkeypatch):
    """The service running with the list as it stood before 27 Nov was declared."""
    monkeypatch.setattr(wiring, "holiday_base", cache(official_list_before_election_day))
    wiring.calendars.cache_clear()
    yield
    wiring.calendars.cache_clear()


def file_on_1_november_2024(client, clock) -> str:
    clock.set("2024-11-01T02:00:00Z")  # Fri 1 Nov 2024, 09:00 WIB
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    return tid


# --- the field case: 27 Nov 2024 declared a holiday on 22 Nov ----------------------


def test_the_list_before_22_november_is_the_shipped_list_without_election_day_alone():
    shipped = {h.day for h in official_holidays()}
    before = {h.day for h in official_list_before_election_day().holidays}

    assert ELECTION_DAY in shipped
    assert before == shipped - {ELECTION_DAY}


def test_a_holiday_declared_through_the_api_moves_the_deadline_without_touching_the_case(
    client, clock, before_22_november
):
    tid = file_on_1_november_2024(client, clock)
    before = staff_view(client, tid)
    clock.set("2024-11-22T03:00:00Z")  # Fri 22 Nov 2024, 10:00 WIB

    declared = change(client, national_holiday())
    after = staff_view(client, tid)

    assert declared.status_code == 201, declared.body
    assert before["deadlines"]["follow_up_due"] == "2024-12-13"
    assert after["deadlines"]["follow_up_due"] == "2024-12-16"
    assert after["deadlines"]["follow_up_overdue_from"] == "2024-12-17T00:00:00+07:00"
    assert (after["version"], after["events"]) == (before["version"], before["events"])


def test_the_public_view_of_the_case_shows_the_moved_deadline_too(
    client, clock, before_22_november
):
    tid = file_on_1_november_2024(client, clock)

    change(client, national_holiday())

    public = client.http.get(f"/complaints/{tid}").json_body
    assert public["deadlines"]["follow_up_due"] == "2024-12-16"


def test_without_the_change_the_sweep_flags_the_case_on_saturday_14_december(
    client, clock, before_22_november
):
    tid = file_on_1_november_2024(client, clock)

    summary = sweep_as_scheduled(client, "2024-12-14T00:00:00+07:00")

    assert summary["flagged_intervention"] == 1
    assert staff_view(client, tid)["escalation"] == "intervention"


def test_after_the_change_the_sweep_flags_the_case_only_from_tuesday_17_december(
    client, clock, before_22_november
):
    tid = file_on_1_november_2024(client, clock)
    clock.set("2024-11-22T03:00:00Z")
    change(client, national_holiday())

    on_14 = sweep_as_scheduled(client, "2024-12-14T00:00:00+07:00")
    on_16 = sweep_as_scheduled(client, "2024-12-16T23:59:00+07:00")
    on_17 = sweep_as_scheduled(client, "2024-12-17T00:00:00+07:00")

    assert (on_14["flagged_intervention"], on_16["flagged_intervention"]) == (0, 0)
    assert on_17["flagged_intervention"] == 1
    assert staff_view(client, tid)["escalation"] == "intervention"


def test_with_the_shipped_list_election_day_is_already_official_and_cannot_be_added_again(
    client, clock
):
    tid = file_on_1_november_2024(client, clock)

    refused = change(client, national_holiday())

    assert refused.status_code == 409
    assert refused.json_body["error"]["field"] == "date"
    assert "official" in refused.json_body["error"]["message"]
    assert staff_view(client, tid)["deadlines"]["follow_up_due"] == "2024-12-16"


# --- other changes that move deadlines and sweeps ----------------------------------

# Filed Thu 27 Mar 2025 09:00 WIB (the `clock` fixture): due Fri 23 May 2025.


def test_cancelling_an_official_cuti_bersama_brings_the_sweep_forward_a_day(client, clock):
    tid = file(client)["tracking_id"]
    cancelled = change(
        client,
        {
            "date": "2025-05-13",
            "change": "remove",
            "scope": "national",
            "reason": "SKB perubahan: cuti bersama Waisak dibatalkan",
        },
    )

    summary = sweep_as_scheduled(client, "2025-05-23T08:00:00+07:00")

    assert cancelled.status_code == 201, cancelled.body
    assert summary["flagged_intervention"] == 1
    assert staff_view(client, tid)["deadlines"]["follow_up_due"] == "2025-05-22"


def test_a_regional_day_off_delays_the_sweep_in_that_region(client, clock):
    tid = file(client)["tracking_id"]
    added = change(client, regional_holiday(), auth("admin_daerah"))

    summary = sweep_as_scheduled(client, "2025-05-24T00:00:00+07:00")

    assert added.status_code == 201, added.body
    assert summary["flagged_intervention"] == 0
    assert staff_view(client, tid)["deadlines"]["follow_up_due"] == "2025-05-26"


def test_a_regional_day_off_does_not_move_another_regions_calendar(client, clock):
    tanggamus = wiring.regions().get("tanggamus")
    wiring.regions().repo.put(Region("pringsewu", "Kabupaten Pringsewu", tanggamus.timezone, "PRS"))

    change(client, regional_holiday())

    assert "2025-05-21" in days_off(calendar(client, 2025, "tanggamus"))
    assert "2025-05-21" not in days_off(calendar(client, 2025, "pringsewu"))


# --- the public calendar -----------------------------------------------------------


def test_the_calendar_lists_official_days_with_their_source(client):
    answer = calendar(client, 2025)

    lebaran = days_off(answer)["2025-03-31"]
    assert answer["provisional"] is False
    assert lebaran["source"] == "official"
    assert lebaran["kind"] == "national"
    assert lebaran["details"]["url"].startswith("https://")


def test_the_calendar_shows_who_added_a_day_when_and_why(client, clock):
    clock.set("2025-05-02T03:00:00Z")
    change(client, regional_holiday(), auth("admin_daerah"))

    added = days_off(calendar(client, 2025))["2025-05-21"]

    assert added["source"] == "admin"
    assert added["kind"] == "regional"
    assert added["details"] == {
        "scope": "tanggamus",
        "changed_by": "admin_daerah:tanggamus",
        "role": "admin_daerah",
        "changed_at": "2025-05-02T10:00:00+07:00",
        "reason": "Perbup libur daerah",
    }


def test_the_working_day_count_falls_by_one_for_each_weekday_declared_off(client):
    before = calendar(client, 2025)["working_days"]

    change(client, regional_holiday())

    assert calendar(client, 2025)["working_days"] == before - 1


def test_a_cancelled_official_day_leaves_the_days_off_and_is_listed_as_cancelled(client):
    change(
        client,
        {"date": "2025-05-13", "change": "remove", "scope": "national", "reason": "SKB perubahan"},
    )

    answer = calendar(client, 2025)

    assert "2025-05-13" not in days_off(answer)
    [cancelled] = answer["cancelled"]
    assert (cancelled["date"], cancelled["source"]) == ("2025-05-13", "official")
    assert cancelled["cancelled_by"]["reason"] == "SKB perubahan"


def test_a_year_without_an_official_list_is_provisional_with_library_days(client):
    answer = calendar(client, 2028)

    assert answer["provisional"] is True
    assert days_off(answer)["2028-05-01"]["source"] == "library"


def test_the_calendar_of_an_unknown_region_is_404(client):
    assert client.http.get("/regions/atlantis/calendar?year=2025").status_code == 404


@pytest.mark.parametrize(
    "query", ["", "?year=", "?year=abcd", "?year=25", "?year=1999", "?year=2025-01"]
)
def test_a_missing_or_bad_year_is_a_400_naming_year(client, query):
    response = client.http.get(f"/regions/tanggamus/calendar{query}")

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "year"


# --- who may change the calendar ---------------------------------------------------


def test_a_regional_admin_may_not_change_the_national_calendar(client):
    response = change(client, national_holiday(), auth("admin_daerah"))

    assert response.status_code == 403


def test_a_regional_admin_may_not_change_another_regions_calendar(client):
    response = change(client, regional_holiday(), auth("admin_daerah", region="pringsewu"))

    assert response.status_code == 403


def test_an_agency_officer_may_not_change_the_calendar(client):
    response = change(client, regional_holiday(), auth("agency", agency="PUPR"))

    assert response.status_code == 403


def test_changing_the_calendar_needs_a_token(client):
    response = post_json(client, CHANGES, regional_holiday())

    assert response.status_code == 401


def test_the_central_admin_may_change_a_regions_calendar(client):
    response = change(client, regional_holiday())

    assert response.status_code == 201
    assert response.json_body["scope"] == "tanggamus"


# --- what a change must say --------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2025-02-30"}, "date"),
        ({"date": "21/05/2025"}, "date"),
        ({"date": "20250521"}, "date"),
        ({"date": 20250521}, "date"),
        ({"date": "1999-05-21"}, "date"),
        ({"change": "delete"}, "change"),
        ({"scope": "atlantis"}, "scope"),
        ({"kind": "national"}, "kind"),
        ({"kind": "libur"}, "kind"),
        ({"name": None}, "name"),
        ({"reason": None}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"date": None}, "date"),
        ({"holiday": True}, "holiday"),
    ],
)
def test_a_bad_change_is_a_400_naming_the_field(client, overrides, field):
    body = {k: v for k, v in (regional_holiday() | overrides).items() if v is not None}

    response = change(client, body)

    assert response.status_code == 400, response.body
    assert response.json_body["error"]["field"] == field


def test_adding_a_day_already_added_is_a_409(client):
    change(client, regional_holiday())

    again = change(client, regional_holiday())

    assert again.status_code == 409
    assert again.json_body["error"]["field"] == "date"


def test_removing_a_working_day_is_a_409(client):
    response = change(client, regional_holiday(change="remove"))

    assert response.status_code == 409
    assert response.json_body["error"]["field"] == "date"


def test_a_region_cannot_cancel_a_national_holiday(client):
    response = change(client, regional_holiday("2025-05-12", change="remove"))

    assert response.status_code == 409
    assert response.json_body["error"]["field"] == "scope"


def test_a_removed_regional_day_is_a_working_day_again_and_both_changes_are_kept(client):
    change(client, regional_holiday())
    removed = change(client, regional_holiday(change="remove", reason="Dipindah ke Jumat"))

    listed = client.http.get(
        f"{CHANGES}?scope=tanggamus&year=2025", headers=auth("admin_daerah")
    ).json_body

    assert removed.status_code == 201
    assert "2025-05-21" not in days_off(calendar(client, 2025))
    assert [(c["change"], c["reason"], c["version"]) for c in listed["changes"]] == [
        ("add", "Perbup libur daerah", 1),
        ("remove", "Dipindah ke Jumat", 2),
    ]


def test_a_day_off_may_be_added_on_a_weekend_without_moving_any_deadline(client):
    before = calendar(client, 2025)["working_days"]

    response = change(client, regional_holiday("2025-05-24"))  # a Saturday

    assert response.status_code == 201
    assert days_off(calendar(client, 2025))["2025-05-24"]["weekday"] == "Saturday"
    assert calendar(client, 2025)["working_days"] == before


# --- listing changes ---------------------------------------------------------------


def test_the_changes_list_shows_who_when_and_why(client, clock, before_22_november):
    clock.set("2024-11-22T03:00:00Z")
    change(client, national_holiday())

    listed = client.http.get(f"{CHANGES}?scope=national&year=2024", headers=auth("admin_pusat"))

    assert listed.status_code == 200
    [entry] = listed.json_body["changes"]
    assert entry == {
        "date": "2024-11-27",
        "change": "add",
        "scope": "national",
        "kind": "national",
        "name": "Hari Pemungutan Suara Pilkada Serentak 2024",
        "reason": "Keppres 33/2024",
        "changed_by": "admin_pusat:tanggamus",
        "role": "admin_pusat",
        "changed_at": "2024-11-22T10:00:00+07:00",
        "version": 1,
    }


def test_the_changes_list_is_per_year(client):
    change(client, regional_holiday())

    listed = client.http.get(f"{CHANGES}?scope=tanggamus&year=2024", headers=auth("admin_pusat"))

    assert listed.json_body["changes"] == []


def test_a_regional_admin_lists_their_regions_changes_by_default(client):
    change(client, regional_holiday())

    listed = client.http.get(f"{CHANGES}?year=2025", headers=auth("admin_daerah"))

    assert listed.json_body["scope"] == "tanggamus"
    assert len(listed.json_body["changes"]) == 1


def test_a_regional_admin_may_not_list_another_regions_changes(client):
    listed = client.http.get(
        f"{CHANGES}?scope=tanggamus&year=2025", headers=auth("admin_daerah", region="pringsewu")
    )

    assert listed.status_code == 403


def test_an_agency_officer_may_not_list_changes(client):
    listed = client.http.get(f"{CHANGES}?year=2025", headers=auth("agency", agency="PUPR"))

    assert listed.status_code == 403


def test_listing_changes_needs_the_year(client):
    listed = client.http.get(CHANGES, headers=auth("admin_pusat"))

    assert listed.status_code == 400
    assert listed.json_body["error"]["field"] == "year"


# --- every container follows the calendar in force ---------------------------------

CENTRAL = Actor(subject="pusat-1", role=Role.ADMIN_PUSAT)
WEDNESDAY = date(2025, 10, 15)


def container() -> HolidayCalendars:
    """The calendars as another Lambda container holds them: its own cache."""
    return HolidayCalendars(
        wiring.holiday_base(), HolidayChangeRepository(wiring.calendars().log._connection)
    )


def add_regional(calendars: HolidayCalendars, day: date = WEDNESDAY):
    return calendars.change(
        ChangeRequest("tanggamus", day, ChangeType.ADD, "Perbup", name="Libur daerah"),
        CENTRAL,
        datetime(2025, 10, 1, tzinfo=UTC),
    )


def test_a_change_made_in_one_container_is_in_force_in_another_at_its_next_evaluation(dynamodb):
    one, other = container(), container()
    add_regional(one, date(2025, 10, 14))
    assert other.for_scope("tanggamus").is_working_day(WEDNESDAY)  # warms its cache

    add_regional(one, WEDNESDAY)

    assert not other.for_scope("tanggamus").is_working_day(WEDNESDAY)


def dynamodb_requests(evaluate) -> list[str]:
    made: list[str] = []
    original = BaseClient._make_api_call

    def count(client, operation, params):
        made.append(operation)
        return original(client, operation, params)

    with patch.object(BaseClient, "_make_api_call", count):
        evaluate()
    return made


def test_an_unchanged_calendar_costs_one_small_read_per_evaluation(dynamodb):
    calendars = container()
    add_regional(calendars)
    calendars.for_scope("tanggamus").is_working_day(WEDNESDAY)

    made = dynamodb_requests(lambda: calendars.for_scope("tanggamus").is_working_day(WEDNESDAY))

    assert made == ["BatchGetItem"]


def test_a_changed_scope_is_read_again_once(dynamodb):
    calendars = container()
    calendars.for_scope("tanggamus").is_working_day(WEDNESDAY)
    add_regional(container())

    made = dynamodb_requests(lambda: calendars.for_scope("tanggamus").is_working_day(WEDNESDAY))

    assert made == ["BatchGetItem", "Query"]


def test_admins_adding_the_same_day_at_once_record_it_once(dynamodb):
    barrier, outcomes = threading.Barrier(3), []

    def add_in_its_own_container():
        calendars = container()
        barrier.wait()
        try:
            add_regional(calendars)
            outcomes.append("added")
        except ConflictError as refused:
            outcomes.append(refused.field)

    threads = [threading.Thread(target=add_in_its_own_container) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["added", "date", "date"]
    assert len(container().log.changes("tanggamus", 2025)) == 1
