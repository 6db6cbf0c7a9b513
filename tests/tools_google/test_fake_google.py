"""The fake Google itself: it refuses what Google refuses, so the other tests mean something."""

from __future__ import annotations

import base64
import secrets
from urllib.parse import urlencode

import httpx
import pytest

from tests.fakes.google import FakeGoogleError, s256
from tests.support.servers import APP_BASE_URL
from tests.support.waiting import DEADLINE
from tests.tools_google.helpers import query_of

REDIRECT_URI = f"{APP_BASE_URL}/oauth/google/callback"


def authorize_url(google, **overrides) -> str:
    verifier = overrides.pop("verifier", "v" * 64)
    params = {
        "client_id": google.client_id,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": "openid email",
        "state": "the-state",
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
        **overrides,
    }
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{google.base_url}/o/oauth2/v2/auth?{query}"


def basic(google, secret: str | None = None) -> dict[str, str]:
    raw = f"{google.client_id}:{secret or google.client_secret}".encode()
    return {"Authorization": f"Basic {base64.b64encode(raw).decode()}"}


@pytest.mark.parametrize(
    "override",
    [
        {"client_id": "someone-else"},
        {"redirect_uri": "https://evil.example/cb"},
        {"response_type": "token"},
        {"code_challenge": None},
        {"code_challenge_method": "plain"},
        {"state": None},
        {"scope": None},
    ],
    ids=["client", "redirect", "response-type", "no-challenge", "plain", "no-state", "no-scope"],
)
async def test_authorization_refuses_invalid_requests(google, override):
    # given
    url = authorize_url(google, **override)

    # when / then
    with pytest.raises(FakeGoogleError):
        await google.consent(url)


async def test_code_exchange_checks_client_pkce_and_single_use(google):
    # given
    redirect = await google.consent(authorize_url(google, verifier="a" * 50))
    code = query_of(redirect)["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    async with httpx.AsyncClient(base_url=google.base_url, timeout=DEADLINE) as http:
        # when / then: wrong client secret
        wrong_client = await http.post(
            "/token", data={**form, "code_verifier": "a" * 50}, headers=basic(google, "nope")
        )
        assert wrong_client.status_code == 401
        # client_secret_post with a wrong verifier: refused, and the code is spent
        wrong_verifier = await http.post(
            "/token",
            data={
                **form,
                "code_verifier": "b" * 50,
                "client_id": google.client_id,
                "client_secret": google.client_secret,
            },
        )
        assert wrong_verifier.status_code == 400
        assert wrong_verifier.json()["error"] == "invalid_grant"
        spent = await http.post(
            "/token", data={**form, "code_verifier": "a" * 50}, headers=basic(google)
        )
        assert spent.json()["error"] == "invalid_grant"


async def test_tokens_refresh_revoke_and_calendar_auth(google):
    # given
    redirect = await google.consent(authorize_url(google))
    code = query_of(redirect)["code"]
    async with httpx.AsyncClient(base_url=google.base_url, timeout=DEADLINE) as http:
        # when / then: the code gives tokens that open the calendar
        issued = (
            await http.post(
                "/token",
                headers=basic(google),
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": "v" * 64,
                },
            )
        ).json()
        bearer = {"Authorization": f"Bearer {issued['access_token']}"}
        assert issued["token_type"] == "Bearer"
        assert (await http.get("/userinfo", headers=bearer)).json()["email"] == google.account
        assert (
            await http.get("/calendar/v3/calendars/primary/events", headers=bearer)
        ).status_code == 200
        # an unknown token gets Google's 401 shape
        unknown = await http.get(
            "/calendar/v3/calendars/primary/events",
            headers={"Authorization": f"Bearer {secrets.token_hex(8)}"},
        )
        assert unknown.status_code == 401
        assert unknown.json()["error"]["errors"][0]["reason"] == "authError"
        # refresh gives a new access token, no new refresh token
        refreshed = (
            await http.post(
                "/token",
                headers=basic(google),
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": issued["refresh_token"],
                },
            )
        ).json()
        assert "refresh_token" not in refreshed
        assert refreshed["access_token"] != issued["access_token"]
        # revoking ends the grant: refresh and calendar calls fail
        assert (
            await http.post("/revoke", data={"token": issued["refresh_token"]})
        ).status_code == 200
        again = await http.post(
            "/token",
            headers=basic(google),
            data={
                "grant_type": "refresh_token",
                "refresh_token": issued["refresh_token"],
            },
        )
        assert again.json()["error"] == "invalid_grant"
        assert (
            await http.get(
                "/calendar/v3/calendars/primary/events",
                headers={"Authorization": f"Bearer {refreshed['access_token']}"},
            )
        ).status_code == 401
    assert google.revoked == [issued["refresh_token"]]


