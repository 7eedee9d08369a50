"""Shared test set-up. The environment is fixed before anything imports the app:
PynamoDB and boto3 must never see a real endpoint or real credentials."""

import os
from pathlib import Path

INFRA_TESTS = Path(__file__).parent / "infra"

os.environ.update(
    {
        "AWS_DEFAULT_REGION": "ap-southeast-3",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "SABER_STAGE": "dev",
        "SABER_TABLE_PREFIX": "saber-dev",
        "SABER_JWT_SECRET": "test-signing-key-with-at-least-32-bytes!",
        "SABER_SMS_GATEWAY_SECRET": "test-sms-gateway-secret",
        "SABER_SMS_SENDER": "log",
        "SABER_TWITTER_CONSUMER_SECRET": "test-twitter-consumer-secret",
        "SABER_TWITTER_ACCOUNT": "saberpekan",
    }
)
os.environ.pop("DYNAMODB_ENDPOINT", None)
os.environ.pop("SABER_JWKS_URL", None)


def pytest_addoption(parser):
    parser.addoption(
        "--infra",
        action="store_true",
        help="also run tests/infra (synthesizes the CDK app; needs requirements-infra.txt)",
    )


def pytest_ignore_collect(collection_path, config):
    """tests/infra needs the infrastructure dependencies and a minute of synthesis, so
    it runs only with --infra (`make infra-test`), never by default."""
    in_infra = INFRA_TESTS in (collection_path, *collection_path.parents)
    return True if in_infra and not config.getoption("--infra") else None
