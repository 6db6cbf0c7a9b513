from __future__ import annotations

import uuid
from collections import defaultdict

from strawberry.dataloader import DataLoader

from orm.models import AgentCustomFunction, AgentTool, CustomFunction, PlatformTool


def make_agent_tools_by_agent_loader() -> DataLoader[uuid.UUID, list[AgentTool]]:
    async def load(agent_ids: list[uuid.UUID]) -> list[list[AgentTool]]:
        grouped: dict[uuid.UUID, list[AgentTool]] = defaultdict(list)
        rows = (
            await AgentTool.filter(agent_id__in=set(agent_ids))
            .select_related("tool")
            .order_by("created_at", "id")
        )
        # The join brings the platform tool (schemas of kilobytes of JSON) once per agent
        # tool: the rows keep one copy of each, so that the others are freed now rather than
        # when the request ends (16 dashboard reads at once held ~12 MB of copies).
        tools: dict[uuid.UUID, PlatformTool] = {}
        for row in rows:
            row.tool = tools.setdefault(row.tool.id, row.tool)
            grouped[row.agent_id].append(row)
        return [grouped[key] for key in agent_ids]

    return DataLoader(load_fn=load)


def make_custom_functions_by_agent_loader() -> DataLoader[uuid.UUID, list[CustomFunction]]:
    async def load(agent_ids: list[uuid.UUID]) -> list[list[CustomFunction]]:
        links = await AgentCustomFunction.filter(agent_id__in=set(agent_ids)).select_related(
            "function"
        )
        grouped: dict[uuid.UUID, list[CustomFunction]] = defaultdict(list)
        for link in links:
            grouped[link.agent_id].append(link.function)
        return [sorted(grouped[key], key=lambda f: f.name) for key in agent_ids]

    return DataLoader(load_fn=load)
