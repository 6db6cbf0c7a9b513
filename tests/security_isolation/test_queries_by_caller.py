"""Every query that takes an id, called by everyone who might try (see probe.py).

Queries get a world of their own: the mutations' module adds agents and calls that
would push the shared ones off the first page.
"""

from __future__ import annotations

import pytest

from tests.security_isolation.cases import CASES
from tests.security_isolation.probe import probe_field
from tests.security_isolation.world import CALLERS, World

KEYS = sorted(key for key in CASES if key.startswith("Query."))


@pytest.mark.parametrize("caller_name", CALLERS)
@pytest.mark.parametrize("key", KEYS)
async def test_each_caller_gets_the_documented_answer(world: World, key: str, caller_name: str):
    await probe_field(world, key, caller_name)
