"""Two `python -m bot run` processes in webhook mode on one PostgreSQL database, behind one fake
Telegram server that hands webhook updates to them in turn.

What a multi-process deployment must guarantee: a reminder and a broadcast reach each person
exactly once although both processes sweep and drain the same outbox at the same moment, and a
conversation continues whichever process receives the next message (its state is in the
database, never in a process). PostgreSQL only: SQLite is a single-process deployment."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.app import App, open_app
from core.types import Platform, Role
from storage import broadcasts as repo
from storage import calendar as calendar_store
from storage import plans
from storage.models import Delivery, Period
from tests.conftest import make_settings
from tests.factories import make_person
from tests.fake_telegram import FakeTelegram
from tests.zalo_harness import free_port

ROOT = Path(__file__).resolve().parent.parent
SECRET = "multi-process_secret_0123456789"
PERIOD = "MP-2026"
HEADS = {"VP": 810_001, "VHXH": 810_002, "TTSNC": 810_003}  # unit code -> chat id
LEADERS = [820_000 + i for i in range(12)]
DEADLINE_S = 45.0


class TwoWebhookFake(FakeTelegram):
    """The fake Bot API, but every webhook that registers is kept, and updates go to them in
    turn (update n to webhook n mod 2), like a load balancer in front of two processes."""

    def __init__(self) -> None:
        super().__init__()
        self.webhook_urls: list[str] = []
        self.routed: dict[int, str] = {}  # update id -> the webhook that accepted it
        self._turn = itertools.count()

    async def _m_setWebhook(self, p: dict, f: dict) -> bool:
        if p["url"] not in self.webhook_urls:
            self.webhook_urls.append(p["url"])
        return await super()._m_setWebhook(p, f)

    async def _deliver_loop(self) -> None:
        async with aiohttp.ClientSession() as session:
            while not self._closing.is_set():
                if not self._pending or len(self.webhook_urls) < 2:
                    self._new_update.clear()
                    await self._new_update.wait()
                    continue
                update = self._pending.pop(0)
                await self._post(session, update)
                self._changed.set()

    async def _post(self, session: aiohttp.ClientSession, update: dict[str, Any]) -> None:
        """To the next webhook in turn; to the other one if it does not answer 2xx."""
        first = next(self._turn)
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}
        for attempt in range(4):
            url = self.webhook_urls[(first + attempt) % len(self.webhook_urls)]
            status = 0
            with contextlib.suppress(aiohttp.ClientError):
                async with session.post(url, json=update, headers=headers) as resp:
                    status = resp.status
            self.webhook_deliveries.append((update["update_id"], status))
            if 200 <= status < 300:
                self.routed[update["update_id"]] = url
                return


async def _seed(app: App, now: datetime) -> None:
    """An open period due in two weeks, unit heads and tổ trưởng on Telegram, a broadcast due
    now (both processes' first sweep races to fire it)."""
    async with app.deps.sessions.begin() as s:
        plan_id = (await plans.all_periods(s))[0].plan_id
        due = (now.astimezone(app.settings.tz) + timedelta(days=14)).date()
        s.add(Period(plan_id=plan_id, code=PERIOD, kind="adhoc", title="Kỳ kiểm tra đa tiến trình",
                     due_before=due))
        today = now.astimezone(app.settings.tz).date()
        await calendar_store.set_override(s, today, "work", "kiểm thử đa tiến trình")
    for unit, chat in HEADS.items():
        await make_person(app, Role.UNIT_HEAD, unit=unit, platform=Platform.TELEGRAM,
                          account=str(chat))
    for index, chat in enumerate(LEADERS):
        await make_person(app, Role.GROUP_LEADER, group=f"TDP0{index % 5 + 1}",
                          platform=Platform.TELEGRAM, account=str(chat))
    async with app.deps.sessions.begin() as s:
        row = await repo.create(s, text="Thông báo: họp tổ dân phố tối thứ Sáu.",
                                audience="all_groups", group_ids=[], created_by=None, now=now)
        row.status, row.send_at, row.next_run_at = repo.SCHEDULED, now, now


def _env(db_url: str, fake: FakeTelegram, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL", "HTTP_", "PUBLIC_BASE_URL",
                                "REMINDER_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=db_url, TELEGRAM_BOT_TOKEN=fake.token,
               TELEGRAM_API_BASE_URL=fake.base_url, TELEGRAM_FILE_BASE_URL=fake.file_base_url,
               TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_SECRET=SECRET,
               PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", HTTP_HOST="127.0.0.1",
               HTTP_PORT=str(port), LOG_LEVEL="WARNING",
               # A reminder slot that has already come, and office hours all day, whatever day
               # and hour the test runs (today is made a working day in _seed).
               REMINDER_OFFSETS="30", REMINDER_HOUR="0", REMINDER_UNTIL_HOUR="24")
    return env


def _stop(procs: list[subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM to every process still running, then wait for each (killed if it hangs)."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()


def _start(tmp_path: Path, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                                stdout=log, stderr=subprocess.STDOUT)


async def _pending_is_zero(app: App) -> bool:
    async with app.deps.sessions() as s:
        return not await s.scalar(select(func.count()).select_from(Delivery)
                                  .where(Delivery.status == "pending"))


async def _until(predicate: Any, seconds: float = DEADLINE_S) -> None:
    """Poll an async predicate (database state) until a deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def _step(fake: FakeTelegram, chat: int, push: Any, messages: int) -> str:
    """One user action; returns the bot's answer once its `messages` messages reached the chat
    (the user reads the whole answer before typing again)."""
    before = len(fake.sent.get(chat, []))
    push()
    await fake.wait_for(lambda: len(fake.sent.get(chat, [])) >= before + messages,
                        timeout=DEADLINE_S)
    return "\n".join(fake.texts(chat)[before:])


@pytest.mark.postgres
async def test_two_processes_share_the_outbox_and_the_conversations(
        db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("several processes need PostgreSQL (SQLite is one process)")
    # setup: migrated and seeded database, people, a due broadcast; the fake with two webhooks
    app = await open_app(make_settings(db_url, tmp_path))
    fake = TwoWebhookFake()
    await fake.start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        await _seed(app, app.deps.clock.now())
        # execute: both processes start together, so their first sweeps race
        procs += [_start(tmp_path, _env(db_url, fake, free_port()), name) for name in "ab"]
        everyone = [*HEADS.values(), *LEADERS]
        await fake.wait_for(lambda: len(fake.webhook_urls) == 2
                            and all(fake.sent.get(c) for c in everyone), timeout=DEADLINE_S)
        await _until(lambda: _pending_is_zero(app))
        pushed = {c: fake.texts(c) for c in everyone}  # what the bot sent on its own

        # execute: a unit head answers the reminder; each message goes to the other process
        chat = HEADS["VP"]
        answers = [await _step(fake, chat, lambda: fake.press(chat, "Báo cáo"), 1)]
        for text in ("1", "2", "dang trien khai", "Đã tổ chức 2 buổi tuyên truyền", "bo qua",
                     "bo qua", "bo qua", "luu"):
            answers.append(await _step(fake, chat, lambda t=text: fake.push_text(chat, t), 1))

        # verify: exactly one reminder per unit head, one broadcast per tổ trưởng
        assert all(len(texts) == 1 for texts in pushed.values()), pushed
        assert all(PERIOD in pushed[c][0] or "kiểm tra đa tiến trình" in pushed[c][0]
                   for c in HEADS.values())
        assert all("họp tổ dân phố" in pushed[c][0] for c in LEADERS)
        async with app.deps.sessions() as s:
            rows = (await s.execute(select(Delivery.kind, Delivery.status))).all()
        assert Counter(rows) == Counter({("reminder", "sent"): len(HEADS),
                                         ("broadcast", "sent"): len(LEADERS)})
        # verify: the conversation went through both processes and ended saved
        accepted = [u for u, status in fake.webhook_deliveries if 200 <= status < 300]
        assert len(accepted) == len(answers)
        assert {fake.routed[u] for u in accepted} == set(fake.webhook_urls)
        assert "Nhiệm vụ 1.2" in answers[2]
        assert "phiên bản 1" in answers[-1] and "1/23" in answers[-1]
        assert all(len(fake.texts(c)) == 1 for c in everyone if c != chat)  # nothing more
        assert all(p.poll() is None for p in procs)  # neither process died on a conflict
    finally:
        _stop(procs, 20)
        await fake.stop()
        await app.close()

