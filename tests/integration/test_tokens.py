"""Staff tokens in production: RS256 verified against the identity provider's
JWKS, served here from a local HTTP server as a Cognito user pool serves it."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.config import Settings
from chalicelib.domain.access import Role
from chalicelib.domain.errors import AuthenticationError
from chalicelib.services.tokens import TokenVerifier

ISSUER = "https://cognito-idp.ap-southeast-3.amazonaws.com/ap-southeast-3_example"


def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signing_key():
    return _rsa_key()


@pytest.fixture(scope="module")
def jwks_url(signing_key):
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    body = json.dumps({"keys": [public | {"kid": "key-1", "alg": "RS256", "use": "sig"}]})

    class JWKS(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), JWKS)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


@pytest.fixture
def verifier(jwks_url):
    settings = Settings.from_env(
        {"SABER_STAGE": "prod", "SABER_JWKS_URL": jwks_url, "SABER_JWT_ISSUER": ISSUER}
    )
    return TokenVerifier(settings)


def cognito_token(key, **claims) -> str:
    now = datetime.now(UTC)
    payload = {
        "sub": "a1b2c3",
        "iss": ISSUER,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
        "custom:role": "agency",
        "custom:region": "tanggamus",
        "custom:agency": "pupr",
    } | claims
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": "key-1"})


def test_a_token_signed_by_the_user_pool_names_the_officer_and_agency(verifier, signing_key):
    actor = verifier.actor(cognito_token(signing_key))

    assert (actor.role, actor.region, actor.agency) == (Role.AGENCY, "tanggamus", "PUPR")


def test_a_token_signed_by_another_key_is_refused(verifier):
    with pytest.raises(AuthenticationError):
        verifier.actor(cognito_token(_rsa_key()))


def test_a_token_from_another_issuer_is_refused(verifier, signing_key):
    with pytest.raises(AuthenticationError):
        verifier.actor(cognito_token(signing_key, iss="https://elsewhere.example"))


def test_an_expired_token_is_refused(verifier, signing_key):
    with pytest.raises(AuthenticationError):
        verifier.actor(cognito_token(signing_key, exp=1))


def test_an_unsigned_token_is_refused(verifier):
    unsigned = jwt.encode({"sub": "x", "custom:role": "admin_pusat", "exp": 2**31}, None, "none")

    with pytest.raises(AuthenticationError):
        verifier.actor(unsigned)


def test_the_local_development_key_is_refused_outside_the_local_stage():
    from chalicelib.config import LOCAL_JWT_SECRET, ConfigurationError

    with pytest.raises(ConfigurationError):
        Settings.from_env({"SABER_STAGE": "prod", "SABER_JWT_SECRET": LOCAL_JWT_SECRET})


def test_a_token_without_a_subject_is_refused(verifier, signing_key):
    with pytest.raises(AuthenticationError):
        verifier.actor(cognito_token(signing_key, sub=""))


def test_a_shared_key_token_from_another_issuer_is_refused():
    settings = Settings.from_env(
        {
            "SABER_STAGE": "dev",
            "SABER_JWT_SECRET": "a-shared-key-of-at-least-32-bytes!!",
            "SABER_JWT_ISSUER": "https://issuer.example",
        }
    )
    forged = jwt.encode(
        {"sub": "x", "role": "admin_pusat", "exp": 2**31, "iss": "https://evil.example"},
        "a-shared-key-of-at-least-32-bytes!!",
        algorithm="HS256",
    )

    with pytest.raises(AuthenticationError):
        TokenVerifier(settings).actor(forged)


def test_a_short_shared_key_is_refused_at_start():
    from chalicelib.config import ConfigurationError

    with pytest.raises(ConfigurationError):
        Settings.from_env({"SABER_STAGE": "prod", "SABER_JWT_SECRET": "short"})
