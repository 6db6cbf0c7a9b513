"""Worker start-up: from a job accepted to the greeting requested from the model.

LiveKit's own process pool (livekit-agents 1.8.9 `ipc.proc_pool.ProcPool`, forkserver
context, one idle process kept warm, the forkserver preload list built as
`AgentServer.run` builds it) runs real job processes with the worker's entrypoint
(`worker.entrypoint.run_job`) on a call recorded in the bench database, and a scripted
model (tests/support/scripted_llm.py, ../shared/scripted_llm_example.py). The clock starts
when the pool is handed the accepted job (`launch_job`, what the worker does once LiveKit
assigns it) and stops when the agent's greeting reaches the model (`chat()`); both are
CLOCK_MONOTONIC, one clock for every process of the machine. After each greeting the job
is shut down as LiveKit shuts it down (`SupervisedProc.aclose`) and its call must be
recorded as ended.

Two variants, each in a process of its own (a forkserver's preload list is fixed once it
starts):
- warm: the worker as it runs now: its modules preloaded in the forkserver, each process
  prewarmed by `worker.process.prewarm` (database, bus, HTTP client, tool registry, the
  database connection opened as the process's loop starts);
- cold (the baseline): what a job did before: no preload but LiveKit's own, no prewarm;
  the job imports the worker and the Google plugin, opens the database and discovers the
  tools itself.

`python -m bench.worker_start warm|cold DATABASE_URL CALLS` prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.processes import ROOT

SHUTDOWN_SECONDS = 10.0


@dataclass
class StartResult:
    variant: str
    samples_ms: list[float]
    # of which from the entrypoint's start (the rest is LiveKit handing the job over)
    in_job_ms: list[float]
    # jobs whose call the shutdown recorded as ended (`job_shutdown`), of all jobs run
    ended: int
    jobs: int

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def worst_ms(self) -> float:
        return max(self.samples_ms)

    @property
    def in_job_p50_ms(self) -> float:
        return statistics.median(self.in_job_ms)


async def measure(*, database_url: str, calls: int) -> tuple[StartResult, StartResult]:
    """(warm, cold), each from its own process."""
    return (
        await _variant("warm", database_url, calls),
        await _variant("cold", database_url, calls),
    )


async def _variant(variant: str, database_url: str, calls: int) -> StartResult:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.worker_start",
        variant,
        database_url,
        str(calls),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": ROOT, "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"worker start-up bench ({variant}) failed; its error is above")
    data = json.loads(out.decode().strip().splitlines()[-1])
    return StartResult(variant, data["samples_ms"], data["in_job_ms"], data["ended"], data["jobs"])


# --- in the bench's child process ------------------------------------------------------------


async def _run_variant(variant: str, database_url: str, calls: int) -> dict[str, Any]:
    from livekit.agents import JobExecutorType
    from livekit.agents.ipc.proc_pool import ProcPool
    from livekit.agents.plugin import Plugin
    from tortoise import Tortoise

    from bench import worker_jobs
    from orm.config import tortoise_config

    warm = variant == "warm"
    preload: list[str] = []
    if warm:
        from worker.process import PRELOAD_MODULES

        preload = PRELOAD_MODULES
    # as livekit-agents 1.8.9 worker.py `AgentServer.run` builds the forkserver preload
    plugins = [p.package for p in Plugin.registered_plugins]
    packages = [
        *dict.fromkeys([*plugins, *preload]),
        # the fake jobs' mock room (bench/worker_jobs.py `_like_a_real_job`)
        "livekit.agents.ipc.mock_room",
        "livekit.agents.ipc._preload",
        "livekit.agents.ipc._preload_freeze",
    ]
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(packages)

    await Tortoise.init(config=tortoise_config(database_url))
    reports = Path(tempfile.mkdtemp(prefix="va-bench-start-"))
    loop = asyncio.get_running_loop()
    pool = ProcPool(
        initialize_process_fnc=worker_jobs.prewarm if warm else worker_jobs.no_prewarm,
        job_entrypoint_fnc=worker_jobs.warm_job if warm else worker_jobs.cold_job,
        session_end_fnc=None,
        simulation_end_fnc=None,
        num_idle_processes=1,
        initialize_timeout=60.0,
        close_timeout=SHUTDOWN_SECONDS,
        session_end_timeout=10.0,
        inference_executor=None,
        job_executor_type=JobExecutorType.PROCESS,
        mp_ctx=context,
        memory_warn_mb=0,
        memory_limit_mb=0,
        http_proxy=None,
        loop=loop,
    )
    ready = asyncio.Queue[None]()
    pool.on("process_ready", lambda proc: ready.put_nowait(None))
    samples: list[float] = []
    in_job: list[float] = []
    ended = 0
    try:
        await pool.start()
        for index in range(calls + 1):  # the first job warms the machine's caches; not counted
            await asyncio.wait_for(ready.get(), 120)  # an idle process is warm
            call_id = await _ringing_call()
            report = reports / f"{call_id}.json"
            info = _job(call_id, report)
            started = time.monotonic()
            await pool.launch_job(info)
            greeted = await _wait_for(report)
            if index > 0:
                samples.append((greeted["greeting_requested"] - started) * 1000)
                in_job.append((greeted["greeting_requested"] - greeted["entrypoint"]) * 1000)
            executor = pool.get_by_job_id(info.job.id)
            if executor is not None:
                await executor.aclose()  # LiveKit's own shutdown of the job
            ended += await _ended(call_id)
    finally:
        await pool.aclose()
        await Tortoise.close_connections()
    return {"samples_ms": samples, "in_job_ms": in_job, "ended": ended, "jobs": calls + 1}


async def _ringing_call() -> uuid.UUID:
    from core.call_snapshot import CallSnapshot
    from orm.models import Call, VoiceAgent

    agent = await VoiceAgent.filter(name="Bench").first()
    assert agent is not None, "the bench database has no agent"
    call = await Call.create(
        id=uuid.uuid4(),
        organization_id=agent.organization_id,  # type: ignore[attr-defined]
        agent=agent,
        direction="inbound",
        from_number="+14155550142",
        to_number="+14155550100",
        status="ringing",
        snapshot=(await CallSnapshot.of_agent(agent)).as_stored(),
    )
    return call.id


def _job(call_id: uuid.UUID, report: Path) -> Any:
    from livekit.agents.job import JobAcceptArguments, RunningJobInfo
    from livekit.protocol import agent as agent_proto
    from livekit.protocol import models

    return RunningJobInfo(
        accept_arguments=JobAcceptArguments(identity="agent-bench", name="", metadata=""),
        job=agent_proto.Job(
            id=f"AJ_{uuid.uuid4().hex[:12]}",
            room=models.Room(name=f"call-{call_id}", sid=f"RM_{uuid.uuid4().hex[:12]}"),
            type=agent_proto.JobType.JT_ROOM,
            metadata=json.dumps({"call_id": str(call_id), "bench_report": str(report)}),
        ),
        url="",
        token="",
        worker_id="bench",
        fake_job=True,
    )


async def _wait_for(report: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (found := _read(report)) is not None:
            return found
        await asyncio.sleep(0.002)
    raise RuntimeError("the job never asked the model for its greeting")


def _read(report: Path) -> dict[str, Any] | None:
    return json.loads(report.read_text()) if report.exists() else None


async def _ended(call_id: uuid.UUID) -> int:
    from orm.models import Call

    call = await Call.get(id=call_id)
    return 1 if call.status == "completed" and call.ended_reason == "job_shutdown" else 0


def main() -> None:
    variant, database_url, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    print(json.dumps(asyncio.run(_run_variant(variant, database_url, calls))))


if __name__ == "__main__":
    main()
