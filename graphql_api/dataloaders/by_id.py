from __future__ import annotations

import uuid
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

M = TypeVar("M", bound=Model)


def make_by_id_loader(model: type[M]) -> DataLoader[uuid.UUID, M | None]:
    async def load(ids: list[uuid.UUID]) -> list[M | None]:
        rows = {row.pk: row for row in await model.filter(id__in=set(ids))}
        return [rows.get(key) for key in ids]

    return DataLoader(load_fn=load)
