"""Removal from an organization, or a role without `call:read`, ends that organization's
streams on the person's sockets within a second: the notice on the bus names the person
and the organization, and the stream checks its access again at once. The socket stays
open (the person is still signed in) and their other organizations' streams go on.

The servers keep the default SUBSCRIPTION_ACCESS_RECHECK_SECONDS (10 s): only the notice
can end the stream in time.
"""

from __future__ import annotations

import pytest

from core.events import organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.security_hostile.socket_steps import (
    WITHIN_ONE_SECOND,
    Replicas,
    message_watch,
    now,
    two_replicas,
)
from tests.support.backends import Buses
from tests.support.factories import Account, Factories, Tenant
from tests.support.operations import CALLS, MEMBER_REMOVE, ORGANIZATION_CALL_UPDATES
from tests.support.waiting import subscribed, unsubscribed
from tests.support.websocket import graphql_socket

MEMBER_UPDATE_ROLE = """
mutation MemberUpdateRole($input: MemberUpdateRoleInput!) {
  memberUpdateRole(input: $input) {
    membership { id role { key } }
    errors { field message code }
  }
}
"""

ENDED = {
    "type": "next",
    "payload": {
        "data": None,
        "errors": [{"message": "Organization not found.", "extensions": {"code": "NOT_FOUND"}}],
    },
}


async def _removed(make: Factories, replicas: Replicas, tenant: Tenant, member: Account) -> None:
    await replicas.gql.ok(
        MEMBER_REMOVE, {"input": {"membershipId": member.membership_id}}, token=tenant.token
    )


async def _role_without_call_read(
    make: Factories, replicas: Replicas, tenant: Tenant, member: Account
) -> None:
    role = await make.custom_role(["agent:read"])
    await replicas.gql.ok(
        MEMBER_UPDATE_ROLE,
        {"input": {"membershipId": member.membership_id, "role": role.key}},
        token=tenant.token,
    )


@pytest.mark.parametrize(
    ("change", "refusal"),
    [(_removed, "NOT_FOUND"), (_role_without_call_read, "FORBIDDEN")],
    ids=["memberRemove", "memberUpdateRole"],
)
async def test_losing_call_read_ends_that_organizations_streams_within_a_second(
    server, make, buses: Buses, change, refusal: str
):
    # given: a person in two organizations, streaming both on one socket
    tenant, other = await make.tenant(), await make.tenant("Other Ltd")
    member = await make.member(tenant, "member")
    await make.join(other, member, "member")
    call_of_other = await make.call(other)
    losing = organization_channel(tenant.organization_uuid)
    keeping = organization_channel(other.organization_uuid)
    async with (
        two_replicas(server.settings, buses) as replicas,
        graphql_socket(replicas.sockets.ws_url, member.token) as socket,
    ):
        await socket.subscribe(
            "losing", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await socket.subscribe(
            "keeping", ORGANIZATION_CALL_UPDATES, {"organizationId": other.organization_id}
        )
        await subscribed(buses.server, losing)
        await subscribed(buses.server, keeping)
        ended = message_watch(socket, "losing")

        # when: an admin of the first organization changes their access through another replica
        await change(make, replicas, tenant, member)
        changed_at = now()

        # then: that organization's stream ends with NOT_FOUND within a second
        arrived_at, message = await ended
        assert {key: message[key] for key in ("type", "payload")} == ENDED
        assert arrived_at - changed_at < WITHIN_ONE_SECOND
        assert (await socket.next("losing"))["type"] == "complete"
        await unsubscribed(buses.server, losing)
        # and the other organization's stream goes on, on the same socket
        await calls.apply_status(
            call_id=call_of_other.id,
            status=CallStatus.IN_PROGRESS,
            source="livekit",
            bus=buses.writer,
        )
        update = await socket.data("keeping", "organizationCallUpdates")
        assert update["call"]["status"] == "IN_PROGRESS"
        # and the socket answers, refusing the calls they may no longer read
        refused = await socket.execute("after", CALLS, {"organizationId": tenant.organization_id})
        kept = await socket.execute("other", CALLS, {"organizationId": other.organization_id})
    assert [e["extensions"]["code"] for e in refused["payload"]["errors"]] == [refusal]
    assert "errors" not in kept["payload"], kept
