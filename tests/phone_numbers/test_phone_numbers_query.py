"""phoneNumbers and availablePhoneNumbers: what an organization holds, and what is for sale."""

from __future__ import annotations

from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import AVAILABLE_PHONE_NUMBERS, PHONE_NUMBERS

NODE = """
query Node($id: ID!) {
  node(id: $id) { __typename ... on PhoneNumber { e164 agent { id phoneNumber } } }
}
"""
AGENT_NUMBER = """
query AgentNumber($id: ID!) { agent(id: $id) { phoneNumber number { id e164 } } }
"""


async def test_members_see_the_numbers_and_which_agent_answers_each(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True)
    spare = await make.phone_number(tenant)
    member = await make.member(tenant, "member")
    number_id = global_id("PhoneNumber", agent.phone_number.id)

    # when
    listed = await gql.data(
        PHONE_NUMBERS, {"organizationId": tenant.organization_id}, token=member.token
    )
    node = await gql.data(NODE, {"id": number_id}, token=member.token)
    of_agent = await gql.data(
        AGENT_NUMBER, {"id": global_id("Agent", agent.id)}, token=member.token
    )

    # then: newest first, each with its agent
    numbers = listed["phoneNumbers"]
    assert numbers["totalCount"] == 2
    assert [(e["node"]["e164"], e["node"]["agent"]) for e in numbers["edges"]] == [
        (spare.e164, None),
        (agent.phone_number.e164, {"id": global_id("Agent", agent.id)}),
    ]
    assert node["node"]["agent"]["phoneNumber"] == agent.phone_number.e164
    assert of_agent["agent"] == {
        "phoneNumber": agent.phone_number.e164,
        "number": {"id": number_id, "e164": agent.phone_number.e164},
    }


async def test_another_organizations_numbers_are_not_found(gql, make):
    # given
    tenant = await make.tenant()
    number = await make.phone_number(tenant)
    stranger = await make.tenant("Stranger")

    # when
    listed = await gql.execute(
        PHONE_NUMBERS, {"organizationId": tenant.organization_id}, token=stranger.token
    )
    node = await gql.execute(
        NODE, {"id": global_id("PhoneNumber", number.id)}, token=stranger.token
    )

    # then
    assert error_codes(listed) == ["NOT_FOUND"] and error_codes(node) == ["NOT_FOUND"]
    assert number.e164 not in str(listed) + str(node)


async def test_the_billing_role_does_not_see_numbers(gql, make):
    # given
    tenant = await make.tenant()
    billing = await make.member(tenant, "billing")

    # when
    body = await gql.execute(
        PHONE_NUMBERS, {"organizationId": tenant.organization_id}, token=billing.token
    )

    # then
    assert error_codes(body) == ["FORBIDDEN"]


async def test_an_admin_searches_numbers_for_sale(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    twilio_fake.stock("+14155550123", locality="Oakland")
    twilio_fake.stock("+14155550177")
    twilio_fake.stock("+15105550123")
    twilio_fake.stock("+18005550123", toll_free=True)

    # when
    in_415 = await gql.data(
        AVAILABLE_PHONE_NUMBERS,
        {"organizationId": tenant.organization_id, "areaCode": "415", "contains": "0123"},
        token=tenant.token,
    )
    toll_free = await gql.data(
        AVAILABLE_PHONE_NUMBERS,
        {"organizationId": tenant.organization_id, "kind": "TOLL_FREE"},
        token=tenant.token,
    )

    # then
    found = in_415["availablePhoneNumbers"]
    assert found["errors"] == []
    assert found["numbers"] == [
        {
            "e164": "+14155550123",
            "friendlyName": "(415) 555-0123",
            "locality": "Oakland",
            "region": "CA",
            "isoCountry": "US",
            "capabilities": {"voice": True, "sms": True},
        }
    ]
    assert [n["e164"] for n in toll_free["availablePhoneNumbers"]["numbers"]] == ["+18005550123"]
    [search, _] = [r for r in twilio_fake.requests if "AvailablePhoneNumbers" in r.path]
    assert search.query["VoiceEnabled"] == "true"


async def test_a_bad_search_is_answered_in_errors_without_asking_twilio(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()

    # when
    data = await gql.data(
        AVAILABLE_PHONE_NUMBERS,
        {
            "organizationId": tenant.organization_id,
            "country": "USA",
            "areaCode": "41",
            "contains": "5;DROP",
            "limit": 51,
        },
        token=tenant.token,
    )

    # then: every problem at once
    result = data["availablePhoneNumbers"]
    assert result["numbers"] == []
    assert sorted((e["field"], e["code"]) for e in result["errors"]) == [
        ("areaCode", "INVALID_AREA_CODE"),
        ("contains", "INVALID_CONTAINS"),
        ("country", "INVALID_COUNTRY"),
        ("limit", "INVALID_LIMIT"),
    ]
    assert twilio_fake.requests == []


async def test_searching_when_twilio_is_down_says_so(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    twilio_fake.fail(status=503)

    # when
    data = await gql.data(
        AVAILABLE_PHONE_NUMBERS, {"organizationId": tenant.organization_id}, token=tenant.token
    )

    # then
    assert [e["code"] for e in data["availablePhoneNumbers"]["errors"]] == ["TELEPHONY_UNAVAILABLE"]


async def test_members_may_not_search_numbers_for_sale(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    member = await make.member(tenant, "member")

    # when
    body = await gql.execute(
        AVAILABLE_PHONE_NUMBERS, {"organizationId": tenant.organization_id}, token=member.token
    )

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert twilio_fake.requests == []
