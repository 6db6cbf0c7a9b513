"""Operations and helpers shared by the account tests."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

from strawberry.relay import from_base64

from orm.models import EmailOutbox
from tests.conftest import PASSWORD, Account, GraphQLClient, create_organization

ME = """
query Me {
  me {
    id email fullName emailVerified
    memberships { id organization { id name } role { key } }
  }
}
"""

ME_EMAIL = "query MeEmail { me { id email } }"

SIGN_IN = """
mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    user { id email }
    accessToken refreshToken
    errors { field message code }
  }
}
"""

TOKEN_REFRESH = """
mutation TokenRefresh($input: TokenRefreshInput!) {
  tokenRefresh(input: $input) {
    user { id email }
    accessToken refreshToken
    errors { field message code }
  }
}
"""

SIGN_OUT = """
mutation SignOut($input: SignOutInput) {
  signOut(input: $input) { ok errors { field message code } }
}
"""

API_KEY_CREATE = """
mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) { key errors { code } }
}
"""

_TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_\-]+)")


def fresh_address() -> str:
    """A client address no other test uses, so sign-in throttling never leaks between tests."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def user_uuid_of(global_id: str) -> uuid.UUID:
    type_name, raw = from_base64(global_id)
    assert type_name == "User"
    return uuid.UUID(raw)


def user_uuid(account: Account) -> uuid.UUID:
    return user_uuid_of(account.user_id)


def error_codes(body: dict[str, Any]) -> list[str]:
    """The `extensions.code` of every top-level GraphQL error."""
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]


async def mails(email: str, template: str) -> list[EmailOutbox]:
    """Mails written to the outbox for this address and template, oldest first."""
    return await EmailOutbox.filter(to_address=email, template=template).order_by("created_at")


async def mailed_tokens(email: str, template: str) -> list[str]:
    """The token in the link of every mail of this template to this address, oldest first."""
    tokens = []
    for mail in await mails(email, template):
        match = _TOKEN_IN_LINK.search(mail.text_body)
        assert match, mail.text_body
        tokens.append(match.group(1))
    return tokens


async def sign_in(
    gql: GraphQLClient, email: str, password: str, *, client_address: str | None = None
) -> dict[str, Any]:
    """The signIn payload (from a fresh address unless one is given)."""
    data = await gql.data(
        SIGN_IN,
        {"input": {"email": email, "password": password}},
        client_address=client_address or fresh_address(),
    )
    return data["signIn"]


async def second_session(gql: GraphQLClient, account: Account) -> Account:
    """Another session of the same user, opened by signing in again."""
    payload = await sign_in(gql, account.email, PASSWORD)
    assert payload["errors"] == [], payload
    return Account(account.user_id, account.email, payload["accessToken"], payload["refreshToken"])


async def me_codes(gql: GraphQLClient, token: str) -> list[str]:
    """Top-level error codes of `me` with this bearer token ([] when it works)."""
    return error_codes(await gql.execute(ME_EMAIL, token=token))


async def create_api_key(gql: GraphQLClient, account: Account) -> str:
    """A member API key of a new organization owned by `account`."""
    organization_id = await create_organization(gql, account, "Key Holder")
    data = await gql.data(
        API_KEY_CREATE,
        {"input": {"organizationId": organization_id, "name": "ci", "role": "member"}},
        token=account.token,
    )
    assert data["apiKeyCreate"]["errors"] == [], data
    return data["apiKeyCreate"]["key"]
