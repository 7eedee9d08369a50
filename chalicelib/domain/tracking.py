"""Tracking IDs: short, safe to read aloud and type, with a check character.

Form: region prefix, a dash, six random symbols and one check symbol from
Crockford's base-32 alphabet (no I, L, O or U), e.g. `TGM-7K3QXR4`. The check
symbol is Luhn mod 32, which catches every single wrong symbol and every swap of
two neighbours. Reading is forgiving: case, spaces and dashes do not matter, and
O/I/L are read as 0/1/1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 6
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(r"^([A-Z]{2,5})-?([0-9A-Z]{7})$")


def check_symbol(body: str) -> str:
    """Luhn mod N over the base-32 alphabet."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_tracking_id(prefix: str, random_index: Callable[[int], int]) -> str:
    """A new ID for a region; `random_index(n)` returns a random int in [0, n)."""
    body = "".join(ALPHABET[random_index(len(ALPHABET))] for _ in range(BODY_LENGTH))
    return f"{prefix}-{body}{check_symbol(body)}"


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
