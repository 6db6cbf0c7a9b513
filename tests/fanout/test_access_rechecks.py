"""The timed re-checks of many live streams share their queries: each stream still gets
the answer it would get alone (`load_access` for its credential and organization), and
a credential that fell gets none."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from core.access import Principal, load_access, load_access_many
from core.security.tokens import AccessTokenCodec
from core.services import access_rechecks
from graphql_api.view import authenticate
from orm.models import AuthSession, Organization
from tests.support.logs import sql_statements
from tests.support.servers import RunningServer


async def _principal(server: RunningServer, credential: str) -> Principal:
    found = await authenticate(f"Bearer {credential}", AccessTokenCodec(server.settings))
    assert found is not None
    return found


async def test_many_at_once_answer_as_each_alone(make, server: RunningServer):
    # given: every kind of principal, against organizations it belongs to and not
    acme, other = await make.tenant(), await make.tenant("Other Co")
    closed = await make.tenant("Closed Co")
    member, billing = await make.member(acme), await make.member(acme, "billing")
    custom = await make.member(acme, (await make.custom_role(["call:read"])).key)
    await make.join(closed, member, "member")
    await Organization.filter(id=closed.organization_uuid).update(is_active=False)
    admin = await make.platform_admin()
    await make.join(other, admin, "billing")
    key = await make.api_key(acme, "member")
    credentials = [acme.token, member.token, billing.token, custom.token, admin.token, key.key]
    principals = [await _principal(server, credential) for credential in credentials]
    organizations = [acme.organization_uuid, other.organization_uuid, closed.organization_uuid]
    asked = [(principal, org) for principal in principals for org in organizations]

    # when
    with sql_statements() as statements:
        together = await load_access_many(asked)

    # then
    alone = [(await load_access(principal, [org])).get(org) for principal, org in asked]
    assert together == alone
    # Each of the five in their own organization, and the platform admin in all three.
    assert sum(access is not None for access in together) == 8
    assert len(statements) <= 3


async def test_due_checks_share_one_round_of_queries(make, server: RunningServer):
    # given: forty streams' checks of two people, one of whom signed out
    tenant = await make.tenant()
    member = await make.member(tenant)
    staying = await _principal(server, tenant.token)
    leaving = await _principal(server, member.token)
    await AuthSession.filter(id=member.session_id).update(revoked_at=datetime.now(UTC))
    org = tenant.organization_uuid

    # when: they fall due together
    with sql_statements() as statements:
        answers = await asyncio.gather(
            *(
                access_rechecks.access_soon(principal=principal, organization_id=org)
                for principal in [staying, leaving] * 20
            )
        )

    # then: one round of queries; the owner keeps their access, the signed-out member has none
    assert len(statements) <= 5
    assert [answer is not None for answer in answers] == [True, False] * 20
    assert answers[0] == (await load_access(staying, [org]))[org]
