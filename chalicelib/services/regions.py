"""Regions as the service sees them: read from storage, cached for a few minutes
so filing a complaint or reading an SMS does not read reference data every time."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.domain.errors import NotFoundError
from chalicelib.domain.region import Region
from chalicelib.domain.sms import KeywordTable
from chalicelib.storage.regions import RegionRepository


@dataclass
class RegionDirectory:
    repo: RegionRepository
    ttl_seconds: float = 300.0
    monotonic: Callable[[], float] = time.monotonic
    _cache: dict[str, tuple[float, Region]] = field(default_factory=dict)
    _keywords: tuple[float, KeywordTable] | None = None

    def get(self, code: str) -> Region:
        key = code.strip().lower()
        hit = self._cache.get(key)
        if hit and self.monotonic() - hit[0] < self.ttl_seconds:
            return hit[1]
        region = self.repo.get(key)
        if region is None:
            raise NotFoundError(f"no region {code!r}", field="region")
        self._cache[key] = (self.monotonic(), region)
        return region

    def all(self) -> list[Region]:
        return self.repo.all()

    def keywords(self) -> KeywordTable:
        """Every region's SMS keywords and aliases, as one table to read messages with."""
        hit = self._keywords
        if hit and self.monotonic() - hit[0] < self.ttl_seconds:
            return hit[1]
        table = KeywordTable.from_regions(self.repo.all())
        self._keywords = (self.monotonic(), table)
        return table
