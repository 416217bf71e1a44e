"""RFC 9457 problem details: every error a client sees is `application/problem+json` saying what was wrong."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An error with an HTTP status, raised by handlers and turned into problem+json at the edge."""

    status: int = 400
    title: str | None = None

    def __init__(
        self,
        detail: str,
        *,
        status: int | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.extra = extra


def problem_response(
    status: int, detail: str, *, title: str | None = None, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_detail(error: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    errors = [
        {"location": ".".join(str(part) for part in e.get("loc", ())), "message": e.get("msg", "")}
        for e in error.errors()
    ]
    summary = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
    return f"the request is not valid: {summary}", errors


def install_problem_handlers(app: FastAPI, domain_errors: dict[type[Exception], int] | None = None) -> None:
    """Make FastAPI answer every error, including its own, as problem+json.

    `domain_errors` maps a service's error classes to HTTP statuses (a subclass takes its nearest mapped
    ancestor's status), so the domain raises plain errors and never knows about HTTP.
    """
    from backan_shared.event_store import ConcurrencyError

    mapping: dict[type[Exception], int] = {ConcurrencyError: 409, **(domain_errors or {})}

    async def _domain(_: Request, exc: Exception) -> JSONResponse:
        status = next(mapping[cls] for cls in type(exc).__mro__ if cls in mapping)
        # A conflict the service could not absorb by deciding again is transient: the client may retry.
        headers = {"Retry-After": "1"} if isinstance(exc, ConcurrencyError) else None
        return problem_response(status, str(exc), title=type(exc).__name__, headers=headers)

    for error_class in mapping:
        app.add_exception_handler(error_class, _domain)

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, title=exc.title, headers=exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail, errors = _validation_detail(exc)
        return problem_response(422, detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))
