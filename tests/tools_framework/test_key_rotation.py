"""`voiceagents keys rotate`: sealed rows re-sealed with the active key; unreadable ones kept."""

from __future__ import annotations

from pydantic import SecretStr

from core.security.key_rotation import rotate
from core.security.sealing import key_id_of, seal
from core.security.unsealing import unseal
from core.services.agent_tools import seal_context
from core.settings import parse_encryption_keys
from orm.models import AgentTool, CustomFunction
from tests.tools_framework.helpers import (
    create_api_key_tool,
    owner_with_agent,
    random_key,
    unique_name,
    uuid_of,
)


async def unreadable_elsewhere(key_ids: set[str]) -> int:
    """Sealed values of other tests, under keys the rotation below does not hold."""
    tool_values = await AgentTool.exclude(sensitive_config=None).values_list(
        "sensitive_config", flat=True
    )
    header_values = await CustomFunction.exclude(sealed_secret_headers=None).values_list(
        "sealed_secret_headers", flat=True
    )
    return sum(1 for v in [*tool_values, *header_values] if v and key_id_of(v) not in key_ids)


async def test_rotation_reseals_with_the_new_key_and_counts_what_it_cannot_read(gql, server):
    # given: two rows sealed under k1, one holding a ciphertext copied from another row
    k1_id, k2_id = unique_name("k1"), unique_name("k2")
    k1, k2 = random_key(), random_key()
    old_keys = parse_encryption_keys(f"{k1_id}:{k1}")
    owner = await owner_with_agent(gql)
    rows = []
    for _ in range(3):
        tool, _spec = await create_api_key_tool()
        rows.append(
            await AgentTool.create(
                organization_id=uuid_of(owner.organization_id),
                agent_id=uuid_of(owner.agent_id),
                tool=tool,
                config={"store_id": "s"},
            )
        )
    values = [{"api_key": f"sk_rotate_{index}_secret"} for index in range(2)]
    sealed = [seal(v, context=seal_context(r), keys=old_keys) for v, r in zip(values, rows)]
    for row, value in zip(rows, [*sealed, sealed[0]]):
        await AgentTool.filter(id=row.id).update(sensitive_config=value)
    settings = server.settings.model_copy(
        update={"encryption_keys": SecretStr(f"{k2_id}:{k2},{k1_id}:{k1}")}
    )
    elsewhere = await unreadable_elsewhere({k1_id, k2_id})
    # when
    report = await rotate(settings=settings)
    again = await rotate(settings=settings)
    # then
    assert (report.resealed, report.already_current, report.unreadable) == (2, 0, elsewhere + 1)
    assert (again.resealed, again.already_current, again.unreadable) == (0, 2, elsewhere + 1)
    new_keys = parse_encryption_keys(f"{k2_id}:{k2}")
    for row, value in zip(rows, values):
        stored = (await AgentTool.get(id=row.id)).sensitive_config
        assert key_id_of(stored) == k2_id
        assert unseal(stored, context=seal_context(row), keys=new_keys) == value
    untouched = (await AgentTool.get(id=rows[2].id)).sensitive_config
    assert untouched == sealed[0]
