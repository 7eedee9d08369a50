"""Tracking IDs: short, safe to read aloud and type, with a check symbol.

Form: region prefix, a dash, six random symbols and one check symbol from
Crockford's base-32 alphabet (no I, L, O or U), e.g. `TGM-7K3QXRJ`. The seven
symbols, weighted 1 to 7, sum to a multiple of 37. Because 37 is prime and the
weights differ, every single wrong symbol and every swap of two neighbours
(check symbol included) breaks the sum. Bodies whose check value would fall
outside the 32 symbols are never issued. Reading is forgiving: case, spaces and
dashes do not matter, and O/I/L are read as 0/1/1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 6
MODULUS = 37
_CHECK_WEIGHT = BODY_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(r"^([A-Z]{2,5})-([0-9A-Z]{7})$")


def check_symbol(body: str) -> str | None:
    """The symbol that completes `body`, or None when no symbol can."""
    partial = sum(weight * _VALUE[ch] for weight, ch in enumerate(body, start=1))
    value = (-partial * pow(_CHECK_WEIGHT, -1, MODULUS)) % MODULUS
    return ALPHABET[value] if value < len(ALPHABET) else None


def new_tracking_id(prefix: str, random_index: Callable[[int], int]) -> str:
    """A new ID for a region; `random_index(n)` returns a random int in [0, n)."""
    while True:
        body = "".join(ALPHABET[random_index(len(ALPHABET))] for _ in range(BODY_LENGTH))
        check = check_symbol(body)
        if check is not None:
            return f"{prefix}-{body}{check}"


def normalize_tracking_id(text: str) -> str | None:
    """The canonical form of a typed tracking ID, or None if it is not one."""
    compact = re.sub(r"[\s\-_.]", "", text.upper())
    match = re.match(r"^([A-Z]{2,5}?)([0-9A-Z]{7})$", compact)
    if not match:
        return None
    prefix, rest = match.group(1), match.group(2).translate(_LOOKALIKES)
    if any(ch not in _VALUE for ch in rest):
        return None
    body, check = rest[:-1], rest[-1]
    if check_symbol(body) != check:
        return None
    return f"{prefix}-{body}{check}"


def is_tracking_id(text: str) -> bool:
    return _SHAPE.match(text) is not None and normalize_tracking_id(text) == text
