"""Nothing secret reaches the logs during sign-ins and links, refused ones included: not
Google's code, tokens or our client secret, not the state, the PKCE verifier or the browser
cookie, not the one-time code or the session tokens it is swapped for.

(Every test's log lines are scanned for the tokens Google issues anyway: tests/support/
secret_scan.py. This one looks for everything the flow handles.)
"""

from __future__ import annotations

from orm.models import GoogleSignInState
from tests.fakes.google import FakeGoogle
from tests.fakes.google_oidc import IdTokenForgery
from tests.google_sign_in.helpers import (
    GOOGLE_IDENTITY_LINK_START,
    SignInApp,
    google_account,
    query_of,
)
from tests.support.logs import RecordingHandler, capture_logs


def _server_side(logs: RecordingHandler, google: FakeGoogle) -> str:
    # The test's browser (an httpx client) logs the URLs it opens: Google's authorization
    # URL, and Google's redirect to our callback. Those lines are the browser's; the server
    # talks to Google through Authlib's own client (httpx2).
    browser = (
        "HTTP Request: GET http://testserver.local/",
        f"HTTP Request: GET {google.base_url}/",
    )
    return "\n".join(
        text
        for record, text in zip(logs.records, logs.texts(), strict=True)
        if not (record.name == "httpx" and record.getMessage().startswith(browser))
    )


async def test_no_secret_of_a_sign_in_or_a_link_is_logged(app: SignInApp, make):
    # given
    account = google_account()
    refused = google_account()
    user = await make.account()
    with capture_logs() as logs:
        # when: a sign-in, a refused sign-in, a replayed callback, a link
        redirect = await app.consented(account)
        callback = await app.callback(redirect)
        code = query_of(callback.headers["location"])["code"]
        tokens = await app.exchange(code)
        await app.exchange(code)
        await app.callback(redirect)
        app.google.oidc.forge_next_id_token(IdTokenForgery(foreign_key=True))
        refused_redirect = await app.consented(refused)
        await app.callback(refused_redirect)
        link = await app.gql.payload(
            GOOGLE_IDENTITY_LINK_START,
            {"input": {"redirectUrl": "https://dashboard.test/auth/google/done"}},
            token=user.token,
        )
        link_redirect = await app.google.consent(link["authorizationUrl"], sign_in=google_account())
        await app.callback(link_redirect)

    # then
    secrets = {
        "one-time code": code,
        "access token": tokens["accessToken"],
        "refresh token": tokens["refreshToken"],
        "client secret": app.google.client_secret,
        **{f"cookie {name}": value for name, value in app.http.cookies.items()},
    }
    for label, url in (("", redirect), ("refused ", refused_redirect), ("link ", link_redirect)):
        secrets[f"{label}Google code"] = query_of(url)["code"]
        secrets[f"{label}state"] = query_of(url)["state"]
    for row in await GoogleSignInState.all():
        secrets[f"verifier {row.id}"] = row.code_verifier
    for n, token in enumerate(app.google.oidc.id_tokens):
        secrets[f"ID token {n}"] = token
    for token, grant in app.google.access_tokens.items():
        secrets[f"Google access token {token[:12]}"] = token
        secrets[f"Google refresh token {token[:12]}"] = grant.grant.refresh_token
    logged = _server_side(logs, app.google)
    assert logged, "the flow logs something (the refusals at least)"
    leaked = [label for label, value in secrets.items() if value in logged]
    assert leaked == []
