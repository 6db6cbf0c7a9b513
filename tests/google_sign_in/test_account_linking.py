"""A Google account whose address belongs to an existing account: linked when that
account's address is verified (its password keeps working), refused otherwise."""

from __future__ import annotations

import asyncio

from orm.models import GoogleIdentity, OneTimeToken, User
from tests.accounts.helpers import sign_in
from tests.google_sign_in.helpers import (
    ME_SIGN_IN_METHODS,
    SignInApp,
    google_account,
    query_of,
)
from tests.support.factories import PASSWORD, unique_email


async def test_a_verified_password_account_is_linked_and_signed_in(app: SignInApp, make, gql):
    # given
    existing = await make.account(email=unique_email("owner"), verified=True)
    account = google_account(email=existing.email.upper())

    # when
    payload = await app.tokens(account)

    # then: the same user, now with Google as well as the password
    assert payload["user"]["id"] == existing.user_id
    me = (await app.gql.data(ME_SIGN_IN_METHODS, token=payload["accessToken"]))["me"]
    assert me["hasPassword"] is True
    assert [i["subject"] for i in me["googleIdentities"]] == [account.subject]
    assert await User.filter(email=existing.email).count() == 1
    assert (await sign_in(gql, existing.email, PASSWORD))["errors"] == []


async def test_an_unverified_account_is_not_linked(app: SignInApp, make):
    # given: someone signed up with the address and never proved they own it
    existing = await make.account(email=unique_email("unverified"), verified=False)
    account = google_account(email=existing.email)

    # when
    response = await app.sign_in(account)

    # then
    assert query_of(response.headers["location"]) == {"error": "account_email_not_verified"}
    assert not await GoogleIdentity.exists(subject=account.subject)
    assert not await OneTimeToken.exists(user_id=existing.user.id, purpose="google_sign_in")
    user = await User.get(id=existing.user.id)
    assert user.email_verified_at is None
    assert user.password_hash == existing.user.password_hash


async def test_a_deactivated_account_is_refused(app: SignInApp, make):
    # given
    existing = await make.account(verified=True, is_active=False)
    account = google_account(email=existing.email)

    # when
    response = await app.sign_in(account)

    # then
    assert query_of(response.headers["location"]) == {"error": "account_disabled"}
    assert not await GoogleIdentity.exists(subject=account.subject)


async def test_a_linked_google_account_signs_in_its_user_even_after_its_address_changed(
    app: SignInApp,
):
    # given: signed in once; then the Google account's address changes
    account = google_account()
    first = await app.tokens(account)
    moved = google_account(subject=account.subject, email=unique_email("moved"))

    # when
    second = await app.tokens(moved)

    # then: `sub` is the key, the address is only shown
    assert second["user"]["id"] == first["user"]["id"]
    identity = await GoogleIdentity.get(subject=account.subject)
    assert identity.email == moved.email
    assert not await User.exists(email=moved.email)


async def test_two_first_sign_ins_at_once_make_one_account(app: SignInApp):
    # given: the same Google account consented in two flows (two tabs)
    account = google_account()
    first, second = await app.consented(account), await app.consented(account)

    # when
    answers = await asyncio.gather(app.callback(first), app.callback(second))

    # then: both signed in, one user, one identity
    assert all("code" in query_of(answer.headers["location"]) for answer in answers)
    assert await User.filter(email=account.email).count() == 1
    assert await GoogleIdentity.filter(subject=account.subject).count() == 1
