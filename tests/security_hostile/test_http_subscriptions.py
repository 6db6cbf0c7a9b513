"""Subscriptions are served over WebSocket only: one sent over HTTP is a 400 naming the
transport, not a masked 500 with a traceback in the log for every request."""

from __future__ import annotations

import logging

import pytest

from tests.support.logs import capture_logs
from tests.support.operations import ORGANIZATION_CALL_UPDATES


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
async def test_a_subscription_over_http_post_is_a_400_and_logs_nothing(gql, make, signed_in):
    # given
    tenant = await make.tenant()
    variables = {"organizationId": tenant.organization_id}

    # when
    with capture_logs(level=logging.WARNING) as logged:
        response = await gql.raw(
            ORGANIZATION_CALL_UPDATES, variables, token=tenant.token if signed_in else None
        )

    # then
    assert (response.status_code, response.text) == (
        400,
        "subscriptions are not allowed when using POST",
    )
    assert logged.records == []
