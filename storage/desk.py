"""Reads for the web desk's round page: the state of every (unit, task) cell of a period.

One statement whatever the number of units; the rest of the page comes from period_summary."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Entry


class Cell(StrEnum):
    SUBMITTED = "submitted"  # the current version is the one the unit's /nop froze
    EDITED = "edited"  # submitted, then changed: the change waits for a new /nop
    DRAFT = "draft"  # entered, never submitted
    MISSING = "missing"  # no entry


async def cell_states(s: AsyncSession, period_id: int) -> dict[tuple[int, int], tuple[Cell, str]]:
    """(unit id, task id) → (the cell's state, the entry's current status); absent: missing."""
    rows = await s.execute(
        select(Entry.unit_id, Entry.task_id, Entry.version, Entry.submitted_version,
               Entry.status).where(Entry.period_id == period_id))
    states: dict[tuple[int, int], tuple[Cell, str]] = {}
    for unit, task, version, submitted, status in rows:
        if submitted is None:
            cell = Cell.DRAFT
        elif submitted == version:
            cell = Cell.SUBMITTED
        else:
            cell = Cell.EDITED
        states[(unit, task)] = (cell, status)
    return states
