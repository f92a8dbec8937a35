import os

import pytest

from app.runner import sandbox

# Hostile code is stopped sooner in tests than in a session (the limits are the same kind).
FAST = sandbox.Limits(wall_s=3.0, cpu_s=2)
REQUIRED = os.environ.get("VIVA_TEST_REQUIRE_SANDBOX") == "1"  # CI: a missing sandbox fails, not skips


@pytest.fixture(scope="session")
def needs_sandbox():
    why = sandbox.self_test()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"bubblewrap sandbox unavailable: {why} (VIVA_TEST_REQUIRE_SANDBOX=1)")
        pytest.skip(f"bubblewrap sandbox unavailable: {why}")
