"""The `voiceagents` command, run as a real process."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from tests.support.ports import free_port
from tests.support.waiting import DEADLINE

# Every test here starts the command as a child process.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def _environment(tmp_path: Path, **env: str) -> dict[str, str]:
    """The command's environment: none of the suite's settings, a SQLite file of its own."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "ENVIRONMENT", "JWT_", "TEST_"))
    }
    environment.update({"DATABASE_URL": f"sqlite://{tmp_path / 'cli.sqlite3'}", **env})
    environment["PYTHONPATH"] = str(ROOT)
    return environment


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        cwd=tmp_path,
        env=_environment(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]


def test_help_explains_every_command(tmp_path):
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for command in ("serve", "migrate", "seed-demo", "create-admin", "export-schema"):
        assert command in result.stdout
    serve_help = run(["serve", "--help"], tmp_path)
    assert "--host" in serve_help.stdout and "--port" in serve_help.stdout


def test_migrate_seed_and_create_admin_on_a_fresh_sqlite_file(tmp_path):
    # when
    first = run(["migrate"], tmp_path)
    second = run(["migrate"], tmp_path)
    seeded = run(["seed-demo", "--password", "demo password 123"], tmp_path)
    reseeded = run(["seed-demo"], tmp_path)
    admin = run(["create-admin", "--email", "Root@Example.com"], tmp_path)
    again = run(["create-admin", "--email", "root@example.com"], tmp_path)
    # then
    assert first.returncode == 0, first.stderr
    assert "migrations applied: " in first.stdout and "none" not in first.stdout
    assert "none (up to date)" in second.stdout
    assert seeded.returncode == 0, seeded.stderr
    assert "demo-admin@example.com" in seeded.stdout and "demo password 123" in seeded.stdout
    new_password = re.search(r"password:\s+(\S+)", reseeded.stdout)
    assert new_password and new_password.group(1) != "demo"
    assert admin.returncode == 0 and "platform admin created: root@example.com" in admin.stdout
    assert "password:" in admin.stdout
    assert "granted to existing user" in again.stdout


def test_create_admin_existing_only_fails_cleanly_for_an_unknown_email(tmp_path):
    run(["migrate"], tmp_path)
    result = run(["create-admin", "--email", "nobody@example.com", "--existing-only"], tmp_path)
    assert_one_line_failure(result, "no user with email nobody@example.com")


def test_bad_database_url_is_one_line(tmp_path):
    result = run(["migrate"], tmp_path, DATABASE_URL="mysql://localhost/x")
    assert_one_line_failure(result, "DATABASE_URL")


def test_unreachable_database_is_one_line(tmp_path):
    result = run(["serve"], tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/none")
    assert_one_line_failure(result, "database unreachable")


def test_unreachable_redis_is_one_line(tmp_path):
    run(["migrate"], tmp_path)
    result = run(["serve"], tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    assert_one_line_failure(result, "redis unreachable")


@pytest.mark.parametrize("secret", ["", "too-short"])
def test_weak_secret_in_production_is_one_line(tmp_path, secret):
    env = {"ENVIRONMENT": "production"}
    if secret:
        env["JWT_SECRET"] = secret
    result = run(["serve"], tmp_path, **env)
    assert_one_line_failure(result, "JWT_SECRET")


def test_seed_demo_refuses_production(tmp_path):
    result = run(
        ["seed-demo"],
        tmp_path,
        ENVIRONMENT="production",
        JWT_SECRET="x" * 40,
        ENCRYPTION_KEYS="k1:" + "A" * 43 + "=",
    )
    assert_one_line_failure(result, "production")


def test_export_schema_matches_the_committed_file(tmp_path):
    result = run(["export-schema"], tmp_path)
    assert result.returncode == 0
    assert result.stdout == (ROOT / "schema.graphql").read_text(), "run `make schema`"


def test_worker_refuses_to_start_without_livekit_settings(tmp_path):
    result = run(["worker", "start"], tmp_path)
    assert_one_line_failure(result, "LIVEKIT_URL")


def test_worker_refuses_to_start_without_a_gemini_key(tmp_path):
    result = run(
        ["worker", "start"],
        tmp_path,
        LIVEKIT_URL="wss://lk.example",
        LIVEKIT_API_KEY="k",
        LIVEKIT_API_SECRET="s" * 32,
        GOOGLE_API_KEY="",
    )
    assert_one_line_failure(result, "GOOGLE_API_KEY")


def test_worker_help_lists_its_modes(tmp_path):
    result = run(["worker", "--help"], tmp_path)
    assert result.returncode == 0
    for mode in ("start", "dev", "console"):
        assert mode in result.stdout


@pytest.mark.parametrize(("setting", "negotiated"), [(None, False), ("true", True)])
async def test_serve_compresses_websockets_only_when_told(tmp_path, setting, negotiated):
    # given: a migrated database, and `voiceagents serve` on it (WS_PER_MESSAGE_DEFLATE as given)
    assert run(["migrate"], tmp_path).returncode == 0
    port = free_port()
    env = {"WS_PER_MESSAGE_DEFLATE": setting} if setting is not None else {}
    with serving(tmp_path, port, **env):
        # when: a client offers permessage-deflate (websockets does by default)
        async with connect(
            f"ws://127.0.0.1:{port}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
        ) as socket:
            assert socket.response is not None
            extensions = socket.response.headers.get("Sec-WebSocket-Extensions")

    # then: the server takes it up only when the setting says so
    assert (extensions is not None and "permessage-deflate" in extensions) is negotiated


@contextlib.contextmanager
def serving(tmp_path: Path, port: int, **env: str) -> Iterator[None]:
    """`voiceagents serve` on `port` until the block ends (up once /healthz answers)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "core.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=_environment(tmp_path, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + DEADLINE
        while True:
            assert process.poll() is None, "voiceagents serve exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "voiceagents serve did not come up"
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)
