"""A subscriber only ever gets a result computed under its own organization and permissions:
a narrower role, another role, a platform admin and an API key each get their own answer;
a role change moves a stream to its new permissions, and a revoked credential ends only its
own sockets while the others sharing its results go on."""

from __future__ import annotations

import json
from typing import Any

from core.events import organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.fanout.conftest import Replicas
from tests.fanout.helpers import WALL, Audience, Watch
from tests.support.factories import Factories, Tenant
from tests.support.operations import SIGN_OUT
from tests.support.waiting import DEADLINE, eventually, subscribed
from tests.support.websocket import GraphQLSocket, open_socket

VIEWER = """
subscription Viewer($org: ID!) {
  organizationCallUpdates(organizationId: $org) {
    seq
    call { agent { name organization { viewerRole { key } viewerPermissions } } }
  }
}
"""

MEMBER_UPDATE_ROLE = """
mutation MemberUpdateRole($input: MemberUpdateRoleInput!) {
  memberUpdateRole(input: $input) {
    membership { id role { key } }
    errors { field message code }
  }
}
"""


def _payload(frame: str) -> dict[str, Any]:
    message = json.loads(frame)
    assert message["type"] == "next", message
    return message["payload"]


async def _answered(
    tenant: Tenant, make: Factories, replicas: Replicas, audience: Audience
) -> None:
    call = await make.call(tenant)
    await audience.after(
        calls.apply_status(
            call_id=call.id,
            status=CallStatus.IN_PROGRESS,
            source="livekit",
            bus=replicas.buses.writer,
        ),
        call,
    )


async def test_each_role_platform_admin_and_api_key_gets_its_own_answer(make, replicas: Replicas):
    # given: the same document and variables from five kinds of subscriber
    tenant = await make.tenant()
    member, billing = await make.member(tenant), await make.member(tenant, "billing")
    admin = await make.platform_admin()
    key = await make.api_key(tenant, "member")
    viewer = Watch.dashboard(tenant.organization_uuid, VIEWER)
    wall = Watch.dashboard(tenant.organization_uuid, WALL)
    credentials = {
        "owner": tenant.token,
        "member": member.token,
        "billing": billing.token,
        "admin": admin.token,
        "key": key.key,
    }
    audience = Audience()
    sockets: dict[str, GraphQLSocket] = {}
    try:
        for name, credential in credentials.items():
            sockets[name] = await open_socket(replicas.shared.ws_url, credential)
            await audience.subscribe(sockets[name], {"viewer": viewer, "wall": wall})
        await subscribed(replicas.buses.server, organization_channel(tenant.organization_uuid), 10)

        # when
        await _answered(tenant, make, replicas, audience)
    finally:
        for socket in sockets.values():
            await socket.close()

    # then: each sees what its own permissions allow, and the role it holds
    def organization(name: str) -> dict[str, Any] | None:
        agent = _payload(sockets[name].frames["viewer"][0])["data"]["organizationCallUpdates"][
            "call"
        ]["agent"]
        return agent and agent["organization"]

    owner, admins, members_view, keys_view = (
        organization(name) for name in ("owner", "admin", "member", "key")
    )
    assert owner is not None and owner["viewerRole"] == {"key": "org_admin"}
    assert admins is not None and admins["viewerRole"] is None
    assert "platform:manage" in admins["viewerPermissions"]
    assert "platform:manage" not in owner["viewerPermissions"]
    assert members_view is not None and members_view["viewerRole"] == {"key": "member"}
    assert keys_view == members_view  # an API key of the member role: the same permissions
    assert organization("billing") is None
    billing_wall = _payload(sockets["billing"].frames["wall"][0])
    assert billing_wall["data"]["updates"]["call"]["agent"] is None
    assert [error["extensions"]["code"] for error in billing_wall["errors"]] == ["FORBIDDEN"]
    member_wall = _payload(sockets["member"].frames["wall"][0])
    assert member_wall["data"]["updates"]["call"]["agent"] == {"name": "Front desk"}
    assert "errors" not in member_wall


async def test_a_role_change_moves_the_stream_to_the_new_permissions(make, replicas: Replicas):
    # given: two members watching the same wall from one replica
    tenant = await make.tenant()
    changing, staying = await make.member(tenant), await make.member(tenant)
    wall = Watch.dashboard(tenant.organization_uuid, WALL)
    audience = Audience()
    sockets: list[GraphQLSocket] = []
    try:
        for person in (changing, staying):
            sockets.append(await open_socket(replicas.shared.ws_url, person.token))
            await audience.subscribe(sockets[-1], {"wall": wall})
        await subscribed(replicas.buses.server, organization_channel(tenant.organization_uuid), 2)
        await _answered(tenant, make, replicas, audience)

        # when: one of them becomes billing, which may still read calls but not agents
        await replicas.gql.ok(
            MEMBER_UPDATE_ROLE,
            {"input": {"membershipId": changing.membership_id, "role": "billing"}},
            token=tenant.token,
        )

        # then: their stream goes on, and soon shows the call without its agent; the other
        # member's keeps showing it
        def agent_of(socket: GraphQLSocket) -> Any:
            return _payload(socket.frames["wall"][-1])["data"]["updates"]["call"]["agent"]

        async def refused() -> bool:
            await _answered(tenant, make, replicas, audience)
            return agent_of(sockets[0]) is None

        await eventually(refused, timeout=DEADLINE, what="the new role applied")
    finally:
        for socket in sockets:
            await socket.close()
    changed = [_payload(frame) for frame in sockets[0].frames["wall"]]
    assert changed[0]["data"]["updates"]["call"]["agent"] == {"name": "Front desk"}
    codes = [error["extensions"]["code"] for error in changed[-1]["errors"]]
    assert codes == ["FORBIDDEN"]
    kept = [_payload(frame) for frame in sockets[1].frames["wall"]]
    assert len(kept) == len(changed)
    assert all(p["data"]["updates"]["call"]["agent"] == {"name": "Front desk"} for p in kept)


async def test_a_revoked_session_ends_its_socket_and_the_others_go_on(make, replicas: Replicas):
    # given: one person signed in twice, watching the same wall from both sessions
    tenant = await make.tenant()
    elsewhere = await make.session(tenant.owner.user)
    wall = Watch.dashboard(tenant.organization_uuid, WALL)
    audience = Audience()
    revoked = await open_socket(replicas.shared.ws_url, tenant.token)
    kept = await open_socket(replicas.shared.ws_url, elsewhere.token)
    try:
        await audience.subscribe(kept, {"wall": wall})
        await revoked.subscribe("wall", wall.query, wall.variables)
        await subscribed(replicas.buses.server, organization_channel(tenant.organization_uuid), 2)

        # when: the first session signs out
        await replicas.gql.ok(SIGN_OUT, {"input": None}, token=tenant.token)

        # then: its socket closes with 4403, and the other session's stream still gets events
        code, _ = await revoked.wait_closed()
        assert code == 4403
        await _answered(tenant, make, replicas, audience)
    finally:
        await revoked.close()
        await kept.close()
    update = _payload(kept.frames["wall"][0])["data"]["updates"]
    assert update["call"]["agent"] == {"name": "Front desk"}
