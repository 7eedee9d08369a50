"""Tracking IDs: `TGM-` plus six Crockford base-32 symbols and a mod-37 check
symbol; forgiving to read, strict about typing mistakes."""

import re
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.tracking import (
    ALPHABET,
    check_symbol,
    is_tracking_id,
    new_tracking_id,
    normalize_tracking_id,
)

KNOWN = "TGM-7K3QX4X"  # body 7K3QX4, check X
WITH_ZERO_AND_ONES = "TGM-10Q1K1C"  # body 10Q1K1, check C
SHAPE = re.compile(rf"^TGM-[{ALPHABET}]{{7}}$")
PROPERTY = settings(max_examples=200, deadline=None)


def issued(body: str) -> str:
    """The ID the service issues when its random source yields exactly `body`."""
    symbols = iter(body)
    return new_tracking_id("TGM", lambda n: ALPHABET.index(next(symbols)))


def with_tail(tracking_id: str, tail: str) -> str:
    """The same prefix with another seven-symbol tail (body + check)."""
    return tracking_id[:4] + tail


# --- generation --------------------------------------------------------------------


@PROPERTY
@given(rng=st.randoms(use_true_random=False))
def test_a_new_id_is_the_prefix_a_dash_and_seven_symbols(rng):
    assert SHAPE.match(new_tracking_id("TGM", rng.randrange))


@PROPERTY
@given(rng=st.randoms(use_true_random=False))
def test_a_new_id_reads_back_as_itself(rng):
    tracking_id = new_tracking_id("TGM", rng.randrange)

    assert normalize_tracking_id(tracking_id) == tracking_id


@PROPERTY
@given(rng=st.randoms(use_true_random=False))
def test_a_new_id_is_recognised_as_a_tracking_id(rng):
    assert is_tracking_id(new_tracking_id("TGM", rng.randrange))


def test_a_new_id_carries_the_body_its_random_source_chose_and_its_check_symbol():
    assert issued("7K3QX4") == KNOWN


# --- forgiving reading -------------------------------------------------------------


def test_a_lowercase_id_is_accepted():
    assert normalize_tracking_id("tgm-7k3qx4x") == KNOWN


def test_spaces_inside_and_around_an_id_are_ignored():
    assert normalize_tracking_id("  TGM 7K3 QX4 X ") == KNOWN


def test_an_id_typed_without_its_dash_is_accepted():
    assert normalize_tracking_id("TGM7K3QX4X") == KNOWN


def test_letter_o_is_read_as_zero():
    assert normalize_tracking_id("TGM-1OQ1K1C") == WITH_ZERO_AND_ONES


@pytest.mark.parametrize("one", ["I", "L", "i", "l"])
def test_letters_i_and_l_are_read_as_one(one):
    typed = f"TGM-{one}OQ{one}K{one}C"

    assert normalize_tracking_id(typed) == WITH_ZERO_AND_ONES


def test_a_normalised_lookalike_is_not_itself_canonical():
    assert not is_tracking_id("TGM-1OQ1K1C")


@pytest.mark.parametrize(
    "text",
    ["", "TGM-", "TGM-7K3QX4", "TGM-7K3QX4XX", "7K3QX4X", "TGM-7K3QX4U", "jalan rusak"],
)
def test_text_that_is_not_an_id_is_refused(text):
    assert normalize_tracking_id(text) is None


# --- strict about typing mistakes ---------------------------------------------------


def substituted(text: str, position: int, symbol: str) -> str:
    return text[:position] + symbol + text[position + 1 :]


def swapped(text: str, position: int) -> str:
    """`text` with the symbols at `position` and `position + 1` exchanged."""
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]


def test_every_single_wrong_symbol_is_rejected():
    tail = KNOWN[4:]
    accepted = [
        (position, symbol)
        for position in range(len(tail))
        for symbol in ALPHABET
        if symbol != tail[position]
        and normalize_tracking_id(with_tail(KNOWN, substituted(tail, position, symbol)))
    ]

    assert accepted == []


def test_every_swap_of_two_distinct_neighbouring_symbols_is_rejected():
    context = "7K3QX4"
    accepted = []
    for position in range(len(context) - 1):
        for a, b in combinations(ALPHABET, 2):
            body = context[:position] + a + b + context[position + 2 :]
            check = check_symbol(body)
            if check is None:
                continue  # never issued
            tail = body + check
            if normalize_tracking_id(with_tail(KNOWN, swapped(tail, position))):
                accepted.append((position, a, b))

    assert accepted == []


def test_swapping_the_last_symbol_with_the_check_symbol_is_rejected():
    accepted = []
    for last in ALPHABET:
        body = "7K3QX" + last
        check = check_symbol(body)
        if check is None or check == last:
            continue
        if normalize_tracking_id(with_tail(KNOWN, "7K3QX" + check + last)):
            accepted.append(last)

    assert accepted == []


def test_bodies_without_a_check_symbol_are_never_issued():
    draws = iter("10Q1K0" + "7K3QX4")  # 10Q1K0 has no check symbol in the alphabet

    assert new_tracking_id("TGM", lambda n: ALPHABET.index(next(draws))) == KNOWN


def test_swapping_neighbouring_symbols_in_a_known_id_is_rejected():
    body, check = KNOWN[4:10], KNOWN[10]
    accepted = [
        position
        for position in range(len(body) - 1)
        if normalize_tracking_id(with_tail(KNOWN, swapped(body, position) + check))
    ]

    assert accepted == []
