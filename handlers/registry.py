"""Composes every feature module's routes into one router (order does not matter)."""

from __future__ import annotations

from handlers import (
    broadcast,
    broadcast_status,
    export,
    onboarding,
    progress,
    report,
    report_sections,
    rounds,
    schedule,
    summary,
)
from handlers.router import Router


def build_router() -> Router:
    router = Router()
    for module in (onboarding, report, report_sections, progress, summary, schedule, rounds,
                   export, broadcast, broadcast_status):
        module.setup(router)
    return router
