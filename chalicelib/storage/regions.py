"""Region reference data on DynamoDB: one item per region, agencies inside it."""

from __future__ import annotations

from dataclasses import asdict

from pynamodb.exceptions import PutError

from chalicelib.domain.region import Region, region_from_dict
from chalicelib.storage.conditions import condition_failed
from chalicelib.storage.models import RegionItem

REGION_PARTITION = "REGION"


class RegionRepository:
    def get(self, code: str) -> Region | None:
        try:
            return _from_item(RegionItem.get(REGION_PARTITION, code))
        except RegionItem.DoesNotExist:
            return None

    def all(self) -> list[Region]:
        return [_from_item(i) for i in RegionItem.query(REGION_PARTITION)]

    def put(self, region: Region) -> None:
        """Create or replace a region."""
        self._item(region).save()

    def add_if_absent(self, region: Region) -> bool:
        """Create a region unless it exists (loading sample data never overwrites
        what admins changed); True if it was created."""
        try:
            self._item(region).save(condition=RegionItem.sk.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True

    @staticmethod
    def _item(region: Region) -> RegionItem:
        return RegionItem(
            pk=REGION_PARTITION, sk=region.code, name=region.name, data=asdict(region)
        )


def _from_item(item: RegionItem) -> Region:
    return region_from_dict(item.data)
