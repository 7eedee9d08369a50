"""Reading an SMS to 1708: the region keyword, the text, replies and status queries."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.cli import sample_region
from chalicelib.domain.sms import (
    DUPLICATE_WINDOW,
    KeywordTable,
    SmsIntent,
    content_fingerprint,
    duplicate_keys,
    normalize_text,
    parse_sms,
    read_complaint,
    title_from,
)
from tests.sms_field_cases import REPLY_TEMPLATE, ROWS, SHORT_QUOTED_ID
from tests.unit.builders import region

VALID_ID = "TGM-7K3QX4X"
TABLE = KeywordTable.from_regions([sample_region("tanggamus"), region()])


def read(body: str):
    return parse_sms(body, TABLE)


# --- the field cases --------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_every_field_case_row_reads_as_the_field_says(row):
    reading = read(row.body)

    assert (reading.intent.value, reading.content, reading.region) == (
        row.intent,
        row.content,
        row.region,
    )


def test_a_message_quoting_a_tracking_id_is_a_reply_on_that_complaint():
    reading = read(REPLY_TEMPLATE.format(tracking_id=VALID_ID))

    assert (reading.intent, reading.tracking_id) == (SmsIntent.REPLY, VALID_ID)


def test_the_short_id_of_the_field_case_is_a_reply_whose_id_does_not_read():
    reading = read(SHORT_QUOTED_ID)

    assert (reading.intent, reading.tracking_id, reading.quoted_id) == (
        SmsIntent.REPLY,
        None,
        "TGM-7K3QX",
    )


# --- keywords and aliases ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Kabupaten Tanggamus jalan rusak",
        "KAB TANGGAMUS jalan rusak",
        "kab.tanggamus jalan rusak",
        "Kab .  Tanggamus_jalan rusak",
        "TGM jalan rusak",
        "Saber Pekan: jalan rusak",
        "saberpekan jalan rusak",
        "#Tanggamus jalan rusak",
    ],
)
def test_aliases_are_matched_whatever_their_case_and_spacing(body):
    reading = read(body)

    assert (reading.region, reading.content) == ("tanggamus", "jalan rusak")


def test_the_longest_alias_wins_so_no_part_of_it_is_left_in_the_text():
    reading = read("Kabupaten Tanggamus jalan rusak")

    assert reading.content == "jalan rusak"


def test_each_region_is_found_by_its_own_keywords():
    assert read("PRINGSEWU_jalan rusak").region == "pringsewu"
    assert read("Kab Pringsewu: jalan rusak").region == "pringsewu"


def test_keywords_come_from_region_data_not_code():
    table = KeywordTable.from_regions([region(sms_keywords=("PRINGSEWU", "PRINGSEWUKU"))])

    assert parse_sms("pringsewuku jalan rusak", table).content == "jalan rusak"


def test_a_keyword_glued_to_the_next_word_is_no_keyword():
    reading = read("Tanggamusjalan rusak")

    assert (reading.intent, reading.content) == (SmsIntent.NO_KEYWORD, "Tanggamusjalan rusak")


def test_a_region_named_later_in_the_text_is_not_a_keyword():
    assert read("Jalan rusak di Tanggamus").intent is SmsIntent.NO_KEYWORD


@pytest.mark.parametrize(
    "separator", ["_", " ", ":", "-", " - ", "__", ": ", ".", ",", " / ", "\u2013"]
)
def test_common_separators_divide_the_keyword_from_the_text(separator):
    assert read(f"Tanggamus{separator}jalan rusak").content == "jalan rusak"


def test_an_empty_message_needs_content_and_names_no_region():
    reading = read("")

    assert (reading.intent, reading.region) == (SmsIntent.NEEDS_CONTENT, None)


@pytest.mark.parametrize("body", ["Tanggamus", "Tanggamus_ ?", "Tanggamus...", " \u200b ", "\n"])
def test_a_message_with_no_words_after_the_keyword_needs_content(body):
    assert read(body).intent is SmsIntent.NEEDS_CONTENT


# --- Unicode -----------------------------------------------------------------------


def test_full_width_letters_and_non_breaking_spaces_read_as_plain_text():
    # "Tanggamus_" in full-width letters, as some phones send them.
    full_width = "\uff34\uff41\uff4e\uff47\uff47\uff41\uff4d\uff55\uff53\uff3f"
    reading = read(full_width + "\u00a0jalan\u00a0rusak")

    assert (reading.region, reading.content) == ("tanggamus", "jalan rusak")


def test_zero_width_characters_do_not_hide_a_keyword():
    assert read("Tang\u200bgamus_jalan rusak").region == "tanggamus"


def test_line_breaks_and_tabs_become_single_spaces():
    assert normalize_text("Tanggamus\n\tjalan\r\nrusak ") == "Tanggamus jalan rusak"


# --- replies and status queries ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f"CEK {VALID_ID}",
        f"cek {VALID_ID.lower()}",
        "Cek: TGM 7K3QX4X",
        "CEK TGM7K3QX4X",
        f"Tanggamus CEK {VALID_ID}",
    ],
)
def test_cek_with_a_tracking_id_asks_for_its_status(body):
    reading = read(body)

    assert (reading.intent, reading.tracking_id) == (SmsIntent.STATUS_QUERY, VALID_ID)


@pytest.mark.parametrize("body", ["CEK", "cek TGM-7K3QX", "CEK 7K3QX4X", "CEK TGM-7K3QX4Y"])
def test_cek_without_a_readable_id_is_still_a_status_query(body):
    reading = read(body)

    assert (reading.intent, reading.tracking_id) == (SmsIntent.STATUS_QUERY, None)


def test_a_complaint_that_starts_with_the_word_cek_is_a_complaint():
    reading = read("Cek jalan rusak di pekon Sukamaju")

    assert reading.intent is SmsIntent.NO_KEYWORD


def test_a_tracking_id_anywhere_in_the_text_makes_it_a_reply():
    reading = read(f"Tanggamus_ mohon info aduan {VALID_ID} sdh 2 minggu")

    assert (reading.intent, reading.tracking_id) == (SmsIntent.REPLY, VALID_ID)


def test_a_tracking_id_typed_with_lookalike_letters_still_reads():
    assert read("TGM-7K3QX4X ada perkembangan?").tracking_id == VALID_ID
    assert read("tgm 7k3qx4x ada perkembangan?").tracking_id == VALID_ID


def test_an_ordinary_word_after_the_tgm_keyword_is_not_taken_for_an_id():
    assert read("TGM jalan rusak").intent is SmsIntent.COMPLAINT
    assert read("TGM-jalan rusak parah").intent is SmsIntent.COMPLAINT


def test_numbers_in_an_address_are_not_taken_for_an_id():
    reading = read("Tanggamus_Jalan rusak di RT 03 RW 05 dusun 2024")

    assert reading.intent is SmsIntent.COMPLAINT


def test_an_id_of_an_unknown_region_prefix_is_ordinary_text():
    assert read("ABC-7K3QX4X jalan rusak").intent is SmsIntent.NO_KEYWORD


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_has_exactly_one_reading_and_never_fails(body):
    reading = read(body)

    assert reading.intent in SmsIntent
    assert reading.text == normalize_text(body)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80))
def test_text_after_a_keyword_is_the_content_whenever_it_has_words(text):
    reading = read_complaint(f"Tanggamus_{text}", TABLE)

    if reading.intent is SmsIntent.COMPLAINT:
        assert reading.content and normalize_text(text).endswith(reading.content)


# --- titles and duplicate keys ------------------------------------------------------


def test_a_short_text_is_its_own_title():
    assert title_from("Jalan rusak") == "Jalan rusak"


def test_a_long_text_is_cut_to_whole_words_within_80_characters():
    title = title_from("jalan " * 30)

    assert len(title) <= 80 and title.endswith("jalan")


def test_a_single_long_word_is_cut_at_80_characters():
    assert title_from("x" * 200) == "x" * 80


def test_case_spacing_and_unicode_form_do_not_change_the_content_fingerprint():
    assert content_fingerprint("Tanggamus_Jalan  rusak") == content_fingerprint(
        " tanggamus_jalan rusak\u00a0"
    )


def test_two_deliveries_less_than_a_window_apart_always_meet():
    first = datetime(2025, 3, 27, 2, 9, 59, tzinfo=UTC)
    for gap in (timedelta(0), timedelta(seconds=1), DUPLICATE_WINDOW - timedelta(seconds=1)):
        claim, _ = duplicate_keys("+6281234567890", "jalan rusak", first)
        later, later_neighbours = duplicate_keys("+6281234567890", "jalan rusak", first + gap)

        assert claim == later or claim in later_neighbours


def test_two_deliveries_more_than_two_windows_apart_are_separate():
    first = datetime(2025, 3, 27, 2, 0, tzinfo=UTC)
    claim, _ = duplicate_keys("+6281234567890", "jalan rusak", first)
    later, neighbours = duplicate_keys(
        "+6281234567890", "jalan rusak", first + 2 * DUPLICATE_WINDOW + timedelta(seconds=1)
    )

    assert claim != later and claim not in neighbours


def test_another_sender_or_another_text_is_another_key():
    at = datetime(2025, 3, 27, 2, 0, tzinfo=UTC)
    key = duplicate_keys("+6281234567890", "a", at)[0]

    assert key != duplicate_keys("+6281234567891", "a", at)[0]
    assert key != duplicate_keys("+6281234567890", "b", at)[0]


def test_a_naive_instant_has_no_duplicate_window():
    with pytest.raises(ValueError):
        duplicate_keys("+6281234567890", "a", datetime(2025, 3, 27, 2, 0))
