"""Real `viva serve` subprocesses: slow (a process start, sometimes real Whisper)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/serve/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.slow)
