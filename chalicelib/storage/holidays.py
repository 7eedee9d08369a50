"""Admin changes of the holiday calendar on DynamoDB: append-only, one partition
per scope, with a head item holding the scope's version."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.calendar import ChangeType, HolidayChange, HolidayKind
from chalicelib.domain.errors import ConflictError
from chalicelib.storage.models import HolidayChangeItem

HEAD = "HEAD"  # sorts after every `<date>#…` key, so a year's query never reads it


class StaleCalendarError(ConflictError):
    """The scope changed since its version was read."""

    code = "calendar_changed"


class HolidayChangeRepository:
    def __init__(self, connection: Connection):
        self._connection = connection

    def versions(self, scopes: Iterable[str]) -> dict[str, int]:
        """Each scope's current version (0 before its first change): one
        strongly consistent BatchGetItem of the small head items."""
        wanted = list(dict.fromkeys(scopes))
        found = {scope: 0 for scope in wanted}
        for item in HolidayChangeItem.batch_get(
            [(scope, HEAD) for scope in wanted], consistent_read=True
        ):
            found[item.scope] = int(item.version)
        return found

    def changes(self, scope: str, year: int) -> list[HolidayChange]:
        """Every change of `scope` to a day of `year`, oldest first: one key query."""
        condition = HolidayChangeItem.sk.between(f"{year:04d}-01-01", f"{year:04d}-12-31#~")
        items = HolidayChangeItem.query(scope, condition, consistent_read=True)
        return sorted((_from_item(i) for i in items), key=lambda c: c.version)

    def append(self, change: HolidayChange) -> HolidayChange:
        """Record `change` as the scope's next version: the change and the new head
        in one transaction, conditional on the head still holding the version before."""
        previous = change.version - 1
        head = HolidayChangeItem(scope=change.scope, sk=HEAD, version=change.version)
        head_unchanged = (
            HolidayChangeItem.scope.does_not_exist()
            if previous == 0
            else HolidayChangeItem.version == previous
        )
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.save(head, condition=head_unchanged)
                transaction.save(_to_item(change), condition=HolidayChangeItem.sk.does_not_exist())
        except TransactWriteError as error:
            if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons):
                raise StaleCalendarError(
                    f"the {change.scope} calendar was changed meanwhile; try again"
                ) from error
            raise
        return change


def _to_item(change: HolidayChange) -> HolidayChangeItem:
    return HolidayChangeItem(
        scope=change.scope,
        sk=f"{change.day.isoformat()}#{change.version:010d}",
        version=change.version,
        day=change.day.isoformat(),
        change=change.change.value,
        kind=change.kind.value,
        name=change.name,
        reason=change.reason,
        actor=change.actor,
        role=change.role,
        at=change.at,
    )


def _from_item(item: HolidayChangeItem) -> HolidayChange:
    return HolidayChange(
        scope=item.scope,
        day=date.fromisoformat(item.day),
        change=ChangeType(item.change),
        kind=HolidayKind(item.kind),
        name=item.name,
        reason=item.reason,
        actor=item.actor,
        role=item.role,
        at=item.at,
        version=int(item.version),
    )
