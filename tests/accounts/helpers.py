"""Steps of the account suites: signing up and in over the API, and the links they mail.

Only the operations these suites are about go over HTTP here; the people they stand on
come from the factories (`make.account`, `make.session`).
"""

from __future__ import annotations

from typing import Any

from orm.models import AuthSession, User
from tests.support.factories import PASSWORD, Account, unique_address, unique_email
from tests.support.graphql import GraphQLClient, error_codes
from tests.support.ids import uuid_of
from tests.support.operations import ME, SIGN_IN, SIGN_UP


async def sign_up(
    gql: GraphQLClient, email: str | None = None, *, name: str = "Test User"
) -> Account:
    """A user who signed up through the API (so the verification mail is requested), then
    signed in (signUp answers the same for every address and opens no session)."""
    email = email or unique_email()
    await gql.ok(SIGN_UP, {"input": {"email": email, "password": PASSWORD, "fullName": name}})
    signed_in = await sign_in(gql, email, PASSWORD)
    assert signed_in["errors"] == [], signed_in
    user = await User.get(id=uuid_of(signed_in["user"]["id"]))
    session = await AuthSession.get(user_id=user.id)
    return Account(
        user, user.email, signed_in["accessToken"], signed_in["refreshToken"], session.id
    )


async def sign_in(
    gql: GraphQLClient, email: str, password: str, *, client_address: str | None = None
) -> dict[str, Any]:
    """The signIn payload, from an address no other attempt used unless one is given."""
    return await gql.payload(
        SIGN_IN,
        {"input": {"email": email, "password": password}},
        client_address=client_address or unique_address(),
    )


async def me_codes(gql: GraphQLClient, token: str) -> list[str | None]:
    """The top-level error codes of `me` with this bearer token ([] when it works)."""
    return error_codes(await gql.execute(ME, token=token))
