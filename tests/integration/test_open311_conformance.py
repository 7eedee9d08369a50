"""GeoReport v2 conformance: every endpoint in both formats, errors included,
checked against the element names and shapes of the specification."""

import pytest

from chalicelib.domain.region import Region
from chalicelib.services.open311 import SPECIFICATION
from tests.integration.conftest import auth, file, follow_up, post_json, route
from tests.integration.open311_client import (
    FORMATS,
    REQUEST_FIELDS,
    SERVICE_FIELDS,
    errors,
    get,
    issue_api_key,
    items,
    mobile_form,
    parsed,
    post_form,
    requests,
)

pytestmark = pytest.mark.parametrize("fmt", FORMATS)


def resolve(client, tracking_id: str) -> None:
    route(client, tracking_id)
    follow_up(client, tracking_id)
    done = post_json(
        client,
        f"/staff/complaints/{tracking_id}/resolve",
        {"outcome": "Jalan sudah ditambal"},
        auth("agency", agency="PUPR"),
    )
    assert done.status_code == 200, done.body


def only_error(response, fmt: str, status: int) -> str:
    assert response.status_code == status, response.body
    (problem,) = errors(response, fmt)
    assert problem["code"] == str(status)
    assert problem["description"]
    return problem["description"]


# -- discovery ----------------------------------------------------------------------


def test_discovery_names_the_v2_endpoint_and_both_formats(client, fmt):
    answer = get(client, "discovery", fmt)

    assert answer.status_code == 200
    data = parsed(answer, fmt)
    if fmt == "json":
        (endpoint,) = data["endpoints"]
        formats = endpoint["formats"]
        assert {"changeset", "contact", "key_service"} <= set(data)
    else:
        assert data.tag == "discovery"
        assert {e.tag for e in data} >= {"changeset", "contact", "key_service", "endpoints"}
        (element,) = data.find("endpoints")
        assert element.tag == "endpoint"
        endpoint = {child.tag: child.text for child in element}
        formats = [f.text for f in element.find("formats")]
        assert all(f.tag == "format" for f in element.find("formats"))
    assert endpoint["specification"] == SPECIFICATION
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] == "test"
    assert set(formats) == {"text/xml", "application/json"}


# -- services -----------------------------------------------------------------------


