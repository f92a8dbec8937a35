"""Schemathesis over the OpenAPI document of a real `viva serve`, logged in (accounts mode): no 5xx, no
status the document does not list, no body that breaks its own schema. Bounded: a fixed number of
examples per operation (VIVA_TEST_SCHEMATHESIS_EXAMPLES, default 25), no deadline.
"""

from __future__ import annotations

import os

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.conftest import PASSWORD, viva_serve

EXAMPLES = int(os.environ.get("VIVA_TEST_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
# Operations that end a credential are run as a second user, so the main user's token stays valid.
SPENDS_CREDENTIALS = {("POST", "/api/auth/logout"), ("DELETE", "/api/auth/tokens/{token_id}")}


def _user(url: str, email: str) -> str:
    web = httpx.Client(base_url=url)
    assert web.post("/api/auth/signup", json={"email": email, "password": PASSWORD}).status_code == 201
    return web.post("/api/auth/tokens", json={"name": "schemathesis"}).json()["token"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with viva_serve(tmp_path_factory.mktemp("schemathesis"), auth="accounts", max_live_interviews="1000",
                    max_interviews_per_day="100000") as srv:
        main = _user(srv.url, "st-main@example.com")
        spare = _user(srv.url, "st-spare@example.com")
        auth = {"Authorization": f"Bearer {main}"}
        iid = httpx.post(f"{srv.url}/api/interviews", json={"round": "coding", "level": "mid"}, headers=auth).json()
        assert iid["id"]
        yield srv, main, spare


SETTINGS = hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                              suppress_health_check=list(HealthCheck),
                              phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])


def _checker(operation, url: str, headers: dict[str, str]):
    @SETTINGS
    @hypothesis.given(case=operation.as_strategy())
    def check(case) -> None:
        case.call_and_validate(base_url=url, headers=headers, checks=CHECKS)

    return check


def test_the_api_keeps_to_its_schema(served):
    """Every operation of the document, one after another; all failures are reported together.

    (Schemathesis' own pytest plugin does not work with this pytest, so the cases are drawn here.)"""
    srv, main, spare = served
    api = schemathesis.openapi.from_url(f"{srv.url}/openapi.json")
    failures, ran = [], 0
    for result in api.get_all_operations():
        operation = result.ok()
        label = (operation.method.upper(), operation.path)
        token = spare if label in SPENDS_CREDENTIALS else main
        ran += 1
        try:
            _checker(operation, srv.url, {"Authorization": f"Bearer {token}"})()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, then report
            failures.append(f"{label[0]} {label[1]}: {type(exc).__name__}: {str(exc)[:1500]}")
    assert ran >= 15, f"only {ran} operations in the document"
    assert not failures, "\n\n".join(failures)
