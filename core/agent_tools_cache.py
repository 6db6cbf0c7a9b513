"""An agent's tools for a call's snapshot, read in full only when they changed.

A call's snapshot (core/call_snapshot.py) holds the agent's row, which the incoming-call
webhook has just read anyway, and its enabled tools and custom functions, which take two
more reads, one of them with every platform tool's function schemas (kilobytes of JSON
per tool). This process keeps the tools part per agent, with the version it was read at;
each call reads the version again, in one light statement (`_VERSION_SQL`), and reads the
tools in full only when it differs.

The version is everything the tools part is made of, short of the platform tools'
function schemas: each tool link (its id, whether it is enabled, its disabled functions),
the platform tool behind it (id, name, whether offered), each custom function link and
function (ids, name, whether active), and the `updated_at` of all of these rows, which
every write of them sets (`save()` does; the function schemas change only through it).
A row added, removed or changed gives another version, so another replica's change is
seen by the very next call once it commits; the version is read before the tools, so a
cached entry is never older than the version it is filed under.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict

from tortoise import connections

from core.call_snapshot import AgentTools, CallSnapshot
from orm.models import VoiceAgent

_VERSION_SQL = (
    'SELECT \'tool\', t."id", t."updated_at", t."is_enabled", t."unselected_functions", '
    'p."id", p."updated_at", p."is_active" AND p."is_available", p."name" '
    'FROM "agent_tools" t JOIN "platform_tools" p ON p."id" = t."tool_id" '
    'WHERE t."agent_id" = {agent} '
    "UNION ALL "
    'SELECT \'function\', l."id", l."updated_at", f."is_active", NULL, '
    'f."id", f."updated_at", f."is_active", f."name" '
    'FROM "agent_custom_functions" l JOIN "custom_functions" f ON f."id" = l."function_id" '
    'WHERE l."agent_id" = {agent}'
)

Version = tuple[tuple[str, ...], ...]

# Agents whose tools this process remembers (the least recently used are forgotten).
MAX_AGENTS = 2048


class AgentToolsCache:
    def __init__(self, max_agents: int = MAX_AGENTS) -> None:
        self.max_agents = max_agents
        self._entries: OrderedDict[uuid.UUID, tuple[Version, AgentTools]] = OrderedDict()
        # Full reads of an agent's tools this process made (for tests and the curious).
        self.reads = 0

    async def snapshot(self, agent: VoiceAgent) -> CallSnapshot:
        """`CallSnapshot.of_agent(agent)`, its tools part read in full only when changed."""
        version = await _version(agent.id)
        entry = self._entries.get(agent.id)
        if entry is not None and entry[0] == version:
            self._entries.move_to_end(agent.id)
            return CallSnapshot.of(agent, entry[1])
        tools = await AgentTools.read(agent.id)
        self.reads += 1
        self._entries[agent.id] = (version, tools)
        self._entries.move_to_end(agent.id)
        if len(self._entries) > self.max_agents:
            self._entries.popitem(last=False)
        return CallSnapshot.of(agent, tools)


async def _version(agent_id: uuid.UUID) -> Version:
    connection = connections.get("default")
    values: list[object]
    if connection.capabilities.dialect == "postgres":
        sql, values = _VERSION_SQL.format(agent="$1"), [agent_id]
    else:  # SQLite keeps UUIDs as text, and numbers its parameters by position
        sql, values = _VERSION_SQL.format(agent="?"), [str(agent_id)] * 2
    _, rows = await connection.execute_query(sql, values)
    return tuple(sorted(tuple(str(value) for value in row) for row in rows))


agent_tools_cache = AgentToolsCache()
