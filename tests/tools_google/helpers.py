"""What the Google Calendar tool tests share: the API wired to the fake Google, the OAuth
steps, and a call that runs the agent's tools the way the worker does.

The API under test runs in-process (conftest `app`) with settings pointing at the fake
Google; it shares the database with the session's server, so the factories' rows are its.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
from livekit.agents import Agent, AgentSession

from core.security.unsealing import unseal
from core.services.agent_tools import seal_context
from core.settings import Settings, parse_encryption_keys
from orm.models import AgentTool, VoiceAgent
from tests.fakes.google import FakeGoogle
from tests.support.factories import CALLER_NUMBER, Account, Factories, Tenant
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.operations import AGENT_TOOL_OAUTH_START, AGENT_TOOLS
from tests.support.scripted_llm import ScriptedLLM
from worker.tools.loader import load_agent_tools
from worker.tools.runtime import CallSession

BERLIN = ZoneInfo("Europe/Berlin")
# The calendar every test books in: Berlin, open 09:00 to 17:00 on weekdays.
BERLIN_NINE_TO_FIVE = {
    "time_zone": "Europe/Berlin",
    "business_hours": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]},
}


@dataclass
class GoogleApp:
    """The in-process API whose Google endpoints are the fake's."""

    settings: Settings
    http: httpx.AsyncClient
    gql: GraphQLClient
    google: FakeGoogle

    async def callback(self, url: str) -> httpx.Response:
        """The browser following Google's redirect to GET /oauth/google/callback."""
        return await self.http.get(url)


@dataclass(frozen=True)
class CalendarTool:
    """An organization whose agent has the Google Calendar tool configured."""

    tenant: Tenant
    agent: VoiceAgent
    agent_tool: AgentTool

    @property
    def owner(self) -> Account:
        return self.tenant.owner

    @property
    def organization_uuid(self) -> uuid.UUID:
        return self.tenant.organization_uuid

    @property
    def agent_id(self) -> str:
        return global_id("Agent", self.agent.id)

    @property
    def agent_tool_uuid(self) -> uuid.UUID:
        return self.agent_tool.id

    @property
    def agent_tool_id(self) -> str:
        return global_id("AgentTool", self.agent_tool.id)


async def calendar_tool(make: Factories, name: str = "Dental practice") -> CalendarTool:
    """An organization, its agent, and the Calendar tool on it, not connected yet."""
    tenant = await make.tenant(name)
    agent = await make.agent(tenant, system_prompt="You book appointments.")
    agent_tool = await make.agent_tool(agent, "google_calendar", config=BERLIN_NINE_TO_FIVE)
    return CalendarTool(tenant, agent, agent_tool)


def query_of(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


async def oauth_start(gql: GraphQLClient, account: Account, agent_tool_id: str) -> dict:
    """The agentToolOAuthStart payload."""
    return await gql.payload(
        AGENT_TOOL_OAUTH_START, {"input": {"agentToolId": agent_tool_id}}, token=account.token
    )


async def authorization_url(app: GoogleApp, account: Account, agent_tool_id: str) -> str:
    payload = await oauth_start(app.gql, account, agent_tool_id)
    assert payload["errors"] == [], payload
    return payload["authorizationUrl"]


async def connect(
    app: GoogleApp, tool: CalendarTool, *, account_email: str | None = None
) -> httpx.Response:
    """Start OAuth over the API, consent at the fake Google, follow the redirect back."""
    url = await authorization_url(app, tool.owner, tool.agent_tool_id)
    redirect = await app.google.consent(url, account=account_email)
    return await app.callback(redirect)


async def connected_calendar_tool(app: GoogleApp, make: Factories) -> CalendarTool:
    tool = await calendar_tool(make)
    response = await connect(app, tool)
    assert response.status_code == 303, response.text
    return tool


async def agent_tools(gql: GraphQLClient, account: Account, agent_id: str) -> list[dict]:
    data = await gql.data(AGENT_TOOLS, {"id": agent_id}, token=account.token)
    return data["agent"]["tools"]


async def stored_secrets(agent_tool_id: uuid.UUID, settings: Settings) -> dict[str, Any]:
    """What the worker would unseal from the agent tool's row."""
    row = await AgentTool.get(id=agent_tool_id)
    assert row.sensitive_config, "nothing sealed on the row"
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    return unseal(row.sensitive_config, context=seal_context(row), keys=keys)


def next_monday() -> date:
    """The next Monday after today in Berlin (never today), so every slot is in the future."""
    today = datetime.now(BERLIN).date()
    return today + timedelta(days=7 - today.weekday())


def berlin(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=BERLIN)


@dataclass
class ToolOutput:
    output: str
    is_error: bool


@dataclass
class CallResult:
    outputs: list[ToolOutput]
    userdata: CallSession
    skipped: list[str]


async def call_tools(
    tool: CalendarTool,
    settings: Settings,
    calls: list[tuple[str, dict[str, Any]]],
    *,
    caller_number: str | None = CALLER_NUMBER,
) -> CallResult:
    """One call: load the agent's tools like the worker, and have a scripted model call them."""
    async with httpx.AsyncClient() as http:
        loaded = await load_agent_tools(agent_id=tool.agent.id, settings=settings, http=http)
        userdata = CallSession(
            organization_id=tool.organization_uuid,
            agent_id=tool.agent.id,
            caller_number=caller_number,
            tools=loaded.runtimes,
        )
        script: list[Any] = []
        for name, arguments in calls:
            script += [[(name, arguments)], "Done."]
        outputs = []
        async with AgentSession[CallSession](llm=ScriptedLLM(script), userdata=userdata) as session:
            await session.start(
                Agent(instructions="You book appointments.", tools=loaded.functions)
            )
            for name, _ in calls:
                result = await session.run(user_input="Please help me.")
                result.expect.next_event().is_function_call(name=name)
                item = result.expect.next_event().is_function_call_output().event().item
                outputs.append(ToolOutput(item.output, item.is_error))
    return CallResult(outputs, userdata, loaded.skipped)


async def call_tool(
    tool: CalendarTool, settings: Settings, name: str, **arguments: Any
) -> ToolOutput:
    result = await call_tools(tool, settings, [(name, arguments)])
    return result.outputs[0]


async def book(
    app: GoogleApp,
    tool: CalendarTool,
    start: str,
    *,
    caller_number: str | None = CALLER_NUMBER,
    caller_name: str = "Ada Lovelace",
    **arguments: Any,
) -> dict[str, Any]:
    """Book through the tool on a call from `caller_number`; the event as Google holds it."""
    before = {event["id"] for event in app.google.events()}
    result = await call_tools(
        tool,
        app.settings,
        [("calendar_create_event", {"start": start, "caller_name": caller_name, **arguments})],
        caller_number=caller_number,
    )
    [booked] = result.outputs
    assert not booked.is_error, booked.output
    [event] = [event for event in app.google.events() if event["id"] not in before]
    return event
