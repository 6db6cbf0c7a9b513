from __future__ import annotations

import uuid
from collections import defaultdict

from strawberry.dataloader import DataLoader

from orm.models import GoogleIdentity


def make_google_identities_by_user_loader() -> DataLoader[uuid.UUID, list[GoogleIdentity]]:
    async def load(user_ids: list[uuid.UUID]) -> list[list[GoogleIdentity]]:
        grouped: dict[uuid.UUID, list[GoogleIdentity]] = defaultdict(list)
        rows = await GoogleIdentity.filter(user_id__in=set(user_ids)).order_by("created_at", "id")
        for row in rows:
            grouped[row.user_id].append(row)
        return [grouped[key] for key in user_ids]

    return DataLoader(load_fn=load)
