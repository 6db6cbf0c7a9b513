"""phoneNumberBuy: an organization buys a number for sale; its calls come to our webhooks."""

from __future__ import annotations

import pytest

from core.errors import ServiceError
from core.services import phone_numbers
from orm.models import PhoneNumber
from tests.support.factories import unique_phone_number
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import global_id
from tests.support.operations import PHONE_NUMBER_BUY


def _buy(organization_id: str, phone_number: str) -> dict:
    return {"input": {"organizationId": organization_id, "phoneNumber": phone_number}}


async def test_an_admin_buys_a_number_for_sale_and_its_webhooks_are_ours(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    number = unique_phone_number()
    twilio_fake.stock(number)
    national = f"({number[2:5]}) {number[5:8]}-{number[8:]}"

    # when
    payload = await gql.payload(
        PHONE_NUMBER_BUY, _buy(tenant.organization_id, national), token=tenant.token
    )

    # then: the organization holds it, linked to the Twilio number it bought
    assert payload["errors"] == []
    bought = payload["phoneNumber"]
    assert bought["e164"] == number
    assert bought["status"] == "ACTIVE" and bought["isLinked"] is True
    assert bought["capabilities"] == {"voice": True, "sms": True}
    assert bought["agent"] is None
    row = await PhoneNumber.get(e164=number)
    assert global_id("PhoneNumber", row.id) == bought["id"]
    assert row.organization_id == tenant.organization_uuid

    # then: Twilio sends its calls and their statuses to our webhooks
    held = twilio_fake.numbers[row.provider_sid]
    assert held["voice_url"] == f"{make.settings.public_base_url}/webhooks/twilio/voice"
    assert held["status_callback"] == f"{make.settings.public_base_url}/webhooks/twilio/status"
    assert held["voice_method"] == held["status_callback_method"] == "POST"


async def test_a_number_not_for_sale_is_not_available_and_nothing_is_kept(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()

    # when
    payload = await gql.payload(
        PHONE_NUMBER_BUY, _buy(tenant.organization_id, unique_phone_number()), token=tenant.token
    )

    # then
    assert payload["phoneNumber"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "NUMBER_NOT_AVAILABLE")
    ]
    assert await PhoneNumber.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_a_number_another_organization_holds_cannot_be_bought(gql, make, twilio_fake):
    # given
    holder = await make.tenant("Holder")
    held = await make.phone_number(holder)
    tenant = await make.tenant()

    # when
    payload = await gql.payload(
        PHONE_NUMBER_BUY, _buy(tenant.organization_id, held.e164), token=tenant.token
    )

    # then
    assert payload_codes(payload) == ["NUMBER_NOT_AVAILABLE"]
    await held.refresh_from_db()
    assert held.organization_id == holder.organization_uuid


async def test_an_invalid_number_is_refused_before_twilio_is_asked(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()

    # when
    payload = await gql.payload(
        PHONE_NUMBER_BUY, _buy(tenant.organization_id, "12"), token=tenant.token
    )

    # then
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "INVALID_PHONE_NUMBER")
    ]
    assert twilio_fake.requests == []


async def test_twilio_down_is_telephony_unavailable_and_nothing_is_kept(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    number = unique_phone_number()
    twilio_fake.stock(number)
    twilio_fake.fail(status=500, path_contains="IncomingPhoneNumbers")

    # when
    payload = await gql.payload(
        PHONE_NUMBER_BUY, _buy(tenant.organization_id, number), token=tenant.token
    )

    # then: refused, and the number can be bought once Twilio is back
    assert payload_codes(payload) == ["TELEPHONY_UNAVAILABLE"]
    assert not await PhoneNumber.filter(e164=number).exists()
    retried = await gql.payload(
        PHONE_NUMBER_BUY, _buy(tenant.organization_id, number), token=tenant.token
    )
    assert retried["errors"] == [] and retried["phoneNumber"]["e164"] == number


async def test_without_a_twilio_account_buying_is_telephony_unavailable(make):
    # given: a platform with no Twilio account configured
    tenant = await make.tenant()
    settings = make.settings.model_copy(update={"twilio_account_sid": None})

    # when
    with pytest.raises(ServiceError) as refused:
        await phone_numbers.buy(
            organization=tenant.organization,
            purchase=phone_numbers.NumberPurchase(phone_number=unique_phone_number()),
            settings=settings,
        )

    # then
    assert [error.code for error in refused.value.errors] == [
        phone_numbers.PhoneNumberErrorCode.TELEPHONY_UNAVAILABLE
    ]


async def test_a_member_may_not_buy_numbers(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    member = await make.member(tenant, "member")
    number = unique_phone_number()
    twilio_fake.stock(number)

    # when
    body = await gql.execute(
        PHONE_NUMBER_BUY, _buy(tenant.organization_id, number), token=member.token
    )

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert number in twilio_fake.for_sale
