"""`voiceagents keys rotate`: sealed rows re-sealed with the active key; unreadable ones kept."""

from __future__ import annotations

from pydantic import SecretStr

from core.security.sealing import key_id_of, seal
from core.security.unsealing import unseal
from core.services.agent_tools import seal_context
from core.services.key_rotation import rotate
from core.settings import parse_encryption_keys
from orm.models import AgentTool
from tests.tools_framework.helpers import create_api_key_tool, random_key


async def test_rotation_reseals_with_the_new_key_and_counts_what_it_cannot_read(make, server):
    # given: three rows sealed under k1, the third holding a ciphertext copied from the first
    k1, k2 = random_key(), random_key()
    old_keys = parse_encryption_keys(f"k1:{k1}")
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    rows = []
    for _ in range(3):
        tool, _spec = await create_api_key_tool()
        rows.append(
            await AgentTool.create(
                organization_id=tenant.organization_uuid,
                agent=agent,
                tool=tool,
                config={"store_id": "s"},
            )
        )
    values = [{"api_key": f"sk_rotate_{index}_secret"} for index in range(2)]
    sealed = [seal(v, context=seal_context(r), keys=old_keys) for v, r in zip(values, rows)]
    for row, value in zip(rows, [*sealed, sealed[0]]):
        await AgentTool.filter(id=row.id).update(sensitive_config=value)
    settings = server.settings.model_copy(update={"encryption_keys": SecretStr(f"k2:{k2},k1:{k1}")})
    # when
    report = await rotate(settings=settings)
    again = await rotate(settings=settings)
    # then: the module's database holds exactly these three sealed values
    assert (report.resealed, report.already_current, report.unreadable) == (2, 0, 1)
    assert (again.resealed, again.already_current, again.unreadable) == (0, 2, 1)
    new_keys = parse_encryption_keys(f"k2:{k2}")
    for row, value in zip(rows, values):
        stored = (await AgentTool.get(id=row.id)).sensitive_config
        assert key_id_of(stored) == "k2"
        assert unseal(stored, context=seal_context(row), keys=new_keys) == value
    untouched = (await AgentTool.get(id=rows[2].id)).sensitive_config
    assert untouched == sealed[0]
