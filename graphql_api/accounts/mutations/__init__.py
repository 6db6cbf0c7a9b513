import strawberry

from graphql_api.accounts.mutations.email_verification import (
    email_verification_request,
    email_verify,
)
from graphql_api.accounts.mutations.password_reset import password_reset, password_reset_request
from graphql_api.accounts.mutations.sign_in import sign_in
from graphql_api.accounts.mutations.sign_out import sign_out
from graphql_api.accounts.mutations.sign_up import sign_up
from graphql_api.accounts.mutations.token_refresh import token_refresh
from graphql_api.permissions import user_only


@strawberry.type
class AccountMutations:
    sign_up = strawberry.mutation(resolver=sign_up)
    sign_in = strawberry.mutation(resolver=sign_in)
    token_refresh = strawberry.mutation(resolver=token_refresh)
    sign_out = strawberry.mutation(resolver=sign_out, extensions=user_only())
    email_verification_request = strawberry.mutation(
        resolver=email_verification_request, extensions=user_only()
    )
    email_verify = strawberry.mutation(resolver=email_verify)
    password_reset_request = strawberry.mutation(resolver=password_reset_request)
    password_reset = strawberry.mutation(resolver=password_reset)