def test_services_are_the_regions_categories_grouped_by_agency(client, fmt, tanggamus):
    listed = items(get(client, "services", fmt), fmt, "services", "service")

    assert [s["service_code"] for s in listed] == [
        c for a in tanggamus.agencies for c in a.categories
    ]
    assert all(list(s) == SERVICE_FIELDS for s in listed)
    road = next(s for s in listed if s["service_code"] == "jalan")
    assert road["service_name"] == "Jalan rusak"
    assert road["group"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert road["metadata"] == "false"
    assert road["type"] == "realtime"


def test_an_empty_jurisdiction_id_counts_as_absent(client, fmt):
    listed = items(get(client, "services", fmt, jurisdiction_id=""), fmt, "services", "service")

    assert listed


def test_an_unknown_jurisdiction_is_not_found(client, fmt):
    only_error(get(client, "services", fmt, jurisdiction_id="atlantis"), fmt, 404)


def test_a_service_definition_has_its_code_and_an_attribute_list(client, fmt):
    answer = get(client, "services/jalan", fmt)

    assert answer.status_code == 200
    data = parsed(answer, fmt)
    if fmt == "json":
        assert data == {"service_code": "jalan", "attributes": []}
    else:
        assert data.tag == "service_definition"
        assert [e.tag for e in data] == ["service_code", "attributes"]
        assert data.findtext("service_code") == "jalan"
        assert list(data.find("attributes")) == []


def test_an_unknown_service_definition_is_not_found(client, fmt):
    only_error(get(client, "services/kapal-selam", fmt), fmt, 404)


def test_an_unknown_resource_is_not_found(client, fmt):
    only_error(get(client, "complaints", fmt), fmt, 404)


def test_an_unknown_extension_is_not_found(client, fmt):
    answer = client.http.get(f"/open311/v2/services.{fmt}x")

    only_error(answer, "json", 404)  # not a format we serve, so the error comes as JSON


# -- GET requests -------------------------------------------------------------------


def test_a_filed_complaint_is_listed_with_the_specifications_fields(client, clock, fmt):
    filed = file(client)["tracking_id"]

    (listed,) = requests(get(client, "requests", fmt), fmt)

    assert set(listed) <= REQUEST_FIELDS
    assert listed["service_request_id"] == filed
    assert listed["status"] == "open"
    assert listed["status_notes"] == "received"
    assert listed["service_code"] == "jalan"
    assert listed["service_name"] == "Jalan rusak"
    assert listed["requested_datetime"] == "2025-03-27T09:00:00+07:00"
    assert listed["updated_datetime"] == "2025-03-27T09:00:00+07:00"
    assert listed["expected_datetime"] == "2025-05-24T00:00:00+07:00"  # follow-up overdue from
    assert listed["address"] == "Pekon Way Gelang, Kec. Kota Agung"


def test_a_routed_complaint_names_the_agency_responsible(client, clock, fmt):
    filed = file(client)["tracking_id"]
    route(client, filed, agency="PUPR")

    (listed,) = requests(get(client, f"requests/{filed}", fmt), fmt)

    assert listed["status"] == "open"
    assert listed["status_notes"] == "routed"
    assert listed["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"


def test_a_resolved_complaint_is_closed_with_its_state_in_the_notes(client, clock, fmt):
    filed = file(client)["tracking_id"]
    resolve(client, filed)

    (listed,) = requests(get(client, f"requests/{filed}", fmt), fmt)

    assert listed["status"] == "closed"
    assert listed["status_notes"] == "resolved"


def test_requests_filter_by_status(client, clock, fmt):
    still_open = file(client)["tracking_id"]
    done = file(client)["tracking_id"]
    resolve(client, done)

    def ids(status: str) -> list:
        return [
            r["service_request_id"]
            for r in requests(get(client, "requests", fmt, status=status), fmt)
        ]

    assert ids("open") == [still_open]
    assert ids("closed") == [done]
    assert set(ids("open,closed")) == {still_open, done}


def test_requests_filter_by_comma_separated_service_codes(client, clock, fmt):
    road = file(client, category="jalan")["tracking_id"]
    bridge = file(client, category="jembatan")["tracking_id"]
    file(client, category="sampah")

    listed = requests(get(client, "requests", fmt, service_code="jalan,jembatan"), fmt)

    assert {r["service_request_id"] for r in listed} == {road, bridge}


def test_service_request_ids_override_the_other_filters(client, clock, fmt):
    first = file(client)["tracking_id"]
    second = file(client)["tracking_id"]
    file(client)

    listed = requests(
        get(client, "requests", fmt, service_request_id=f"{first},{second}", status="closed"), fmt
    )

    assert [r["service_request_id"] for r in listed] == [first, second]


def test_requests_newest_first_up_to_the_limit(client, clock, fmt):
    older = file(client)["tracking_id"]
    clock.set("2025-03-28T09:00:00+07:00")
    newer = file(client)["tracking_id"]

    assert [r["service_request_id"] for r in requests(get(client, "requests", fmt), fmt)] == [
        newer,
        older,
    ]
    (only,) = requests(get(client, "requests", fmt, limit="1"), fmt)
    assert only["service_request_id"] == newer


def test_requests_default_to_the_last_90_days(client, clock, fmt):
    file(client)
    clock.set("2025-06-26T09:00:01+07:00")  # 91 days later

    assert requests(get(client, "requests", fmt), fmt) == []


def test_requests_filter_by_a_date_range(client, clock, fmt):
    filed = file(client)["tracking_id"]

    inside = get(
        client, "requests", fmt, start_date="2025-03-27T00:00:00+07:00", end_date="2025-03-28"
    )
    before = get(client, "requests", fmt, end_date="2025-03-27T08:59:59+07:00")

    assert [r["service_request_id"] for r in requests(inside, fmt)] == [filed]
    assert requests(before, fmt) == []


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "kemarin"},
        {"end_date": "2025-13-01"},
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-04-02T00:00:00Z"},  # 91 days
        {"start_date": "2025-03-01T00:00:00Z", "end_date": "2025-02-01T00:00:00Z"},
        {"status": "pending"},
        {"limit": "0"},
    ],
)
def test_a_bad_query_is_a_400(client, clock, fmt, params):
    only_error(get(client, "requests", fmt, **params), fmt, 400)


def test_a_single_request_is_a_one_element_list(client, clock, fmt):
    filed = file(client)["tracking_id"]

    listed = requests(get(client, f"requests/{filed}", fmt), fmt)

    assert [r["service_request_id"] for r in listed] == [filed]


