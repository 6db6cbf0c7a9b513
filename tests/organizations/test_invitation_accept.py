"""invitationAccept: the addressee joins with the invited role, once."""

from __future__ import annotations

from orm.models import Membership
from tests.conftest import create_organization, sign_up, unique_email
from tests.organizations.helpers import error_codes, invite, uuid_of

INVITATION_ACCEPT = """
mutation InvitationAccept($input: InvitationAcceptInput!) {
  invitationAccept(input: $input) {
    membership { id role { key } organization { id name } user { email } }
    errors { field message code }
  }
}
"""

ORGANIZATION = """
query Organization($id: ID!) {
  organization(id: $id) { id viewerRole { key } }
}
"""


async def test_invitee_becomes_member_with_the_role(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Welcoming")
    email = unique_email("joiner")
    _, token = await invite(gql, admin, organization_id, email, "billing")
    invitee = await sign_up(gql, email=email)

    # when
    data = await gql.data(INVITATION_ACCEPT, {"input": {"token": token}}, token=invitee.token)

    # then
    payload = data["invitationAccept"]
    assert payload["errors"] == []
    assert payload["membership"]["role"] == {"key": "billing"}
    assert payload["membership"]["organization"] == {"id": organization_id, "name": "Welcoming"}
    assert payload["membership"]["user"] == {"email": email}
    viewer = await gql.data(ORGANIZATION, {"id": organization_id}, token=invitee.token)
    assert viewer["organization"]["viewerRole"] == {"key": "billing"}


async def test_token_works_once(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Once")
    email = unique_email("once")
    _, token = await invite(gql, admin, organization_id, email)
    invitee = await sign_up(gql, email=email)
    await gql.data(INVITATION_ACCEPT, {"input": {"token": token}}, token=invitee.token)

    # when
    data = await gql.data(INVITATION_ACCEPT, {"input": {"token": token}}, token=invitee.token)

    # then
    payload = data["invitationAccept"]
    assert payload["membership"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("token", "INVALID_TOKEN")]
    assert (
        await Membership.filter(
            organization_id=uuid_of(organization_id), user_id=uuid_of(invitee.user_id)
        ).count()
        == 1
    )


async def test_another_email_gets_email_mismatch(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Addressed")
    _, token = await invite(gql, admin, organization_id, unique_email("addressee"))
    interloper = await sign_up(gql)

    # when
    data = await gql.data(INVITATION_ACCEPT, {"input": {"token": token}}, token=interloper.token)

    # then
    payload = data["invitationAccept"]
    assert payload["membership"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("token", "EMAIL_MISMATCH")]
    body = await gql.execute(ORGANIZATION, {"id": organization_id}, token=interloper.token)
    assert error_codes(body) == ["NOT_FOUND"]


async def test_garbage_token(gql):
    # given
    account = await sign_up(gql)

    # when
    data = await gql.data(
        INVITATION_ACCEPT, {"input": {"token": "vainv_garbage"}}, token=account.token
    )

    # then
    payload = data["invitationAccept"]
    assert payload["membership"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("token", "INVALID_TOKEN")]


async def test_anonymous_is_unauthenticated(gql):
    # when
    body = await gql.execute(INVITATION_ACCEPT, {"input": {"token": "vainv_whatever"}})

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
