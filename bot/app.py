"""Builds the core once: database (migrated, seeded), Deps, router and engine."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from core.deps import Deps
from core.ports import Clock, SystemClock
from core.settings import Settings
from core.types import Platform
from handlers.engine import Engine
from handlers.registry import build_router
from services import wards as ward_service
from storage import catalog, db, plans, roster
from storage.scoping import WARD_KEY

logger = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    deps: Deps
    core: Engine

    async def close(self) -> None:
        self.deps.files.close()
        await self.engine.dispose()


async def open_app(settings: Settings, clock: Clock | None = None, *, migrate: bool = True,
                   seed: bool = True) -> App:
    """Connect, upgrade the schema, load the default plan and roster on first start."""
    if migrate:
        await db.upgrade(settings.database_url)
    engine = db.make_engine(settings.database_url)
    sessions = db.make_sessions(engine)
    deps = Deps(sessions=sessions, settings=settings, clock=clock or SystemClock(settings.tz))
    if settings.telegram.bot_username:
        deps.bot_usernames[Platform.TELEGRAM] = settings.telegram.bot_username.lstrip("@")
    if seed:
        await seed_defaults(deps)
    return App(settings, engine, deps, Engine(build_router(), deps))


@asynccontextmanager
async def opened_app(settings: Settings, *, needs_ward: bool = True) -> AsyncIterator[App]:
    """An App for one CLI command, closed (engine disposed) whatever happens. Its sessions act
    on one ward (`--ward`, WARD_CODE, or the only one; services.wards.acting_ward): a
    services.wards.WardProblem when that is not clear, which the CLI prints."""
    app = await open_app(settings)
    try:
        if needs_ward:
            async with app.deps.sessions() as s:
                ward_id = await ward_service.acting_ward(s, settings.ward_code)
            if ward_id is not None:
                app.deps.sessions.configure(info={WARD_KEY: ward_id})
        yield app
    finally:
        await app.close()


async def seed_defaults(deps: Deps) -> None:
    """First start: the plan 25/KH-UBND catalog and the ward's roster of units."""
    async with deps.sessions.begin() as s:
        if await plans.has_any_plan(s):
            return
        await plans.import_plan(s, catalog.load_plan(catalog.DEFAULT_PLAN))
        await roster.import_roster(s, catalog.load_roster(catalog.DEFAULT_ROSTER),
                                   deps.clock.now())
    logger.info("default plan and roster loaded")
