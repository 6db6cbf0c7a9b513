"""Unlinking Google, refused when it would leave no way to sign in; a Google-only account
setting a password (after a recent sign-in), which password sign-in refuses until then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.security import passwords
from orm.models import AuthSession, GoogleIdentity, User
from tests.accounts.helpers import sign_in
from tests.google_sign_in.helpers import (
    GOOGLE_IDENTITY_UNLINK,
    PASSWORD_SET,
    SignInApp,
    google_account,
)
from tests.support.factories import PASSWORD
from tests.support.graphql import error_codes, payload_codes

NEW_PASSWORD = "a new passphrase 42"


async def unlink(app: SignInApp, token: str, subject: str) -> dict:
    return await app.gql.execute(
        GOOGLE_IDENTITY_UNLINK, {"input": {"subject": subject}}, token=token
    )


async def set_password(app: SignInApp, token: str, password: str = NEW_PASSWORD) -> dict:
    return await app.gql.payload(PASSWORD_SET, {"input": {"password": password}}, token=token)


async def test_unlinking_the_last_way_to_sign_in_is_refused(app: SignInApp):
    # given: an account created through Google, with no password
    account = google_account()
    tokens = await app.tokens(account)

    # when
    body = await unlink(app, tokens["accessToken"], account.subject)

    # then
    assert body["data"]["googleIdentityUnlink"] == {
        "user": None,
        "errors": [
            {
                "field": "subject",
                "message": "This is your only way to sign in. Set a password first.",
                "code": "LAST_SIGN_IN_METHOD",
            }
        ],
    }
    assert await GoogleIdentity.exists(subject=account.subject)


async def test_a_google_only_account_sets_a_password_then_may_unlink(app: SignInApp, gql):
    # given
    account = google_account()
    tokens = await app.tokens(account)

    # when
    payload = await set_password(app, tokens["accessToken"])
    body = await unlink(app, tokens["accessToken"], account.subject)

    # then
    assert payload["errors"] == []
    assert payload["user"]["hasPassword"] is True
    assert body["data"]["googleIdentityUnlink"]["errors"] == []
    assert body["data"]["googleIdentityUnlink"]["user"]["googleIdentities"] == []
    assert not await GoogleIdentity.exists(subject=account.subject)
    # the password signs in now
    assert (await sign_in(gql, account.email, NEW_PASSWORD))["errors"] == []


async def test_with_two_google_accounts_one_may_go(app: SignInApp, make):
    # given: a Google-only account with a second Google account linked
    first = google_account()
    tokens = await app.tokens(first)
    second = google_account()
    started = await app.gql.payload(
        "mutation($i: GoogleIdentityLinkStartInput!) {"
        " googleIdentityLinkStart(input: $i) { authorizationUrl errors { code } } }",
        {"i": {"redirectUrl": "https://dashboard.test/auth/google/done"}},
        token=tokens["accessToken"],
    )
    await app.callback(await app.google.consent(started["authorizationUrl"], sign_in=second))

    # when
    first_goes = await unlink(app, tokens["accessToken"], first.subject)
    last_stays = await unlink(app, tokens["accessToken"], second.subject)

    # then
    assert first_goes["data"]["googleIdentityUnlink"]["errors"] == []
    assert payload_codes(last_stays["data"]["googleIdentityUnlink"]) == ["LAST_SIGN_IN_METHOD"]


async def test_another_users_google_account_reads_as_missing(app: SignInApp, make):
    # given
    owner = google_account()
    await app.tokens(owner)
    stranger = await make.account()

    # when
    theirs = await unlink(app, stranger.token, owner.subject)
    nobodys = await unlink(app, stranger.token, "123456789012345678901")

    # then: the same answer, and nothing changed
    assert error_codes(theirs) == error_codes(nobodys) == ["NOT_FOUND"]
    assert theirs["errors"][0]["message"] == nobodys["errors"][0]["message"]
    assert await GoogleIdentity.exists(subject=owner.subject)


async def test_a_password_account_unlinks_google_freely(app: SignInApp, make):
    # given
    existing = await make.account(verified=True)
    account = google_account(email=existing.email)
    await app.tokens(account)

    # when
    body = await unlink(app, existing.token, account.subject)

    # then
    assert body["data"]["googleIdentityUnlink"]["errors"] == []
    assert body["data"]["googleIdentityUnlink"]["user"]["hasPassword"] is True


async def test_a_password_cannot_be_set_over_one(app: SignInApp, make):
    # given
    existing = await make.account()

    # when
    payload = await set_password(app, existing.token)

    # then
    assert payload_codes(payload) == ["PASSWORD_ALREADY_SET"]
    assert (await User.get(id=existing.user.id)).password_hash == existing.user.password_hash


async def test_setting_a_password_needs_a_recent_sign_in(app: SignInApp):
    # given: a session signed in 11 minutes ago (kept alive by refreshes since)
    account = google_account()
    tokens = await app.tokens(account)
    await AuthSession.filter(user__email=account.email).update(
        created_at=datetime.now(UTC) - timedelta(minutes=11)
    )

    # when
    payload = await set_password(app, tokens["accessToken"])

    # then
    assert payload_codes(payload) == ["RECENT_SIGN_IN_REQUIRED"]
    assert (await User.get(email=account.email)).password_hash == ""


async def test_a_weak_password_is_refused(app: SignInApp):
    # given
    account = google_account()
    tokens = await app.tokens(account)

    # when
    payload = await set_password(app, tokens["accessToken"], "short")

    # then
    assert payload_codes(payload) == ["WEAK_PASSWORD"]
    assert payload["errors"][0]["field"] == "password"


async def test_password_sign_in_refuses_a_google_only_account_like_a_wrong_password(
    app: SignInApp, gql, make, monkeypatch
):
    # given: an account without a password, and one with a password
    account = google_account()
    await app.tokens(account)
    with_password = await make.account()
    checked: list[str] = []
    real_verify = passwords._verify

    def counting_verify(password: str, encoded: str) -> bool:
        checked.append(encoded)
        return real_verify(password, encoded)

    monkeypatch.setattr(passwords, "_verify", counting_verify)

    # when: any password, even an empty one
    no_password = await sign_in(gql, account.email, "")
    guessed = await sign_in(gql, account.email, PASSWORD)
    wrong = await sign_in(gql, with_password.email, "not the password")

    # then: the same answer as a wrong password, after the same Argon2 work
    assert no_password == guessed == wrong
    assert payload_codes(wrong) == ["INVALID_CREDENTIALS"]
    assert len(checked) == 3
    assert all(encoded.startswith("$argon2id$") for encoded in checked)


async def test_how_someone_else_signs_in_is_theirs_alone(app: SignInApp, make):
    # given: a fellow member of the owner's organization
    tenant = await make.tenant()
    member = await make.member(tenant)
    query = (
        "query($id: ID!) { organization(id: $id) { members { user { email hasPassword"
        " googleIdentities { subject } } } } }"
    )

    # when
    body = await app.gql.execute(query, {"id": tenant.organization_id}, token=member.token)

    # then: each user's own fields answer only themselves
    members = body["data"]["organization"]["members"]
    mine = next(m["user"] for m in members if m["user"]["email"] == member.email)
    theirs = next(m["user"] for m in members if m["user"]["email"] == tenant.owner.email)
    assert mine["hasPassword"] is True
    assert mine["googleIdentities"] == []
    assert theirs["hasPassword"] is None
    assert theirs["googleIdentities"] is None
    assert set(error_codes(body)) == {"FORBIDDEN"}
