"""me: the signed-in user and only their own memberships; never anonymous or an API key."""

from __future__ import annotations

from tests.accounts.helpers import ME, create_api_key, error_codes, mailed_tokens
from tests.conftest import create_organization, sign_up, unique_email

MEMBER_INVITE = """
mutation MemberInvite($input: MemberInviteInput!) {
  memberInvite(input: $input) { invitation { id } errors { field code } }
}
"""

INVITATION_ACCEPT = """
mutation InvitationAccept($input: InvitationAcceptInput!) {
  invitationAccept(input: $input) { membership { id } errors { field code } }
}
"""

CO_MEMBERS = """
query CoMembers($id: ID!) {
  organization(id: $id) { members { user { email } } }
}
"""

CO_MEMBERS_MEMBERSHIPS = """
query CoMembersMemberships($id: ID!) {
  organization(id: $id) {
    members { user { id email memberships { id } } }
  }
}
"""


async def test_me_returns_the_user_and_their_memberships(gql):
    # given
    account = await sign_up(gql, unique_email("me"), name="Katherine Johnson")
    organization_id = await create_organization(gql, account, "Orbit Ltd")

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
    ] == [(organization_id, "Orbit Ltd", "org_admin")]


async def test_me_shows_only_the_users_own_memberships(gql):
    # given
    alice = await sign_up(gql, unique_email("alice"))
    bob = await sign_up(gql, unique_email("bob"))
    alices = await create_organization(gql, alice, "Alice Co")
    bobs = await create_organization(gql, bob, "Bob Co")

    # when
    alice_me = await gql.data(ME, token=alice.token)
    bob_me = await gql.data(ME, token=bob.token)

    # then
    assert [m["organization"]["id"] for m in alice_me["me"]["memberships"]] == [alices]
    assert [m["organization"]["id"] for m in bob_me["me"]["memberships"]] == [bobs]


async def test_a_co_member_cannot_read_another_users_memberships(gql):
    # given: bob joins alice's organization as a member
    alice = await sign_up(gql, unique_email("owner"))
    bob = await sign_up(gql, unique_email("joiner"))
    shared = await create_organization(gql, alice, "Shared")
    await create_organization(gql, alice, "Alice Private")
    invited = await gql.data(
        MEMBER_INVITE,
        {"input": {"organizationId": shared, "email": bob.email, "role": "member"}},
        token=alice.token,
    )
    assert invited["memberInvite"]["errors"] == []
    [invitation_token] = await mailed_tokens(bob.email, "invitation")
    accepted = await gql.data(
        INVITATION_ACCEPT, {"input": {"token": invitation_token}}, token=bob.token
    )
    assert accepted["invitationAccept"]["errors"] == []

    members = await gql.data(CO_MEMBERS, {"id": shared}, token=bob.token)
    assert {m["user"]["email"] for m in members["organization"]["members"]} == {
        alice.email,
        bob.email,
    }

    # when
    body = await gql.execute(CO_MEMBERS_MEMBERSHIPS, {"id": shared}, token=bob.token)

    # then: alice's memberships are forbidden to bob, and only that field is null
    members = body["data"]["organization"]["members"]
    assert {m["user"]["memberships"] is None for m in members} == {True, False}
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["path"][:2] == ["organization", "members"]
    assert body["errors"][0]["path"][-2:] == ["user", "memberships"]
    bob_me = await gql.data(ME, token=bob.token)
    assert [m["organization"]["id"] for m in bob_me["me"]["memberships"]] == [shared]


async def test_me_is_unauthenticated_without_a_token(gql):
    # when
    body = await gql.execute(ME)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_me_is_forbidden_for_an_api_key(gql):
    # given
    account = await sign_up(gql, unique_email("apikey"))
    key = await create_api_key(gql, account)

    # when
    body = await gql.execute(ME, token=key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_me_is_unauthenticated_with_a_malformed_authorization_header(gql):
    # given
    account = await sign_up(gql, unique_email("header"))

    # when
    wrong_scheme = await gql.http.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Token {account.token}"}
    )
    unknown_key = await gql.execute(ME, token="vak_not-a-real-key")

    # then
    assert error_codes(wrong_scheme.json()) == ["UNAUTHENTICATED"]
    assert error_codes(unknown_key) == ["UNAUTHENTICATED"]
