"""A revocation the bus never carried (Redis away, the CLI of an install without Redis)
still closes the socket, idle or streaming: each process re-checks its sockets'
credentials every SUBSCRIPTION_ACCESS_RECHECK_SECONDS."""

from __future__ import annotations

from datetime import UTC, datetime

from orm.models import AuthSession
from tests.support.backends import Buses
from tests.support.servers import running_app
from tests.support.websocket import graphql_socket

# Short, so the test does not wait out the default 10 s.
RECHECK_SECONDS = 0.3


async def test_an_idle_socket_whose_session_ended_unannounced_is_closed_by_the_recheck(
    server, make, buses: Buses
):
    # given: an idle socket on a server re-checking often
    settings = server.settings.model_copy(
        update={"subscription_access_recheck_seconds": RECHECK_SECONDS}
    )
    account = await make.account()
    async with (
        running_app(settings, bus=buses.server) as app,
        graphql_socket(app.ws_url, account.token) as socket,
    ):
        # when: the session ends with no notice on the bus
        await AuthSession.filter(id=account.session_id).update(
            revoked_at=datetime.now(UTC), revoked_reason="signed_out"
        )

        # then
        code, reason = await socket.wait_closed()
    assert (code, reason) == (4403, "Credential revoked")
