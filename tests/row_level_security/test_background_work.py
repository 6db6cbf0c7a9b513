"""The work that runs beside requests sets its own scope: each pass starts with none (as in
a process's background loop, where no request set one) and still does its work in every
organization, each piece of it within its own organization only.

The rest of the suite runs its test code in a platform scope (tests/conftest.py), which a
loop or a task started from a test would inherit; here every pass runs under NOTHING.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from core import tenancy
from core.access import Principal
from core.call_events import CallStatus
from core.partner_webhooks.dispatcher import Dispatcher
from core.security.tokens import AccessTokenCodec
from core.services import access_rechecks, calls
from graphql_api.view import authenticate
from orm.models import Call, CallAnalysis, WebhookDelivery
from tests.call_analysis.helpers import (
    agent_with_plan,
    analysis_settings,
    ended_call,
    good_answer,
    runner_for,
)
from tests.fakes.gemini import FakeGemini
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import deliver_due
from tests.partner_webhooks.helpers import delivery
from tests.support.backends import needs_postgres
from tests.support.factories import Factories, Tenant
from tests.support.servers import RunningServer

pytestmark = needs_postgres


def _nothing() -> Any:
    return tenancy.scoped(tenancy.NOTHING)


async def _aged(call: Call, seconds: float) -> None:
    await Call.filter(id=call.id).update(created_at=datetime.now(UTC) - timedelta(seconds=seconds))


def _path(tenant: Tenant) -> str:
    return f"/{tenant.organization_uuid}"


async def _two(make: Factories) -> tuple[Tenant, Tenant]:
    return await make.tenant("ScopeA"), await make.tenant("ScopeB")


async def test_the_janitor_ends_the_calls_of_every_organization(make: Factories, settings):
    # given an abandoned call and an outgoing call no worker took, in each of two organizations
    a, b = await _two(make)
    abandoned, unclaimed = [], []
    for tenant in (a, b):
        agent = await make.agent(tenant, phone_number=True)
        stale = await make.call(tenant, agent)
        await _aged(stale, calls.RINGING_LIMIT_SECONDS + 60)
        abandoned.append(stale.id)
        outbound = await make.call(tenant, agent, direction="outbound")
        await _aged(outbound, calls.no_worker_deadline_seconds(settings) + 1)
        unclaimed.append(outbound.id)

    # when both passes run with no scope of their own
    with _nothing():
        ended_abandoned = await calls.fail_abandoned(bus=None)
        ended_unclaimed = await calls.fail_unclaimed_outbound(bus=None, settings=settings)

    # then every one of them ended
    assert (ended_abandoned, ended_unclaimed) == (2, 2)
    assert {
        (c.status, c.ended_reason) for c in await Call.filter(id__in=abandoned + unclaimed)
    } == {(CallStatus.FAILED.value, "never_answered"), (CallStatus.FAILED.value, "no_worker")}


async def test_the_webhook_dispatcher_sends_each_delivery_in_its_organization_only(
    make: Factories, settings, monkeypatch
):
    # given a due delivery to an endpoint of each of two organizations
    a, b = await _two(make)
    async with PartnerReceiver() as receiver:
        due = datetime.now(UTC) - timedelta(seconds=1)
        rows = [
            await delivery(
                (await make.webhook_endpoint(tenant, url=receiver.url(_path(tenant)))).endpoint
            )
            for tenant in (a, b)
        ]
        await WebhookDelivery.filter(id__in=[r.id for r in rows]).update(next_attempt_at=due)
        scopes: dict[uuid.UUID, tenancy.Scope] = {}
        attempt = Dispatcher._attempt

        async def watched(self: Dispatcher, endpoint: Any, row: Any, at: datetime) -> Any:
            scopes[row.id] = tenancy.current()
            return await attempt(self, endpoint, row, at)

        monkeypatch.setattr(Dispatcher, "_attempt", watched)

        # when the dispatcher passes with no scope of its own
        dispatcher = Dispatcher(settings)
        try:
            with _nothing():
                sent = await deliver_due(dispatcher)
        finally:
            await dispatcher.aclose()

        # then both arrived and were recorded, each sent within its organization alone
        assert sent == 2
        assert [len(receiver.received(_path(t))) for t in (a, b)] == [1, 1]
    assert {r.status for r in await WebhookDelivery.filter(id__in=[r.id for r in rows])} == {
        "succeeded"
    }
    for row in rows:
        assert scopes[row.id] == tenancy.Scope(frozenset({row.organization_id}))


async def test_the_analysis_runner_analyses_each_call_in_its_organization_only(
    make: Factories,
    settings,
    gemini: FakeGemini,
    monkeypatch,
):
    # given an ended call with an analysis due in each of two organizations
    a, b = await _two(make)
    ended = [
        await ended_call(make, tenant, await agent_with_plan(make, tenant), settings)
        for tenant in (a, b)
    ]
    await CallAnalysis.filter(call_id__in=[c.id for c in ended]).update(
        next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    for _ in ended:
        gemini.answer_json(good_answer())
    async with runner_for(analysis_settings(settings, gemini)) as runner:
        scopes: list[tenancy.Scope] = []
        attempt = runner._attempt

        async def watched(row: CallAnalysis, now: datetime) -> None:
            scopes.append(tenancy.current())
            await attempt(row, now)

        monkeypatch.setattr(runner, "_attempt", watched)

        # when a pass runs with no scope of its own
        with _nothing():
            attempted = await runner.run_pass()

    # then both were analysed, each within its organization alone
    assert attempted == 2
    analyses = await CallAnalysis.filter(call_id__in=[c.id for c in ended])
    assert {row.status for row in analyses} == {"completed"}
    assert sorted(scopes, key=str) == sorted(
        (tenancy.Scope(frozenset({c.organization_id})) for c in ended), key=str
    )


async def _principal(server: RunningServer, credential: str) -> Principal:
    found = await authenticate(f"Bearer {credential}", AccessTokenCodec(server.settings))
    assert found is not None
    return found


async def test_access_rechecks_batched_across_organizations_answer_each(
    make: Factories, server: RunningServer
):
    # given two people's streams, each in its own organization and scope, due together
    a, b = await _two(make)
    people = [(await _principal(server, t.token), t.organization_uuid) for t in (a, b)]

    async def stream_check(principal: Principal, organization_id: uuid.UUID) -> Any:
        # A stream's task: the scope of its subscriber (graphql_api/tenancy.py).
        with tenancy.scoped(tenancy.scope_of(principal)):
            return await access_rechecks.access_soon(
                principal=principal, organization_id=organization_id
            )

    # when their checks share one batch
    with _nothing():
        answers = await asyncio.gather(*(stream_check(p, org) for p, org in people))

    # then each keeps its access, whoever's scope the batch started in
    assert [answer is not None and answer.organization_id for answer in answers] == [
        org for _, org in people
    ]
