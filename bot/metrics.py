"""GET /metrics in the Prometheus text format, built from the heartbeats and the database.

Each scrape reads a snapshot into a fresh registry: no module-level metric objects. Served to
127.0.0.1 only, or to anyone with `Authorization: Bearer <METRICS_TOKEN>` when it is set."""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from core.deps import Deps
from core.ops import LATENCY_BUCKETS, OpsState, utcnow
from core.types import Platform
from services import ops
from services.ops import OutboxStats

LOOPBACK = frozenset({"127.0.0.1", "::1"})


class Snapshot(Collector):
    def __init__(self, state: OpsState, outbox: OutboxStats, quota_used: int) -> None:
        self.state, self.outbox, self.quota_used = state, outbox, quota_used

    def collect(self) -> Iterator[Metric]:
        state = self.state
        updates = CounterMetricFamily("danvan_updates_handled", "Updates handled, per channel",
                                      labels=["platform"])
        for member in Platform:
            updates.add_metric([member.value], state.updates.get(member.value, 0))
        yield updates
        sends = CounterMetricFamily("danvan_sends", "Messages sent to the platforms, by outcome",
                                    labels=["platform", "outcome"])
        for (name, outcome), count in sorted(state.sends.items()):
            sends.add_metric([name, outcome], count)
        yield sends
        replies = CounterMetricFamily("danvan_replies", "Answers to people, by outcome "
                                      "(sent; retry or gone: given up)",
                                      labels=["platform", "outcome"])
        for (name, outcome), count in sorted(state.replies.items()):
            replies.add_metric([name, outcome], count)
        yield replies
        latency = HistogramMetricFamily("danvan_handler_seconds", "Time to handle one update",
                                        labels=["platform"])
        for name, hist in sorted(state.latency.items()):
            buckets = [(str(b), c) for b, c in zip(LATENCY_BUCKETS, hist.counts, strict=True)]
            latency.add_metric([name], [*buckets, ("+Inf", hist.total)], hist.sum_s)
        yield latency
        yield GaugeMetricFamily("danvan_outbox_backlog", "Outbox rows still to send",
                                value=self.outbox.backlog)
        yield GaugeMetricFamily("danvan_outbox_oldest_due_seconds",
                                "Age of the oldest outbox row that is due",
                                value=self.outbox.oldest_due_s)
        sent = GaugeMetricFamily("danvan_outbox_sent", "Outbox messages sent, by kind "
                                 "(reminder, digest, broadcast, notice)", labels=["kind"])
        for kind, count in sorted(self.outbox.sent_by_kind.items()):
            sent.add_metric([kind], count)
        yield sent
        yield GaugeMetricFamily("danvan_zalo_quota_used", "Zalo messages counted this month",
                                value=self.quota_used)
        up = GaugeMetricFamily("danvan_channel_up", "1 while the channel works",
                               labels=["platform"])
        for platform, channel in state.channels.items():
            up.add_metric([platform.value], 1 if channel.up else 0)
        yield up


def allowed(request: web.Request, token: str) -> bool:
    if token:
        given = request.headers.get("Authorization", "").encode()
        return hmac.compare_digest(given, f"Bearer {token}".encode())
    return request.remote in LOOPBACK


async def render(deps: Deps) -> bytes:
    outbox = await ops.outbox_stats(deps, utcnow())
    registry = CollectorRegistry(auto_describe=False)
    registry.register(Snapshot(deps.ops, outbox, await ops.zalo_quota_used(deps)))
    return generate_latest(registry)


def metrics_route(deps: Deps) -> web.RouteDef:
    async def metrics(request: web.Request) -> web.Response:
        """Prometheus text format; 403 unless from 127.0.0.1 or with the bearer token."""
        if not allowed(request, deps.settings.metrics_token.get_secret_value()):
            return web.Response(status=403, text="forbidden\n")
        return web.Response(body=await render(deps),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    return web.get("/metrics", metrics)
