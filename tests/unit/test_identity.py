"""NIK checks: 16 digits as a string, with a province, a region, a birth date and a
serial that a typing or float mistake would break."""

import pytest

from chalicelib.domain.identity import nik_problem

NIK_JAWA_TIMUR = "3506042602660001"
NIK_PAPUA = "9171012509900001"


def test_a_well_formed_nik_has_no_problem():
    assert nik_problem(NIK_JAWA_TIMUR) is None


def test_a_papua_nik_has_no_problem():
    assert nik_problem(NIK_PAPUA) is None


def test_a_papua_nik_is_beyond_the_exact_range_of_a_float():
    # Why a NIK is a string end to end: this one cannot survive a float.
    assert int(NIK_PAPUA) > 2**53
    assert int(float(NIK_PAPUA)) != int(NIK_PAPUA)


def test_a_womans_nik_has_forty_added_to_the_birth_day():
    assert nik_problem("3506046602660001") is None


@pytest.mark.parametrize(
    ("nik", "why"),
    [
        ("350604260266000", "15 digits"),
        ("35060426026600011", "17 digits"),
        ("35060426026600O1", "a letter O for a zero"),
        ("3506-04260266001", "a dash"),
        ("３５０６０４２６０２６６０００１", "full-width digits"),
        ("", "empty"),
    ],
)
def test_anything_but_sixteen_ascii_digits_is_a_problem(nik, why):
    assert nik_problem(nik) == "a NIK is exactly 16 digits"


@pytest.mark.parametrize("province", ["00", "10", "20", "39", "99"])
def test_an_unknown_province_code_is_a_problem(province):
    assert "province" in nik_problem(province + NIK_JAWA_TIMUR[2:])


@pytest.mark.parametrize("nik", ["3500042602660001", "3506002602660001"])
def test_a_zero_regency_or_district_code_is_a_problem(nik):
    assert "regency and district" in nik_problem(nik)


@pytest.mark.parametrize(
    ("nik", "why"),
    [
        ("3506040002660001", "day 00"),
        ("3506043202660001", "day 32"),
        ("3506047202660001", "day 72 (a woman's 32)"),
        ("3506042600660001", "month 00"),
        ("3506042613660001", "month 13"),
    ],
)
def test_a_birth_date_out_of_range_is_a_problem(nik, why):
    assert "birth date" in nik_problem(nik)


def test_a_day_that_does_not_exist_in_its_month_is_a_problem():
    assert nik_problem("3506043102660001") is not None


def test_29_february_is_accepted_whatever_the_two_digit_year():
    assert nik_problem("3506042902650001") is None


def test_a_serial_of_0000_is_a_problem():
    assert "serial" in nik_problem("3506042602660000")
