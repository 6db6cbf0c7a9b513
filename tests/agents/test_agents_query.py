import base64

from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import AGENTS


async def test_agents_pages_through_every_agent_once_newest_first(gql, make):
    # given seven agents, created one after the other
    tenant = await make.tenant()
    owner, organization_id = tenant.owner, tenant.organization_id
    created = [
        global_id("Agent", (await make.agent(tenant, name=f"Agent {i}")).id) for i in range(7)
    ]

    # when paging three at a time
    pages = []
    after = None
    while True:
        data = await gql.data(
            AGENTS,
            {"organizationId": organization_id, "first": 3, "after": after},
            token=owner.token,
        )
        connection = data["agents"]
        pages.append(connection)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
        assert len(pages) < 10, "pagination does not end"

    # then
    seen = [edge["node"]["id"] for page in pages for edge in page["edges"]]
    assert seen == list(reversed(created))
    assert [len(page["edges"]) for page in pages] == [3, 3, 1]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, True, False]
    assert [page["pageInfo"]["hasPreviousPage"] for page in pages] == [False, True, True]
    for page in pages:
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


async def test_agents_page_of_exactly_the_remaining_rows_has_no_next_page(gql, make):
    # given
    tenant = await make.tenant()
    owner, organization_id = tenant.owner, tenant.organization_id
    for i in range(3):
        await make.agent(tenant, name=f"Agent {i}")

    # when
    data = await gql.data(
        AGENTS, {"organizationId": organization_id, "first": 3}, token=owner.token
    )

    # then
    assert len(data["agents"]["edges"]) == 3
    assert data["agents"]["pageInfo"]["hasNextPage"] is False


async def test_agents_of_an_empty_organization_is_an_empty_page(gql, make):
    # given
    tenant = await make.tenant()
    owner, organization_id = tenant.owner, tenant.organization_id

    # when
    data = await gql.data(AGENTS, {"organizationId": organization_id}, token=owner.token)

    # then
    assert data["agents"] == {
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


async def test_agents_lists_only_the_organizations_own_agents(gql, make):
    # given
    tenant = await make.tenant()
    owner, organization_id = tenant.owner, tenant.organization_id
    mine = await make.agent(tenant, name="Mine")
    await make.agent(await make.tenant("Other", owner=owner), name="Theirs")

    # when
    data = await gql.data(AGENTS, {"organizationId": organization_id}, token=owner.token)

    # then
    assert [edge["node"] for edge in data["agents"]["edges"]] == [
        {"id": global_id("Agent", mine.id), "name": "Mine"}
    ]


async def test_agents_rejects_page_sizes_out_of_range(gql, make):
    # given
    tenant = await make.tenant()
    owner, organization_id = tenant.owner, tenant.organization_id

    for first in (0, 101, -1):
        # when
        body = await gql.execute(
            AGENTS, {"organizationId": organization_id, "first": first}, token=owner.token
        )

        # then
        assert body["data"] == {"agents": None}, first
        assert error_codes(body) == ["BAD_REQUEST"], first


async def test_agents_accepts_the_largest_page_size(gql, make):
    # given
    tenant = await make.tenant()
    owner, organization_id = tenant.owner, tenant.organization_id
    await make.agent(tenant)

    # when
    data = await gql.data(
        AGENTS, {"organizationId": organization_id, "first": 100}, token=owner.token
    )

    # then
    assert len(data["agents"]["edges"]) == 1


async def test_agents_rejects_a_garbage_cursor(gql, make):
    # given
    tenant = await make.tenant()
    owner, organization_id = tenant.owner, tenant.organization_id
    garbage = [
        "not a cursor",
        base64.urlsafe_b64encode(b"yesterday|nobody").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ]

    for after in garbage:
        # when
        body = await gql.execute(
            AGENTS, {"organizationId": organization_id, "after": after}, token=owner.token
        )

        # then
        assert body["data"] == {"agents": None}, after
        assert error_codes(body) == ["BAD_REQUEST"], after


async def test_agents_of_another_organization_is_not_found(gql, make):
    # given
    tenant = await make.tenant()
    organization_id = tenant.organization_id
    stranger = await make.account()

    # when
    body = await gql.execute(AGENTS, {"organizationId": organization_id}, token=stranger.token)

    # then
    assert body["data"] == {"agents": None}
    assert error_codes(body) == ["NOT_FOUND"]
