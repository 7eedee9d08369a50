"""Tweets to #lapor1708: the webhook's checks, new complaints, and support by
retweet or quote, decided from the tweet's metadata."""

import base64
import hashlib
import hmac
import json

import pytest

from chalicelib import wiring
from tests.integration.conftest import JSON, auth

SECRET = "test-twitter-consumer-secret"  # as set in tests/conftest.py
AUTHOR = {"id": "42", "username": "warga_tgm", "name": "Warga Tanggamus"}
FAN = {"id": "43", "username": "tetangga", "name": "Tetangga"}


def tweet(tweet_id: str, text: str, author: dict = AUTHOR, **fields) -> dict:
    return {
        "data": {"id": tweet_id, "text": text, "author_id": author["id"], **fields},
        "includes": {"users": [author]},
    }


def signed(raw: str, secret: str = SECRET) -> dict:
    mac = hmac.new(secret.encode(), raw.encode(), hashlib.sha256).digest()
    return JSON | {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(mac).decode()}


def post_tweet(client, payload: dict) -> list[dict]:
    raw = json.dumps(payload)
    response = client.http.post("/channels/twitter", headers=signed(raw), body=raw)
    assert response.status_code == 200, response.body
    return response.json_body["received"]


def events_of(client, tracking_id: str) -> list[dict]:
    view = client.http.get(f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat"))
    return view.json_body["events"]


def triage(client) -> list[dict]:
    return client.http.get("/staff/queues/triage", headers=auth("admin_pusat")).json_body["items"]


def retweet_of(original: str, tweet_id: str = "1800000000000000009", kind: str = "retweeted"):
    return tweet(
        tweet_id,
        "RT @warga_tgm: Jalan rusak di pekon Way Gelang #lapor1708",
        author=FAN,
        referenced_tweets=[{"type": kind, "id": original}],
    )


ORIGINAL = "1800000000000000001"


@pytest.fixture
def filed(client):
    (receipt,) = post_tweet(client, tweet(ORIGINAL, "Jalan rusak di pekon Way Gelang #lapor1708"))
    return receipt["tracking_id"]


def test_the_crc_check_is_answered_with_the_hmac_of_the_token(client):
    response = client.http.get("/channels/twitter?crc_token=abc123")

    mac = hmac.new(SECRET.encode(), b"abc123", hashlib.sha256).digest()
    assert response.status_code == 200
    assert response.json_body == {"response_token": "sha256=" + base64.b64encode(mac).decode()}


def test_a_crc_check_without_a_token_names_the_field(client):
    response = client.http.get("/channels/twitter")

    assert (response.status_code, response.json_body["error"]["field"]) == (400, "crc_token")


def test_a_delivery_with_a_wrong_signature_is_refused_and_not_stored(client):
    raw = json.dumps(tweet(ORIGINAL, "Jalan rusak #lapor1708"))

    response = client.http.post(
        "/channels/twitter", headers=signed(raw, "not the secret"), body=raw
    )

    assert response.status_code == 401
    assert triage(client) == []


def test_the_channel_answers_503_when_no_consumer_secret_is_configured(client, monkeypatch):
    monkeypatch.delenv("SABER_TWITTER_CONSUMER_SECRET")
    monkeypatch.setattr(wiring, "settings", lambda: wiring.Settings.from_env())

    response = client.http.get("/channels/twitter?crc_token=abc")

    assert (response.status_code, response.json_body["error"]["code"]) == (
        503,
        "channel_unavailable",
    )


def test_a_tweet_with_the_hashtag_becomes_a_complaint_by_its_author(client, filed):
    view = client.http.get(f"/staff/complaints/{filed}", headers=auth("admin_pusat")).json_body

    assert (view["channel"], view["reporter"]["name"]) == ("twitter", "@warga_tgm")
    assert view["description"] == "Jalan rusak di pekon Way Gelang"
    assert view["region_unknown"] is True


def test_a_tweet_naming_the_region_is_filed_in_that_region(client):
    (receipt,) = post_tweet(client, tweet("7", "#lapor1708 Tanggamus: lampu jalan mati"))

    view = client.http.get(
        f"/staff/complaints/{receipt['tracking_id']}", headers=auth("admin_pusat")
    ).json_body
    assert (view["region"], view["region_unknown"], view["title"]) == (
        "tanggamus",
        False,
        "lampu jalan mati",
    )


def test_a_tweet_mentioning_the_service_becomes_a_complaint(client):
    (receipt,) = post_tweet(client, tweet("8", "@SaberPekan sampah menumpuk di pasar"))

    assert receipt["outcome"] == "filed"


def test_an_address_with_rt_and_rw_is_a_new_complaint_not_a_retweet(client):
    (receipt,) = post_tweet(client, tweet("9", "Jalan rusak di RT 03 RW 05 #lapor1708"))

    assert receipt["outcome"] == "filed"
    assert [c["tracking_id"] for c in triage(client)] == [receipt["tracking_id"]]


def test_a_retweet_of_a_complaint_is_support_for_it(client, filed):
    (receipt,) = post_tweet(client, retweet_of(ORIGINAL))

    assert (receipt["outcome"], receipt["tracking_id"]) == ("support", filed)
    assert [c["tracking_id"] for c in triage(client)] == [filed]
    support = events_of(client, filed)[-1]
    assert (support["type"], support["data"]["tweet"]) == ("support", "1800000000000000009")


def test_a_quote_of_a_complaint_is_support_for_it(client, filed):
    (receipt,) = post_tweet(client, retweet_of(ORIGINAL, kind="quoted"))

    assert (receipt["outcome"], receipt["tracking_id"]) == ("support", filed)


def test_a_retweet_delivered_twice_counts_once(client, filed):
    post_tweet(client, retweet_of(ORIGINAL))
    (again,) = post_tweet(client, retweet_of(ORIGINAL))

    assert again["duplicate"] is True
    assert [e["type"] for e in events_of(client, filed)] == ["received", "support"]


def test_each_supporting_tweet_counts(client, filed):
    post_tweet(client, retweet_of(ORIGINAL, tweet_id="11"))
    post_tweet(client, retweet_of(ORIGINAL, tweet_id="12", kind="quoted"))

    assert [e["type"] for e in events_of(client, filed)] == ["received", "support", "support"]


def test_a_retweet_of_a_tweet_that_is_no_complaint_is_kept_but_files_nothing(client):
    (receipt,) = post_tweet(client, retweet_of("1234"))

    assert receipt["outcome"] == "ignored"
    assert triage(client) == []


def test_a_tweet_neither_tagged_nor_mentioning_the_service_files_nothing(client):
    (receipt,) = post_tweet(client, tweet("10", "Jalan rusak di pekon Way Gelang"))

    assert receipt["outcome"] == "ignored"


def test_a_tweet_with_only_the_hashtag_files_nothing(client):
    (receipt,) = post_tweet(client, tweet("13", "#lapor1708 https://t.co/abc"))

    assert receipt["outcome"] == "needs_content"


def test_a_tweet_delivered_twice_is_one_complaint(client, filed):
    (again,) = post_tweet(client, tweet(ORIGINAL, "Jalan rusak di pekon Way Gelang #lapor1708"))

    assert (again["duplicate"], again["tracking_id"]) == (True, filed)
    assert len(triage(client)) == 1


def test_a_tweet_id_sent_as_a_number_is_refused_naming_the_field(client):
    raw = json.dumps({"data": {"id": 1800000000000000001, "text": "x #lapor1708"}})

    response = client.http.post("/channels/twitter", headers=signed(raw), body=raw)

    assert (response.status_code, response.json_body["error"]["field"]) == (400, "data.id")
