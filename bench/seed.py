"""The dashboard's data: an organization with enough agents, tools and calls for 100-item pages."""

from __future__ import annotations

import uuid

from core.services import organizations
from orm.models import AgentTool, Call, PhoneNumber, PlatformTool, User, VoiceAgent
from worker.tools.sync import sync_code_tools

AGENTS = 110
CALLS = 150
OTHER_ORGANIZATIONS = 3
CALENDAR_CONFIG = {
    "calendar_id": "front-desk@example.com",
    "time_zone": "Europe/Berlin",
    "default_duration_minutes": 30,
    "business_hours": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]},
}


async def seed_dashboard(*, user: User) -> uuid.UUID:
    """An organization of `user` with AGENTS agents (each with a tool) and CALLS calls.

    The user also joins OTHER_ORGANIZATIONS more organizations, so `me` lists several.
    """
    organization = await organizations.create(creator=user, name="Dashboard Org")
    for index in range(OTHER_ORGANIZATIONS):
        await organizations.create(creator=user, name=f"Other Org {index + 1}")
    await sync_code_tools()
    tool = await PlatformTool.get(name="google_calendar")
    prefix = uuid.uuid4().int % 900 + 100
    numbers = [
        PhoneNumber(
            id=uuid.uuid4(),
            organization_id=organization.id,
            e164=f"+1{prefix}666{index:04d}",
            friendly_name=f"({prefix}) 666-{index:04d}",
        )
        for index in range(AGENTS)
    ]
    await PhoneNumber.bulk_create(numbers)
    agents = [
        VoiceAgent(
            id=uuid.uuid4(),
            organization_id=organization.id,
            name=f"Agent {index:03d}",
            system_prompt="You answer the phone for a dental practice.",
            voice="Puck",
            language="en-US",
            phone_number_id=numbers[index].id,
        )
        for index in range(AGENTS)
    ]
    await VoiceAgent.bulk_create(agents)
    await AgentTool.bulk_create(
        [
            AgentTool(
                id=uuid.uuid4(),
                organization_id=organization.id,
                agent_id=agent.id,
                tool_id=tool.id,
                config=CALENDAR_CONFIG,
                is_enabled=index % 3 != 0,
            )
            for index, agent in enumerate(agents)
        ]
    )
    await Call.bulk_create(
        [
            Call(
                id=uuid.uuid4(),
                organization_id=organization.id,
                agent_id=agents[index % 40].id,
                direction="inbound",
                from_number=f"+1415550{index:04d}",
                to_number=numbers[index % 40].e164,
                status="completed" if index % 5 else "no_answer",
                duration_seconds=30 + index if index % 5 else None,
                snapshot={},
            )
            for index in range(CALLS)
        ]
    )
    return organization.id
