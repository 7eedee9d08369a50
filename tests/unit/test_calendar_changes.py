"""The calendar in force: the official list with the admins' changes merged in."""

from datetime import date

import pytest

from chalicelib.domain.calendar import (
    NATIONAL,
    ChangeType,
    HolidayChange,
    HolidayKind,
    HolidayOrigin,
    WorkingCalendar,
    check_change,
    in_force,
)
from chalicelib.domain.errors import ConflictError, ValidationError
from chalicelib.services.holiday_sources import default_source
from tests.unit.builders import REGION, calendar_without, wib

ELECTION_DAY_2024 = date(2024, 11, 27)
INDEPENDENCE_DAY_2025 = date(2025, 8, 17)  # official, a Sunday
CUTI_BERSAMA_18_AUG_2025 = date(2025, 8, 18)  # official, a Monday
ORDINARY_WEDNESDAY = date(2025, 10, 15)


def change(
    day: date,
    kind: ChangeType = ChangeType.ADD,
    scope: str = NATIONAL,
    version: int = 1,
    holiday_kind: HolidayKind | None = None,
) -> HolidayChange:
    return HolidayChange(
        scope=scope,
        day=day,
        change=kind,
        kind=holiday_kind or (HolidayKind.NATIONAL if scope == NATIONAL else HolidayKind.REGIONAL),
        name="Hari libur",
        reason="Keputusan pemerintah",
        actor="pusat-1",
        role="admin_pusat",
        at=wib(2024, 11, 22, 10, 0),
        version=version,
    )


class Merged:
    """A source that merges fixed admin changes into a base source, as in force."""

    def __init__(self, base, national=(), regional=()):
        self.base, self.national, self.regional = base, national, regional

    def year(self, year):
        return in_force(self.base.year(year), self.national, self.regional)


def calendar(national=(), regional=(), base=None) -> WorkingCalendar:
    return WorkingCalendar(Merged(base or default_source(), national, regional))


def before_election_day(national=(), regional=()) -> WorkingCalendar:
    return calendar(national, regional, base=calendar_without(ELECTION_DAY_2024).source)


# --- merging -----------------------------------------------------------------------


def test_a_national_day_added_by_an_admin_moves_the_30_working_day_deadline():
    before = before_election_day()
    after = before_election_day(national=[change(ELECTION_DAY_2024)])

    assert before.add_working_days(date(2024, 11, 1), 30) == date(2024, 12, 13)
    assert after.add_working_days(date(2024, 11, 1), 30) == date(2024, 12, 16)


def test_a_day_added_by_an_admin_carries_who_when_and_why():
    added = change(ELECTION_DAY_2024)

    holiday = before_election_day(national=[added]).holiday(ELECTION_DAY_2024)

    assert holiday.origin is HolidayOrigin.ADMIN
    assert holiday.change == added


def test_a_national_removal_makes_an_official_day_a_working_day_and_records_it_cancelled():
    removal = change(CUTI_BERSAMA_18_AUG_2025, ChangeType.REMOVE)

    merged = calendar(national=[removal])

    assert merged.is_working_day(CUTI_BERSAMA_18_AUG_2025)
    cancelled = merged.year(2025).cancelled[CUTI_BERSAMA_18_AUG_2025]
    assert cancelled.holiday.origin is HolidayOrigin.OFFICIAL
    assert cancelled.change == removal


def test_the_latest_change_of_a_day_is_the_one_in_force():
    changes = [
        change(ORDINARY_WEDNESDAY, ChangeType.ADD, version=1),
        change(ORDINARY_WEDNESDAY, ChangeType.REMOVE, version=2),
        change(ORDINARY_WEDNESDAY, ChangeType.ADD, version=3),
    ]

    assert not calendar(national=changes).is_working_day(ORDINARY_WEDNESDAY)
    assert calendar(national=changes[:2]).is_working_day(ORDINARY_WEDNESDAY)


def test_changes_are_ordered_by_version_not_by_arrival():
    changes = [
        change(ORDINARY_WEDNESDAY, ChangeType.REMOVE, version=2),
        change(ORDINARY_WEDNESDAY, ChangeType.ADD, version=1),
    ]

    assert calendar(national=changes).is_working_day(ORDINARY_WEDNESDAY)


