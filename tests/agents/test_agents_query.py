import base64

from tests.agents.helpers import create_agent
from tests.conftest import create_organization, sign_up

AGENTS = """
query Agents($organizationId: ID!, $first: Int, $after: String) {
  agents(organizationId: $organizationId, first: $first, after: $after) {
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def test_agents_pages_through_every_agent_once_newest_first(gql):
    # given seven agents, created one after the other
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    created = [
        (await create_agent(gql, owner, organization_id, name=f"Agent {i}"))["id"] for i in range(7)
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


async def test_agents_page_of_exactly_the_remaining_rows_has_no_next_page(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    for i in range(3):
        await create_agent(gql, owner, organization_id, name=f"Agent {i}")

    # when
    data = await gql.data(
        AGENTS, {"organizationId": organization_id, "first": 3}, token=owner.token
    )

    # then
    assert len(data["agents"]["edges"]) == 3
    assert data["agents"]["pageInfo"]["hasNextPage"] is False


async def test_agents_of_an_empty_organization_is_an_empty_page(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)

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


async def test_agents_lists_only_the_organizations_own_agents(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    mine = await create_agent(gql, owner, organization_id, name="Mine")
    other_organization_id = await create_organization(gql, owner, "Other")
    await create_agent(gql, owner, other_organization_id, name="Theirs")

    # when
    data = await gql.data(AGENTS, {"organizationId": organization_id}, token=owner.token)

    # then
    assert [edge["node"] for edge in data["agents"]["edges"]] == [
        {"id": mine["id"], "name": "Mine"}
    ]


async def test_agents_rejects_page_sizes_out_of_range(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)

    for first in (0, 101, -1):
        # when
        body = await gql.execute(
            AGENTS, {"organizationId": organization_id, "first": first}, token=owner.token
        )

        # then
        assert body["data"] is None, first
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_REQUEST"], first


async def test_agents_accepts_the_largest_page_size(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    await create_agent(gql, owner, organization_id)

    # when
    data = await gql.data(
        AGENTS, {"organizationId": organization_id, "first": 100}, token=owner.token
    )

    # then
    assert len(data["agents"]["edges"]) == 1


async def test_agents_rejects_a_garbage_cursor(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
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
        assert body["data"] is None, after
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_REQUEST"], after


async def test_agents_of_another_organization_is_not_found(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    stranger = await sign_up(gql)

    # when
    body = await gql.execute(AGENTS, {"organizationId": organization_id}, token=stranger.token)

    # then
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
