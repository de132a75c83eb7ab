"""Composes every feature module's routes into one router (order does not matter)."""

from __future__ import annotations

from bot.router import Router
from handlers import onboarding, progress, report, summary


def build_router() -> Router:
    router = Router()
    for module in (onboarding, report, progress, summary):
        module.setup(router)
    return router
