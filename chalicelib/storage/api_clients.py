"""Open311 API clients on DynamoDB: who may POST requests, by key hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.storage.models import ApiClientItem

CLIENT_PARTITION = "CLIENT"


@dataclass(frozen=True)
class ApiClient:
    client: str
    key_id: str  # the first characters of the key's hash: names a key without revealing it
    created_at: datetime
    created_by: str


class ApiClientRepository:
    def add(self, key_hash: str, client: str, created_at: datetime, created_by: str) -> ApiClient:
        item = ApiClientItem(
            pk=CLIENT_PARTITION,
            key_hash=key_hash,
            client=client,
            created_at=created_at,
            created_by=created_by,
        )
        item.save(condition=ApiClientItem.key_hash.does_not_exist())
        return _from_item(item)

    def by_key_hash(self, key_hash: str) -> ApiClient | None:
        try:
            return _from_item(ApiClientItem.get(CLIENT_PARTITION, key_hash))
        except ApiClientItem.DoesNotExist:
            return None

    def all(self) -> list[ApiClient]:
        return [_from_item(i) for i in ApiClientItem.query(CLIENT_PARTITION)]


def _from_item(item: ApiClientItem) -> ApiClient:
    return ApiClient(item.client, item.key_hash[:12], item.created_at, item.created_by)
