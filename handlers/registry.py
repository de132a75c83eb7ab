"""Composes every feature module's routes into one router (order does not matter)."""

from __future__ import annotations

from handlers import (
    assignments,
    broadcast,
    broadcast_status,
    city,
    export,
    more,
    onboarding,
    plans,
    progress,
    report,
    report_sections,
    roster,
    rounds,
    schedule,
    summary,
    web_link,
)
from handlers.router import Router


def build_router() -> Router:
    router = Router()
    for module in (onboarding, report, report_sections, progress, summary, schedule, rounds,
                   export, broadcast, broadcast_status, assignments, web_link, roster, plans,
                   more, city):
        module.setup(router)
    return router
