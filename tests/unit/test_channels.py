"""Channel adapters: gateway authentication and fields, and the End User
Messaging payload."""

import hashlib
import hmac
import json

import pytest

from chalicelib.channels.end_user_messaging import UnreadableDeliveryError, read_inbound_sms
from chalicelib.channels.sms_gateway import read_gateway_sms, verify_gateway
from chalicelib.domain.errors import AuthenticationError, ValidationError
from tests.unit.builders import utc

SECRET = "gateway-secret-for-tests"
NOW = utc(2025, 3, 27, 2, 0)
BODY = b"from=081234567890&text=Tanggamus_jalan+rusak"


def hex_signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- SMS gateway authentication --------------------------------------------------------


def test_the_shared_secret_authenticates_a_gateway():
    verify_gateway({"x-saber-token": SECRET}, BODY, SECRET)


def test_an_hmac_of_the_body_authenticates_a_gateway():
    verify_gateway({"x-saber-signature": hex_signature(BODY)}, BODY, SECRET)


def test_the_hmac_may_be_written_in_upper_case():
    verify_gateway({"x-saber-signature": hex_signature(BODY).upper()}, BODY, SECRET)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-saber-token": "wrong"},
        {"x-saber-token": ""},
        {"x-saber-signature": hex_signature(b"another body")},
        {"x-saber-signature": hex_signature(BODY, "another secret")},
        {"x-saber-signature": hex_signature(BODY).replace("sha256", "sha1")},
    ],
)
def test_a_request_without_the_secret_or_a_valid_hmac_is_refused(headers):
    with pytest.raises(AuthenticationError):
        verify_gateway(headers, BODY, SECRET)


def test_no_request_is_accepted_when_no_gateway_secret_is_configured():
    with pytest.raises(AuthenticationError):
        verify_gateway({"x-saber-token": ""}, BODY, None)


# --- SMS gateway fields ---------------------------------------------------------------


def test_the_usual_field_names_are_read():
    sms = read_gateway_sms(
        {"from": "0812-3456-7890", "to": "1708", "text": "Tanggamus_jalan", "message_id": "g-1"},
        NOW,
    )

    assert (sms.sender.raw, sms.sender.canonical) == ("0812-3456-7890", "+6281234567890")
    assert (sms.destination, sms.body, sms.key) == ("1708", "Tanggamus_jalan", "sms-http#g-1")


@pytest.mark.parametrize(
    "fields",
    [
        {"sender": "081234567890", "message": "x", "id": "g-1"},
        {"MSISDN": "081234567890", "Body": "x", "MessageSid": "g-1"},
        {"originator": "081234567890", "content": "x", "sms_id": "g-1"},
    ],
)
def test_other_gateways_field_names_are_read_too(fields):
    sms = read_gateway_sms(fields, NOW)

    assert (sms.sender.canonical, sms.body, sms.gateway_message_id) == (
        "+6281234567890",
        "x",
        "g-1",
    )


def test_a_missing_text_is_an_empty_sms():
    assert read_gateway_sms({"from": "081234567890", "message_id": "g-1"}, NOW).body == ""


def test_a_missing_message_id_still_stores_the_sms_under_an_id_of_its_own():
    first = read_gateway_sms({"from": "081234567890", "text": "x"}, NOW)
    second = read_gateway_sms({"from": "081234567890", "text": "x"}, NOW)

    assert first.gateway_message_id != second.gateway_message_id


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "x"}, "from"),
        ({"from": "  ", "text": "x"}, "from"),
        ({"from": 81234567890, "text": "x"}, "from"),
        ({"from": "081234567890", "text": "x", "message_id": 12345}, "message_id"),
        ({"from": "081234567890", "text": ["x"]}, "text"),
        ({"from": "0" * 65, "text": "x"}, "from"),
    ],
)
def test_a_gateway_request_missing_or_mistyping_a_field_names_it(fields, field):
    with pytest.raises(ValidationError) as raised:
        read_gateway_sms(fields, NOW)

    assert raised.value.field == field


# --- AWS End User Messaging -------------------------------------------------------------

INBOUND = {
    "originationNumber": "+6281234567890",
    "destinationNumber": "+62215550100",
    "messageKeyword": "KEYWORD_123456789012",
    "messageBody": "Tanggamus_Jalan rusak",
    "inboundMessageId": "cae173d2-66b9-564c-8309-21f858e9fb84",
    "previousPublishedMessageId": "wJalrXUtnFEMI",
}


def test_an_end_user_messaging_payload_is_read_and_kept_whole():
    sms = read_inbound_sms(json.dumps(INBOUND), NOW)

    assert sms.key == "sms-aws#cae173d2-66b9-564c-8309-21f858e9fb84"
    assert (sms.sender.canonical, sms.destination, sms.body) == (
        "+6281234567890",
        "+62215550100",
        "Tanggamus_Jalan rusak",
    )
    assert sms.payload == INBOUND


@pytest.mark.parametrize(
    "message",
    [
        "not json",
        "[]",
        json.dumps({**INBOUND, "originationNumber": None}),
        json.dumps({k: v for k, v in INBOUND.items() if k != "inboundMessageId"}),
        json.dumps({**INBOUND, "messageBody": 42}),
    ],
)
def test_a_payload_that_is_no_inbound_sms_is_unreadable(message):
    with pytest.raises(UnreadableDeliveryError):
        read_inbound_sms(message, NOW)
