"""Kept data from before the public index: `setup` adds the index and backfills it."""

import argparse
import json

from chalicelib import cli
from chalicelib.storage.models import ComplaintItem
from tests.integration.conftest import file
from tests.integration.open311_client import get, requests


def as_before_the_public_index(tracking_id: str) -> None:
    connection = ComplaintItem._get_connection()
    connection.connection.client.update_table(
        TableName=ComplaintItem.Meta.table_name,
        GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "public-feed"}}],
    )
    connection.update_item(tracking_id, actions=[ComplaintItem.public_feed.remove()])


def test_setup_adds_the_public_index_and_lists_older_complaints(client, clock, capsys):
    older = file(client)["tracking_id"]
    secret = file(client, confidential=True)["tracking_id"]
    as_before_the_public_index(older)

    cli.setup(argparse.Namespace())

    summary = json.loads(capsys.readouterr().out)
    assert summary["indexes_created"] == ["public-feed"]
    assert summary["public_feed_backfilled"] == 1
    listed = requests(get(client, "requests", "json"), "json")
    assert [r["service_request_id"] for r in listed] == [older]
    assert secret not in {r["service_request_id"] for r in listed}


def test_setup_on_current_tables_changes_nothing(client, capsys):
    cli.setup(argparse.Namespace())

    summary = json.loads(capsys.readouterr().out)
    assert summary["indexes_created"] == []
    assert summary["public_feed_backfilled"] == 0
