"""phoneNumberImport: take a number the platform's Twilio account has and nobody holds."""

from __future__ import annotations

from orm.models import PhoneNumber, VoiceAgent
from tests.support.factories import unique_phone_number
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import global_id
from tests.support.operations import PHONE_NUMBER_IMPORT


def _import(organization_id: str, phone_number: str) -> dict:
    return {"input": {"organizationId": organization_id, "phoneNumber": phone_number}}


async def test_a_number_of_the_account_is_imported_and_its_webhooks_become_ours(
    gql, make, twilio_fake
):
    # given: a number ported into the platform's account, its calls still going elsewhere
    tenant = await make.tenant()
    number = unique_phone_number()
    held = twilio_fake.hold(number, voice_url="https://old-provider.example/answer")

    # when
    payload = await gql.payload(
        PHONE_NUMBER_IMPORT, _import(tenant.organization_id, number), token=tenant.token
    )

    # then
    assert payload["errors"] == []
    assert payload["phoneNumber"]["e164"] == number
    assert payload["phoneNumber"]["isLinked"] is True
    row = await PhoneNumber.get(e164=number)
    assert (row.organization_id, row.provider_sid) == (tenant.organization_uuid, held["sid"])
    assert held["voice_url"] == f"{make.settings.public_base_url}/webhooks/twilio/voice"
    assert held["status_callback"] == f"{make.settings.public_base_url}/webhooks/twilio/status"


async def test_another_organizations_number_is_answered_like_one_the_account_lacks(
    gql, make, twilio_fake
):
    # given: B holds a number of the account; another number is in no account at all
    holder = await make.tenant("Holder")
    held = await make.phone_number(holder)
    voice_url_before = twilio_fake.number(held.e164)["voice_url"]
    tenant = await make.tenant("Prober")
    absent = unique_phone_number()

    # when
    before = len(twilio_fake.requests)
    taken = await gql.raw(
        PHONE_NUMBER_IMPORT, _import(tenant.organization_id, held.e164), token=tenant.token
    )
    between = len(twilio_fake.requests)
    missing = await gql.raw(
        PHONE_NUMBER_IMPORT, _import(tenant.organization_id, absent), token=tenant.token
    )

    # then: the same answer, but for the number itself; the holder keeps it untouched
    assert taken.status_code == missing.status_code == 200
    assert taken.text.replace(held.e164, "N") == missing.text.replace(absent, "N")
    assert payload_codes(taken.json()["data"]["phoneNumberImport"]) == ["NUMBER_NOT_AVAILABLE"]
    # ...after as many requests to Twilio (so it takes as long)
    assert between - before == len(twilio_fake.requests) - between == 1
    await held.refresh_from_db()
    assert held.organization_id == holder.organization_uuid
    assert twilio_fake.number(held.e164)["voice_url"] == voice_url_before
    assert not await PhoneNumber.filter(e164=absent).exists()


async def test_importing_a_number_the_organization_holds_links_it_again(gql, make, twilio_fake):
    # given: a number moved over from an agent by the migration (held, no Twilio SID), its
    # Twilio number pointing elsewhere
    tenant = await make.tenant()
    number = unique_phone_number()
    held = twilio_fake.hold(number, voice_url="https://old.example/voice")
    row = await PhoneNumber.create(
        organization=tenant.organization, e164=number, friendly_name=number
    )
    agent = await make.agent(tenant, phone_number_id=row.id)

    # when
    payload = await gql.payload(
        PHONE_NUMBER_IMPORT, _import(tenant.organization_id, number), token=tenant.token
    )

    # then: the same row, linked, still the agent's; its calls come to us
    assert payload["errors"] == []
    assert payload["phoneNumber"]["id"] == global_id("PhoneNumber", row.id)
    assert payload["phoneNumber"]["isLinked"] is True
    assert payload["phoneNumber"]["agent"] == {"id": global_id("Agent", agent.id)}
    await row.refresh_from_db()
    assert row.provider_sid == held["sid"]
    assert held["voice_url"] == f"{make.settings.public_base_url}/webhooks/twilio/voice"
    assert (await VoiceAgent.get(id=agent.id)).phone_number_id == row.id


async def test_twilio_down_keeps_nothing(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    number = unique_phone_number()
    twilio_fake.hold(number)
    twilio_fake.fail(status=503)

    # when
    payload = await gql.payload(
        PHONE_NUMBER_IMPORT, _import(tenant.organization_id, number), token=tenant.token
    )

    # then
    assert payload_codes(payload) == ["TELEPHONY_UNAVAILABLE"]
    assert not await PhoneNumber.filter(e164=number).exists()


async def test_a_member_may_not_import_numbers(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    member = await make.member(tenant, "member")
    number = unique_phone_number()
    twilio_fake.hold(number)

    # when
    body = await gql.execute(
        PHONE_NUMBER_IMPORT, _import(tenant.organization_id, number), token=member.token
    )

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert not await PhoneNumber.filter(e164=number).exists()
