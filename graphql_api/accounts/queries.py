from __future__ import annotations

import enum

import strawberry

from core.services import google_sign_in
from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.permissions import user_only


@strawberry.enum(description="A way to sign in that this platform offers.")
class AuthProvider(enum.Enum):
    PASSWORD = strawberry.enum_value(
        "password", description="Email and password: `signUp`, then `signIn`."
    )
    GOOGLE = strawberry.enum_value(
        "google",
        description="Sign in with Google: send the browser to `GET /auth/google/start?"
        "redirect=<an allowed dashboard URL>`, then `authCodeExchange` the `code` it brings "
        "back (docs/authentication.md).",
    )


@strawberry.type
class AccountQueries:
    @strawberry.field(
        description="The signed-in user; null, with FORBIDDEN, for an API key (it acts for an "
        "organization, not a person).",
        extensions=user_only(),
    )
    def me(self, info: Info) -> UserType | None:
        return UserType.from_model(info.context.require_user())

    @strawberry.field(
        description="The ways to sign in this platform offers; no sign-in needed to ask."
    )
    def auth_providers(self, info: Info) -> list[AuthProvider]:
        providers = [AuthProvider.PASSWORD]
        if google_sign_in.enabled(info.context.settings):
            providers.append(AuthProvider.GOOGLE)
        return providers
