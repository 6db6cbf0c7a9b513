"""Start-up is paid before a call: the worker preloads its modules in LiveKit's forkserver
and prewarms each job process (worker/process.py, worker/server.py).

The whole path, through LiveKit's own process pool, is measured by `make bench` (worker
start-up, bench/worker_start.py); these tests pin the pieces.
"""

from __future__ import annotations

import asyncio
import contextvars

from core.settings import Settings
from orm.models import Call
from tests.support.factories import Factories
from worker.process import (
    PRELOAD_MODULES,
    _open_connection_when_the_loop_starts,
    open_process_resources,
)


def test_the_worker_preloads_the_google_plugin_and_prewarms_its_job_processes():
    # given the worker's AgentServer, as `voiceagents worker start` loads it
    import worker.server
    from worker.process import prewarm

    server = worker.server.server

    # then the Google plugin (and the worker's modules) are imported in the forkserver,
    # every job process is prewarmed, and a shutdown has the configured time
    assert "livekit.plugins.google" in PRELOAD_MODULES
    assert server._preload_modules[: len(PRELOAD_MODULES)] == PRELOAD_MODULES
    assert server.setup_fnc is prewarm
    assert (
        server._shutdown_process_timeout == worker.server._settings.worker_shutdown_timeout_seconds
    )


async def test_a_prewarmed_process_opens_its_database_connection_as_its_loop_starts(
    settings: Settings, make: Factories
):
    # given a call recorded, and a job process prewarmed (no event loop runs yet there)
    tenant = await make.tenant()
    call = await make.call(tenant)

    def job_process() -> tuple[bool, bool, str]:
        resources = open_process_resources(settings, global_database=False)
        _open_connection_when_the_loop_starts(resources)
        # when LiveKit creates the process's event loop and waits on it for a job
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(asyncio.sleep(0))
            opened_while_idle = resources._connecting is not None
            opening = resources._connecting

            async def job() -> str:
                await resources.connect()  # what the job does first
                found = await Call.get(id=call.id)
                return found.status

            status = loop.run_until_complete(job())
            reused = resources._connecting is opening
            loop.run_until_complete(resources.close(timeout=5))
            return opened_while_idle, reused, status
        finally:
            loop.close()

    opened_while_idle, reused, status = await asyncio.to_thread(
        contextvars.copy_context().run, job_process
    )

    # then the connection was being opened before any job arrived, the job used that one,
    # and the process reads the database through it
    assert opened_while_idle and reused
    assert status == "ringing"
