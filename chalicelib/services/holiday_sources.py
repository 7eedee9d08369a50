"""Where days off come from: the official SKB lists packaged with the service,
and python-holidays for years that have no official list yet (provisional)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from chalicelib.domain.calendar import Holiday, HolidayKind, HolidayOrigin, HolidayYear

OFFICIAL_LIST = "id_holidays_official.csv"


@cache
def official_holidays() -> tuple[Holiday, ...]:
    """The official national holidays and cuti bersama, with their sources."""
    text = resources.files("chalicelib.data").joinpath(OFFICIAL_LIST).read_text("utf-8")
    return tuple(
        Holiday(
            day=date.fromisoformat(row["date"]),
            name=row["name"],
            kind=HolidayKind(row["kind"]),
            origin=HolidayOrigin.OFFICIAL,
            source=row["source_url"],
        )
        for row in csv.DictReader(text.splitlines())
    )


@dataclass(frozen=True)
class OfficialListSource:
    """Official lists for the years they cover; another source for the rest."""

    holidays: tuple[Holiday, ...]
    fallback: LibrarySource

    def year(self, year: int) -> HolidayYear:
        mine = {h.day: h for h in self.holidays if h.day.year == year}
        if mine:
            return HolidayYear(mine, provisional=False)
        return self.fallback.year(year)

    @property
    def official_years(self) -> frozenset[int]:
        return frozenset(h.day.year for h in self.holidays)


@dataclass(frozen=True)
class LibrarySource:
    """python-holidays with the public and government categories, in Indonesian.

    Its dates for Islamic holidays are estimates and it does not know every cuti
    bersama, so every year it fills is provisional.
    """

    country: str = "ID"
    categories: tuple[str, ...] = ("public", "government")

    def year(self, year: int) -> HolidayYear:
        return HolidayYear(_library_year(self.country, self.categories, year), provisional=True)


@cache
def _library_year(country: str, categories: Iterable[str], year: int) -> dict[date, Holiday]:
    import holidays  # imported on first use: most deadlines never leave the official years

    found = holidays.country_holidays(
        country, years=year, categories=tuple(categories), language="id"
    )
    return {
        day: Holiday(
            day=day,
            name=name,
            kind=HolidayKind.NATIONAL,
            origin=HolidayOrigin.LIBRARY,
            source=f"python-holidays {holidays.__version__}",
        )
        for day, name in found.items()
    }


def default_source() -> OfficialListSource:
    return OfficialListSource(official_holidays(), LibrarySource())
