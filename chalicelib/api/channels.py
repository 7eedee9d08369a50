"""Inbound channels over HTTP: SMS gateways and Twitter/X webhooks. Each
delivery is authenticated, stored, and answered with what became of it."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import wiring
from chalicelib.api.errors import handled
from chalicelib.api.requests import form_fields, json_object, query_param, raw_body
from chalicelib.channels import twitter
from chalicelib.channels.sms_gateway import read_gateway_sms, verify_gateway
from chalicelib.domain.errors import ChannelUnavailableError, ValidationError

bp = Blueprint(__name__)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@bp.route("/channels/sms", methods=["POST"], content_types=[FORM, JSON])
@handled
def inbound_sms():
    request = bp.current_request
    raw = raw_body(request)
    verify_gateway(request.headers, raw, wiring.settings().sms_gateway_secret)
    is_form = request.headers.get("content-type", "").split(";")[0].strip().lower() == FORM
    fields = form_fields(raw) if is_form else json_object(raw)
    now = wiring.now()
    return wiring.sms_intake().receive(read_gateway_sms(fields, now), now).as_dict()


def _twitter_secret() -> str:
    secret = wiring.settings().twitter_consumer_secret
    if not secret:
        raise ChannelUnavailableError("the Twitter channel is not configured")
    return secret


@bp.route("/channels/twitter", methods=["GET"])
@handled
def twitter_challenge():
    """The challenge-response check X makes when registering the webhook, and hourly."""
    secret = _twitter_secret()
    token = query_param(bp.current_request, "crc_token")
    if token is None:
        raise ValidationError("crc_token is required", field="crc_token")
    return twitter.crc_response(secret, token)


@bp.route("/channels/twitter", methods=["POST"], content_types=[JSON])
@handled
def twitter_events():
    request = bp.current_request
    secret = _twitter_secret()
    raw = raw_body(request)
    twitter.verify_signature(secret, raw, request.headers.get(twitter.SIGNATURE_HEADER))
    tweets = twitter.read_tweets(json_object(raw))
    now = wiring.now()
    intake = wiring.tweet_intake()
    return {"received": [intake.receive(tweet, now).as_dict() for tweet in tweets]}
