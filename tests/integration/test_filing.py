"""Filing a complaint over HTTP: what the reporter gets back, what is refused."""

import json
import threading

import pytest

from chalicelib import wiring
from chalicelib.domain.tracking import is_tracking_id
from chalicelib.services.intake import file_complaint
from tests.integration.conftest import auth, complaint_body, file, post_json


def test_filing_returns_tracking_id_access_code_and_deadlines(client, clock):
    answer = file(client)

    assert is_tracking_id(answer["tracking_id"]) and answer["tracking_id"].startswith("TGM-")
    assert len(answer["access_code"].replace("-", "")) == 10
    assert answer["status"] == "received"
    assert answer["received_at"] == "2025-03-27T09:00:00+07:00"
    assert answer["deadlines"]["follow_up_due"] == "2025-05-23"
    assert answer["deadlines"]["follow_up_overdue_from"] == "2025-05-24T00:00:00+07:00"
    assert answer["deadlines"]["provisional"] is False


def test_a_complaint_received_late_friday_utc_counts_from_the_local_saturday(client, clock):
    clock.set("2024-08-02T17:30:00Z")

    answer = file(client)

    assert answer["deadlines"]["clock_started_on"] == "2024-08-03"


@pytest.mark.parametrize("name", ["Sumiyati", "I Gusti Ayu Made Sari", "Andi Nur'aini"])
def test_names_are_kept_exactly_as_written(client, name):
    answer = file(client, name=name)

    staff = client.http.get(
        f"/staff/complaints/{answer['tracking_id']}", headers=auth("admin_pusat")
    )
    assert staff.json_body["reporter"]["name"] == name


def test_a_nik_is_kept_as_a_string_of_16_digits(client):
    answer = file(client, nik="3506042602660001")

    staff = client.http.get(
        f"/staff/complaints/{answer['tracking_id']}", headers=auth("admin_pusat")
    )
    assert staff.json_body["reporter"]["nik"] == "3506042602660001"


def test_a_papua_nik_above_two_to_the_53_survives_unchanged(client):
    answer = file(client, nik="9171012509900001")

    staff = client.http.get(
        f"/staff/complaints/{answer['tracking_id']}", headers=auth("admin_pusat")
    )
    assert staff.json_body["reporter"]["nik"] == "9171012509900001"


def test_the_phone_is_kept_as_written_and_in_canonical_form(client):
    answer = file(client, phone="0812-3456-7890")

    staff = client.http.get(
        f"/staff/complaints/{answer['tracking_id']}", headers=auth("admin_pusat")
    )
    assert staff.json_body["reporter"]["phone_raw"] == "0812-3456-7890"
    assert staff.json_body["reporter"]["phone"] == "+6281234567890"


def test_markup_in_a_description_is_stored_and_returned_as_plain_text(client):
    text = "<script>alert(1)</script> jalan rusak"
    answer = file(client, description=text)

    public = client.http.get(f"/complaints/{answer['tracking_id']}")
    assert public.headers["Content-Type"] == "application/json"
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert public.json_body["description"] == text


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ("{not json", 400, "invalid_json", None),
        ("[]", 400, "invalid", None),
        ("", 400, "invalid", None),
        (complaint_body(title=None), 400, "invalid", "title"),
        (complaint_body(nik="3506042602660000"), 400, "invalid", "nik"),
        (complaint_body(nik="35060426026600"), 400, "invalid", "nik"),
        (complaint_body(nik=3506042602660001), 400, "invalid", "nik"),
        (complaint_body(phone="12345"), 400, "invalid", "phone"),
        (complaint_body(phone=None), 400, "invalid", "phone"),
        (complaint_body(name=None), 400, "invalid", "name"),
        (complaint_body(email="not-an-address"), 400, "invalid", "email"),
        (complaint_body(anonymus=True), 400, "invalid", "anonymus"),
        (complaint_body(anonymous="yes"), 400, "invalid", "anonymous"),
        (complaint_body(region="atlantis"), 400, "invalid", "region"),
        (complaint_body(description="x" * 4001), 400, "invalid", "description"),
        ("[" * 5000 + "]" * 5000, 400, "invalid_json", None),
        (complaint_body(title="   "), 400, "invalid", "title"),
        (complaint_body(title="\u200b\u200b"), 400, "invalid", "title"),
        (complaint_body(description="jalan\x00rusak"), 400, "invalid", "description"),
        (complaint_body(phone="+1 415 555 1234"), 400, "invalid", "phone"),
        (complaint_body(title="a\ufffeb"), 400, "invalid", "title"),
        (complaint_body(description="jalan \ud800 rusak"), 400, "invalid", "description"),
    ],
)
def test_bad_input_gets_a_clear_4xx_naming_the_problem(client, body, status, code, field):
    response = post_json(client, "/complaints", body)

    assert response.status_code == status
    error = response.json_body["error"]
    assert error["code"] == code
    assert error["field"] == field
    assert error["message"]


