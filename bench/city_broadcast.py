"""Bench 7: a city-wide broadcast (issue 19). 120 wards × 50 tổ trưởng = 6,000 on Telegram (and
a deactivated ward whose 50 must get nothing), one city broadcast to the tổ trưởng of all wards,
delivered by two `python -m bot run` processes on one PostgreSQL database, behind the fake
Telegram server with Telegram's flood limits on (30 msg/s overall, 1/s per chat).

Every process is set to Telegram's whole TELEGRAM_RATE_PER_SECOND = 30: on PostgreSQL the
processes book their send slots in one shared budget (storage/send_slots.py), as README's
"Deploying with several processes" says. Prints the wall time from the launch (the city's
«Xác nhận») to the last message at the fake, the ideal (recipients / 30 s), their ratio
ideal/actual (target ≥ 0.95), the 429s (target 0) and the duplicates (messages beyond one per
chat; target 0).

Then the Zalo quota rules for a city broadcast: the tổ trưởng of a few wards also get a Zalo
account, ZALO_MONTHLY_QUOTA is set just above their share; a city broadcast to those wards is
priced and accepted, a second one (to all wards) is refused with the Vietnamese message, as
the quota is the one Zalo bot's, shared by every ward.

    .venv/bin/python bench/city_broadcast.py [--wards 120] [--leaders 50] [--zalo-wards 4]"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import common
from sqlalchemy import func, insert, select, text

from bot.app import App, open_app
from core.settings import load_settings
from core.types import Platform, Role
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage.models import Account, Delivery, Person, Ward
from tests.test_multiprocess import TwoWebhookFake, _env, _start, _stop
from tests.zalo_harness import free_port

FIRST_CHAT = 700_000
TELEGRAM_CEILING = 30.0


async def add_wards(app: App, wards: int, leaders: int) -> tuple[list[int], list[int]]:
    """`wards` active wards and one deactivated, `leaders` tổ trưởng each with a Telegram
    account (bulk inserts); returns the active wards' chat ids and the deactivated ward's."""
    now = datetime.now(UTC)
    async with app.deps.sessions.begin() as s:
        first = int(await s.scalar(select(func.max(Ward.id))) or 0) + 1
        ids = list(range(first, first + wards + 1))  # the last one deactivated
        await s.execute(insert(Ward), [dict(
            id=w, code=f"W{w:03d}", name=f"Phường số {w}", kind="phuong",
            active=w != ids[-1], doc_name="", signer_name="", signer_title=[], recipients=[],
            created_at=now) for w in ids])
        await s.execute(text("SELECT setval('wards_id_seq', (SELECT max(id) FROM wards))"))
        first_person = int(await s.scalar(select(func.max(Person.id))) or 0) + 1
        people, accounts = [], []
        for n in range(len(ids) * leaders):
            pid, chat = first_person + n, FIRST_CHAT + n
            people.append(dict(id=pid, ward_id=ids[n // leaders], name=f"Tổ trưởng {chat}",
                               role=Role.GROUP_LEADER.value, phone="", active=True,
                               created_at=now))
            accounts.append(dict(person_id=pid, platform=Platform.TELEGRAM.value,
                                 account_id=str(chat), chat_id=str(chat), display_name="",
                                 created_at=now))
        for start in range(0, len(people), 2000):
            await s.execute(insert(Person), people[start:start + 2000])
            await s.execute(insert(Account), accounts[start:start + 2000])
        await s.execute(text("SELECT setval('people_id_seq', (SELECT max(id) FROM people))"))
    split = wards * leaders
    chats = [FIRST_CHAT + n for n in range(len(ids) * leaders)]
    return chats[:split], chats[split:]


async def launch_city(app: App, audience: str, ward_ids: list[int],
                      text_: str) -> tuple[jobs.Launched, float]:
    """What the city's «Xác nhận» does (services.broadcasts.launch): plan once, check the
    quota, write the outbox. Returns the result and the seconds it took."""
    started = time.perf_counter()
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        row = await repo.create(s, text=text_, audience=audience, group_ids=[], created_by=None,
                                now=now, city=True, ward_ids=ward_ids)
        done = await jobs.launch(s, app.deps, row, now, actor=None)
    return done, time.perf_counter() - started


async def count_sent(fake: TwoWebhookFake, chats: list[int]) -> int:
    return sum(len(fake.sent.get(c, [])) for c in chats)


async def telegram_run(app: App, url: str, folder: Path, chats: list[int],
                       stopped: list[int], processes: int) -> None:
    fake = TwoWebhookFake()
    await fake.start()
    fake.flood_limits(TELEGRAM_CEILING, 1)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for name in "abcd"[:processes]:
            env = _env(url, fake, free_port())
            env["TELEGRAM_RATE_PER_SECOND"] = f"{TELEGRAM_CEILING:g}"  # one shared budget
            env["CITY_NAME"] = "UBND thành phố Hải Phòng"
            procs.append(_start(folder, env, name))
        await fake.wait_for(lambda: len(fake.webhook_urls) >= min(processes, 2), timeout=60)
        await asyncio.sleep(3)  # both schedulers ticking
        launched_at = time.perf_counter()
        done, planning = await launch_city(app, "city_groups", [],
                                           "Thông báo: ra quân tổng vệ sinh sáng Chủ nhật.")
        committed_at = time.perf_counter()
        first_at = last_at = 0.0
        seen = 0
        while seen < len(chats):
            await asyncio.sleep(0.05)
            now_seen = await count_sent(fake, chats)
            if now_seen and not first_at:
                first_at = time.perf_counter()
            if now_seen > seen:
                seen, last_at = now_seen, time.perf_counter()
            if time.perf_counter() - launched_at > 3 * len(chats) / TELEGRAM_CEILING + 60:
                break
        await asyncio.sleep(5)  # anything sent twice would arrive now
        async with app.deps.sessions() as s:
            pending = await s.scalar(select(func.count()).select_from(Delivery)
                                     .where(Delivery.status == "pending"))
            sent_rows = await s.scalar(select(func.count()).select_from(Delivery)
                                       .where(Delivery.status == "sent"))
        alive = all(p.poll() is None for p in procs)
    finally:
        _stop(procs, 30)
        await fake.stop()
    per_chat = [len(fake.sent.get(c, [])) for c in chats]
    duplicates = sum(max(n - 1, 0) for n in per_chat)
    missing = sum(1 for n in per_chat if n == 0)
    to_stopped = sum(len(fake.sent.get(c, [])) for c in stopped)
    wall = last_at - launched_at
    ideal = len(chats) / TELEGRAM_CEILING
    print(f"telegram: {done.people} recipients planned, {done.messages} queued in "
          f"{planning:.2f} s (plan once + outbox)")
    print(f"  {processes} process(es) sharing {TELEGRAM_CEILING:g}/s: "
          f"{sum(per_chat)} delivered, wall {wall:.1f} s from the launch "
          f"(first message after {first_at - launched_at:.1f} s, then "
          f"{(last_at - first_at):.1f} s); ideal {ideal:.1f} s at {TELEGRAM_CEILING:g}/s")
    print(f"  ratio ideal/actual {ideal / wall:.3f} (target ≥ 0.95); from the launch's commit "
          f"{ideal / (last_at - committed_at):.3f}; from the first message "
          f"{ideal / (last_at - first_at):.3f}")
    print(f"  429 received: {fake.rate_limited} (target 0); duplicates: {duplicates} "
          f"(target 0); missing: {missing}; outbox sent {sent_rows}, pending {pending}; "
          f"to the deactivated ward: {to_stopped}; processes alive at the end: {alive}")


async def zalo_quota(app: App, zalo_wards: int, leaders: int) -> None:
    """A Zalo account for the tổ trưởng of the first `zalo_wards` wards; the monthly quota
    just above their share: the first city broadcast fits, the second is refused."""
    now = datetime.now(UTC)
    async with app.deps.sessions.begin() as s:
        wards = list(await s.scalars(select(Ward.id).where(Ward.active, Ward.id > 1)
                                     .order_by(Ward.id).limit(zalo_wards)))
        people = list(await s.scalars(select(Person.id).where(Person.ward_id.in_(wards))))
        await s.execute(insert(Account), [dict(
            person_id=pid, platform=Platform.ZALO.value, account_id=f"z{pid}",
            chat_id=f"z{pid}", display_name="", created_at=now) for pid in people])
    share = len(people)
    app.deps.settings.zalo.monthly_quota = share + share // 2
    first, _ = await launch_city(app, "city_groups", wards, "Họp giao ban trực tuyến.")
    async with app.deps.sessions() as s:
        queued = await s.scalar(select(func.count()).select_from(Delivery).where(
            Delivery.platform == Platform.ZALO.value, Delivery.ref_id == first.broadcast_id))
        remaining = await jobs.zalo_remaining(s, app.deps, now)
    print(f"zalo: quota {app.deps.settings.zalo.monthly_quota}/month; city broadcast to "
          f"{zalo_wards} wards ({share} tổ trưởng on Zalo) accepted: {queued} Zalo messages "
          f"queued, {remaining} left")
    try:
        await launch_city(app, "city_groups", [], "Họp giao ban trực tuyến (lần 2).")
        print("  second city broadcast: ACCEPTED (wrong: the quota would be exceeded)")
    except jobs.BroadcastRefused as refused:
        print(f"  second city broadcast (all wards) refused: {refused}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wards", type=int, default=120)
    parser.add_argument("--leaders", type=int, default=50, help="tổ trưởng per ward")
    parser.add_argument("--zalo-wards", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2, help="`run` processes (1-4)")
    args = parser.parse_args()
    print(f"bench 7 — city broadcast, {args.wards} wards × {args.leaders} tổ trưởng "
          f"({common.machine()})")
    async with common.pg_database() as url:
        with common.temp_dir() as folder:
            settings = load_settings(database_url=url, evidence_dir=folder / "ev",
                                     _env_file=None, zalo_monthly_quota=0)
            app = await open_app(settings)
            try:
                chats, stopped = await add_wards(app, args.wards, args.leaders)
                await telegram_run(app, url, folder, chats, stopped, args.processes)
                if args.zalo_wards:
                    await zalo_quota(app, args.zalo_wards, args.leaders)
            finally:
                await app.close()


if __name__ == "__main__":
    asyncio.run(main())