def test_a_regional_day_off_is_off_in_its_region_only():
    regional = [change(ORDINARY_WEDNESDAY, scope=REGION)]

    assert not calendar(regional=regional).is_working_day(ORDINARY_WEDNESDAY)
    assert calendar().is_working_day(ORDINARY_WEDNESDAY)


def test_a_regional_removal_never_makes_a_national_day_a_working_day():
    regional = [change(CUTI_BERSAMA_18_AUG_2025, ChangeType.REMOVE, scope=REGION)]

    assert not calendar(regional=regional).is_working_day(CUTI_BERSAMA_18_AUG_2025)


def test_a_national_day_declared_over_a_regional_one_is_shown_as_national():
    regional = [change(ORDINARY_WEDNESDAY, scope=REGION, version=1)]
    national = [change(ORDINARY_WEDNESDAY, version=4)]

    holiday = calendar(national, regional).holiday(ORDINARY_WEDNESDAY)

    assert holiday.change.scope == NATIONAL


def test_admin_changes_do_not_make_a_provisional_year_official():
    merged = calendar(national=[change(date(2028, 3, 15))])

    assert merged.year(2028).provisional
    assert not merged.is_working_day(date(2028, 3, 15))


def test_a_library_day_can_be_cancelled_in_a_provisional_year():
    labour_day_2028 = date(2028, 5, 1)

    merged = calendar(national=[change(labour_day_2028, ChangeType.REMOVE)])

    assert merged.is_working_day(labour_day_2028)
    assert merged.year(2028).cancelled[labour_day_2028].holiday.origin is HolidayOrigin.LIBRARY


def test_the_count_of_working_days_falls_by_one_for_a_weekday_added():
    before = before_election_day().working_days_in(2024)
    after = before_election_day(national=[change(ELECTION_DAY_2024)]).working_days_in(2024)

    assert after == before - 1


def test_a_day_off_added_on_a_weekend_does_not_change_the_count_of_working_days():
    sunday = date(2025, 10, 19)

    merged = calendar(national=[change(sunday)])

    assert merged.holiday(sunday) is not None
    assert merged.working_days_in(2025) == calendar().working_days_in(2025)


# --- which changes may be made -----------------------------------------------------


def test_adding_a_day_that_is_already_off_is_a_conflict_naming_the_date():
    official = calendar().holiday(CUTI_BERSAMA_18_AUG_2025)

    with pytest.raises(ConflictError) as refused:
        check_change(change(CUTI_BERSAMA_18_AUG_2025), official)

    assert refused.value.field == "date"
    assert "official" in refused.value.message


def test_removing_a_working_day_is_a_conflict_naming_the_date():
    with pytest.raises(ConflictError) as refused:
        check_change(change(ORDINARY_WEDNESDAY, ChangeType.REMOVE), None)

    assert refused.value.field == "date"


def test_a_region_may_not_remove_a_national_day_off():
    official = calendar().holiday(INDEPENDENCE_DAY_2025)

    with pytest.raises(ConflictError) as refused:
        check_change(change(INDEPENDENCE_DAY_2025, ChangeType.REMOVE, scope=REGION), official)

    assert refused.value.field == "scope"


def test_a_region_may_remove_its_own_day_off():
    own = calendar(regional=[change(ORDINARY_WEDNESDAY, scope=REGION)]).holiday(ORDINARY_WEDNESDAY)

    check_change(change(ORDINARY_WEDNESDAY, ChangeType.REMOVE, scope=REGION, version=2), own)


@pytest.mark.parametrize(
    ("scope", "kind"),
    [
        (NATIONAL, HolidayKind.REGIONAL),
        (REGION, HolidayKind.NATIONAL),
        (REGION, HolidayKind.CUTI_BERSAMA),
    ],
)
def test_each_scope_declares_only_its_own_kinds_of_day_off(scope, kind):
    with pytest.raises(ValidationError) as refused:
        check_change(change(ORDINARY_WEDNESDAY, scope=scope, holiday_kind=kind), None)

    assert refused.value.field == "kind"


def test_a_cuti_bersama_may_be_added_nationally():
    check_change(change(ORDINARY_WEDNESDAY, holiday_kind=HolidayKind.CUTI_BERSAMA), None)
