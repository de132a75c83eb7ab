"""GET /healthz: the truth about channels, scheduler, outbox and database (nothing secret)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.channels import Channel
from core.deps import Deps
from core.ops import ChannelState, utcnow
from services import ops


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _age(value: datetime | None, since: datetime, now: datetime) -> float:
    return (now - (value or since)).total_seconds()


def channel_problem(name: str, state: ChannelState, stale_s: float, now: datetime) -> str:
    if not state.up:
        return f"{name}: down ({state.reason})"
    if state.mode == "polling" and _age(state.last_poll, state.started_at, now) > stale_s:
        return f"{name}: no successful poll for {stale_s:g} s"
    return ""


async def health_report(deps: Deps, channels: Sequence[Channel]) -> tuple[bool, dict[str, Any]]:
    """(healthy, body): unhealthy when the database is unreachable, a configured channel is down
    or has not polled within CHANNEL_STALE_SECONDS, or the sweep stalled."""
    now, settings, state = utcnow(), deps.settings, deps.ops
    reasons: list[str] = []
    report: dict[str, Any] = {"channels": {}}
    for channel in channels:
        name, st = channel.platform.value, state.channel(channel.platform)
        problem = channel_problem(name, st, settings.channel_stale_seconds, now)
        if problem:
            reasons.append(problem)
        report["channels"][name] = {
            "ok": not problem, "mode": st.mode, "reason": st.reason,
            "last_poll" if st.mode == "polling" else "last_webhook": _iso(st.last_poll),
            "last_send": _iso(st.last_send)}
    if state.sweep_expected and _age(state.last_sweep, state.started_at, now) \
            > settings.sweep_stale_seconds:
        reasons.append(f"scheduler: no sweep for {settings.sweep_stale_seconds:g} s")
    report["scheduler"] = {"last_sweep": _iso(state.last_sweep)}
    database = await ops.database_ok(deps)
    report["database"] = database
    if database:
        stats = await ops.outbox_stats(deps, now)
        report["outbox"] = {"backlog": stats.backlog,
                            "oldest_due_seconds": round(stats.oldest_due_s, 1)}
    else:
        reasons.append("database unreachable")
    return not reasons, {"ok": not reasons, "reasons": reasons, **report}
