"""One error shape everywhere: {"error": {"code", "message", "field"}}.

Views are wrapped by `handled` so rule and validation errors become 4xx answers;
the middleware rewrites Chalice's own answers (415, 405, 500) into the same shape,
except on Open311 routes, which answer in the GeoReport v2 error shape.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pydantic
from chalice import Response

from chalicelib.channels import open311
from chalicelib.domain import errors

OPEN311_PREFIX = "/open311/"

STATUS: dict[type[errors.SaberError], int] = {
    errors.ValidationError: 400,
    errors.AuthenticationError: 401,
    errors.PermissionDeniedError: 403,
    errors.NotFoundError: 404,
    errors.ConflictError: 409,
    errors.PayloadTooLargeError: 413,
    errors.UnsupportedMediaTypeError: 415,
    errors.IdempotencyKeyReusedError: 422,
    errors.ChannelUnavailableError: 503,
}

_CHALICE_CODES = {
    "UnsupportedMediaType": "unsupported_media_type",
    "MethodNotAllowedError": "method_not_allowed",
    "BadRequestError": "bad_request",
    "BadRequest": "bad_request",
    "NotFoundError": "not_found",
    "InternalServerError": "internal",
}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict | None = None,
    details: dict | None = None,
) -> Response:
    body = {"error": {"code": code, "message": message, "field": field} | (details or {})}
    return Response(body=body, status_code=status, headers=headers or {})


def status_for(error: errors.SaberError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def pydantic_problem(error: pydantic.ValidationError) -> tuple[str, str | None]:
    """The first problem of a body, as a message naming the field, and the field."""
    first = error.errors()[0]
    location = ".".join(str(part) for part in first.get("loc", ()) if part != "__root__")
    if first.get("type") == "missing":
        message = "is required"
    elif first.get("type") == "string_type" and first.get("input") is None:
        message = "must not be blank"
    else:
        message = first.get("msg", "invalid value").removeprefix("Value error, ")
    return (f"{location}: {message}" if location else message), location or None


def from_pydantic(error: pydantic.ValidationError) -> Response:
    message, location = pydantic_problem(error)
    return error_response(400, "invalid", message, location)


def handled(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a caller can cause into their 4xx answers."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except errors.SaberError as error:
            return error_response(
                status_for(error), error.code, error.message, error.field, details=error.details
            )
        except pydantic.ValidationError as error:
            return from_pydantic(error)

    return wrapper


def uniform_errors(event: Any, get_response: Callable[..., Response]) -> Response:
    """HTTP middleware: rewrite Chalice's own error bodies into ours, and label
    every JSON answer so no browser ever sniffs reporter text as HTML."""
    response = get_response(event)
    if _is_chalice_error(response):
        response = (
            _chalice_error_for_open311(event, response)
            if (getattr(event, "path", None) or "").startswith(OPEN311_PREFIX)
            else _chalice_error_as_ours(response)
        )
    if isinstance(response.body, dict | list):
        response.headers.setdefault("Content-Type", "application/json")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def _is_chalice_error(response: Response) -> bool:
    body = response.body
    return response.status_code >= 400 and isinstance(body, dict) and "Code" in body


def _chalice_message(response: Response) -> str:
    if response.status_code >= 500:
        return "an internal error occurred"
    return response.body.get("Message", "")


def _allow_header(response: Response) -> dict:
    return {k: v for k, v in response.headers.items() if k.lower() == "allow"}


def _chalice_error_as_ours(response: Response) -> Response:
    code = _CHALICE_CODES.get(response.body["Code"], "error")
    return error_response(
        response.status_code, code, _chalice_message(response), headers=_allow_header(response)
    )


def _chalice_error_for_open311(request: Any, response: Response) -> Response:
    """Open311 clients read the specification's error list, in the format asked for."""
    fmt = open311.format_of_path((request.context or {}).get("path", ""))
    answer = open311.error(fmt, response.status_code, _chalice_message(response))
    answer.headers.update(_allow_header(response))
    return answer
