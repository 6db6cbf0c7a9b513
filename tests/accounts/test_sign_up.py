"""signUp: validation, normalisation, storage of the password, and no hash in any answer.

signUp opens no session and answers the same for a new and a taken address (see
tests/security_accounts/test_sign_up_enumeration.py); the person signs in afterwards.
"""

from __future__ import annotations

from orm.models import User
from tests.accounts.helpers import sign_in, sign_up
from tests.support.factories import PASSWORD, unique_address, unique_email
from tests.support.mail import mails
from tests.support.operations import ME, SIGN_IN, SIGN_UP, TOKEN_REFRESH

USER_FIELDS_INTROSPECTION = """
query UserFields { __type(name: "User") { fields { name } } }
"""

ME_PASSWORD_HASH = "query { me { id passwordHash } }"


def _input(email: str, password: str = PASSWORD, full_name: str = "Ada Lovelace") -> dict:
    return {"input": {"email": email, "password": password, "fullName": full_name}}


async def test_sign_up_creates_the_account_and_the_person_signs_in_afterwards(gql):
    # given
    email = unique_email("signup")

    # when
    payload = await gql.payload(SIGN_UP, _input(email, full_name="  Ada Lovelace  "))
    signed_in = await sign_in(gql, email, PASSWORD)

    # then
    assert payload == {"ok": True, "errors": []}
    stored = await User.get(email=email)
    assert stored.full_name == "Ada Lovelace"
    assert signed_in["errors"] == []
    assert signed_in["refreshToken"].startswith("vart_")
    me = await gql.data(ME, token=signed_in["accessToken"])
    assert me["me"]["email"] == email
    assert me["me"]["emailVerified"] is False


async def test_sign_up_stores_the_email_lower_cased_and_keeps_it_in_another_case(gql):
    # given
    email = unique_email("MixedCase").replace("MixedCase", "Mixed.Case")
    mixed = email.upper()

    # when
    first = await gql.payload(SIGN_UP, _input(mixed, full_name="First Owner"))
    second = await gql.payload(SIGN_UP, _input(email.capitalize(), password="another passphrase 9"))

    # then: the same answer; the first account stays, and its owner hears of the second try
    assert first == second == {"ok": True, "errors": []}
    [stored] = await User.filter(email=email.lower())
    assert stored.full_name == "First Owner"
    assert (await sign_in(gql, email, PASSWORD))["errors"] == []
    assert len(await mails(email.lower(), "sign_up_notice")) == 1


async def test_sign_up_refuses_a_too_short_password(gql):
    # given
    email = unique_email("short")

    # when
    payload = await gql.payload(SIGN_UP, _input(email, password="abc123XY!"))

    # then
    assert payload["ok"] is False
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("password", "WEAK_PASSWORD")]
    assert await User.filter(email=email).count() == 0


async def test_sign_up_refuses_the_email_as_password(gql):
    # given
    email = unique_email("same")

    # when
    payload = await gql.payload(SIGN_UP, _input(email, password=email.upper()))

    # then
    assert payload["ok"] is False
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("password", "WEAK_PASSWORD")]
    assert await User.filter(email=email).count() == 0


async def test_sign_up_refuses_the_local_part_of_the_email_as_password(gql):
    # given
    email = unique_email("localpart")
    local_part = email.split("@")[0]
    assert len(local_part) >= 10  # long enough that only the email rule can refuse it

    # when
    payload = await gql.payload(SIGN_UP, _input(email, password=local_part))

    # then
    assert payload["ok"] is False
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("password", "WEAK_PASSWORD")]
    assert await User.filter(email=email).count() == 0


async def test_sign_up_refuses_an_invalid_email(gql):
    # given
    email = "not-an-email-" + unique_email().replace("@", "-at-")

    # when
    payload = await gql.payload(SIGN_UP, _input(email))

    # then
    assert payload["ok"] is False
    assert payload["errors"] == [
        {"field": "email", "message": "Enter a valid email address.", "code": "INVALID_EMAIL"}
    ]
    assert await User.filter(email=email).count() == 0


async def test_sign_up_refuses_an_empty_full_name(gql):
    # given
    email = unique_email("noname")

    # when
    payload = await gql.payload(SIGN_UP, _input(email, full_name="   "))

    # then
    assert payload["ok"] is False
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("fullName", "INVALID_FULL_NAME")
    ]
    assert await User.filter(email=email).count() == 0


async def test_sign_up_reports_every_problem_at_once(gql):
    # given
    email = "broken-" + unique_email().replace("@", "")

    # when
    payload = await gql.payload(SIGN_UP, _input(email, password="short", full_name=""))

    # then
    assert payload["ok"] is False
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("email", "INVALID_EMAIL"),
        ("fullName", "INVALID_FULL_NAME"),
        ("password", "WEAK_PASSWORD"),
    ]
    assert await User.filter(email=email).count() == 0


async def test_the_password_is_stored_as_an_argon2id_hash(gql):
    # given
    account = await sign_up(gql)

    # when
    user = await User.get(id=account.uuid)

    # then
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.password_hash != PASSWORD


async def test_no_answer_carries_the_password_hash(gql):
    # given: (the suite's secret scan also looks for every stored hash in every answer)
    email = unique_email("leak")

    # when: the user signs up and in, and asks for themselves every way there is
    signed_up = await gql.raw(SIGN_UP, _input(email))
    first_sign_in = await gql.raw(
        SIGN_IN,
        {"input": {"email": email, "password": PASSWORD}},
        client_address=unique_address(),
    )
    tokens = first_sign_in.json()["data"]["signIn"]
    answers = [
        signed_up,
        await gql.raw(ME, token=tokens["accessToken"]),
        first_sign_in,
        await gql.raw(TOKEN_REFRESH, {"input": {"refreshToken": tokens["refreshToken"]}}),
        await gql.raw(ME_PASSWORD_HASH, token=tokens["accessToken"]),
        await gql.raw(USER_FIELDS_INTROSPECTION),
    ]

    # then
    stored = (await User.get(email=email)).password_hash
    hash_part = stored.rsplit("$", 1)[1]
    for answer in answers:
        assert hash_part not in answer.text
        assert "$argon2" not in answer.text
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 200, 200]
    assert tokens["errors"] == []
    asked_for_hash = answers[4].json()
    assert asked_for_hash.get("data") is None
    assert "Cannot query field 'passwordHash'" in asked_for_hash["errors"][0]["message"]
    field_names = {f["name"] for f in answers[5].json()["data"]["__type"]["fields"]}
    assert "email" in field_names
    # Whether a password is set (a boolean, shown only to its owner) is the one exception.
    assert {name for name in field_names if "password" in name.lower()} == {"hasPassword"}
