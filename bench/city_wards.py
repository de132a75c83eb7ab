"""Bench 6: many wards on one deployment (issue 19). 120 wards × 40 units × 23 tasks (110,400
entries and versions in the annual round, inserted in bulk), on the local PostgreSQL (and
SQLite with --backends).

Times the city's roll-up (/thanhpho, through the engine, for a city user) and counts its SQL
statements at 2 wards and at 120 (target: ≤ 1 s and the same number); times a ward's /tonghop
(its admin, through the engine, the session scoped to the ward) at 2 and at 120 wards (target:
as fast as in a one-ward deployment).

    .venv/bin/python bench/city_wards.py [--wards 120] [--units 40] [--backends postgres]"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import common
from city_scale import StatementCounter, database
from sqlalchemy import func, insert, select, text

from bot.app import App, open_app
from core.ports import FixedClock
from core.settings import load_settings
from core.types import Role, Status
from storage import catalog, plans
from storage.models import Entry, EntryVersion, Submission, Unit, Ward, WardReport
from storage.scoping import use_ward
from tests.factories import Talk
from tests.ward_helpers import city_invite, person_in

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK = 5000
STATUSES = [s.value for s in Status]
ROUNDS = 5  # best of


DIFFICULTY = "Kinh phí tổ chức hội nghị ở tổ dân phố còn hạn chế."
PROPOSAL = "Đề nghị phường hỗ trợ tài liệu tuyên truyền."


async def add_wards(app: App, first: int, last: int, units: int, rng: random.Random) -> None:
    """Wards first..last (ids), each with its own plan, `units` units, every unit's entries in
    the annual round (70 % submitted), and for 80 % of wards a report sent (a fifth late)."""
    now = datetime(2025, 11, 25, 2, 0, tzinfo=UTC)
    async with app.deps.sessions.begin() as s:
        existing = set(await s.scalars(select(Ward.id)))
        new = [dict(id=w, code=f"W{w:03d}", name=f"Phường số {w}", kind="phuong", active=True,
                    doc_name="", signer_name="", signer_title=[], recipients=[])
               for w in range(first, last + 1) if w not in existing]
        if new:
            await s.execute(insert(Ward), new)
        if app.settings.database_url.startswith("postgresql"):
            await s.execute(text("SELECT setval('wards_id_seq', (SELECT max(id) FROM wards))"))
    plan_file = catalog.load_plan(catalog.DEFAULT_PLAN)
    entries: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    subs: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    async with app.deps.sessions.begin() as s:
        next_entry = int(await s.scalar(select(func.max(Entry.id))) or 0)
    for ward in range(first, last + 1):
        async with app.deps.sessions.begin() as s:
            use_ward(s, ward)
            if not await plans.has_any_plan(s):
                await plans.import_plan(s, plan_file)
            have = int(await s.scalar(select(func.count()).select_from(Unit)) or 0)
            if have < units:
                await s.execute(insert(Unit), [dict(ward_id=ward, code=f"DV{i:03d}",
                                                    name=f"Đơn vị {i} phường {ward}", active=True)
                                               for i in range(have, units)])
            unit_ids = list(await s.scalars(select(Unit.id).where(Unit.active)))[:units]
            period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
            tasks = [k.id for x in await plans.plan_outline(s, period.plan_id) for k in x.tasks]
        for unit_id in unit_ids:
            submitted = rng.random() < 0.7
            for task_id in tasks:
                next_entry += 1
                status = rng.choice(STATUSES)
                # as units write them: a difficulty on one entry in ten, a proposal in twenty
                texts = dict(result="Đã triển khai.",
                             difficulties=DIFFICULTY if rng.random() < 0.1 else "",
                             proposals=PROPOSAL if rng.random() < 0.05 else "")
                entries.append(dict(id=next_entry, period_id=period.id, unit_id=unit_id,
                                    task_id=task_id, version=1, status=status, **texts,
                                    evidence=[], updated_at=now,
                                    submitted_version=1 if submitted else None))
                versions.append(dict(entry_id=next_entry, period_id=period.id,
                                     version=1, status=status, **texts,
                                     evidence=[], created_at=now))
            if submitted:
                subs.append(dict(period_id=period.id, unit_id=unit_id, submitted_at=now,
                                 late=False))
        if rng.random() < 0.8:
            reports.append(dict(ward_id=ward, period_id=period.id, sent_at=now,
                                late=rng.random() < 0.2))
    async with app.deps.sessions.begin() as s:
        for table, rows in ((Entry, entries), (EntryVersion, versions), (Submission, subs),
                            (WardReport, reports)):
            for start in range(0, len(rows), CHUNK):
                await s.execute(insert(table), rows[start:start + CHUNK])
        if app.settings.database_url.startswith("postgresql"):
            await s.execute(text("SELECT setval('entries_id_seq', (SELECT max(id) FROM entries))"))
            await s.execute(text("ANALYZE"))


async def timed(app: App, talk: Talk, command: str) -> tuple[float, int, str]:
    """Best time of ROUNDS, the statements of one run, and the answer."""
    counter = StatementCounter(app)
    best, statements, answer = float("inf"), 0, ""
    for attempt in range(ROUNDS):
        counter.count, counter.active = 0, attempt == 0
        started = time.perf_counter()
        await talk.say(command)
        best = min(best, time.perf_counter() - started)
        counter.active = False
        if attempt == 0:
            statements, answer = counter.count, talk.text
        await talk.say("/huy")
    return best, statements, answer


async def measure(backend: str, wards: int, units: int) -> None:
    rng = random.Random(19)
    with common.temp_dir() as folder:
        async with database(backend, folder) as url:
            settings = load_settings(database_url=url, evidence_dir=folder / "ev",
                                     export_dir=folder / "out", _env_file=None,
                                     log_level="WARNING")
            clock = FixedClock(datetime(2025, 11, 26, 9, 0, tzinfo=TZ), TZ)
            app = await open_app(settings, clock)
            try:
                await add_wards(app, 1, 2, units, rng)
                city = Talk(app, "city-bench")
                await city.say(f"/dangky {await city_invite(app)}")
                _, account = await person_in(app, 2, Role.ADMIN)
                admin = Talk(app, account)
                small_city = await timed(app, city, "/thanhpho NAM-2025")
                small_ward = await timed(app, admin, "/tonghop NAM-2025")
                started = time.perf_counter()
                await add_wards(app, 3, wards, units, rng)
                generated = time.perf_counter() - started
                big_city = await timed(app, city, "/thanhpho NAM-2025")
                big_ward = await timed(app, admin, "/tonghop NAM-2025")
            finally:
                await app.close()
    print(f"\n{backend}: {wards} wards × {units} units × 23 tasks "
          f"(generated in {generated:.1f} s; {common.machine()})")
    print(f"  city roll-up /thanhpho: {big_city[0]:.3f} s at {wards} wards, "
          f"{small_city[0]:.3f} s at 2 (ratio {big_city[0] / small_city[0]:.1f}; target ≤ 1 s)")
    print(f"  its SQL statements: {big_city[1]} at {wards} wards, {small_city[1]} at 2 "
          "(target: equal)")
    print(f"  a ward's /tonghop: {big_ward[0]:.3f} s at {wards} wards, {small_ward[0]:.3f} s at 2"
          f" (ratio {big_ward[0] / small_ward[0]:.2f}); statements {big_ward[1]} / "
          f"{small_ward[1]}")
    print(f"  roll-up digest: {len(big_city[2]):,} characters at {wards} wards, "
          f"{len(small_city[2]):,} at 2")
    print("  its matrix: " + " | ".join(big_city[2].splitlines()[-4:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wards", type=int, default=120)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--backends", default="postgres")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        asyncio.run(measure(backend, args.wards, args.units))


if __name__ == "__main__":
    main()
