"""Processes and network pieces the reliability tests break on purpose.

- `RedisServer`: a redis-server of our own on a free port, killed and restarted at will
  (never the machine's shared Redis).
- `api_process`: the real API as production runs it (`voiceagents serve`, core/cli.py) in a
  child process, configured by environment variables only.
- `TcpProxy`: a TCP relay on 127.0.0.1 that can be cut (listener and every connection
  closed) and restored on the same port, to take a database "off the network".
- `SlowLiveKit`: the fake LiveKit (tests/fakes/livekit.py) holding its answers until the
  test releases them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from tests.fakes.livekit import FakeLiveKit
from tests.support.backends import TEST_REDIS_URL
from tests.support.ports import free_port
from tests.support.waiting import DEADLINE, eventually

ROOT = Path(__file__).resolve().parents[2]
# What `voiceagents serve` (core/cli.py) passes to uvicorn as timeout_graceful_shutdown.
GRACEFUL_SHUTDOWN_SECONDS = 20
# The API's start-up in a child process (imports, preflight checks) on a loaded machine.
START_UP_DEADLINE = 3 * DEADLINE


# --- Redis ------------------------------------------------------------------------------------


def redis_binary() -> str:
    """The redis-server binary; skips without one, unless TEST_REDIS_URL says Redis is a must."""
    binary = shutil.which("redis-server")
    if binary is None:
        if TEST_REDIS_URL:
            pytest.fail("TEST_REDIS_URL is set but redis-server is not installed")
        pytest.skip("redis-server is not installed (and TEST_REDIS_URL is not set)")
    return binary


class RedisServer:
    """A throw-away redis-server; `kill()` is SIGKILL, `start()` comes back on the same port."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        self.process = self._spawn()
        await eventually(self._answers_ping, what="redis-server answers PING")

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def _answers_ping(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"redis-server exited with {self.process.returncode}")
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        try:
            writer.write(b"PING\r\n")
            await writer.drain()
            return (await asyncio.wait_for(reader.readline(), DEADLINE)) == b"+PONG\r\n"
        except (OSError, TimeoutError):
            return False
        finally:
            writer.close()

    def kill(self) -> None:
        """SIGKILL: no goodbye to any client."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=DEADLINE)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=DEADLINE)


# --- the API in a child process ---------------------------------------------------------------


@dataclass
class ApiProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    ws_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def wait_until_up(self) -> None:
        async with httpx.AsyncClient(timeout=DEADLINE) as http:

            async def up() -> bool:
                if self.process.poll() is not None:
                    raise AssertionError(f"the API exited at start-up:\n{self.log()[-3000:]}")
                try:
                    return (await http.get(self.base_url + "/healthz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(up, timeout=START_UP_DEADLINE, what="the API answers /healthz")

    def terminate(self) -> None:
        """SIGTERM, as an orchestrator stopping the container sends it."""
        self.process.send_signal(signal.SIGTERM)

    async def exited(self, timeout: float) -> int:
        """The exit status, waiting at most `timeout` seconds."""
        await eventually(lambda: self.process.poll() is not None, timeout=timeout, what="exit")
        return self.process.returncode

    async def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                await self.exited(GRACEFUL_SHUTDOWN_SECONDS + DEADLINE)
            except AssertionError:
                self.process.kill()
                self.process.wait(timeout=DEADLINE)


# Variables of the outer environment that would change what the child connects to.
_CHILD_ENV_CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "LIVEKIT_URL",
    "LIVEKIT_API_KEY",
    "LIVEKIT_API_SECRET",
    "LIVEKIT_SIP_HOST",
    "TWILIO_AUTH_TOKEN",
    "PUBLIC_BASE_URL",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
)


@contextlib.asynccontextmanager
async def api_process(
    env: dict[str, str], log_dir: Path, *, wait: bool = True
) -> AsyncIterator[ApiProcess]:
    """`voiceagents serve` on a free port, as production starts it: preflight checks of the
    database and Redis, then uvicorn with proxy headers and a graceful-shutdown timeout of
    GRACEFUL_SHUTDOWN_SECONDS. With `wait=False` it yields at once (start-up takes seconds):
    call `wait_until_up()` before using it."""
    port = free_port()
    log_path = log_dir / f"api-{port}.log"
    child = ApiProcess(
        _spawn_api(port, env, log_path),
        f"http://127.0.0.1:{port}",
        f"ws://127.0.0.1:{port}/graphql",
        log_path,
    )
    try:
        if wait:
            await child.wait_until_up()
        yield child
    finally:
        await child.stop()


def _spawn_api(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    environment = {
        key: value for key, value in os.environ.items() if key.upper() not in _CHILD_ENV_CLEARED
    }
    environment.update({"PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **env})
    with open(log_path, "wb") as log_file:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "core.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=environment,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )


# --- a TCP relay that can be cut ----------------------------------------------------------------


class TcpProxy:
    """127.0.0.1:<port> -> target. `cut()` closes the listener and resets every connection
    (new ones are refused); `restore()` listens on the same port again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.AbstractServer | None = None
        self._transports: set[asyncio.BaseTransport] = set()
        self._pipes: set[asyncio.Task[None]] = set()
        self.accepted = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._transports.update({client_writer.transport, upstream_writer.transport})
        pipes = [
            asyncio.create_task(self._pipe(client_reader, upstream_writer)),
            asyncio.create_task(self._pipe(upstream_reader, client_writer)),
        ]
        self._pipes.update(pipes)
        await asyncio.gather(*pipes, return_exceptions=True)
        self._pipes.difference_update(pipes)
        for writer in (client_writer, upstream_writer):
            self._transports.discard(writer.transport)
            writer.transport.abort()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, ConnectionError):
            pass
        finally:
            writer.transport.abort()

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for transport in list(self._transports):
            transport.abort()  # RST: the database connection is gone, not politely closed
        self._transports.clear()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        await self.cut()
        for task in list(self._pipes):
            task.cancel()


# --- LiveKit that takes its time ---------------------------------------------------------------


class SlowLiveKit(FakeLiveKit):
    """The fake LiveKit, slow to open rooms: every call waits, once it `arrived`, until the
    test `release()`s the answers, so a request is in flight exactly as long as the test
    needs it to be."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.arrived = asyncio.Event()
        self._released = asyncio.Event()

    def release(self) -> None:
        self._released.set()

    async def _twirp(self, request: Request) -> Response:
        self.arrived.set()
        await self._released.wait()
        return await super()._twirp(request)
