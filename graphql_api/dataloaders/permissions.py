from __future__ import annotations

import uuid
from collections import defaultdict

from strawberry.dataloader import DataLoader

from orm.models import RolePermission


def make_role_permissions_loader() -> DataLoader[uuid.UUID, list[str]]:
    async def load(role_ids: list[uuid.UUID]) -> list[list[str]]:
        grouped: dict[uuid.UUID, list[str]] = defaultdict(list)
        rows = await RolePermission.filter(role_id__in=set(role_ids)).order_by("permission")
        for role_id, permission in [(r.role_id, r.permission) for r in rows]:
            grouped[role_id].append(permission)
        return [grouped[key] for key in role_ids]

    return DataLoader(load_fn=load)
