from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from orm.models import VoiceAgent


def make_agent_by_phone_number_loader() -> DataLoader[uuid.UUID, VoiceAgent | None]:
    """The agent answering each number (a number has at most one)."""

    async def load(phone_number_ids: list[uuid.UUID]) -> list[VoiceAgent | None]:
        agents = await VoiceAgent.filter(phone_number_id__in=set(phone_number_ids))
        by_number = {agent.phone_number_id: agent for agent in agents}
        return [by_number.get(key) for key in phone_number_ids]

    return DataLoader(load_fn=load)
