"""The schema: every domain's queries and mutations, with the always-on limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from starlette.websockets import WebSocket
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from core import telemetry
from core.settings import Settings
from graphql_api.accounts.mutations import AccountMutations
from graphql_api.accounts.queries import AccountQueries
from graphql_api.agents.mutations import AgentMutations
from graphql_api.agents.queries import AgentQueries
from graphql_api.api_keys.mutations import ApiKeyMutations
from graphql_api.api_keys.queries import ApiKeyQueries
from graphql_api.billing.mutations import BillingMutations
from graphql_api.billing.queries import BillingQueries
from graphql_api.calls.events import OBJECT_TYPES as CALL_EVENT_OBJECT_TYPES
from graphql_api.calls.mutations import CallMutations
from graphql_api.calls.queries import CallQueries
from graphql_api.calls.subscriptions import CallSubscriptions
from graphql_api.errors import PublicErrorsOnly
from graphql_api.limits import (
    SafeParserCache,
    SizedValidation,
    alias_limit_rule,
    depth_limit_rule,
)
from graphql_api.list_limits import list_length_rule
from graphql_api.node import NodeQueries
from graphql_api.organizations.mutations import OrganizationMutations
from graphql_api.organizations.queries import OrganizationQueries
from graphql_api.permissions_doc import describe_requirements
from graphql_api.phone_numbers.mutations import PhoneNumberMutations
from graphql_api.phone_numbers.queries import PhoneNumberQueries
from graphql_api.roles.mutations import RoleMutations
from graphql_api.roles.queries import RoleQueries
from graphql_api.scalars import SCALAR_OVERRIDES
from graphql_api.streamline import streamline
from graphql_api.telemetry import OperationSpan
from graphql_api.tenancy import TenancyScope
from graphql_api.tools.mutations import ToolMutations
from graphql_api.tools.queries import ToolQueries
from graphql_api.webhooks.mutations import WebhookMutations
from graphql_api.webhooks.queries import WebhookQueries
from graphql_api.websocket import SocketCredentialCheck


@strawberry.type(
    description="What can be read. Root fields of one object answer null with a coded error "
    "for a missing or foreign object, so the rest of the document is still answered."
)
class Query(
    AccountQueries,
    OrganizationQueries,
    AgentQueries,
    PhoneNumberQueries,
    ApiKeyQueries,
    RoleQueries,
    ToolQueries,
    CallQueries,
    BillingQueries,
    WebhookQueries,
    NodeQueries,
):
    pass


@strawberry.type(
    description="What can be changed. Each mutation takes one `input` and returns a payload: "
    "the changed object, and `errors` for input it refused."
)
class Mutation(
    AccountMutations,
    OrganizationMutations,
    AgentMutations,
    PhoneNumberMutations,
    ApiKeyMutations,
    RoleMutations,
    ToolMutations,
    CallMutations,
    BillingMutations,
    WebhookMutations,
):
    pass


@strawberry.type(
    description="Live streams, over WebSocket with `graphql-transport-ws`. A stream ends with "
    "NOT_FOUND within a second of its subscriber losing access to what it streams."
)
class Subscription(CallSubscriptions):
    pass


class FreshLoadersPerOperation(SchemaExtension):
    """A WebSocket context lives as long as the connection: each operation on it starts with
    fresh loaders, so access cached by an earlier subscription (a member since removed)
    is never reused by the next one."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(getattr(context, "request", None), WebSocket):
            context.renew_loaders()
        yield


class AppSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # PublicErrorsOnly logs unexpected errors once, with the reference the client sees;
        # expected ones (not signed in, not found) are answers, not incidents.
        return None


def build_schema(settings: Settings) -> AppSchema:
    # Rules are built once: new rule classes per request would defeat the validation cache.
    rules: list[Any] = [
        depth_limit_rule(settings.max_query_depth),
        alias_limit_rule(settings.max_query_aliases),
        list_length_rule(settings.max_input_list_items),
    ]
    if not settings.introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions: list[Any] = [
        # Around everything else: the checks, resolvers and loaders reach only the
        # organizations of the operation's principal.
        TenancyScope,
        # Next: when it ends an operation, no other extension has started executing it.
        SocketCredentialCheck,
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: PublicErrorsOnly(hide_suggestions=not settings.introspection),
        FreshLoadersPerOperation,
        lambda: SafeParserCache(maxsize=512),
        lambda: SizedValidation(
            max_fields=settings.max_query_fields,
            max_directives=settings.max_query_directives,
            max_list_items=settings.max_input_list_items,
        ),
    ]
    if tracing_configured():
        extensions.append(OperationSpan)
    schema = AppSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Fields return the CallEvent interface; its object types are listed to be in the schema.
        types=list(CALL_EVENT_OBJECT_TYPES.values()),
        extensions=extensions,
        config=StrawberryConfig(relay_max_results=100),
        scalar_overrides=SCALAR_OVERRIDES,
    )
    describe_requirements(schema)
    streamline(schema)
    return schema


def tracing_configured() -> bool:
    return telemetry.configured()


def schema_sdl() -> str:
    """The public schema as SDL (what `make schema` writes to schema.graphql)."""
    return str(build_schema(Settings(introspection_enabled=True))) + "\n"
