"""invitationAccept: the addressee joins with the invited role, once."""

from __future__ import annotations

from orm.models import Membership
from tests.organizations.helpers import accept, invite
from tests.support.factories import unique_email
from tests.support.graphql import error_codes
from tests.support.operations import INVITATION_ACCEPT, ORGANIZATION


async def test_invitee_becomes_member_with_the_role(gql, make):
    # given
    tenant = await make.tenant("Welcoming")
    email = unique_email("joiner")
    _, token = await invite(gql, tenant, email, "billing")
    invitee = await make.account(email=email)

    # when
    payload = await gql.payload(INVITATION_ACCEPT, {"input": {"token": token}}, token=invitee.token)

    # then
    assert payload["errors"] == []
    assert payload["membership"]["role"] == {"key": "billing"}
    assert payload["membership"]["organization"] == {
        "id": tenant.organization_id,
        "name": "Welcoming",
    }
    assert payload["membership"]["user"] == {"email": email}
    viewer = await gql.data(ORGANIZATION, {"id": tenant.organization_id}, token=invitee.token)
    assert viewer["organization"]["viewerRole"] == {"key": "billing"}


async def test_token_works_once(gql, make):
    # given
    tenant = await make.tenant("Once")
    email = unique_email("once")
    _, token = await invite(gql, tenant, email)
    invitee = await make.account(email=email)
    assert (await accept(gql, invitee, token))["errors"] == []

    # when
    payload = await gql.payload(INVITATION_ACCEPT, {"input": {"token": token}}, token=invitee.token)

    # then
    assert payload["membership"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("token", "INVALID_TOKEN")]
    assert (
        await Membership.filter(
            organization_id=tenant.organization_uuid, user_id=invitee.uuid
        ).count()
        == 1
    )


async def test_another_email_gets_email_mismatch(gql, make):
    # given
    tenant = await make.tenant("Addressed")
    _, token = await invite(gql, tenant, unique_email("addressee"))
    interloper = await make.account()

    # when
    payload = await gql.payload(
        INVITATION_ACCEPT, {"input": {"token": token}}, token=interloper.token
    )

    # then
    assert payload["membership"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("token", "EMAIL_MISMATCH")]
    body = await gql.execute(ORGANIZATION, {"id": tenant.organization_id}, token=interloper.token)
    assert error_codes(body) == ["NOT_FOUND"]


async def test_garbage_token(gql, make):
    # given
    account = await make.account()

    # when
    payload = await gql.payload(
        INVITATION_ACCEPT, {"input": {"token": "vainv_garbage"}}, token=account.token
    )

    # then
    assert payload["membership"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("token", "INVALID_TOKEN")]


async def test_anonymous_is_unauthenticated(gql):
    # when
    body = await gql.execute(INVITATION_ACCEPT, {"input": {"token": "vainv_whatever"}})

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
