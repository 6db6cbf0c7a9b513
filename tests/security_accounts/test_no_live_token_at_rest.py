"""A dump of the database holds no usable token: every table, every row, every column.

Mailed links (verification, password reset, invitation) are sealed on their outbox row until
the mail is sent and blanked afterwards; refresh tokens, API keys and OAuth states are kept as
digests only, and what the refresh grace window needs is sealed under the old token.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tortoise import connections

from core.email.sender import OutgoingMail, send_due
from orm.models import EmailOutbox
from tests.fakes.google import FakeGoogle
from tests.support.factories import PASSWORD, Factories, unique_email
from tests.support.ids import global_id
from tests.support.mail import mails, token_in
from tests.support.operations import (
    AGENT_TOOL_OAUTH_START,
    API_KEY_CREATE,
    MEMBER_INVITE,
    SIGN_IN,
    TOKEN_REFRESH,
)
from tests.support.servers import RunningServer, asgi_client

# What a usable opaque token looks like: mailed tokens, invitations, refresh tokens, API keys.
LIVE_TOKEN = re.compile(r"\b(?:vaot|vainv|vart|vak)_[A-Za-z0-9_\-]{16,}")

SIGN_UP_ERRORS = """
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { errors { field message code } }
}
"""
PASSWORD_RESET_REQUEST = """
mutation PasswordResetRequest($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { ok errors { code } }
}
"""
EMAIL_VERIFICATION_REQUEST = "mutation { emailVerificationRequest { ok errors { code } } }"


async def dump() -> str:
    """Every row of every table, every column, as text."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        listed = await connection.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
        tables = [row["name"] for row in listed]
    else:
        listed = await connection.execute_query_dict(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
        tables = [row["tablename"] for row in listed]
    assert "email_outbox" in tables and "refresh_tokens" in tables
    lines = []
    for table in tables:
        for row in await connection.execute_query_dict(f'SELECT * FROM "{table}"'):
            lines.append(f"{table}: " + " | ".join(f"{k}={v}" for k, v in row.items()))
    return "\n".join(lines)


def assert_clean(text: str, secrets: list[str]) -> None:
    found = [match.group(0)[:12] + "…" for match in LIVE_TOKEN.finditer(text)]
    assert found == [], f"live tokens at rest: {found}"
    for secret in secrets:
        assert secret not in text, f"{secret[:12]}… at rest"


class CapturingMailer:
    status_on_success = "sent"

    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []

    async def send(self, mail: OutgoingMail) -> str | None:
        self.sent.append(mail)
        return f"captured-{len(self.sent)}"


async def test_a_database_dump_holds_no_live_token(
    server: RunningServer, make: Factories, google: FakeGoogle
):
    # given: every way the API hands out or mails a token
    settings = server.settings.model_copy(update=google.settings_overrides())
    issued: list[str] = []
    owner = await make.account(name="Token Owner", verified=True)
    unverified = await make.account(name="Not Yet Verified")
    tenant = await make.tenant("Token Org", owner=owner)
    agent_tool = await make.agent_tool(await make.agent(tenant))
    newcomer, invitee = unique_email("newcomer"), unique_email("invitee")
    async with asgi_client(settings) as api:
        gql = api.gql
        for email in (newcomer, owner.email):  # a new address, and a taken one
            await gql.execute(
                SIGN_UP_ERRORS,
                {"input": {"email": email, "password": PASSWORD, "fullName": "New Person"}},
            )
        signed_in = await gql.ok(SIGN_IN, {"input": {"email": owner.email, "password": PASSWORD}})
        refreshed = await gql.ok(
            TOKEN_REFRESH, {"input": {"refreshToken": signed_in["refreshToken"]}}
        )
        issued += [signed_in["refreshToken"], refreshed["refreshToken"], refreshed["accessToken"]]
        await gql.ok(PASSWORD_RESET_REQUEST, {"input": {"email": owner.email}})
        await gql.data(EMAIL_VERIFICATION_REQUEST, token=unverified.token)
        await gql.ok(
            MEMBER_INVITE,
            {
                "input": {
                    "organizationId": tenant.organization_id,
                    "email": invitee,
                    "role": "member",
                }
            },
            token=owner.token,
        )
        created = await gql.ok(
            API_KEY_CREATE,
            {"input": {"organizationId": tenant.organization_id, "name": "k", "role": "member"}},
            token=owner.token,
        )
        issued.append(created["key"])
        started = await gql.ok(
            AGENT_TOOL_OAUTH_START,
            {"input": {"agentToolId": global_id("AgentTool", agent_tool.id)}},
            token=owner.token,
        )
        state = parse_qs(urlsplit(started["authorizationUrl"]).query)["state"][0]
        issued.append(state)
        issued += [cookie.value for cookie in api.http.cookies.jar if cookie.value]

    # when / then: nothing in the clear right after the requests
    assert_clean(await dump(), issued)

    # when: the mails are put together as the sender does (their tokens exist from now on)
    outgoing = [
        *await mails(newcomer, "email_verification"),
        *await mails(owner.email, "password_reset"),
        *await mails(unverified.email, "email_verification"),
        *await mails(invitee, "invitation"),
    ]
    mailed = [token_in(mail) for mail in outgoing]

    # then: the links are sealed on their rows, never in the clear
    assert len(mailed) == 4
    assert_clean(await dump(), issued + mailed)

    # when: the sender sends them
    mailer = CapturingMailer()
    while await send_due(mailer=mailer, max_attempts=3, settings=settings) > 0:
        pass

    # then: the recipients got working links, and the rows keep nothing to open them with
    sent_text = "\n".join(mail.text for mail in mailer.sent)
    assert all(token in sent_text for token in mailed)
    assert await EmailOutbox.exclude(sealed_values=None).count() == 0
    assert_clean(await dump(), issued + mailed)