async def _calendar_bearer(google, http) -> dict[str, str]:  # type: ignore[no-untyped-def]
    redirect = await google.consent(authorize_url(google))
    issued = (
        await http.post(
            "/token",
            headers=basic(google),
            data={
                "grant_type": "authorization_code",
                "code": query_of(redirect)["code"],
                "redirect_uri": REDIRECT_URI,
                "code_verifier": "v" * 64,
            },
        )
    ).json()
    return {"Authorization": f"Bearer {issued['access_token']}"}


def _event(hour: int, **properties: dict[str, str]) -> dict:
    return {
        "summary": f"At {hour}",
        "start": {"dateTime": f"2031-03-03T{hour:02d}:00:00+00:00"},
        "end": {"dateTime": f"2031-03-03T{hour:02d}:30:00+00:00"},
        **({"extendedProperties": properties} if properties else {}),
    }


async def test_extended_properties_are_kept_merged_and_filtered_as_google_does(google):
    # https://developers.google.com/calendar/api/guides/extended-properties: set on insert,
    # merged key by key on patch (null deletes one), replaced on update; events.list with
    # privateExtendedProperty=name=value (repeatable: all must match) sees private ones only
    events = "/calendar/v3/calendars/primary/events"
    async with httpx.AsyncClient(base_url=google.base_url, timeout=DEADLINE) as http:
        bearer = await _calendar_bearer(google, http)

        async def insert(body: dict) -> dict:
            response = await http.post(events, json=body, headers=bearer)
            assert response.status_code == 200, response.text
            return response.json()

        async def listed(*constraints: tuple[str, str]) -> list[str]:
            response = await http.get(events, params=list(constraints), headers=bearer)
            assert response.status_code == 200, response.text
            return [item["id"] for item in response.json()["items"]]

        mine = await insert(_event(9, private={"caller": "a", "agent": "1"}))
        other_caller = await insert(_event(10, private={"caller": "b", "agent": "1"}))
        shared_only = await insert(_event(11, shared={"caller": "a", "agent": "1"}))
        plain = await insert(_event(12))

        # when / then: insert keeps them
        assert mine["extendedProperties"] == {"private": {"caller": "a", "agent": "1"}}
        assert "extendedProperties" not in plain
        # list filters on private properties, every constraint must hold
        both = [("privateExtendedProperty", "caller=a"), ("privateExtendedProperty", "agent=1")]
        assert await listed(*both) == [mine["id"]]
        assert await listed(("privateExtendedProperty", "agent=1")) == [
            mine["id"],
            other_caller["id"],
        ]
        assert await listed(("sharedExtendedProperty", "caller=a")) == [shared_only["id"]]
        assert len(await listed()) == 4
        # patch merges key by key; null deletes a key
        patched = await http.patch(
            f"{events}/{mine['id']}",
            json={"extendedProperties": {"private": {"agent": None, "note": "x"}}},
            headers=bearer,
        )
        assert patched.json()["extendedProperties"] == {"private": {"caller": "a", "note": "x"}}
        assert await listed(*both) == []
        # update replaces the event: properties not sent are gone
        replaced = await http.put(
            f"{events}/{other_caller['id']}",
            json={key: value for key, value in other_caller.items() if key in ("start", "end")},
            headers=bearer,
        )
        assert "extendedProperties" not in replaced.json()