def test_a_5_mb_body_is_refused_with_413(client):
    huge = json.dumps(complaint_body(description="x" * (5 * 1024 * 1024)))

    response = post_json(client, "/complaints", huge)

    assert response.status_code == 413
    assert response.json_body["error"]["code"] == "payload_too_large"


def test_a_blank_required_field_is_reported_as_blank(client):
    response = post_json(client, "/complaints", complaint_body(title="  "))

    assert response.json_body["error"]["message"] == "title: must not be blank"


def test_json_sent_without_a_content_type_is_accepted(client):
    response = client.http.post("/complaints", headers={}, body=json.dumps(complaint_body()))

    assert response.status_code == 201


def test_a_wrong_content_type_is_refused_with_415(client):
    response = client.http.post(
        "/complaints", headers={"Content-Type": "text/plain"}, body="jalan rusak"
    )

    assert response.status_code == 415
    assert response.json_body["error"]["code"] == "unsupported_media_type"


def test_an_anonymous_complaint_needs_no_name_or_contact(client):
    response = post_json(
        client, "/complaints", complaint_body(name=None, phone=None, anonymous=True)
    )

    assert response.status_code == 201


def test_the_same_idempotency_key_three_times_files_one_complaint(client):
    key = {"Idempotency-Key": "c0ffee-0001"}
    answers = [post_json(client, "/complaints", complaint_body(), key) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({json.dumps(a.json_body, sort_keys=True) for a in answers}) == 1
    triage = client.http.get("/staff/queues/triage", headers=auth("admin_pusat"))
    assert len(triage.json_body["items"]) == 1


def test_reusing_an_idempotency_key_for_another_complaint_is_refused(client):
    key = {"Idempotency-Key": "c0ffee-0002"}
    post_json(client, "/complaints", complaint_body(), key)

    second = post_json(client, "/complaints", complaint_body(title="Lampu jalan mati"), key)

    assert second.status_code == 422
    assert second.json_body["error"]["code"] == "idempotency_key_reused"


def test_concurrent_retries_with_one_key_file_one_complaint(dynamodb, atomic_requests):
    region = wiring.regions().get("tanggamus")
    new = _request_as_filed()
    barrier, answers = threading.Barrier(4), []

    def submit():
        barrier.wait()
        answers.append(
            file_complaint(
                new,
                region=region,
                now=wiring.now(),
                calendar=wiring.calendar_for(region),
                policy=wiring.policy(),
                repo=wiring.complaints(),
                ids=wiring.ids(),
                idempotency_key="flaky-link-1",
            )
        )

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(answers) == 4
    assert len({a["tracking_id"] for a in answers}) == 1
    assert len({a["access_code"] for a in answers}) == 1


def _request_as_filed():
    from chalicelib.api.schemas import NewComplaintRequest

    return NewComplaintRequest.model_validate(complaint_body()).to_new_complaint()


@pytest.mark.parametrize("written", ["Jalan", " jalan ", "JALAN"])
def test_a_category_is_kept_as_the_regions_code_however_it_is_written(client, written):
    tid = file(client, category=written)["tracking_id"]

    shown = client.http.get(f"/complaints/{tid}").json_body

    assert shown["category"] == "jalan"


def test_a_category_written_with_spaces_or_underscores_finds_its_code(client):
    tid = file(client, category="Lampu_Jalan")["tracking_id"]

    assert client.http.get(f"/complaints/{tid}").json_body["category"] == "lampu-jalan"


def test_a_category_the_region_does_not_have_is_a_400_naming_the_field(client):
    response = post_json(client, "/complaints", complaint_body(category="roads"))

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "category"
    assert "/regions/tanggamus/agencies" in response.json_body["error"]["message"]


def test_a_field_sent_twice_is_a_400_naming_it_so_anonymous_cannot_flip(client):
    raw = json.dumps(complaint_body())[:-1] + ', "anonymous": true, "anonymous": false}'

    response = post_json(client, "/complaints", raw)

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "anonymous"


@pytest.mark.parametrize("field", ["name", "title", "location"])
def test_a_one_line_field_with_a_line_break_is_a_400_naming_it(client, field):
    response = post_json(client, "/complaints", complaint_body(**{field: "Jalan\r\n=cmd"}))

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field
