"""/metrics: Prometheus text that prometheus-client's parser reads, counting what happened."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import make_settings
from tests.fake_telegram import FakeTelegram
from tests.run_harness import running_bot
from tests.zalo_harness import free_port


async def test_metrics_count_handled_updates(sqlite_url: str, tmp_path: Path) -> None:
    # setup
    telegram = await FakeTelegram().start()
    port = free_port()
    settings = make_settings(sqlite_url, tmp_path, telegram_bot_token=telegram.token,
                             telegram_api_base_url=telegram.base_url, telegram_poll_seconds=1,
                             http_host="127.0.0.1", http_port=port)
    try:
        async with running_bot(settings):
            # execute: three people write once each
            for chat in (701, 702, 703):
                telegram.push_text(chat, "xin chào")
            await telegram.wait_for(lambda: all(telegram.texts(c) for c in (701, 702, 703)), 10)
            async with aiohttp.ClientSession() as http, \
                    http.get(f"http://127.0.0.1:{port}/metrics") as response:
                status, text = response.status, await response.text()
    finally:
        await telegram.stop()
    # verify
    assert status == 200
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    assert samples[("danvan_updates_handled_total", (("platform", "telegram"),))] == 3
    assert samples[("danvan_sends_total", (("outcome", "sent"), ("platform", "telegram")))] == 3
    assert samples[("danvan_replies_total", (("outcome", "sent"), ("platform", "telegram")))] == 3
    assert samples[("danvan_handler_seconds_count", (("platform", "telegram"),))] == 3
    assert samples[("danvan_outbox_backlog", ())] == 0
    assert samples[("danvan_channel_up", (("platform", "telegram"),))] == 1


async def test_metrics_need_the_bearer_token_when_one_is_set(sqlite_url: str,
                                                             tmp_path: Path) -> None:
    # setup
    from bot.app import open_app
    from bot.web import build_web_app, start_site

    port = free_port()
    settings = make_settings(sqlite_url, tmp_path, metrics_token="s3cret-metrics-token",
                             http_port=port)
    app = await open_app(settings)
    runner = await start_site(build_web_app(app.deps, []), "127.0.0.1", port)
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        # execute
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as response:
                without = response.status
            headers = {"Authorization": "Bearer s3cret-metrics-token"}
            async with http.get(url, headers=headers) as response:
                with_token = response.status
    finally:
        await runner.cleanup()
        await app.close()
    # verify
    assert (without, with_token) == (403, 200)
