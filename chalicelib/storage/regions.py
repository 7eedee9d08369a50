"""Region reference data on DynamoDB: one item per region, agencies inside it."""

from __future__ import annotations

from dataclasses import asdict

from chalicelib.domain.region import Region, region_from_dict
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
        """Create or replace a region (loading sample data is idempotent)."""
        data = asdict(region)
        RegionItem(pk=REGION_PARTITION, sk=region.code, name=region.name, data=data).save()


def _from_item(item: RegionItem) -> Region:
    return region_from_dict(item.data)
