"""Random identifiers, the reporter's access code and Open311 API keys (both
stored only as a hash)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from chalicelib.domain.tracking import ALPHABET, new_tracking_id

_ITERATIONS = 20_000
ACCESS_CODE_LENGTH = 10  # 50 bits, typed from an SMS or a receipt


class IdFactory:
    """Tracking IDs and access codes from the operating system's random source."""

    def tracking_id(self, prefix: str) -> str:
        return new_tracking_id(prefix, secrets.randbelow)

    def access_code(self) -> str:
        symbols = "".join(secrets.choice(ALPHABET) for _ in range(ACCESS_CODE_LENGTH))
        return f"{symbols[:5]}-{symbols[5:]}"


def _normalize(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def hash_access_code(code: str) -> str:
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", _normalize(code).encode(), salt.encode(), _ITERATIONS)
    return f"pbkdf2_sha256${_ITERATIONS}${salt}${digest.hex()}"


def access_code_matches(code: str, stored: str) -> bool:
    try:
        _, iterations, salt, expected = stored.split("$")
    except ValueError:
        return False
    digest = hashlib.pbkdf2_hmac(
        "sha256", _normalize(code).encode(), salt.encode(), int(iterations)
    )
    return hmac.compare_digest(digest.hex(), expected)


def new_api_key() -> str:
    """An Open311 client's key: 256 random bits, shown once when issued."""
    return secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """Keys are long and random, so one SHA-256 suffices (no stretching needed)."""
    return hashlib.sha256(key.strip().encode()).hexdigest()
