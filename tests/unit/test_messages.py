"""Outgoing SMS texts: plain GSM-7, one segment where they can be."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.complaint import EscalationLevel, Status
from chalicelib.domain.messages import (
    SEGMENT,
    acknowledgement,
    compose,
    content_request,
    gsm7_length,
    is_gsm7,
    reply_received,
    segments,
    status_reply,
    to_gsm7,
    unknown_reference,
)

LONGEST_ID = "SABER-7K3QX4X"  # a five-letter region prefix
ACCESS_CODE = "ABCDE-FGHJK"


def is_plain(text: str) -> bool:
    return text.isascii() and is_gsm7(text)


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("\u2018rusak\u2019", "'rusak'"),
        ("\u201cjalan\u201d", '"jalan"'),
        ("tunggu\u2026", "tunggu..."),
        ("Senin\u2013Jumat", "Senin-Jumat"),
        ("a\u2014b", "a-b"),
        ("Caf\u00e9", "Cafe"),
        ("RT\u00a003", "RT 03"),
        ("[PUPR] {x} a|b ~ c\\d ^", "(PUPR) (x) a/b - c/d"),
        ("\U0001f600 jalan", "? jalan"),
    ],
)
def test_typographic_characters_become_plain_gsm7(typed, plain):
    assert to_gsm7(typed) == plain


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_made_gsm7_is_plain_ascii_in_the_basic_alphabet(text):
    assert is_plain(to_gsm7(text))


def test_a_single_curly_quote_would_halve_the_segment():
    text = "a" * 100 + "\u2019"

    assert segments(text) == 2
    assert segments(to_gsm7(text)) == 1


def test_extension_characters_count_twice():
    assert gsm7_length("[]") == 4


@pytest.mark.parametrize(("length", "parts"), [(160, 1), (161, 2), (306, 2), (307, 3)])
def test_long_gsm7_texts_split_into_153_character_parts(length, parts):
    assert segments("a" * length) == parts


def test_optional_parts_are_added_only_while_the_text_fits_one_segment():
    text = compose(["a" * 100], ["b" * 50, "c" * 50, "d" * 5])

    assert text == "a" * 100 + " " + "b" * 50 + " " + "d" * 5


def test_the_acknowledgement_carries_the_tracking_id_and_fits_one_segment():
    text = acknowledgement(LONGEST_ID, ACCESS_CODE, "1708")

    assert LONGEST_ID in text and ACCESS_CODE in text
    assert f"CEK {LONGEST_ID}" in text
    assert is_plain(text) and gsm7_length(text) <= SEGMENT


def test_an_acknowledgement_without_a_region_says_an_admin_will_route_it():
    text = acknowledgement(LONGEST_ID, ACCESS_CODE, "1708", region_named=False)

    assert "admin" in text and LONGEST_ID in text
    assert is_plain(text) and gsm7_length(text) <= SEGMENT


@pytest.mark.parametrize("keyword", ["TANGGAMUS", None, "KABUPATENPANJANGSEKALI"])
def test_the_request_for_content_shows_the_format_and_fits_one_segment(keyword):
    text = content_request("1708", keyword)

    assert f"{keyword or 'KABUPATEN'}_isi aduan" in text
    assert is_plain(text) and gsm7_length(text) <= SEGMENT


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("escalation", list(EscalationLevel))
def test_every_status_reply_fits_one_segment_with_the_essentials_first(status, escalation):
    text = status_reply(
        LONGEST_ID, status, escalation, "DISKOMINFO", date(2025, 5, 23), working_days_left=40
    )

    assert text.startswith(f"Aduan {LONGEST_ID}: ")
    assert is_plain(text) and gsm7_length(text) <= SEGMENT


def test_a_status_reply_gives_the_deadline_and_the_working_days_left():
    text = status_reply(
        "TGM-7K3QX4X", Status.ROUTED, EscalationLevel.NONE, "PUPR", date(2025, 5, 23), 40
    )

    assert text == (
        "Aduan TGM-7K3QX4X: diteruskan ke PUPR. Batas tindak lanjut 23-05-2025, 40 hari kerja lagi."
    )


def test_a_status_reply_past_the_deadline_says_so():
    text = status_reply(
        "TGM-7K3QX4X", Status.ROUTED, EscalationLevel.INTERVENTION, "PUPR", date(2025, 5, 23), -1
    )

    assert "sudah lewat" in text and "Admin Daerah" in text


def test_a_status_reply_on_the_deadline_says_today():
    text = status_reply(
        "TGM-7K3QX4X", Status.RECEIVED, EscalationLevel.NONE, None, date(2025, 5, 23), 0
    )

    assert "hari ini" in text


def test_a_stopped_clock_has_no_deadline_in_the_reply():
    text = status_reply("TGM-7K3QX4X", Status.FOLLOWED_UP, EscalationLevel.NONE, "PUPR", None, None)

    assert text == "Aduan TGM-7K3QX4X: sudah ditindaklanjuti PUPR."


def test_an_unknown_id_is_answered_with_how_to_ask_and_fits_one_segment():
    text = unknown_reference("TGM-7K3Q\u2019X" + "9" * 40, "1708")

    assert "tidak dikenali" in text and "CEK" in text
    assert is_plain(text) and gsm7_length(text) <= SEGMENT


def test_a_reply_is_acknowledged_with_its_tracking_id():
    assert "TGM-7K3QX4X" in reply_received("TGM-7K3QX4X")