def test_an_unknown_request_is_not_found(client, fmt):
    only_error(get(client, "requests/TGM-0000000", fmt), fmt, 404)


def test_a_request_of_another_jurisdiction_is_not_found(client, clock, fmt, pringsewu):
    filed = file(client)["tracking_id"]

    only_error(get(client, f"requests/{filed}", fmt, jurisdiction_id="pringsewu"), fmt, 404)


# -- privacy ------------------------------------------------------------------------


def test_a_confidential_complaint_is_never_listed_fetched_or_tokened(client, clock, fmt):
    secret = file(client, confidential=True)["tracking_id"]
    public = file(client)["tracking_id"]

    listed = requests(get(client, "requests", fmt), fmt)
    by_id = requests(get(client, "requests", fmt, service_request_id=secret), fmt)

    assert [r["service_request_id"] for r in listed] == [public]
    assert by_id == []
    only_error(get(client, f"requests/{secret}", fmt), fmt, 404)
    only_error(get(client, f"tokens/{secret}", fmt), fmt, 404)


def test_no_reporter_data_is_ever_shown(client, clock, fmt):
    filed = file(
        client,
        anonymous=True,
        name="Rahasia Warga",
        nik="3506042602660001",
        email="warga@example.id",
    )["tracking_id"]

    for answer in (get(client, "requests", fmt), get(client, f"requests/{filed}", fmt)):
        assert answer.status_code == 200
        for secret in (
            b"Rahasia Warga",
            b"3506042602660001",
            b"warga@example.id",
            b"0812-3456-7890",
            b"+6281234567890",
        ):
            assert secret not in answer.body


# -- tokens -------------------------------------------------------------------------


def test_a_token_is_the_tracking_id(client, clock, fmt):
    filed = file(client)["tracking_id"]

    (found,) = requests(get(client, f"tokens/{filed}", fmt), fmt)

    assert found == {"service_request_id": filed, "token": filed}


def test_an_unknown_token_is_not_found(client, fmt):
    only_error(get(client, "tokens/TGM-0000000", fmt), fmt, 404)


# -- POST requests ------------------------------------------------------------------


def test_a_post_answers_with_the_new_id_and_a_notice(client, clock, fmt):
    key = issue_api_key(client)

    answer = post_form(client, mobile_form(key), fmt)

    assert answer.status_code == 200, answer.body
    (created,) = requests(answer, fmt)
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    assert created["service_request_id"].startswith("TGM-")
    assert created["account_id"] is None
    assert "2025-05-23" in created["service_notice"]


@pytest.mark.parametrize("api_key", [None, "", "not-a-key"])
def test_a_post_without_a_valid_api_key_is_forbidden(client, fmt, api_key):
    issue_api_key(client)

    only_error(post_form(client, mobile_form(api_key), fmt), fmt, 403)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "kapal-selam"}, "service_code"),
        ({"lat": None, "long": None, "address_string": None}, "location"),
        ({"long": None}, "long"),
        ({"lat": "91"}, "lat"),
        ({"description": None}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"email": "bukan-email", "phone": None}, "email"),
        ({"phone": "12", "email": None}, "phone"),
        ({"jurisdiction_id": "atlantis"}, "atlantis"),
    ],
)
def test_a_post_with_a_bad_field_is_a_400_naming_it(client, fmt, overrides, field):
    key = issue_api_key(client)

    description = only_error(post_form(client, mobile_form(key, **overrides), fmt), fmt, 400)

    assert field in description


def test_a_post_that_is_not_a_form_is_refused_in_the_specifications_shape(client, fmt):
    answer = client.http.post(
        f"/open311/v2/requests.{fmt}",
        headers={"Content-Type": "application/json"},
        body='{"service_code": "jalan"}',
    )

    only_error(answer, fmt, 415)


def test_post_only_creates_requests(client, fmt):
    key = issue_api_key(client)

    only_error(
        client.http.post(
            f"/open311/v2/services.{fmt}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=f"api_key={key}",
        ),
        fmt,
        404,
    )


@pytest.fixture
def tanggamus(dynamodb) -> Region:
    from chalicelib import wiring

    return wiring.regions().get("tanggamus")


@pytest.fixture
def pringsewu(dynamodb):
    from dataclasses import replace

    from chalicelib import wiring

    region = replace(wiring.regions().get("tanggamus"), code="pringsewu", tracking_prefix="PSW")
    wiring.regions().repo.put(region)
    return region
