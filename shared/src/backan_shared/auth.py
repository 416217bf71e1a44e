"""Who may call: OAuth2 bearer JWTs for clients of the gateway, one internal credential for the services.

Tokens are verified with PyJWT (signature, expiry, issuer, audience); the verifying keys come from settings:
a JWKS URL in production, or a PEM public key (the dev key pair `./dx` generates). A route declares the
scope it needs with `require_scope`; a missing or invalid token is 401, a token without the scope is 403,
both as problem+json. The services accept only requests that carry the gateway's internal credential, so no
client bypasses the scopes by calling a service directly.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import Depends, Header, Request

from backan_shared.problems import Problem

# `household:pii` shows a household's personal and sensitive fields (each read audited); `household:audit` lists
# that audit trail. They are separate so that whoever reads personal data is not the one who audits the reads.
SCOPES = (
    "read",
    "campaign:write",
    "household:write",
    "household:pii",
    "household:audit",
    "dti:submit",
    "dti:review",
)
INTERNAL_TOKEN_HEADER = "X-Internal-Token"
ALGORITHMS = ["RS256", "ES256"]


class AuthenticationProblem(Problem):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="backan-dx"'})


class ForbiddenProblem(Problem):
    status = 403
    title = "Forbidden"


@dataclass(frozen=True)
class Principal:
    """The caller a verified token names, and what it may do."""

    subject: str
    scopes: frozenset[str]
    claims: dict[str, Any]


class TokenVerifier:
    """Verifies bearer tokens against a PEM public key or a JWKS endpoint."""

    def __init__(self, *, issuer: str, audience: str, public_key_pem: str | None = None, jwks_url: str | None = None):
        if not public_key_pem and not jwks_url:
            raise ValueError("a public key or a JWKS URL is needed to verify tokens")
        self._issuer = issuer
        self._audience = audience
        self._public_key = public_key_pem
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None

    def verify(self, token: str) -> Principal:
        try:
            key: Any = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._public_key
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise AuthenticationProblem(f"the bearer token is not valid: {error}") from error
        scopes = frozenset(str(claims.get("scope", "")).split())
        return Principal(subject=str(claims["sub"]), scopes=scopes, claims=claims)


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationProblem("an Authorization: Bearer <token> header is required")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationProblem("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def require_scope(scope: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets a request through only with a valid token carrying `scope`."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    async def dependency(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
        verifier: TokenVerifier = request.app.state.token_verifier
        principal = verifier.verify(bearer_token(authorization))
        if scope not in principal.scopes:
            raise ForbiddenProblem(
                f"this request needs the '{scope}' scope; the token has: "
                f"{', '.join(sorted(principal.scopes)) or 'none'}"
            )
        return principal

    dependency.required_scope = scope  # type: ignore[attr-defined]
    return dependency


def internal_caller(expected_token: str) -> Callable[..., Awaitable[None]]:
    """A dependency for service routes: only the gateway, presenting the internal credential, gets in."""

    async def dependency(x_internal_token: Annotated[str | None, Header()] = None) -> None:
        if x_internal_token is None or not hmac.compare_digest(x_internal_token, expected_token):
            raise AuthenticationProblem("services accept requests from the gateway only")

    return dependency


def scope_dependency(scope: str) -> Any:
    """`Annotated` alias for a route parameter: `principal: scope_dependency("campaign:write")`."""
    return Annotated[Principal, Depends(require_scope(scope))]
