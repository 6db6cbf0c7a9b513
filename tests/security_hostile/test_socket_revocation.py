"""A socket ends with its credential: sign-out, a reused refresh token, API key revocation,
password reset and deactivation close every socket holding it within a second, on every
replica, with 4403 (graphql-ws clients then reconnect with a fresh token), and end its
streams.

Each case opens the socket on one replica and revokes through another (tests/security_hostile
/socket_steps.py), on the in-process bus and on Redis.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.events import organization_channel
from core.security.tokens import digest
from orm.models import RefreshToken
from tests.security_hostile.socket_steps import (
    WITHIN_ONE_SECOND,
    Replicas,
    close_watch,
    now,
    two_replicas,
)
from tests.support.backends import Buses, needs_redis, redis_url
from tests.support.factories import Factories, Tenant
from tests.support.graphql import GraphQLClient, payload_codes
from tests.support.mail import last_mailed_token
from tests.support.operations import (
    API_KEY_REVOKE,
    ORGANIZATION,
    ORGANIZATION_CALL_UPDATES,
    SIGN_OUT,
    TOKEN_REFRESH,
)
from tests.support.servers import running_app
from tests.support.waiting import subscribed, unsubscribed
from tests.support.websocket import graphql_socket
from tests.test_cli import run

PASSWORD_RESET_REQUEST = """
mutation PasswordResetRequest($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { ok errors { field message code } }
}
"""

PASSWORD_RESET = """
mutation PasswordReset($input: PasswordResetInput!) {
  passwordReset(input: $input) { ok errors { field message code } }
}
"""


@dataclass
class Holder:
    """A credential a socket is opened with, the tenant it streams, and how it is revoked."""

    credential: str
    tenant: Tenant
    revoke: Callable[[], Awaitable[object]]


async def _sign_out(make: Factories, replicas: Replicas, buses: Buses) -> Holder:
    tenant = await make.tenant()
    return Holder(
        tenant.token,
        tenant,
        lambda: replicas.gql.ok(SIGN_OUT, {"input": None}, token=tenant.token),
    )


async def _sign_out_everywhere(make: Factories, replicas: Replicas, buses: Buses) -> Holder:
    tenant = await make.tenant()
    elsewhere = await make.session(tenant.owner.user)
    return Holder(
        tenant.token,
        tenant,
        lambda: replicas.gql.ok(SIGN_OUT, {"input": {"everywhere": True}}, token=elsewhere.token),
    )


async def _sign_out_by_refresh_token(make: Factories, replicas: Replicas, buses: Buses) -> Holder:
    # from another device of the same person: "sign out my laptop"
    tenant = await make.tenant()
    elsewhere = await make.session(tenant.owner.user)
    variables = {"input": {"refreshToken": tenant.owner.refresh_token}}
    return Holder(
        tenant.token,
        tenant,
        lambda: replicas.gql.ok(SIGN_OUT, variables, token=elsewhere.token),
    )


async def _refresh_token_reused(make: Factories, replicas: Replicas, buses: Buses) -> Holder:
    # given: the session's refresh token was exchanged long ago (no grace window covers it)
    tenant = await make.tenant()
    retired = tenant.owner.refresh_token
    await replicas.gql.ok(TOKEN_REFRESH, {"input": {"refreshToken": retired}})
    await RefreshToken.filter(token_hash=digest(retired)).update(
        rotated_at=datetime.now(UTC) - timedelta(hours=1)
    )

    async def present_it_again() -> None:
        payload = await replicas.gql.payload(TOKEN_REFRESH, {"input": {"refreshToken": retired}})
        assert payload_codes(payload) == ["INVALID_TOKEN"]

    return Holder(tenant.token, tenant, present_it_again)


async def _api_key_revoked(make: Factories, replicas: Replicas, buses: Buses) -> Holder:
    tenant = await make.tenant()
    key = await make.api_key(tenant, "member")
    return Holder(
        key.key,
        tenant,
        lambda: replicas.gql.ok(API_KEY_REVOKE, {"input": {"id": key.id}}, token=tenant.token),
    )


async def _password_reset(make: Factories, replicas: Replicas, buses: Buses) -> Holder:
    tenant = await make.tenant()
    email = tenant.owner.email
    await replicas.gql.ok(PASSWORD_RESET_REQUEST, {"input": {"email": email}})
    token = await last_mailed_token(email, "password_reset")
    variables = {"input": {"token": token, "newPassword": "a brand new passphrase 42"}}
    return Holder(tenant.token, tenant, lambda: replicas.gql.ok(PASSWORD_RESET, variables))


async def _deactivated(make: Factories, replicas: Replicas, buses: Buses) -> Holder:
    # What `voiceagents users deactivate` runs, from a process of its own on the same bus.
    from core.services import account_status

    tenant = await make.tenant()
    return Holder(
        tenant.token,
        tenant,
        lambda: account_status.deactivate(email=tenant.owner.email, bus=buses.writer),
    )


REVOCATIONS = {
    "signOut": _sign_out,
    "signOut everywhere": _sign_out_everywhere,
    "signOut by refresh token": _sign_out_by_refresh_token,
    "tokenRefresh with a reused token": _refresh_token_reused,
    "apiKeyRevoke": _api_key_revoked,
    "passwordReset": _password_reset,
    "deactivation": _deactivated,
}


@pytest.mark.parametrize("revocation", REVOCATIONS.values(), ids=list(REVOCATIONS))
async def test_a_revoked_credential_closes_its_sockets_within_a_second(
    server, make, buses: Buses, revocation
):
    # given: a socket streaming the organization's calls, a query answered on it, and a
    # bystander's socket on the same replica
    bystander = await make.tenant("Bystander Ltd")
    async with two_replicas(server.settings, buses) as replicas:
        holder = await revocation(make, replicas, buses)
        channel = organization_channel(holder.tenant.organization_uuid)
        variables = {"id": holder.tenant.organization_id}
        async with (
            graphql_socket(replicas.sockets.ws_url, holder.credential) as socket,
            graphql_socket(replicas.sockets.ws_url, bystander.token) as unrelated,
        ):
            await socket.subscribe(
                "stream",
                ORGANIZATION_CALL_UPDATES,
                {"organizationId": holder.tenant.organization_id},
            )
            await subscribed(buses.server, channel)
            assert "errors" not in (await socket.execute("before", ORGANIZATION, variables))
            closed = close_watch(socket)

            # when
            await holder.revoke()
            revoked_at = now()

            # then: the socket is closed with 4403 within a second
            closed_at, code, reason = await closed
            assert (code, reason) == (4403, "Credential revoked")
            assert closed_at - revoked_at < WITHIN_ONE_SECOND
            # and its stream let go of the bus on the server, having sent nothing
            await unsubscribed(buses.server, channel)
            assert socket.pending("stream") == []
            # and the bystander's socket goes on
            bystander_answer = await unrelated.execute(
                "after", ORGANIZATION, {"id": bystander.organization_id}
            )
            assert "errors" not in bystander_answer, bystander_answer


@needs_redis
async def test_a_sign_out_on_one_replica_closes_the_socket_on_another(server, make):
    # given: two replicas as `voiceagents serve` builds them (each its own Redis bus), and a
    # socket on the first
    tenant = await make.tenant()
    async with (
        running_app(server.settings) as first,
        running_app(server.settings) as second,
        httpx.AsyncClient(base_url=second.base_url, timeout=30) as http,
        graphql_socket(first.ws_url, tenant.token) as socket,
    ):
        closed = close_watch(socket)

        # when: the person signs out through the second
        await GraphQLClient(http).ok(SIGN_OUT, {"input": None}, token=tenant.token)
        signed_out_at = now()

        # then
        closed_at, code, _ = await closed
    assert code == 4403
    assert closed_at - signed_out_at < WITHIN_ONE_SECOND


@needs_redis
@pytest.mark.slow
async def test_voiceagents_users_deactivate_closes_the_persons_sockets_from_another_process(
    server, make, tmp_path
):
    # given: a replica as `voiceagents serve` builds it, and the person's socket on it
    tenant = await make.tenant()
    async with (
        running_app(server.settings) as replica,
        graphql_socket(replica.ws_url, tenant.token) as socket,
    ):
        closed = close_watch(socket)

        # when: an operator runs the command on another machine sharing the database and Redis
        result = await asyncio.to_thread(
            run,
            ["users", "deactivate", "--email", tenant.owner.email],
            tmp_path,
            DATABASE_URL=server.settings.database_url,
            REDIS_URL=redis_url(),
        )
        finished_at = now()

        # then: the command worked, and the socket was closed by the time it exited (or
        # within a second of it)
        assert result.returncode == 0, result.stderr
        closed_at, code, reason = await closed
    assert (code, reason) == (4403, "Credential revoked")
    assert closed_at - finished_at < WITHIN_ONE_SECOND
