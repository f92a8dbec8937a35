"""Where the real-LLM tests find their server: VIVA_TEST_LLM_URL (e.g. http://127.0.0.1:8091/v1, `make llm`),
model VIVA_TEST_LLM_MODEL (default "qwen"). Without it they skip; VIVA_TEST_REQUIRE_LLM=1 (CI) makes a
missing or silent server a failure."""

from __future__ import annotations

import os

import httpx
import pytest

URL = os.environ.get("VIVA_TEST_LLM_URL", "").rstrip("/")
MODEL = os.environ.get("VIVA_TEST_LLM_MODEL", "qwen")
REQUIRED = os.environ.get("VIVA_TEST_REQUIRE_LLM") == "1"


def unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"VIVA_TEST_REQUIRE_LLM=1 but {reason}")
    pytest.skip(reason)


def real_llm_base_url() -> str:
    """The server's /v1 base URL, checked to answer; skips (or fails, when required) otherwise."""
    if not URL:
        unavailable("no real LLM server: set VIVA_TEST_LLM_URL, e.g. after `make llm` "
                    "(CI does, with VIVA_TEST_REQUIRE_LLM=1)")
    base = URL if URL.endswith("/v1") else URL + "/v1"
    try:
        httpx.get(base + "/models", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        unavailable(f"the LLM server at {base} does not answer ({type(exc).__name__})")
    return base
