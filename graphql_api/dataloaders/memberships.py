from __future__ import annotations

import uuid
from collections import defaultdict

from strawberry.dataloader import DataLoader

from orm.models import Membership


def make_memberships_by_user_loader() -> DataLoader[uuid.UUID, list[Membership]]:
    async def load(user_ids: list[uuid.UUID]) -> list[list[Membership]]:
        grouped: dict[uuid.UUID, list[Membership]] = defaultdict(list)
        rows = await Membership.filter(
            user_id__in=set(user_ids), organization__is_active=True
        ).order_by("created_at", "id")
        for row in rows:
            grouped[row.user_id].append(row)
        return [grouped[key] for key in user_ids]

    return DataLoader(load_fn=load)


def make_memberships_by_organization_loader() -> DataLoader[uuid.UUID, list[Membership]]:
    async def load(organization_ids: list[uuid.UUID]) -> list[list[Membership]]:
        grouped: dict[uuid.UUID, list[Membership]] = defaultdict(list)
        rows = await Membership.filter(organization_id__in=set(organization_ids)).order_by(
            "created_at", "id"
        )
        for row in rows:
            grouped[row.organization_id].append(row)
        return [grouped[key] for key in organization_ids]

    return DataLoader(load_fn=load)
