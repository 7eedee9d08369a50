"""Integration tests: the real app and storage code against moto's DynamoDB."""

from datetime import UTC, datetime

import pytest
from chalice.test import Client
from moto import mock_aws

from chalicelib import wiring
from chalicelib.cli import sample_region
from chalicelib.domain.access import Role
from chalicelib.services.tokens import issue_local_token
from chalicelib.storage.models import create_tables


@pytest.fixture
def dynamodb():
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


def token_for(role: str, region: str | None = "tanggamus", agency: str | None = None) -> str:
    return issue_local_token(
        wiring.settings(),
        role=Role(role),
        now=datetime.now(UTC),
        region=region,
        agency=agency,
    )


def auth(role: str, **kwargs) -> dict:
    return {"Authorization": f"Bearer {token_for(role, **kwargs)}"}
