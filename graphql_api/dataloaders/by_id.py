from __future__ import annotations

import uuid
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

M = TypeVar("M", bound=Model)


def make_by_id_loader(
    model: type[M], related: tuple[str, ...] = ()
) -> DataLoader[uuid.UUID, M | None]:
    async def load(ids: list[uuid.UUID]) -> list[M | None]:
        query = model.filter(id__in=set(ids))
        if related:
            query = query.select_related(*related)
        rows = {row.pk: row for row in await query}
        return [rows.get(key) for key in ids]

    return DataLoader(load_fn=load)
