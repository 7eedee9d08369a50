"""Inbound channels over HTTP: SMS gateways. Each delivery is authenticated,
stored, and answered with what became of it."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import wiring
from chalicelib.api.errors import handled
from chalicelib.api.requests import form_fields, json_object, raw_body
from chalicelib.channels.sms_gateway import read_gateway_sms, verify_gateway

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
