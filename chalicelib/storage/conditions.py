"""Telling a failed condition (the expected outcome of a conditional write that
lost) from any other failure of a write."""

from __future__ import annotations

from pynamodb.exceptions import PutError, UpdateError


def condition_failed(error: PutError | UpdateError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"
