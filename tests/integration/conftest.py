"""Integration tests: the real app and storage code against moto's DynamoDB."""

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from botocore.client import BaseClient
from chalice.test import Client
from moto import mock_aws

from chalicelib import wiring
from chalicelib.cli import sample_region
from chalicelib.domain.access import Role
from chalicelib.services.tokens import issue_local_token
from chalicelib.storage.models import create_tables

JSON = {"Content-Type": "application/json"}


def serialise_requests(monkeypatch) -> None:
    """Make each DynamoDB request atomic, as DynamoDB is and in-process moto is not.

    moto applies a transaction by copying and restoring whole tables without a lock,
    so two threads can both pass a condition. Serialising single requests keeps
    every interleaving between requests (read, decide, conditional write) that the
    concurrency tests are about.
    """
    lock = threading.Lock()
    original = BaseClient._make_api_call

    def one_at_a_time(self, operation_name, api_params):
        with lock:
            return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", one_at_a_time)


@pytest.fixture
def dynamodb(monkeypatch):
    serialise_requests(monkeypatch)
    with mock_aws():
        wiring.reset()
        wiring.complaints()  # binds the models inside the mock
        create_tables()
        wiring.regions().repo.put(sample_region("tanggamus"))
        yield
        wiring.reset()


@pytest.fixture
def client(dynamodb):
    from app import app

    with Client(app, stage_name="dev") as c:
        yield c


class FrozenClock:
    """Stands in for the service clock; tests move it explicitly."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso).astimezone(UTC)


@pytest.fixture
def clock(monkeypatch):
    frozen = FrozenClock(datetime(2025, 3, 27, 2, 0, tzinfo=UTC))  # Thu 27 Mar 2025, 09:00 WIB
    monkeypatch.setattr(wiring, "now", frozen)
    return frozen


def token_for(role: str, region: str | None = "tanggamus", agency: str | None = None) -> str:
    return issue_local_token(
        wiring.settings(), role=Role(role), now=datetime.now(UTC), region=region, agency=agency
    )


def auth(role: str, **claims) -> dict:
    return {"Authorization": f"Bearer {token_for(role, **claims)}"}


def complaint_body(**overrides) -> dict:
    body = {
        "name": "Sumiyati",
        "phone": "0812-3456-7890",
        "title": "Jalan rusak",
        "description": "Jalan rusak di pekon Way Gelang, berlubang sejak Januari.",
        "location": "Pekon Way Gelang, Kec. Kota Agung",
        "category": "jalan",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def post_json(client, path: str, body, headers: dict | None = None):
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.http.post(path, headers=JSON | (headers or {}), body=raw)


def file(client, **overrides) -> dict:
    response = post_json(client, "/complaints", complaint_body(**overrides))
    assert response.status_code == 201, response.body
    return response.json_body


def route(client, tracking_id: str, agency: str = "PUPR", as_: dict | None = None):
    """Route as the central admin, or as whoever `as_` (auth headers) names."""
    headers = as_ or auth("admin_pusat")
    return post_json(client, f"/staff/complaints/{tracking_id}/route", {"agency": agency}, headers)


def follow_up(client, tracking_id: str, as_: dict | None = None, text: str = "Sudah ditinjau"):
    """Follow up as the PUPR officer, or as whoever `as_` (auth headers) names."""
    headers = as_ or auth("agency", agency="PUPR")
    return post_json(client, f"/staff/complaints/{tracking_id}/follow-ups", {"text": text}, headers)


# --- inbound channels and the outbox ------------------------------------------------

GATEWAY_SECRET = "test-sms-gateway-secret"  # as set in tests/conftest.py
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# The SNS topic of AWS End User Messaging, and the HTTP gateway route as form and JSON.
SMS_ENTRY_POINTS = ("sns", "form", "json")
REPORTER = "081234567890"


def deliver_sms(
    client, entry: str, body: str, sender: str = REPORTER, message_id: str = "gw-1"
) -> dict:
    """One delivery of an SMS through an entry point; what the service answered."""
    if entry == "sns":
        payload = {
            "originationNumber": sender,
            "destinationNumber": "1708",
            "messageBody": body,
            "inboundMessageId": message_id,
        }
        event = client.events.generate_sns_event(message=json.dumps(payload))
        return client.lambda_.invoke("inbound_sms", event).payload
    fields = {"from": sender, "to": "1708", "text": body, "message_id": message_id}
    if entry == "form":
        raw = urlencode(fields)
        headers = FORM | {"X-Saber-Token": GATEWAY_SECRET}
    else:
        raw = json.dumps(fields)
        mac = hmac.new(GATEWAY_SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()
        headers = JSON | {"X-Saber-Signature": f"sha256={mac}"}
    response = client.http.post("/channels/sms", headers=headers, body=raw)
    assert response.status_code == 200, response.body
    return response.json_body


class RecordingSender:
    """Stands in for SNS: keeps what was sent; fails the first `failures` sends."""

    def __init__(self, failures: int = 0):
        self.sent: list[tuple[str, str]] = []
        self.failures = failures
        self.lock = threading.Lock()

    def send(self, to: str, text: str) -> str:
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise ConnectionError("SMS provider unavailable")
            self.sent.append((to, text))
            return f"fake-{len(self.sent)}"


@pytest.fixture
def sms_outbox(monkeypatch):
    sender = RecordingSender()
    monkeypatch.setattr(wiring, "sms_sender", lambda: sender)
    return sender


def run_outbox_job(client, at: datetime | None = None) -> dict:
    """The scheduled outbox worker, invoked as EventBridge invokes it."""
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    event["time"] = (at or wiring.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return client.lambda_.invoke("outbox_worker", event).payload


@pytest.fixture
def atomic_requests(monkeypatch):
    """Each AWS request applied whole before the next, as DynamoDB does (the
    `dynamodb` fixture already does this; tests that start threads name it)."""
    serialise_requests(monkeypatch)
