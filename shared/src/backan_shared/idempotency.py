"""`Idempotency-Key` on POST: a retried request with the same key gets the first answer and changes nothing.

The key is claimed, the command runs, and its answer is stored in ONE transaction, which the command joins
(`joining_the_request`): the key's claim and the command's effect are settled together. So a retry after any
failure either replays the stored answer (the first attempt committed) or runs the command once (it did not):
a crash, a killed service or a lost database aborts the transaction and leaves the key free, never claimed
without an answer. A second request with the same key while the first runs waits for it on the key's row,
then replays its answer. A retry with the same key and the same request replays the answer with
`Idempotent-Replayed: true`; the same key with a different request is refused (422).

Only a definitive answer is stored: a server error (5xx) or an answer that asks the client to retry
(`Retry-After`, e.g. a concurrency conflict the service could not absorb) rolls the transaction back, so the
retry runs the command again. Keys are kept for a day.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import random
from dataclasses import dataclass, field
from typing import TypeVar

import asyncpg
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backan_shared.command_handling import CommandDependencies
from backan_shared.logs import get_logger
from backan_shared.problems import PROBLEM_JSON

log = get_logger(__name__)
HEADER = b"idempotency-key"
RETENTION = "24 hours"
_REPLAYED_HEADERS = {"content-type", "location", "consistency-token"}
_KEY_TRANSACTION = "idempotency_key_transaction"
D = TypeVar("D", bound=CommandDependencies)
_DATABASE_LOST = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,  # the server shut down or our session was terminated
)


def joining_the_request(deps: D, request: Request) -> D:
    """The command dependencies for one request: inside the transaction that holds its Idempotency-Key, when
    it carries one, so the command's effect and the key's answer commit together."""
    connection: asyncpg.Connection | None = request.scope.get("state", {}).get(_KEY_TRANSACTION)
    return deps.within(connection) if connection is not None else deps


@dataclass
class _Answer:
    """A response held back until the transaction that stores it has committed."""

    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    def capture(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    @property
    def definitive(self) -> bool:
        """Whether this is the key's answer for good: not a server error, not an invitation to retry."""
        return self.status < 500 and not any(name.lower() == b"retry-after" for name, _ in self.headers)

    def replayed_headers(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.headers if k.decode().lower() in _REPLAYED_HEADERS}

    async def send(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


class IdempotencyMiddleware:
    """Pure ASGI middleware; it finds the service's pool at `app.state.runtime.pool`."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER) if scope["type"] == "http" and scope["method"] == "POST" else None
        if key is None:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        runtime = scope["app"].state.runtime
        route = scope["path"]
        digest = _request_digest(runtime.settings.internal_token, route, body)
        try:
            answer = await self._settle(scope, body, runtime.pool, (key, route, digest))
        except _DATABASE_LOST as lost:
            log.warning("idempotency key left unsettled: the database is unreachable", error=str(lost))
            answer = _problem_answer(503, "the database is unreachable; retry with the same Idempotency-Key")
        await answer.send(send)

    async def _settle(self, scope: Scope, body: bytes, pool: asyncpg.Pool, claim: tuple[str, str, str]) -> _Answer:
        """Claim the key, run the request and store its answer in one transaction; or answer from the key."""
        key, route, digest = claim
        async with pool.acquire() as conn:
            await _forget_old_keys(conn)
            transaction = conn.transaction()
            await transaction.start()
            try:
                if not await _claim(conn, claim):
                    row = await conn.fetchrow(
                        "SELECT * FROM idempotency_keys WHERE idempotency_key = $1 AND route = $2", key, route
                    )
                    await transaction.rollback()
                    return _existing_answer(row, digest)
                answer = await self._run(scope, body, conn)
                if answer.definitive:
                    await _store(conn, key, route, answer)
                    await transaction.commit()
                else:
                    await transaction.rollback()
                return answer
            except BaseException:
                if not conn.is_closed() and conn.is_in_transaction():
                    with contextlib.suppress(Exception):  # the failure that brought us here is the one to report
                        await transaction.rollback()
                raise

    async def _run(self, scope: Scope, body: bytes, conn: asyncpg.Connection) -> _Answer:
        answer = _Answer()

        async def replay_body() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            answer.capture(message)

        scope.setdefault("state", {})[_KEY_TRANSACTION] = conn
        await self.app(scope, replay_body, capture)
        return answer


async def _claim(conn: asyncpg.Connection, claim: tuple[str, str, str]) -> bool:
    """Claim the key; a transaction holding the same key makes this wait until it commits or rolls back."""
    claimed = await conn.fetchval(
        """INSERT INTO idempotency_keys (idempotency_key, route, request_digest) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING true""",
        *claim,
    )
    return bool(claimed)


async def _store(conn: asyncpg.Connection, key: str, route: str, answer: _Answer) -> None:
    await conn.execute(
        """UPDATE idempotency_keys SET status_code = $3, response_headers = $4, response_body = $5
           WHERE idempotency_key = $1 AND route = $2""",
        key,
        route,
        answer.status,
        answer.replayed_headers(),
        answer.body,
    )


def _existing_answer(row: asyncpg.Record, digest: str) -> _Answer:
    if row["request_digest"] != digest:
        return _problem_answer(422, "this Idempotency-Key was already used for a different request")
    headers = [(k.encode(), v.encode()) for k, v in (row["response_headers"] or {}).items()]
    body = bytes(row["response_body"])
    extra = [(b"idempotent-replayed", b"true"), (b"content-length", str(len(body)).encode())]
    return _Answer(row["status_code"], [*headers, *extra], body)


def _problem_answer(status: int, detail: str) -> _Answer:
    body = _problem(status, detail)
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    if status == 503:
        headers.append((b"retry-after", b"1"))
    return _Answer(status, headers, body)


def _request_digest(secret: str, route: str, body: bytes) -> str:
    """A keyed digest: a plain hash of a body holding a name and a national ID could be reversed by guessing."""
    return hmac.new(
        f"idempotency:{secret}".encode(), b"POST " + route.encode() + b"\n" + body, hashlib.sha256
    ).hexdigest()


async def _forget_old_keys(conn: asyncpg.Connection) -> None:
    """Keys are kept for a day, enough for any client's retries; now and then the old ones are dropped."""
    if random.random() < 0.01:
        await conn.execute(f"DELETE FROM idempotency_keys WHERE created_at < now() - interval '{RETENTION}'")


def _problem(status: int, detail: str) -> bytes:
    title = {422: "Unprocessable Content", 503: "Service Unavailable"}.get(status, "Conflict")
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            decoded: str = value.decode()
            return decoded
    return None


async def _read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += bytes(message.get("body", b""))
        if not message.get("more_body"):
            return body
