"""The account mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.accounts.mutations import (
    auth_code_exchange,
    email_verification_request,
    email_verify,
    google_identity_link_start,
    google_identity_unlink,
    password_reset,
    password_reset_request,
    password_set,
    sign_in,
    sign_out,
    sign_up,
    token_refresh,
)


@strawberry.type
class AccountMutations:
    sign_up = sign_up.field
    sign_in = sign_in.field
    token_refresh = token_refresh.field
    sign_out = sign_out.field
    email_verification_request = email_verification_request.field
    email_verify = email_verify.field
    password_reset_request = password_reset_request.field
    password_reset = password_reset.field
    password_set = password_set.field
    auth_code_exchange = auth_code_exchange.field
    google_identity_link_start = google_identity_link_start.field
    google_identity_unlink = google_identity_unlink.field
