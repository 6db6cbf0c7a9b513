"""`Call.analysis` over GraphQL: null when none is owed, read by a page of calls in one query,
and never by another organization."""

from __future__ import annotations

import uuid

from orm.models import CallAnalysis
from tests.call_analysis.helpers import agent_with_plan, ended_call
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.logs import sql_statements

CALL_ANALYSIS = """
query CallAnalysis($id: ID!) {
  call(id: $id) { id analysis { status summary attempts nextAttemptAt } }
}
"""
NODE_ANALYSIS = """
query NodeAnalysis($id: ID!) {
  node(id: $id) { ... on Call { id analysis { status summary } } }
}
"""
CALLS_PAGE = """
query CallsPage($organizationId: ID!, $first: Int!) {
  calls(organizationId: $organizationId, first: $first) {
    edges { node { id analysis { status summary structuredData } } }
  }
}
"""


async def test_a_pending_analysis_and_a_call_without_one(server, make, gql):
    # given an answered call that ended, and one still ringing
    tenant = await make.tenant("Reader Co")
    agent = await agent_with_plan(make, tenant)
    ended = await ended_call(make, tenant, agent, server.settings)
    ringing = await make.call(tenant, agent)
    job = await CallAnalysis.get(call_id=ended.id)

    # when
    owed = await gql.data(CALL_ANALYSIS, {"id": global_id("Call", ended.id)}, token=tenant.token)
    none = await gql.data(CALL_ANALYSIS, {"id": global_id("Call", ringing.id)}, token=tenant.token)

    # then
    analysis = owed["call"]["analysis"]
    assert analysis["status"] == "PENDING"
    assert analysis["summary"] is None and analysis["attempts"] == 0
    assert analysis["nextAttemptAt"] is not None
    assert none["call"]["analysis"] is None
    assert job.status == "pending"


async def test_another_organization_cannot_read_the_analysis(server, make, gql):
    # given a call of one organization, with a completed analysis
    owner = await make.tenant("Owner Co")
    call = await ended_call(make, owner, await agent_with_plan(make, owner), server.settings)
    await CallAnalysis.filter(call_id=call.id).update(
        status="completed", summary="Grace Hopper's private visit.", attempts=1
    )
    stranger = await make.tenant("Stranger Co")
    call_id = global_id("Call", call.id)

    # when the other organization asks for it every way it can
    by_call = await gql.execute(CALL_ANALYSIS, {"id": call_id}, token=stranger.token)
    by_node = await gql.execute(NODE_ANALYSIS, {"id": call_id}, token=stranger.token)
    own_page = await gql.data(
        CALLS_PAGE, {"organizationId": stranger.organization_id, "first": 50}, token=stranger.token
    )
    foreign_page = await gql.execute(
        CALLS_PAGE, {"organizationId": owner.organization_id, "first": 50}, token=stranger.token
    )

    # then it reads exactly like a call that does not exist
    missing = global_id("Call", uuid.uuid4())
    assert by_call == await gql.execute(CALL_ANALYSIS, {"id": missing}, token=stranger.token)
    assert by_node == await gql.execute(NODE_ANALYSIS, {"id": missing}, token=stranger.token)
    assert error_codes(by_call) == ["NOT_FOUND"]
    assert own_page["calls"]["edges"] == []
    assert error_codes(foreign_page) in (["NOT_FOUND"], ["FORBIDDEN"])
    for body in (by_call, by_node, foreign_page):
        assert "Grace Hopper" not in str(body)
    # and the owner reads it
    mine = await gql.data(CALL_ANALYSIS, {"id": call_id}, token=owner.token)
    assert mine["call"]["analysis"]["summary"] == "Grace Hopper's private visit."


async def test_a_page_of_calls_reads_their_analyses_in_one_query(server, make, gql):
    # given organizations with 3 and with 12 analysed calls
    async def organization(size: int):
        tenant = await make.tenant(f"Page of {size}")
        agent = await agent_with_plan(make, tenant)
        for _ in range(size):
            await ended_call(make, tenant, agent, server.settings)
        return tenant

    small, large = await organization(3), await organization(12)

    # when
    with sql_statements() as for_small:
        small_page = await gql.data(
            CALLS_PAGE, {"organizationId": small.organization_id, "first": 50}, token=small.token
        )
    with sql_statements() as for_large:
        large_page = await gql.data(
            CALLS_PAGE, {"organizationId": large.organization_id, "first": 50}, token=large.token
        )

    # then every call shows its analysis, and the statements do not grow with the page
    assert len(small_page["calls"]["edges"]) == 3
    assert len(large_page["calls"]["edges"]) == 12
    assert {edge["node"]["analysis"]["status"] for edge in large_page["calls"]["edges"]} == {
        "PENDING"
    }
    reading_analyses = [s for s in for_large if "call_analyses" in s]
    assert len(reading_analyses) == 1, reading_analyses
    assert len(for_large) == len(for_small), (for_small, for_large)
