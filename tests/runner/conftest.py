import pytest

from app.runner import sandbox

# Hostile code is stopped sooner in tests than in a session (the limits are the same kind).
FAST = sandbox.Limits(wall_s=3.0, cpu_s=2)


@pytest.fixture(scope="session")
def needs_sandbox():
    why = sandbox.self_test()
    if why is not None:
        pytest.skip(f"bubblewrap sandbox unavailable: {why}")
