"""`Idempotency-Key` on POST: a retried request with the same key gets the first answer and changes nothing.

The first request with a key claims it (a row with no answer yet), runs, and stores its answer; a retry with
the same key and the same request replays that answer with `Idempotent-Replayed: true`; the same key with a
different request is refused (422), and a retry that arrives while the first is still running gets 409.
Server errors (5xx) release the key so the client may retry. Keys are kept for a day. The answer is stored
after the command's own transaction, so a crash in between lets a retry run the command again: commands
whose effects must never repeat (a receipt's bank reference) are also idempotent in their aggregate.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from typing import Any

import asyncpg
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backan_shared.problems import PROBLEM_JSON

HEADER = b"idempotency-key"
RETENTION = "24 hours"
_REPLAYED_HEADERS = {"content-type", "location", "consistency-token"}


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
        route = scope["path"]
        runtime = scope["app"].state.runtime
        digest = _request_digest(runtime.settings.internal_token, route, body)
        pool: asyncpg.Pool = runtime.pool
        async with pool.acquire() as conn:
            await _forget_old_keys(conn)
            claimed = await conn.fetchval(
                """INSERT INTO idempotency_keys (idempotency_key, route, request_digest) VALUES ($1, $2, $3)
                   ON CONFLICT DO NOTHING RETURNING true""",
                key,
                route,
                digest,
            )
            if not claimed:
                row = await conn.fetchrow(
                    "SELECT * FROM idempotency_keys WHERE idempotency_key = $1 AND route = $2", key, route
                )
                await _answer_existing(row, digest, send)
                return
        await self._run_and_store(scope, body, send, pool, key, route)

    async def _run_and_store(
        self, scope: Scope, body: bytes, send: Send, pool: asyncpg.Pool, key: str, route: str
    ) -> None:
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        async def replay_body() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            async with pool.acquire() as conn:
                if captured["status"] >= 500:
                    await conn.execute(
                        "DELETE FROM idempotency_keys WHERE idempotency_key = $1 AND route = $2", key, route
                    )
                else:
                    headers = {
                        k.decode(): v.decode() for k, v in captured["headers"] if k.decode() in _REPLAYED_HEADERS
                    }
                    await conn.execute(
                        """UPDATE idempotency_keys SET status_code = $3, response_headers = $4, response_body = $5
                           WHERE idempotency_key = $1 AND route = $2""",
                        key,
                        route,
                        captured["status"],
                        headers,
                        captured["body"],
                    )


async def _answer_existing(row: asyncpg.Record, digest: str, send: Send) -> None:
    if row["request_digest"] != digest:
        await _send(send, 422, _problem(422, "this Idempotency-Key was already used for a different request"))
    elif row["status_code"] is None:
        await _send(
            send,
            409,
            _problem(409, "a request with this Idempotency-Key is still being processed"),
            extra=[(b"retry-after", b"1")],
        )
    else:
        headers = [(k.encode(), v.encode()) for k, v in (row["response_headers"] or {}).items()]
        await _send(
            send,
            row["status_code"],
            bytes(row["response_body"]),
            headers=headers,
            extra=[(b"idempotent-replayed", b"true")],
        )


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
    title = "Unprocessable Content" if status == 422 else "Conflict"
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()


async def _send(
    send: Send,
    status: int,
    body: bytes,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    base = headers if headers is not None else [(b"content-type", PROBLEM_JSON.encode())]
    all_headers = [*base, *(extra or []), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body})


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
