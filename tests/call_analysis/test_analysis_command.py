"""Where the runner runs: `voiceagents analysis run` (a process of its own) analyses due calls
and refuses to start without a Gemini key; a worker without a key starts no runner."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orm.models import CallAnalysis
from tests.call_analysis.helpers import agent_with_plan, analysis_of, ended_call, good_answer
from tests.support.backends import TEST_REDIS_URL
from tests.support.waiting import DEADLINE
from worker import analysis as worker_analysis

ROOT = Path(__file__).resolve().parents[2]


async def _command(args: list[str], **env: str) -> tuple[int, str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "GOOGLE_", "ANALYSIS_", "TEST_"))
    }
    environment.update(env, PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core.cli",
        *args,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 6 * DEADLINE)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.slow
async def test_the_command_analyses_due_calls(server, make, gemini):
    # given a call whose analysis is due now
    tenant = await make.tenant("Command Co")
    call = await ended_call(make, tenant, await agent_with_plan(make, tenant), server.settings)
    await CallAnalysis.filter(call_id=call.id).update(next_attempt_at=datetime.now(UTC))
    gemini.answer_json(good_answer())

    # when one pass runs in a process of its own
    code, out, err = await _command(
        ["analysis", "run", "--once"],
        DATABASE_URL=server.settings.database_url,
        **({"REDIS_URL": TEST_REDIS_URL} if TEST_REDIS_URL else {}),
        GOOGLE_API_KEY=gemini.api_key,
        ANALYSIS_API_BASE_URL=gemini.base_url,
    )

    # then
    assert code == 0, err
    assert "analyses attempted: 1" in out
    job = await analysis_of(call)
    assert job is not None and job.status == "completed"
    assert len(gemini.requests) == 1


@pytest.mark.slow
async def test_the_command_refuses_to_start_without_a_gemini_key(server):
    # when
    code, _, err = await _command(
        ["analysis", "run"], DATABASE_URL=server.settings.database_url, GOOGLE_API_KEY=""
    )

    # then one line says what to set
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "GOOGLE_API_KEY" in lines[0], err


def test_a_worker_without_a_gemini_key_starts_no_runner(server, caplog):
    # given
    settings = server.settings.model_copy(update={"google_api_key": None})

    # when
    thread = worker_analysis.start_in_background(settings)

    # then
    assert thread is None
    assert "GOOGLE_API_KEY is not set" in caplog.text
