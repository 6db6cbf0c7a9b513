"""The secret scan fails the very test whose response carried a planted secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CANARY = "tests/harness/leaky_canary.py"


def test_a_planted_secret_in_a_response_fails_the_test_that_produced_it():
    # when the canary module runs (one test leaks, the one after it does not)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", CANARY, "-o", "python_files=leaky_canary.py", "-rA"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )

    # then the leaking test fails, named, with what leaked where; the clean one passes
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    leaking = f"{CANARY}::test_this_test_leaks_a_planted_secret"
    assert f"ERROR {leaking}" in output, output
    assert f"secrets left the server during {leaking}" in output, output
    assert "canary secret (canary…) found in response /graphql" in output, output
    assert f"PASSED {CANARY}::test_this_test_leaks_nothing" in output, output
