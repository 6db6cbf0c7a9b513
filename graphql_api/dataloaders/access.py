from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from core.access import OrgAccess, Principal, load_access


def make_access_loader(principal: Principal) -> DataLoader[uuid.UUID, OrgAccess | None]:
    async def load(organization_ids: list[uuid.UUID]) -> list[OrgAccess | None]:
        found = await load_access(principal, organization_ids)
        return [found.get(org_id) for org_id in organization_ids]

    return DataLoader(load_fn=load)
