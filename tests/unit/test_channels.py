"""Channel adapters: gateway authentication and fields, the End User Messaging
payload, and Twitter's challenge, signature and tweet shape."""

import base64
import hashlib
import hmac
import json

import pytest

from chalicelib.channels.end_user_messaging import UnreadableDeliveryError, read_inbound_sms
from chalicelib.channels.sms_gateway import read_gateway_sms, verify_gateway
from chalicelib.channels.twitter import crc_response, read_tweets, verify_signature
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


# --- Twitter / X -----------------------------------------------------------------------

TWITTER_SECRET = "twitter-consumer-secret"


def test_the_crc_answer_is_the_base64_hmac_of_the_token_with_the_consumer_secret():
    # Computed independently: base64(HMAC-SHA256("twitter-consumer-secret", "crc-1")).
    expected = base64.b64encode(
        hmac.new(b"twitter-consumer-secret", b"crc-1", hashlib.sha256).digest()
    ).decode()

    assert crc_response(TWITTER_SECRET, "crc-1") == {"response_token": f"sha256={expected}"}


def test_a_delivery_signed_with_the_consumer_secret_is_accepted():
    body = b'{"data": {}}'
    mac = hmac.new(TWITTER_SECRET.encode(), body, hashlib.sha256).digest()

    verify_signature(TWITTER_SECRET, body, "sha256=" + base64.b64encode(mac).decode())


@pytest.mark.parametrize("header", [None, "", "sha256=AAAA", "sha256=" + "x" * 44])
def test_a_delivery_with_a_missing_or_wrong_signature_is_refused(header):
    with pytest.raises(AuthenticationError):
        verify_signature(TWITTER_SECRET, b'{"data": {}}', header)


def tweet_payload(**data):
    return {
        "data": {"id": "1800000000000000001", "text": "x", "author_id": "42", **data},
        "includes": {"users": [{"id": "42", "username": "warga_tgm", "name": "Warga"}]},
    }


def test_a_tweet_is_read_with_its_author_handle():
    (tweet,) = read_tweets(tweet_payload(text="Jalan rusak #lapor1708"))

    assert (tweet.id, tweet.author_username, tweet.hashtags) == (
        "1800000000000000001",
        "warga_tgm",
        ("lapor1708",),
    )


def test_entities_are_preferred_to_the_text_for_hashtags_and_mentions():
    (tweet,) = read_tweets(
        tweet_payload(
            text="jalan rusak",
            entities={"hashtags": [{"tag": "Lapor1708"}], "mentions": [{"username": "SaberPekan"}]},
        )
    )

    assert (tweet.hashtags, tweet.mentions) == (("lapor1708",), ("saberpekan",))


def test_referenced_tweets_are_read_from_the_metadata():
    (tweet,) = read_tweets(
        tweet_payload(referenced_tweets=[{"type": "retweeted", "id": "1700000000000000001"}])
    )

    assert tweet.references("retweeted", "quoted") == ["1700000000000000001"]


def test_rt_in_the_text_is_not_a_retweet():
    (tweet,) = read_tweets(tweet_payload(text="Jalan rusak di RT 03 RW 05 #lapor1708"))

    assert tweet.referenced == ()


def test_a_delivery_may_hold_several_tweets_or_none():
    many = {"data": [tweet_payload()["data"], {**tweet_payload()["data"], "id": "2"}]}

    assert len(read_tweets(many)) == 2
    assert read_tweets({"for_user_id": "1"}) == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": 1800000000000000001, "text": "x"}, "data.id"),
        ({"id": "12a", "text": "x"}, "data.id"),
        ({"id": "1", "text": 5}, "data.text"),
        ("a tweet", "data"),
    ],
)
def test_a_malformed_tweet_names_its_field(data, field):
    with pytest.raises(ValidationError) as raised:
        read_tweets({"data": data})

    assert raised.value.field == field
