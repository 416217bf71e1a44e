"""Bearer tokens at the gateway: 401 without a valid token, 403 without the route's scope, as problem+json."""

import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backan_shared.auth import Principal, TokenVerifier, scope_dependency
from backan_shared.problems import install_problem_handlers
from harness.devkeys import AUDIENCE, ISSUER, ensure_key_pair, mint_token

CampaignWriter = scope_dependency("campaign:write")


def app_with_key(public_key: Path) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, public_key_pem=public_key.read_text())

    @app.post("/v1/campaigns")
    async def open_campaign(principal: CampaignWriter) -> dict[str, str]:
        return {"opened_by": principal.subject}

    return app


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return ensure_key_pair(tmp_path / "keys")


@pytest.fixture
def client(keys: tuple[Path, Path]) -> TestClient:
    return TestClient(app_with_key(keys[1]))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_with_the_scope_is_let_through(client: TestClient, keys: tuple[Path, Path]) -> None:
    token = mint_token(["campaign:write"], subject="so-tttt", private_key=keys[0])
    response = client.post("/v1/campaigns", headers=bearer(token))
    assert response.status_code == 200
    assert response.json() == {"opened_by": "so-tttt"}


def test_a_missing_token_is_401_problem_json_with_a_challenge(client: TestClient) -> None:
    response = client.post("/v1/campaigns")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization" in response.json()["detail"]


@pytest.mark.parametrize(
    "token_kind",
    ["expired", "signed by another key", "not a jwt", "wrong audience"],
)
def test_an_invalid_token_is_401(client: TestClient, keys: tuple[Path, Path], tmp_path: Path, token_kind: str) -> None:
    token = {
        "expired": lambda: mint_token(["campaign:write"], ttl_seconds=-60, private_key=keys[0]),
        "signed by another key": lambda: mint_token(
            ["campaign:write"], private_key=ensure_key_pair(tmp_path / "other")[0]
        ),
        "not a jwt": lambda: "abc.def.ghi",
        "wrong audience": lambda: _token_for_audience(keys[0], "someone-else"),
    }[token_kind]()
    response = client.post("/v1/campaigns", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["status"] == 401


def _token_for_audience(private_key: Path, audience: str) -> str:
    import time

    import jwt

    claims = {"iss": ISSUER, "aud": audience, "sub": "x", "exp": int(time.time()) + 60, "scope": "campaign:write"}
    return jwt.encode(claims, private_key.read_text(), algorithm="ES256")


def test_a_token_without_the_scope_is_403_naming_the_scope(client: TestClient, keys: tuple[Path, Path]) -> None:
    token = mint_token(["read", "household:write"], private_key=keys[0])
    response = client.post("/v1/campaigns", headers=bearer(token))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "campaign:write" in response.json()["detail"]


def test_dx_token_prints_a_token_the_gateway_accepts() -> None:
    root = Path(__file__).resolve().parents[4]
    printed = subprocess.run(
        ["./dx", "token", "--scope", "campaign:write", "--scope", "read"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    verifier = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, public_key_pem=ensure_key_pair()[1].read_text())
    principal: Principal = verifier.verify(printed)
    assert principal.scopes == {"campaign:write", "read"}


def test_dx_token_refuses_an_unknown_scope() -> None:
    root = Path(__file__).resolve().parents[4]
    refused = subprocess.run(["./dx", "token", "--scope", "admin"], cwd=root, capture_output=True, text=True)
    assert refused.returncode == 2
    assert "unknown scope admin" in refused.stderr
