"""`voiceagents livekit setup` as an operator runs it: a child process configured by
environment variables, against the fake LiveKit; the second run prints `unchanged` and
creates nothing."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from tests.support.telephony import LIVEKIT_API_KEY, LIVEKIT_API_SECRET
from tests.support.waiting import DEADLINE

pytestmark = pytest.mark.slow  # starts the command as a child process

ROOT = Path(__file__).resolve().parents[2]
SIP_PASSWORD = "twilio-digest-password-for-livekit"


async def _setup(livekit, tmp_path: Path, **env: str) -> tuple[int, str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "ENVIRONMENT", "LIVEKIT_", "TEST_"))
    }
    environment.update(
        {
            "PYTHONPATH": str(ROOT),
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": LIVEKIT_API_KEY,
            "LIVEKIT_API_SECRET": LIVEKIT_API_SECRET,
            "LIVEKIT_SIP_USERNAME": "twilio",
            "LIVEKIT_SIP_PASSWORD": SIP_PASSWORD,
            "LIVEKIT_SIP_OUTBOUND_ADDRESS": "voiceagents.pstn.twilio.com",
            "LIVEKIT_SIP_OUTBOUND_NUMBERS": "+14155550100,+14155550101",
            **env,
        }
    )
    # Asynchronous: the fake LiveKit answers from this test's event loop.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core.cli",
        "livekit",
        "setup",
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 3 * DEADLINE)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_running_it_twice_creates_once_and_then_reports_unchanged(livekit, tmp_path):
    # given a project without SIP objects
    livekit.outbound_trunks.clear()

    # when
    status, first, errors = await _setup(livekit, tmp_path)

    # then
    assert status == 0, errors
    [inbound] = livekit.inbound_trunks
    [rule] = livekit.dispatch_rules
    [outbound] = livekit.outbound_trunks
    assert first.splitlines() == [
        f"inbound trunk {inbound}: created",
        f"dispatch rule {rule}: created",
        f"outbound trunk {outbound}: created (set LIVEKIT_SIP_OUTBOUND_TRUNK_ID={outbound})",
    ]

    # when it runs again, with the trunk id set as it said
    creates = len([m for m in livekit.methods() if m.startswith("Create")])
    status, second, errors = await _setup(livekit, tmp_path, LIVEKIT_SIP_OUTBOUND_TRUNK_ID=outbound)

    # then
    assert status == 0, errors
    assert second.splitlines() == [
        f"inbound trunk {inbound}: unchanged",
        f"dispatch rule {rule}: unchanged",
        f"outbound trunk {outbound}: unchanged",
    ]
    assert len([m for m in livekit.methods() if m.startswith("Create")]) == creates
    assert not [m for m in livekit.methods() if m.startswith("Update")]
    assert SIP_PASSWORD not in first + second + errors


async def test_missing_credentials_are_one_line_on_stderr(livekit, tmp_path):
    # when
    status, printed, errors = await _setup(
        livekit, tmp_path, LIVEKIT_SIP_USERNAME="", LIVEKIT_SIP_PASSWORD=""
    )

    # then
    assert (status, printed) == (2, "")
    assert "Traceback" not in errors
    [line] = [line for line in errors.splitlines() if line.strip()]
    assert line.startswith("voiceagents: livekit setup: set LIVEKIT_SIP_USERNAME")
    assert livekit.requests == []
