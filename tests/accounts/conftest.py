"""Every HTTP response seen by the account tests is scanned for password hashes."""

from __future__ import annotations

import httpx
import pytest_asyncio


async def _no_password_hash(response: httpx.Response) -> None:
    await response.aread()
    text = response.text
    assert "$argon2" not in text, f"a password hash leaked: {text}"
    assert '"passwordHash"' not in text, f"a passwordHash field leaked: {text}"
    assert '"password_hash"' not in text, f"a password_hash field leaked: {text}"


@pytest_asyncio.fixture
async def gql(gql):  # type: ignore[no-untyped-def]
    """The harness client, with every response checked for leaked password hashes."""
    gql.http.event_hooks["response"].append(_no_password_hash)
    yield gql
