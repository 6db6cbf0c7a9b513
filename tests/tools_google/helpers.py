"""Operations and steps shared by the Google Calendar tool tests.

The API under test is built in-process (conftest `app`) with settings that point
at the fake Google; it shares the database with the session's test server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
from livekit.agents import Agent, AgentSession

from core.security.unsealing import unseal
from core.services.agent_tools import seal_context
from core.settings import Settings, parse_encryption_keys
from core.tools.loader import load_agent_tools
from core.tools.runtime import CallSession
from graphql_api import ids
from orm.models import AgentTool
from tests.conftest import Account, GraphQLClient, create_organization, sign_up
from tests.fakes.google import FakeGoogle
from tests.support.scripted_llm import ScriptedLLM

APP_BASE_URL = "http://testserver.local"
BERLIN = ZoneInfo("Europe/Berlin")
CALLER_NUMBER = "+14155550123"
CALENDAR_CONFIG = {
    "time_zone": "Europe/Berlin",
    "business_hours": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]},
}

CONNECTION_FIELDS = "status account connectedAt reason"
AGENT_TOOL_FIELDS = (
    f"id isEnabled config secretFieldsSet tool {{ name }} connection {{ {CONNECTION_FIELDS} }}"
)

PLATFORM_TOOLS = "query PlatformTools { platformTools { id name authType } }"

AGENT_CREATE = """
mutation AgentCreate($input: AgentCreateInput!) {
  agentCreate(input: $input) { agent { id } errors { field message code } }
}
"""

AGENT_TOOL_CONFIGURE = f"""
mutation AgentToolConfigure($input: AgentToolConfigureInput!) {{
  agentToolConfigure(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOL_OAUTH_START = """
mutation AgentToolOAuthStart($input: AgentToolOAuthStartInput!) {
  agentToolOAuthStart(input: $input) {
    authorizationUrl
    errors { field message code }
  }
}
"""

AGENT_TOOL_DISCONNECT = f"""
mutation AgentToolDisconnect($input: AgentToolDisconnectInput!) {{
  agentToolDisconnect(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""

AGENT_TOOL_REMOVE = """
mutation AgentToolRemove($input: AgentToolRemoveInput!) {
  agentToolRemove(input: $input) { agentTool { id } errors { field message code } }
}
"""

AGENT_TOOLS = f"""
query AgentTools($id: ID!) {{
  agent(id: $id) {{ id tools {{ {AGENT_TOOL_FIELDS} }} }}
}}
"""


class RecordingGraphQLClient(GraphQLClient):
    """A GraphQL client that keeps every response body, to scan them for secrets."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        super().__init__(http)
        self.responses: list[str] = []

    async def raw(self, query: str, variables: dict[str, Any] | None = None, **kw: Any):  # type: ignore[override]
        response = await super().raw(query, variables, **kw)
        self.responses.append(response.text)
        return response


@dataclass
class GoogleApp:
    settings: Settings
    http: httpx.AsyncClient
    gql: RecordingGraphQLClient
    google: FakeGoogle
    # Every callback response (status, location) seen through `callback()`.
    callbacks: list[httpx.Response] = field(default_factory=list)

    async def callback(self, url: str) -> httpx.Response:
        response = await self.http.get(url)
        self.callbacks.append(response)
        return response


@dataclass
class Owner:
    account: Account
    organization_id: str
    agent_id: str
    agent_tool_id: str

    @property
    def agent_uuid(self) -> uuid.UUID:
        return ids.decode(self.agent_id, "Agent")

    @property
    def organization_uuid(self) -> uuid.UUID:
        return ids.decode(self.organization_id, "Organization")

    @property
    def agent_tool_uuid(self) -> uuid.UUID:
        return ids.decode(self.agent_tool_id, "AgentTool")


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def query_of(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


async def calendar_tool_id(gql: GraphQLClient, account: Account) -> str:
    data = await gql.data(PLATFORM_TOOLS, token=account.token)
    return next(t["id"] for t in data["platformTools"] if t["name"] == "google_calendar")


async def create_agent(gql: GraphQLClient, account: Account, organization_id: str) -> str:
    data = await gql.data(
        AGENT_CREATE,
        {
            "input": {
                "organizationId": organization_id,
                "name": "Front desk",
                "systemPrompt": "You book appointments.",
            }
        },
        token=account.token,
    )
    assert data["agentCreate"]["errors"] == [], data
    return data["agentCreate"]["agent"]["id"]


async def configure_calendar(gql: GraphQLClient, account: Account, agent_id: str) -> dict:
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        {
            "input": {
                "agentId": agent_id,
                "toolId": await calendar_tool_id(gql, account),
                "config": CALENDAR_CONFIG,
            }
        },
        token=account.token,
    )
    payload = data["agentToolConfigure"]
    assert payload["errors"] == [], payload
    return payload["agentTool"]


async def new_owner(gql: GraphQLClient, name: str = "Calendar owner") -> Owner:
    """A user with an organization, an agent, and the Calendar tool configured (not connected)."""
    account = await sign_up(gql, name=name)
    organization_id = await create_organization(gql, account, "Dental practice")
    agent_id = await create_agent(gql, account, organization_id)
    agent_tool = await configure_calendar(gql, account, agent_id)
    return Owner(account, organization_id, agent_id, agent_tool["id"])


async def oauth_start(gql: GraphQLClient, account: Account, agent_tool_id: str) -> dict:
    data = await gql.data(
        AGENT_TOOL_OAUTH_START, {"input": {"agentToolId": agent_tool_id}}, token=account.token
    )
    return data["agentToolOAuthStart"]


async def authorization_url(app: GoogleApp, account: Account, agent_tool_id: str) -> str:
    payload = await oauth_start(app.gql, account, agent_tool_id)
    assert payload["errors"] == [], payload
    return payload["authorizationUrl"]


async def connect(
    app: GoogleApp, owner: Owner, *, account_email: str | None = None
) -> httpx.Response:
    """Start OAuth, consent at the fake Google, and follow the redirect to the callback."""
    url = await authorization_url(app, owner.account, owner.agent_tool_id)
    redirect = await app.google.consent(url, account=account_email)
    return await app.callback(redirect)


async def connected_owner(app: GoogleApp) -> Owner:
    owner = await new_owner(app.gql)
    response = await connect(app, owner)
    assert response.status_code == 303, response.text
    return owner


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
    owner: Owner,
    settings: Settings,
    calls: list[tuple[str, dict[str, Any]]],
    *,
    caller_number: str | None = CALLER_NUMBER,
) -> CallResult:
    """One call: load the agent's tools like the worker, and have a scripted model call them."""
    async with httpx.AsyncClient() as http:
        loaded = await load_agent_tools(agent_id=owner.agent_uuid, settings=settings, http=http)
        userdata = CallSession(
            organization_id=owner.organization_uuid,
            agent_id=owner.agent_uuid,
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


async def call_tool(owner: Owner, settings: Settings, name: str, **arguments: Any) -> ToolOutput:
    result = await call_tools(owner, settings, [(name, arguments)])
    return result.outputs[0]
