"""Phone numbers are kept as received and in one canonical +62 form."""

import pytest

from chalicelib.services.phones import canonical_phone, read_sender


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "+6281234567890",
        "6281234567890",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "  081234567890  ",
    ],
)
def test_every_common_way_of_writing_a_mobile_number_has_one_canonical_form(raw):
    assert canonical_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    "raw", ["", "   ", "abc", "0812", "62", "+62", "08123456789012345", "1708"]
)
def test_text_that_is_not_a_phone_number_has_no_canonical_form(raw):
    assert canonical_phone(raw) is None


def test_a_number_with_trailing_letters_is_refused():
    assert canonical_phone("081234567890x") is None


@pytest.mark.parametrize(
    "raw", ["081234567890", "+6281234567890", "6281234567890", "0812-3456-7890"]
)
def test_an_sms_sender_written_any_usual_way_is_one_canonical_number_and_kept_raw(raw):
    sender = read_sender(raw)

    assert (sender.raw, sender.canonical, sender.ambiguous) == (raw, "+6281234567890", False)


@pytest.mark.parametrize("raw", ["81234567890", "1708", "+14155551234", "TELKOMSEL", ""])
def test_a_sender_that_could_be_read_more_than_one_way_is_flagged_not_rewritten(raw):
    sender = read_sender(raw)

    assert (sender.canonical, sender.ambiguous, sender.address) == (None, True, raw)
