"""Staff bearer tokens (JWT): a local signing key for `make run` and tests, a
Cognito-style JWKS in production, chosen by configuration."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import jwt

from chalicelib.config import Settings
from chalicelib.domain.access import Actor, Role
from chalicelib.domain.errors import AuthenticationError

LOCAL_ISSUER = "saber-local"


class TokenVerifier:
    def __init__(self, settings: Settings):
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None

    def actor(self, token: str) -> Actor:
        try:
            claims = self._decode(token)
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("the bearer token has expired") from None
        except jwt.PyJWTError:
            raise AuthenticationError("the bearer token is not valid") from None
        return actor_from_claims(claims)

    def _decode(self, token: str) -> dict[str, Any]:
        options = {"require": ["exp", "sub"]}
        audience = self._settings.jwt_audience
        if self._jwks:
            key = self._jwks.get_signing_key_from_jwt(token).key
            return jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                issuer=self._settings.jwt_issuer,
                audience=audience,
                options=options | {"verify_aud": audience is not None},
            )
        return jwt.decode(
            token,
            self._settings.jwt_secret,
            algorithms=["HS256"],
            issuer=self._settings.jwt_issuer,
            audience=audience,
            options=options | {"verify_aud": audience is not None},
        )


def actor_from_claims(claims: dict[str, Any]) -> Actor:
    """Roles come as `role`, or `custom:role` from a Cognito user pool."""

    def claim(name: str) -> str | None:
        value = claims.get(name, claims.get(f"custom:{name}"))
        return str(value) if value not in (None, "") else None

    try:
        role = Role(claim("role") or "")
    except ValueError:
        raise AuthenticationError(
            "the token carries no known role (admin_pusat, admin_daerah, agency)"
        ) from None
    subject = claim("sub")
    if subject is None or not subject.strip():
        raise AuthenticationError("the token names no subject")
    region = (claim("region") or "").strip().lower() or None
    agency = (claim("agency") or "").strip().upper() or None
    if role is Role.ADMIN_DAERAH and not region:
        raise AuthenticationError("an admin_daerah token must name its region")
    if role is Role.AGENCY and not (region and agency):
        raise AuthenticationError("an agency token must name its region and agency")
    return Actor(
        subject=subject,
        role=role,
        region=region if role is not Role.ADMIN_PUSAT else None,
        agency=agency if role is Role.AGENCY else None,
    )


def issue_local_token(
    settings: Settings,
    *,
    role: Role,
    now: datetime,
    subject: str | None = None,
    region: str | None = None,
    agency: str | None = None,
    lifetime: timedelta = timedelta(hours=12),
) -> str:
    """A token the local server accepts; only possible with a local signing key."""
    if not settings.jwt_secret:
        raise AuthenticationError("tokens are issued by the identity provider in this stage")
    claims: dict[str, Any] = {
        "sub": subject or f"{role.value}:{agency or region or 'pusat'}".lower(),
        "role": role.value,
        "iss": LOCAL_ISSUER,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    if region:
        claims["region"] = region
    if agency:
        claims["agency"] = agency
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
