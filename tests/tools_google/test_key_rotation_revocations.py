"""`voiceagents keys rotate` re-seals queued OAuth revocations too: after a rotation and the
old key's removal, a queued grant is still revoked at Google, and no value sealed under the
old key is left in any table."""

from __future__ import annotations

import json

from pydantic import SecretStr
from tortoise import Tortoise

from core.services.key_rotation import rotate
from core.settings import parse_encryption_keys
from core.tools.revocations import revoke_pending
from orm.models import TokenRevocation
from tests.support.operations import AGENT_TOOL_REMOVE
from tests.tools_framework.helpers import random_key
from tests.tools_google.helpers import connected_calendar_tool


async def _values_sealed_under(key_id: str) -> dict[str, int]:
    """{table: rows holding a value sealed under `key_id`} over every table of the models."""
    marker = f"v1.{key_id}."
    found = {}
    for model in Tortoise.apps["models"].values():
        rows = await model.all().values()
        hits = sum(marker in json.dumps(row, default=str) for row in rows)
        if hits:
            found[model._meta.db_table] = hits
    return found


async def test_a_queued_revocation_is_revocable_after_rotation_and_nothing_keeps_the_old_key(
    app, make
):
    # given: a grant queued for revocation, a connected tool and a secret header, all sealed
    # under the old key
    removed = await connected_calendar_tool(app, make)
    [refresh_token] = app.google.grants
    await app.gql.ok(
        AGENT_TOOL_REMOVE, {"input": {"id": removed.agent_tool_id}}, token=removed.owner.token
    )
    await connected_calendar_tool(app, make)
    await make.custom_function(removed.tenant, secret_headers={"X-Api-Key": "sk_rotated_header"})
    old_keys = app.settings.encryption_keys.get_secret_value()
    [old_key_id] = parse_encryption_keys(old_keys)
    [queued] = await TokenRevocation.filter(sealed_row_id=removed.agent_tool_uuid)
    assert queued.sealed_tokens.startswith(f"v1.{old_key_id}.")
    assert set(await _values_sealed_under(old_key_id)) == {
        "agent_tools",
        "custom_functions",
        "token_revocations",
    }
    new_key = f"rotated:{random_key()}"

    # when: the new key goes first, the rotation runs, then the old key is dropped
    report = await rotate(
        settings=app.settings.model_copy(
            update={"encryption_keys": SecretStr(f"{new_key},{old_keys}")}
        )
    )
    only_new = app.settings.model_copy(update={"encryption_keys": SecretStr(new_key)})

    # then: nothing anywhere is sealed under the old key
    assert (report.resealed, report.unreadable) == (3, 0)
    assert await _values_sealed_under(old_key_id) == {}

    # when: the worker revokes with the new key alone
    await revoke_pending(settings=only_new)

    # then
    settled = await TokenRevocation.get(id=queued.id)
    assert (settled.status, settled.last_error) == ("revoked", None)
    assert app.google.revoked == [refresh_token]
