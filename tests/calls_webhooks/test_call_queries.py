"""call(id), calls(...) and activeCalls(...): the organization's call records, and only its."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest_asyncio

from orm.models import Call
from tests.support.factories import Account, unique_phone_number
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import CALLS
from tests.support.telephony import start_call, status_params, telephony_app, voice_params

CALL = """
query Call($id: ID!) {
  call(id: $id) {
    id status direction fromNumber toNumber durationSeconds endedReason answeredAt endedAt
    agent { name }
    agentSnapshot
    timeline {
      __typename seq type
      ... on CallStatusChanged { previousStatus status source reason }
      ... on CallEnded { status reason durationSeconds }
      ... on CallStarted { direction fromNumber toNumber source }
    }
  }
}
"""

ACTIVE_CALLS = """
query ActiveCalls($organizationId: ID!) {
  activeCalls(organizationId: $organizationId) { id status }
}
"""

CALL_NODE = """
query Node($id: ID!) { node(id: $id) { id ... on Call { status } } }
"""

# Known times for the from/to filters.
BASE_TIME = datetime(2099, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class History:
    """One organization with two agents and four calls an hour apart:
    completed (A, 09:00), ringing (A, 10:00), in progress (B, 11:00), busy (B, 12:00)."""

    owner: Account
    organization_id: str
    agent_a: str
    agent_b: str
    completed: Call
    ringing: Call
    in_progress: Call
    busy: Call

    def gid(self, call: Call) -> str:
        return global_id("Call", call.id)


@pytest_asyncio.fixture(scope="module")
async def history(server, livekit_server, make) -> History:
    # The calls and their timelines are what Twilio's webhooks record: that is what the
    # queries show.
    tenant = await make.tenant("History Co")
    agent_a = await make.agent(tenant, phone_number=True)
    agent_b = await make.agent(tenant, phone_number=True, name="Night desk")
    livekit_server.reset()
    await livekit_server.start()
    async with telephony_app(server.settings, livekit_server) as telephony:
        completed = await start_call(telephony, agent_a.phone_number.e164)
        for twilio_status, extra in (("in-progress", {}), ("completed", {"CallDuration": "30"})):
            response = await telephony.status(
                status_params(completed.twilio_call_sid, twilio_status, **extra)
            )
            assert response.status_code == 204
        ringing = await start_call(telephony, agent_a.phone_number.e164)
        in_progress = await start_call(telephony, agent_b.phone_number.e164)
        response = await telephony.status(status_params(in_progress.twilio_call_sid, "in-progress"))
        assert response.status_code == 204
        busy = await start_call(telephony, agent_b.phone_number.e164)
        response = await telephony.status(status_params(busy.twilio_call_sid, "busy"))
        assert response.status_code == 204
    made = [completed, ringing, in_progress, busy]
    for hours, call in enumerate(made):
        await Call.filter(id=call.id).update(created_at=BASE_TIME + timedelta(hours=hours))
    reread = [await Call.get(id=call.id) for call in made]
    return History(
        tenant.owner,
        tenant.organization_id,
        global_id("Agent", agent_a.id),
        global_id("Agent", agent_b.id),
        *reread,
    )


async def test_call_shows_the_record_with_its_timeline(gql, history):
    # when
    data = await gql.data(CALL, {"id": history.gid(history.completed)}, token=history.owner.token)

    # then
    call = data["call"]
    assert call["id"] == history.gid(history.completed)
    assert call["status"] == "COMPLETED"
    assert call["direction"] == "INBOUND"
    assert call["durationSeconds"] == 30
    assert call["endedReason"] == "twilio_completed"
    assert call["answeredAt"] is not None and call["endedAt"] is not None
    assert call["agent"] == {"name": "Front desk"}
    assert call["agentSnapshot"] == history.completed.snapshot
    assert call["agentSnapshot"]["system_prompt"] == "You answer the phone."
    changed = {"__typename": "CallStatusChanged", "type": "STATUS_CHANGED", "source": "TWILIO"}
    assert call["timeline"] == [
        {**changed, "seq": 1, "previousStatus": None, "status": "RINGING", "reason": None},
        {
            **changed,
            "seq": 2,
            "previousStatus": "RINGING",
            "status": "IN_PROGRESS",
            "reason": "twilio_in_progress",
        },
        {
            "__typename": "CallStarted",
            "type": "STARTED",
            "seq": 3,
            "direction": "INBOUND",
            "fromNumber": call["fromNumber"],
            "toNumber": call["toNumber"],
            "source": "TWILIO",
        },
        {
            **changed,
            "seq": 4,
            "previousStatus": "IN_PROGRESS",
            "status": "COMPLETED",
            "reason": "twilio_completed",
        },
        {
            "__typename": "CallEnded",
            "type": "ENDED",
            "seq": 5,
            "status": "COMPLETED",
            "reason": "twilio_completed",
            "durationSeconds": 30,
        },
    ]


async def _ids(gql, history: History, **variables) -> list[str]:
    data = await gql.data(
        CALLS,
        {"organizationId": history.organization_id, **variables},
        token=history.owner.token,
    )
    return [edge["node"]["id"] for edge in data["calls"]["edges"]]


async def test_calls_lists_the_organizations_calls_newest_first(gql, history):
    assert await _ids(gql, history) == [
        history.gid(c)
        for c in (history.busy, history.in_progress, history.ringing, history.completed)
    ]


async def test_calls_filters_by_agent(gql, history):
    assert await _ids(gql, history, agentId=history.agent_a) == [
        history.gid(history.ringing),
        history.gid(history.completed),
    ]
    assert await _ids(gql, history, agentId=history.agent_b) == [
        history.gid(history.busy),
        history.gid(history.in_progress),
    ]


async def test_calls_filters_by_status(gql, history):
    assert await _ids(gql, history, status=["RINGING", "IN_PROGRESS"]) == [
        history.gid(history.in_progress),
        history.gid(history.ringing),
    ]
    assert await _ids(gql, history, status=["BUSY"]) == [history.gid(history.busy)]
    assert await _ids(gql, history, status=["CANCELED"]) == []


async def test_calls_filters_by_time_from_inclusive_to_exclusive(gql, history):
    # when: from 10:00 (the ringing call) to 12:00 (the busy call, excluded)
    found = await _ids(
        gql,
        history,
        **{
            "from": (BASE_TIME + timedelta(hours=1)).isoformat(),
            "to": (BASE_TIME + timedelta(hours=3)).isoformat(),
        },
    )

    # then
    assert found == [history.gid(history.in_progress), history.gid(history.ringing)]


async def test_calls_pages_with_first_and_after(gql, history):
    # given
    variables = {"organizationId": history.organization_id, "first": 3}

    # when
    first_page = await gql.data(CALLS, variables, token=history.owner.token)
    second_page = await gql.data(
        CALLS,
        {**variables, "after": first_page["calls"]["pageInfo"]["endCursor"]},
        token=history.owner.token,
    )

    # then
    assert [e["node"]["id"] for e in first_page["calls"]["edges"]] == [
        history.gid(c) for c in (history.busy, history.in_progress, history.ringing)
    ]
    assert first_page["calls"]["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in second_page["calls"]["edges"]] == [
        history.gid(history.completed)
    ]
    assert second_page["calls"]["pageInfo"]["hasNextPage"] is False


async def test_active_calls_lists_only_ringing_and_in_progress(gql, history):
    # when
    data = await gql.data(
        ACTIVE_CALLS,
        {"organizationId": history.organization_id},
        token=history.owner.token,
    )

    # then
    assert sorted((c["id"], c["status"]) for c in data["activeCalls"]) == sorted(
        [
            (history.gid(history.ringing), "RINGING"),
            (history.gid(history.in_progress), "IN_PROGRESS"),
        ]
    )


async def test_another_organization_sees_none_of_it(gql, make, history):
    # given
    stranger = await make.tenant("Stranger Calls")
    token = stranger.token
    organization_id = history.organization_id

    # when
    call = await gql.execute(CALL, {"id": history.gid(history.completed)}, token=token)
    listed = await gql.execute(CALLS, {"organizationId": organization_id}, token=token)
    active = await gql.execute(ACTIVE_CALLS, {"organizationId": organization_id}, token=token)
    node = await gql.execute(CALL_NODE, {"id": history.gid(history.in_progress)}, token=token)

    # then
    assert error_codes(call) == ["NOT_FOUND"] and call["data"] == {"call": None}
    assert error_codes(listed) == ["NOT_FOUND"] and not (listed["data"] or {}).get("calls")
    assert error_codes(active) == ["NOT_FOUND"] and not (active["data"] or {}).get("activeCalls")
    assert error_codes(node) == ["NOT_FOUND"] and node["data"] == {"node": None}


async def test_a_stranger_filtering_by_their_own_agent_still_sees_nothing(gql, make, history):
    # given: a stranger passes their own organization with this organization's agent
    stranger = await make.tenant("Stranger Filter")

    # when
    data = await gql.data(
        CALLS,
        {"organizationId": stranger.organization_id, "agentId": history.agent_a},
        token=stranger.token,
    )

    # then
    assert data["calls"]["edges"] == []


async def test_a_platform_admin_can_read_any_organizations_calls(gql, make, history):
    # given
    admin = await make.platform_admin()

    # when
    call = await gql.data(CALL, {"id": history.gid(history.busy)}, token=admin.token)
    listed = await _ids_as(gql, history, admin.token)
    node = await gql.data(CALL_NODE, {"id": history.gid(history.ringing)}, token=admin.token)

    # then
    assert call["call"]["status"] == "BUSY"
    assert call["call"]["endedReason"] == "twilio_busy"
    assert listed == [
        history.gid(c)
        for c in (history.busy, history.in_progress, history.ringing, history.completed)
    ]
    assert node["node"] == {"id": history.gid(history.ringing), "status": "RINGING"}


async def _ids_as(gql, history: History, token: str) -> list[str]:
    data = await gql.data(CALLS, {"organizationId": history.organization_id}, token=token)
    return [edge["node"]["id"] for edge in data["calls"]["edges"]]


async def test_a_call_to_an_unknown_number_belongs_to_no_organization(gql, make, telephony):
    # given: a refused call (no organization)
    params = voice_params(unique_phone_number())
    assert (await telephony.voice(params)).status_code == 200
    call = await Call.get(twilio_call_sid=params["CallSid"])
    call_id = global_id("Call", call.id)
    user = await make.account()
    admin = await make.platform_admin()

    # when
    as_user = await gql.execute(CALL, {"id": call_id}, token=user.token)
    node_as_user = await gql.execute(CALL_NODE, {"id": call_id}, token=user.token)
    node_as_admin = await gql.execute(CALL_NODE, {"id": call_id}, token=admin.token)

    # then: nobody reaches it through an organization's API
    for answer in (as_user, node_as_user, node_as_admin):
        assert error_codes(answer) == ["NOT_FOUND"]
    assert node_as_user["data"] == node_as_admin["data"] == {"node": None}
