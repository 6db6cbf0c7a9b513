from __future__ import annotations

import uuid

from strawberry.dataloader import DataLoader

from orm.models import CallAnalysis


def make_analysis_by_call_loader() -> DataLoader[uuid.UUID, CallAnalysis | None]:
    """Each call's analysis (at most one), for a page of calls in one query."""

    async def load(call_ids: list[uuid.UUID]) -> list[CallAnalysis | None]:
        rows = await CallAnalysis.filter(call_id__in=set(call_ids))
        by_call = {row.call_id: row for row in rows}
        return [by_call.get(key) for key in call_ids]

    return DataLoader(load_fn=load)
