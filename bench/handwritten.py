"""Hand-written Starlette handlers answering the dashboard reads with the API's exact JSON.

They run the same queries the API runs (authenticate the bearer token the same way,
check the membership and its role's permissions, then one query per list, related
rows fetched in one query each) and build the response from plain dicts: what the
GraphQL layer costs is the difference.
"""

from __future__ import annotations

import json
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from core.access import Principal
from core.rbac import Permission
from core.security.tokens import AccessTokenCodec
from core.services import sessions
from graphql_api import ids
from orm.models import AgentTool, Call, Membership, Organization, Role, RolePermission, VoiceAgent

_DASHBOARD_NEEDS = {
    Permission.ORG_READ.value,
    Permission.AGENT_READ.value,
    Permission.TOOL_READ.value,
    Permission.CALL_READ.value,
}


async def _principal(request: Request, codec: AccessTokenCodec) -> Principal | None:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential:
        return None
    return await sessions.authenticate(access_token=credential.strip(), codec=codec)


def _unauthenticated() -> Response:
    return JSONResponse({"errors": [{"message": "Sign in to do this."}]}, status_code=401)


async def dashboard(request: Request, codec: AccessTokenCodec) -> Response:
    variables = json.loads(await request.body())["variables"]
    principal = await _principal(request, codec)
    if principal is None or principal.user is None:
        return _unauthenticated()
    organization_id = ids.decode(variables["id"], "Organization")
    first = int(variables["first"])
    role_ids = await Membership.filter(
        user_id=principal.user.id, organization_id=organization_id, organization__is_active=True
    ).values_list("role_id", flat=True)
    permissions = set(
        await RolePermission.filter(role_id__in=role_ids).values_list("permission", flat=True)
    )
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None or not _DASHBOARD_NEEDS <= permissions:
        return JSONResponse({"errors": [{"message": "Organization not found."}]})
    agents = (
        await VoiceAgent.filter(organization_id=organization_id)
        .select_related("phone_number")
        .order_by("-created_at", "-id")
        .limit(first + 1)
    )
    agents = agents[:first]
    tools = (
        await AgentTool.filter(agent_id__in=[a.id for a in agents])
        .select_related("tool")
        .order_by("created_at", "id")
    )
    tools_by_agent: dict[uuid.UUID, list[dict[str, object]]] = {a.id: [] for a in agents}
    for tool in tools:
        tools_by_agent[tool.agent_id].append(  # type: ignore[attr-defined]
            {"tool": {"name": tool.tool.name}, "isEnabled": tool.is_enabled}
        )
    calls = (
        await Call.filter(organization_id=organization_id)
        .order_by("-created_at", "-id")
        .limit(first + 1)
    )
    calls = calls[:first]
    call_agent_ids = {c.agent_id for c in calls if c.agent_id is not None}  # type: ignore[attr-defined]
    # Whole rows, as the API's agent loader reads them (not just the names).
    call_agents = {a.id: a for a in await VoiceAgent.filter(id__in=call_agent_ids)}
    data = {
        "organization": {
            "agents": {
                "edges": [
                    {
                        "node": {
                            "id": ids.encode("Agent", a.id),
                            "name": a.name,
                            "phoneNumber": a.phone_number.e164 if a.phone_number else None,
                            "tools": tools_by_agent[a.id],
                        }
                    }
                    for a in agents
                ]
            }
        },
        "calls": {
            "edges": [
                {
                    "node": {
                        "id": ids.encode("Call", c.id),
                        "status": c.status.upper(),
                        "durationSeconds": c.duration_seconds,
                        "agent": (
                            {"name": call_agents[c.agent_id].name}  # type: ignore[attr-defined]
                            if c.agent_id in call_agents  # type: ignore[attr-defined]
                            else None
                        ),
                    }
                }
                for c in calls
            ]
        },
    }
    return JSONResponse({"data": data})


async def me(request: Request, codec: AccessTokenCodec) -> Response:
    await request.body()
    principal = await _principal(request, codec)
    if principal is None or principal.user is None:
        return _unauthenticated()
    user = principal.user
    memberships = await Membership.filter(user_id=user.id, organization__is_active=True).order_by(
        "created_at", "id"
    )
    roles = {
        r.id: r
        for r in await Role.filter(id__in={m.role_id for m in memberships})  # type: ignore[attr-defined]
    }
    organizations = {
        o.id: o
        for o in await Organization.filter(
            id__in={m.organization_id for m in memberships}  # type: ignore[attr-defined]
        )
    }
    data = {
        "me": {
            "id": ids.encode("User", user.id),
            "email": user.email,
            "memberships": [
                {
                    "role": {"key": roles[m.role_id].key},  # type: ignore[attr-defined]
                    "organization": {
                        "id": ids.encode("Organization", m.organization_id),  # type: ignore[attr-defined]
                        "name": organizations[m.organization_id].name,  # type: ignore[attr-defined]
                    },
                }
                for m in memberships
            ],
        }
    }
    return JSONResponse({"data": data})
