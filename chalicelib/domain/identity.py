"""NIK (Nomor Induk Kependudukan): 16 digits, always a string.

Layout: province (2) regency (2) district (2), birth date DDMMYY with 40 added to
the day for women, then a 4-digit serial that is never 0000. A NIK from Papua is
above 2^53, so one that passed through a float is already wrong.
"""

from __future__ import annotations

from calendar import monthrange

# Province codes in use (Kemendagri); 9x covers the Papua provinces created since 2022.
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}
)


def nik_problem(nik: str) -> str | None:
    """Why `nik` cannot be a NIK, or None if it can."""
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        return "a NIK is exactly 16 digits"
    if int(nik[:2]) not in PROVINCES:
        return "the first two digits of a NIK are a province code"
    if nik[2:4] == "00" or nik[4:6] == "00":
        return "digits 3-6 of a NIK are a regency and district code"
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    # The century is not in the NIK, so 29 February is always possible.
    if not (1 <= month <= 12 and 1 <= day <= monthrange(2000, month)[1]):
        return "digits 7-12 of a NIK are a birth date (DDMMYY, day + 40 for women)"
    if nik[12:] == "0000":
        return "the last four digits of a NIK are a serial number, never 0000"
    return None
