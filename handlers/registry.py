"""Composes every feature module's routes into one router (order does not matter)."""

from __future__ import annotations

from bot.router import Router
from handlers import broadcast, export, onboarding, progress, report, schedule, summary


def build_router() -> Router:
    router = Router()
    for module in (onboarding, report, progress, summary, schedule, export, broadcast):
        module.setup(router)
    return router
