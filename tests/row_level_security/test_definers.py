"""The narrow cross-tenant steps return what their step needs and nothing more."""

from __future__ import annotations

import asyncpg

from orm.models import ApiKey, Call, Invitation, OAuthState, PhoneNumber
from tests.row_level_security.world import World
from tests.support.backends import needs_postgres

pytestmark = needs_postgres


async def test_a_person_s_organizations_are_theirs_only(world: World, app_sql: asyncpg.Connection):
    # when (nothing set: the step comes before any scope)
    found = await app_sql.fetch("SELECT app_user_organizations($1)", world.a.owner.user.id)

    # then
    assert [row[0] for row in found] == [world.a.organization_uuid]


async def test_a_number_leads_to_its_holder_only_while_it_is_held(
    world: World, app_sql: asyncpg.Connection
):
    # given
    number = await PhoneNumber.filter(organization_id=world.b.organization_uuid).first()
    assert number is not None

    # when
    holder = await app_sql.fetchval("SELECT app_number_holder($1)", number.e164)
    nobody = await app_sql.fetchval("SELECT app_number_holder($1)", "+15005550006")

    # then
    assert holder == world.b.organization_uuid
    assert nobody is None


async def test_the_lookups_by_identifier_answer_an_organization_id_and_no_row(
    world: World, app_sql: asyncpg.Connection
):
    # given
    b = world.b.organization_uuid
    call = await Call.filter(organization_id=b).first()
    key = await ApiKey.filter(organization_id=b).first()
    invitation = await Invitation.filter(organization_id=b).first()
    state = await OAuthState.filter(agent_tool__organization_id=b).first()
    assert call and key and invitation and state

    # when
    answers = [
        await app_sql.fetchval("SELECT app_call_organization($1)", call.id),
        await app_sql.fetchval("SELECT app_api_key_organization($1)", key.prefix),
        await app_sql.fetchval("SELECT app_invitation_organization($1)", invitation.token_hash),
        await app_sql.fetchval("SELECT app_oauth_state_organization($1)", state.nonce_hash),
    ]

    # then
    assert answers == [b, b, b, b]
    # and the row itself stays out of reach
    assert await app_sql.fetchval("SELECT count(*) FROM calls WHERE id = $1", call.id) == 0
