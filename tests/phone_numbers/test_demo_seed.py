"""The demo seed: the demo organization holds a number, and its agent answers it."""

from __future__ import annotations

from core.services import demo
from orm.models import Organization, PhoneNumber, VoiceAgent


async def test_the_demo_agent_answers_the_demo_organizations_number(make):
    # given: the suite's database (emptied for this module)

    # when: seeded twice, as `make run` does on every start
    await demo.seed(password="demo password 123", settings=make.settings)
    await demo.seed(password="demo password 456", settings=make.settings)

    # then: one number, held by the demo, answered by its one agent
    organization = await Organization.get(slug=demo.DEMO_SLUG)
    [number] = await PhoneNumber.filter(organization_id=organization.id)
    assert (number.e164, number.status, number.provider_sid) == (
        demo.DEMO_PHONE_NUMBER,
        "active",
        None,
    )
    [agent] = await VoiceAgent.filter(organization_id=organization.id)
    assert agent.phone_number_id == number.id
