"""Integration tests: the real app and storage code against moto's DynamoDB."""

import json
import threading
from datetime import UTC, datetime

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


def atomic_requests(monkeypatch) -> None:
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
    atomic_requests(monkeypatch)
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
