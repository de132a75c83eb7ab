"""Ward isolation in one place (issue 19): a session that knows its ward sees only that ward.

The caller's layer says whose session it is (`use_ward(s, ward_id)`: the engine from the person
talking, the CLI from `--ward`); from then on every ORM statement of the session, reads and bulk
changes alike, carries the ward's criteria on the root entities and on the plan's children, and
every row it adds without a ward gets this one. This is SQLAlchemy's documented "global WHERE
criteria" recipe (`do_orm_execute` + `with_loader_criteria`); a session without a ward (a single
-ward deployment, the scheduler, the city) is not filtered, so today's code runs unchanged.
Statements built on plain tables (hot paths keyed by ids that came from scoped reads) are not
filtered: their ids can only come from a scoped read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from storage.models import (
    DEFAULT_WARD_ID,
    Broadcast,
    CalendarOverride,
    Invite,
    Period,
    Person,
    Plan,
    ResidentialGroup,
    Section,
    Task,
    Unit,
    WardReport,
)

WARD_KEY = "ward_id"
CITY_ROLE = "city"
OWNED: tuple[type[Any], ...] = (Plan, Unit, ResidentialGroup, Person, Invite, Broadcast,
                                CalendarOverride, WardReport)
PLAN_CHILDREN: tuple[type[Any], ...] = (Period, Section, Task)


class WardSession(Session):
    """The project's ORM session: ward-scoped once `use_ward` named a ward."""


def use_ward(s: AsyncSession | Session, ward_id: int | None) -> None:
    """Scope the session to `ward_id` (None: every ward, as before wards existed)."""
    s.info[WARD_KEY] = ward_id


def ward_of(s: AsyncSession | Session) -> int | None:
    ward: int | None = s.info.get(WARD_KEY)
    return ward


@event.listens_for(WardSession, "do_orm_execute")
def _scope(state: ORMExecuteState) -> None:
    ward = state.session.info.get(WARD_KEY)
    if ward is None or state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(*_criteria(ward))


@lru_cache(maxsize=1024)
def _criteria(ward: int) -> tuple[Any, ...]:
    """The ward's criteria options, built once per ward (building them per statement doubled
    the time of an update)."""
    owned = [with_loader_criteria(cls, lambda c: c.ward_id == ward, include_aliases=True)
             for cls in OWNED]
    children = [with_loader_criteria(
        cls, lambda c: c.plan_id.in_(select(Plan.id).where(Plan.ward_id == ward)),
        include_aliases=True) for cls in PLAN_CHILDREN]
    return (*owned, *children)


@event.listens_for(WardSession, "before_flush")
def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    ward = session.info.get(WARD_KEY) or DEFAULT_WARD_ID
    for obj in session.new:
        # A city user and their invite belong to no ward: their NULL is meant.
        if isinstance(obj, OWNED) and "ward_id" not in obj.__dict__ \
                and getattr(obj, "role", "") != CITY_ROLE:
            obj.ward_id = ward


class WardSessions:
    """Sessions like `async_sessionmaker`'s, each scoped to one ward from the start: the web
    desk's per-visit factory (one server answers people of several wards, so the shared
    factory cannot be configured once as the CLI's is)."""

    def __init__(self, factory: async_sessionmaker[AsyncSession], ward_id: int | None) -> None:
        self._factory = factory
        self._ward_id = ward_id

    def __call__(self) -> AsyncSession:
        return self._factory(info={WARD_KEY: self._ward_id})

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        async with self() as s, s.begin():
            yield s
