"""Open311 GeoReport v2 mapping rules and the form a client posts."""

from datetime import timedelta

import pytest

from chalicelib.channels.open311 import (
    Format,
    attributes,
    location_text,
    parse_form,
    split_format,
)
from chalicelib.domain.complaint import EscalationLevel, Status
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.open311 import (
    complaint_title,
    open311_status,
    query_window,
    reporter_name,
    services,
    status_notes,
    statuses_for,
)
from chalicelib.domain.queues import public_feed
from chalicelib.domain.region import Agency, Region
from tests.unit.builders import complaint, utc

NOW = utc(2025, 6, 1, 2)
REGION = Region(
    code="tanggamus",
    name="Kabupaten Tanggamus",
    timezone="Asia/Jakarta",
    tracking_prefix="TGM",
    agencies=(
        Agency("PUPR", "Dinas PUPR", ("jalan", "lampu-jalan")),
        Agency("DINKES", "Dinas Kesehatan", ("puskesmas",)),
    ),
    category_names={"jalan": "Jalan rusak"},
)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.RECEIVED, "open"),
        (Status.ROUTED, "open"),
        (Status.FOLLOWED_UP, "open"),
        (Status.RESOLVED, "closed"),
        (Status.CLOSED, "closed"),
    ],
)
def test_our_states_map_to_open_or_closed(status, expected):
    assert open311_status(status) == expected


def test_status_filters_name_the_states_behind_them():
    # A duplicate is closed in its own right: its master carries the work.
    assert statuses_for(["closed"]) == {
        Status.RESOLVED,
        Status.CLOSED,
        Status.DUPLICATE,
        Status.QUARANTINED,
    }
    assert statuses_for([]) == frozenset()


def test_an_unknown_status_filter_is_refused():
    with pytest.raises(ValidationError):
        statuses_for(["pending"])


def test_status_notes_carry_the_finer_state_and_the_escalation():
    escalated = complaint(status=Status.ROUTED, escalation=EscalationLevel.INTERVENTION)

    assert status_notes(escalated) == "routed; escalation: intervention"
    assert status_notes(complaint()) == "received"


def test_services_are_every_agency_category_with_a_readable_name():
    listed = services(REGION)

    assert [(s.code, s.name, s.agency.code) for s in listed] == [
        ("jalan", "Jalan rusak", "PUPR"),
        ("lampu-jalan", "Lampu jalan", "PUPR"),
        ("puskesmas", "Puskesmas", "DINKES"),
    ]


def test_without_dates_the_window_is_the_last_90_days():
    window = query_window(None, None, NOW)

    assert (window.start, window.end) == (NOW - timedelta(days=90), NOW)


def test_one_date_opens_90_days_on_its_side():
    assert query_window(NOW, None, NOW).end == NOW + timedelta(days=90)
    assert query_window(None, NOW, NOW).start == NOW - timedelta(days=90)


def test_a_window_of_exactly_90_days_is_allowed_and_wider_is_refused():
    query_window(NOW - timedelta(days=90), NOW, NOW)
    with pytest.raises(ValidationError):
        query_window(NOW - timedelta(days=90, seconds=1), NOW, NOW)


def test_a_window_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError):
        query_window(NOW, NOW - timedelta(seconds=1), NOW)


def test_only_non_confidential_complaints_enter_the_public_feed():
    assert public_feed(complaint()) == "tanggamus"
    assert public_feed(complaint(confidential=True)) is None


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [
        ("Siti", "Aminah", "Siti Aminah"),
        ("Sumiyati", None, "Sumiyati"),
        (None, "Sumiyati", "Sumiyati"),
        ("i gusti ayu", "MADE SARI", "i gusti ayu MADE SARI"),
        (" ", "", None),
    ],
)
def test_two_name_fields_become_one_as_given(first, last, name):
    assert reporter_name(first, last) == name


def test_a_title_is_the_service_and_the_first_words_cut_at_a_word():
    title = complaint_title("Jalan rusak", "kata " * 100)

    assert title.startswith("Jalan rusak: kata kata")
    assert len(title) <= 200
    assert title.endswith("kata…")


@pytest.mark.parametrize(
    ("resource", "expected"),
    [("services.json", ("services", Format.JSON)), ("services.XML", ("services", Format.XML))],
)
def test_the_format_is_the_extension(resource, expected):
    assert split_format(resource) == expected


@pytest.mark.parametrize("resource", ["services", "services.csv", "services."])
def test_any_other_extension_is_not_served(resource):
    with pytest.raises(NotFoundError):
        split_format(resource)


def test_list_attributes_keep_every_value_and_plain_ones_too():
    form = parse_form(
        b"attribute%5Bjenis%5D%5B%5D=motor&attribute%5Bjenis%5D%5B%5D=mobil"
        b"&attribute%5Bdalam%5D=30&attributes=x&attribute%5Bkosong%5D="
    )

    assert attributes(form) == (("jenis", ("motor", "mobil")), ("dalam", ("30",)))


@pytest.mark.parametrize(
    ("body", "location"),
    [
        (b"address_string=Pekon+Kuripan", "Pekon Kuripan"),
        (b"lat=-5.49&long=104.62", "(-5.49, 104.62)"),
        (b"address_id=A-17&lat=-5.49&long=104.62", "A-17 (-5.49, 104.62)"),
    ],
)
def test_the_location_is_the_address_and_the_point(body, location):
    assert location_text(parse_form(body)) == location


@pytest.mark.parametrize(
    "body", [b"", b"lat=-5.49", b"lat=abc&long=104", b"lat=-5&long=181", b"lat=nan&long=1"]
)
def test_a_missing_or_bad_location_is_refused(body):
    with pytest.raises(ValidationError):
        location_text(parse_form(body))


def test_a_form_that_is_not_utf8_is_refused():
    with pytest.raises(ValidationError):
        parse_form(b"description=%FF\xff")


def test_text_xml_cannot_carry_is_replaced_so_the_feed_stays_readable():
    import xml.etree.ElementTree as ET

    from chalicelib.channels.open311 import Format, render

    answer = render(Format.XML, "service_requests", [{"description": "jalan\uffff rusak\x01"}])

    root = ET.fromstring(answer.body.encode())
    assert root.find("request/description").text == "jalan\ufffd rusak\ufffd"
