"""A socket lives no longer than the access token it was opened with.

ACCESS_TOKEN_TTL_SECONDS cannot go below 60 s, so these tokens are minted with the
server's own codec and a lifetime of a few seconds: the socket's end comes from the
token's own `exp`, whatever lifetime issued it.
"""

from __future__ import annotations

import time
from datetime import timedelta

import jwt

from core.events import organization_channel
from core.security.tokens import AccessTokenCodec
from tests.support.backends import Buses
from tests.support.operations import ME, ORGANIZATION_CALL_UPDATES
from tests.support.servers import running_app
from tests.support.waiting import DEADLINE, subscribed, unsubscribed
from tests.support.websocket import graphql_socket, init_close_code

# Long enough to open a socket and use it on a loaded machine, short enough to wait out.
SHORT_LIFETIME = timedelta(seconds=5)
# asyncio may run a timer a clock tick early.
TIMER_SLACK = 0.05


def _mint(settings, account, lifetime: timedelta) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """An access token of the account's session with this lifetime, and its `exp`."""
    codec = AccessTokenCodec(settings)
    codec.ttl = lifetime
    token, _ = codec.issue(user_id=account.uuid, session_id=account.session_id)
    return token, jwt.decode(token, options={"verify_signature": False})["exp"]


async def test_the_socket_closes_with_4403_when_its_access_token_expires(
    server, make, buses: Buses
):
    # given: a socket opened with a token about to expire, streaming and answering
    tenant = await make.tenant()
    token, expires = _mint(server.settings, tenant.owner, SHORT_LIFETIME)
    channel = organization_channel(tenant.organization_uuid)
    async with (
        running_app(server.settings, bus=buses.server) as app,
        graphql_socket(app.ws_url, token) as socket,
    ):
        await socket.subscribe(
            "stream", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(buses.server, channel)
        answer = await socket.execute("me", ME)
        assert answer["payload"]["data"]["me"]["email"] == tenant.owner.email

        # when: its time runs out
        code, reason = await socket.wait_closed(DEADLINE + SHORT_LIFETIME.total_seconds())
        closed_at = time.time()

        # then: closed with 4403 at `exp`, not before, and within a second after
        assert (code, reason) == (4403, "Access token expired")
        assert expires - TIMER_SLACK <= closed_at < expires + 1.0
        # and the stream ended on the server
        await unsubscribed(buses.server, channel)
        assert socket.pending("stream") == []


async def test_a_token_past_its_exp_is_refused_at_connection_init(server, make, buses: Buses):
    # given: a token whose `exp` passed two seconds ago (HTTP's clock-skew leeway would
    # still take it; a socket would outlive it from its first moment)
    account = await make.account()
    token, _ = _mint(server.settings, account, timedelta(seconds=-2))

    # when
    async with running_app(server.settings, bus=buses.server) as app:
        close_code = await init_close_code(app.ws_url, {"authorization": f"Bearer {token}"})

    # then
    assert close_code == 4403
