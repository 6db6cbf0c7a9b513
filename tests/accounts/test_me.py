"""me: the signed-in user and only their own memberships; never anonymous or an API key."""

from __future__ import annotations

from tests.support.graphql import error_codes
from tests.support.operations import ME, ORGANIZATION_MEMBERS

CO_MEMBERS_MEMBERSHIPS = """
query CoMembersMemberships($id: ID!) {
  organization(id: $id) {
    members { user { id email memberships { id } } }
  }
}
"""


async def test_me_returns_the_user_and_their_memberships(gql, make):
    # given
    account = await make.account(name="Katherine Johnson")
    tenant = await make.tenant("Orbit Ltd", owner=account)

    # when
    data = await gql.data(ME, token=account.token)

    # then
    me = data["me"]
    assert me["id"] == account.user_id
    assert me["email"] == account.email
    assert me["fullName"] == "Katherine Johnson"
    assert [
        (m["organization"]["id"], m["organization"]["name"], m["role"]["key"])
        for m in me["memberships"]
    ] == [(tenant.organization_id, "Orbit Ltd", "org_admin")]


async def test_me_shows_only_the_users_own_memberships(gql, make):
    # given
    alices = await make.tenant("Alice Co")
    bobs = await make.tenant("Bob Co")

    # when
    alice_me = await gql.data(ME, token=alices.owner.token)
    bob_me = await gql.data(ME, token=bobs.owner.token)

    # then
    assert [m["organization"]["id"] for m in alice_me["me"]["memberships"]] == [
        alices.organization_id
    ]
    assert [m["organization"]["id"] for m in bob_me["me"]["memberships"]] == [bobs.organization_id]


async def test_a_co_member_cannot_read_another_users_memberships(gql, make):
    # given: bob is a member of alice's organization; alice has another one of her own
    shared = await make.tenant("Shared")
    alice = shared.owner
    await make.tenant("Alice Private", owner=alice)
    bob = await make.member(shared, "member")
    members = await gql.data(ORGANIZATION_MEMBERS, {"id": shared.organization_id}, token=bob.token)
    assert {m["user"]["email"] for m in members["organization"]["members"]} == {
        alice.email,
        bob.email,
    }

    # when
    body = await gql.execute(
        CO_MEMBERS_MEMBERSHIPS, {"id": shared.organization_id}, token=bob.token
    )

    # then: alice's memberships are forbidden to bob, and only that field is null
    members = body["data"]["organization"]["members"]
    assert {m["user"]["memberships"] is None for m in members} == {True, False}
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["path"][:2] == ["organization", "members"]
    assert body["errors"][0]["path"][-2:] == ["user", "memberships"]
    bob_me = await gql.data(ME, token=bob.token)
    assert [m["organization"]["id"] for m in bob_me["me"]["memberships"]] == [
        shared.organization_id
    ]


async def test_me_is_unauthenticated_without_a_token(gql):
    # when
    body = await gql.execute(ME)

    # then
    assert body["data"] == {"me": None}
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_me_is_forbidden_for_an_api_key(gql, make):
    # given
    tenant = await make.tenant("Key Holder")
    api_key = await make.api_key(tenant, "member")

    # when
    body = await gql.execute(ME, token=api_key.key)

    # then
    assert body["data"] == {"me": None}
    assert error_codes(body) == ["FORBIDDEN"]


async def test_me_is_unauthenticated_with_a_malformed_authorization_header(gql, make):
    # given
    account = await make.account()

    # when
    wrong_scheme = await gql.http.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Token {account.token}"}
    )
    unknown_key = await gql.execute(ME, token="vak_not-a-real-key")

    # then
    assert wrong_scheme.status_code == 200
    assert error_codes(wrong_scheme.json()) == ["UNAUTHENTICATED"]
    assert error_codes(unknown_key) == ["UNAUTHENTICATED"]
