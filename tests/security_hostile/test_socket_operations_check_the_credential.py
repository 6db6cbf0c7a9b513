"""Every operation on a socket checks that the socket's credential still stands.

Revocations normally reach the socket over the bus (test_socket_revocation.py); these are
revoked behind its back, as a revocation the bus could not carry (Redis away, the CLI of
an embedded install whose in-process bus reaches no server). The next operation on the
socket must not run: the socket closes with 4403 and nothing changes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from websockets.exceptions import ConnectionClosed

from orm.models import ApiKey, AuthSession, User, VoiceAgent
from tests.support.backends import Buses
from tests.support.factories import Factories
from tests.support.ids import global_id
from tests.support.operations import AGENT_UPDATE, API_KEY_CREATE, ME
from tests.support.servers import running_app
from tests.support.websocket import SocketClosed, graphql_socket


@dataclass
class Holder:
    credential: str
    revoke: Callable[[], Awaitable[object]]


async def _session_revoked(make: Factories, tenant) -> Holder:  # type: ignore[no-untyped-def]
    session_id = tenant.owner.session_id
    return Holder(
        tenant.token,
        lambda: AuthSession.filter(id=session_id).update(
            revoked_at=datetime.now(UTC), revoked_reason="signed_out"
        ),
    )


async def _user_deactivated(make: Factories, tenant) -> Holder:  # type: ignore[no-untyped-def]
    user_id = tenant.owner.uuid
    return Holder(tenant.token, lambda: User.filter(id=user_id).update(is_active=False))


async def _api_key_revoked(make: Factories, tenant) -> Holder:  # type: ignore[no-untyped-def]
    key = await make.api_key(tenant, "org_admin")
    return Holder(
        key.key, lambda: ApiKey.filter(id=key.row.id).update(revoked_at=datetime.now(UTC))
    )


def _me(tenant, agent: VoiceAgent) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    return ME, {}


def _agent_update(tenant, agent: VoiceAgent) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    return AGENT_UPDATE, {"input": {"id": global_id("Agent", agent.id), "name": "Hijacked"}}


def _api_key_create(tenant, agent: VoiceAgent) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    return API_KEY_CREATE, {
        "input": {
            "organizationId": tenant.organization_id,
            "name": "Outlives the sign-out",
            "role": "org_admin",
        }
    }


CASES = {
    f"{operation_name} after {revocation_name}": (revocation, operation)
    for revocation_name, revocation in {
        "the session was revoked": _session_revoked,
        "the user was deactivated": _user_deactivated,
        "the API key was revoked": _api_key_revoked,
    }.items()
    for operation_name, operation in {
        "me": _me,
        "agentUpdate": _agent_update,
        "apiKeyCreate(org_admin)": _api_key_create,
    }.items()
    # An API key is no person: `me` is refused to it anyway.
    if not (revocation is _api_key_revoked and operation is _me)
}


@pytest.mark.parametrize(("revocation", "operation"), CASES.values(), ids=list(CASES))
async def test_an_operation_on_a_socket_whose_credential_fell_does_not_run(
    server, make, buses: Buses, revocation, operation
):
    # given: an acknowledged socket, then its credential revoked with no notice to the server
    tenant = await make.tenant()
    agent = await make.agent(tenant, name="Front desk")
    holder = await revocation(make, tenant)
    keys_before = await ApiKey.filter(organization_id=tenant.organization_uuid).count()
    query, variables = operation(tenant, agent)
    async with (
        running_app(server.settings, bus=buses.server) as app,
        graphql_socket(app.ws_url, holder.credential) as socket,
    ):
        await holder.revoke()

        # when
        with contextlib.suppress(ConnectionClosed):  # closed already: refused all the same
            await socket.subscribe("after", query, variables)

        # then: the socket is closed with 4403 and the operation sent no answer
        with pytest.raises(SocketClosed) as closed:
            await socket.next("after")
    assert closed.value.code == 4403
    # and nothing changed
    assert (await VoiceAgent.get(id=agent.id)).name == "Front desk"
    assert await ApiKey.filter(organization_id=tenant.organization_uuid).count() == keys_before
