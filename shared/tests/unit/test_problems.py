from fastapi import FastAPI
from fastapi.testclient import TestClient

from backan_shared.consistency import InvalidConsistencyToken, consistency_token, parse_consistency_token
from backan_shared.event_store import ConcurrencyError
from backan_shared.problems import install_problem_handlers


class LedgerError(Exception):
    pass


class InsufficientCashError(LedgerError):
    pass


def app_raising(error: Exception) -> TestClient:
    app = FastAPI()
    install_problem_handlers(app, {LedgerError: 422, InsufficientCashError: 409})

    @app.post("/v1/purchases")
    async def purchase() -> None:
        raise error

    return TestClient(app)


def test_a_domain_error_becomes_the_status_of_its_nearest_mapped_class() -> None:
    answer = app_raising(InsufficientCashError("cash held is 0 VND")).post("/v1/purchases")
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "cash held is 0 VND"
    assert app_raising(LedgerError("bad")).post("/v1/purchases").status_code == 422


def test_a_lost_concurrency_race_is_a_409() -> None:
    answer = app_raising(ConcurrencyError("campaign-1", 3, 4)).post("/v1/purchases")
    assert answer.status_code == 409
    assert "expected 3" in answer.json()["detail"]


def test_a_consistency_token_round_trips_and_a_forged_one_is_refused() -> None:
    token = consistency_token("campaign-ledger", "0b6c-11")
    assert parse_consistency_token(token) == ("campaign-ledger", "0b6c-11")
    try:
        parse_consistency_token("not-a-token")
    except InvalidConsistencyToken:
        return
    raise AssertionError("a forged token was accepted")
