"""Bench 3: city scale. 5,000 units × 23 tasks × 2 periods (230,000 entries + 230,000 versions,
inserted in bulk with SQLAlchemy core), on SQLite and on the local PostgreSQL.

Times /tonghop through the engine (target ≤ 1 s) and the DOCX and XLSX exports, each loading
the summary and rendering the file in the bot's worker process (targets ≤ 3 s for the DOCX,
≤ 10 s for the XLSX, with a wait message to the admin); counts the
SQL statements /tonghop issues at 50 and at 5,000 units (target: the same number); prints the
size of the chat digest. While each export runs, a unit head asks /tiendo every 20 ms: its
answer times are printed beside those with the XLSX rendered in a thread (the earlier design)
and with nothing running.

    .venv/bin/python bench/city_scale.py [--units 5000] [--backends sqlite,postgres]"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import common
from sqlalchemy import event, insert, select, text, update

from bot.app import App, open_app
from core.ports import FixedClock
from core.settings import load_settings
from core.types import Role, Status
from services.exports import Issuer, render
from services.exports.job import ExportJob, run_export
from storage import plans
from storage.models import Entry, EntryVersion, Submission, Unit
from storage.summary import period_summary
from tests.factories import Talk, make_person

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIODS = ("NAM-2025", "9T-2025")
CHUNK = 5000
STATUSES = [s.value for s in Status]
T = TypeVar("T")


@contextlib.asynccontextmanager
async def database(backend: str, folder: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield common.sqlite_url(folder)
        return
    async with common.pg_database() as url:
        yield url


async def generate(app: App, units: int) -> dict[str, int]:
    """`units` active units in all (the seeded ones included), entries for every task in two
    periods, one version each, a submission for 70 % of the units; returns period ids."""
    rng = random.Random(8)
    now = datetime(2025, 11, 17, 2, 0, tzinfo=UTC)
    async with app.deps.sessions.begin() as s:
        seeded = len(list(await s.scalars(select(Unit.id))))
    await common.bulk_units(app, max(units - seeded, 0))
    async with app.deps.sessions.begin() as s:
        if units < seeded:  # keep exactly `units` active
            keep = list(await s.scalars(select(Unit.id).order_by(Unit.id).limit(units)))
            await s.execute(update(Unit).where(Unit.id.not_in(keep)).values(active=False))
        unit_ids = list(await s.scalars(select(Unit.id).where(Unit.active).order_by(Unit.id)))
        periods = {p.code: p for p in await plans.all_periods(s)}
        chosen = {code: periods[code].id for code in PERIODS}
        outline = await plans.plan_outline(s, periods[PERIODS[0]].plan_id)
        task_ids = [t.id for section in outline for t in section.tasks]
    entry_id = 0
    entries: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    subs: list[dict[str, Any]] = []
    for period_id in chosen.values():
        for unit_id in unit_ids:
            # 70 % of units submitted: their entries are frozen at version 1 (only submitted
            # versions count in /tonghop and the exports).
            submitted = rng.random() < 0.7
            for task_id in task_ids:
                entry_id += 1
                status = rng.choice(STATUSES)
                row = dict(id=entry_id, period_id=period_id, unit_id=unit_id, task_id=task_id,
                           version=1, status=status,
                           result=f"Đã triển khai nhiệm vụ, tổ chức {rng.randint(1, 9)} buổi "
                                  "tuyên truyền cho cán bộ, đảng viên và nhân dân.",
                           difficulties=("Thiếu kinh phí tổ chức" if rng.random() < 0.1 else ""),
                           proposals=("Đề nghị hỗ trợ tài liệu" if rng.random() < 0.05 else ""),
                           evidence=[], author_id=None, updated_at=now,
                           submitted_version=1 if submitted else None)
                entries.append(row)
                versions.append(dict(entry_id=entry_id, period_id=period_id,
                                     version=1, status=status,
                                     result=row["result"], difficulties=row["difficulties"],
                                     proposals=row["proposals"], evidence=[], author_id=None,
                                     created_at=now))
            if submitted:
                subs.append(dict(period_id=period_id, unit_id=unit_id, person_id=None,
                                 submitted_at=now + timedelta(days=rng.randint(0, 5)),
                                 late=rng.random() < 0.2))
    async with app.deps.sessions.begin() as s:
        for table, rows in ((Entry, entries), (EntryVersion, versions), (Submission, subs)):
            for start in range(0, len(rows), CHUNK):
                await s.execute(insert(table), rows[start:start + CHUNK])
        if app.settings.database_url.startswith("postgresql"):
            await s.execute(text("SELECT setval('entries_id_seq', (SELECT max(id) FROM entries))"))
    return chosen


class StatementCounter:
    """Counts SQL statements sent on the app's engine while `active`."""

    def __init__(self, app: App) -> None:
        self.count, self.active = 0, False
        event.listen(app.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += self.active


async def measure(backend: str, units: int, *, exports: bool) -> dict[str, float]:
    with common.temp_dir() as folder:
        async with database(backend, folder) as url:
            settings = load_settings(database_url=url, evidence_dir=folder / "ev",
                                     export_dir=folder / "out", _env_file=None,
                                     log_level="WARNING")
            clock = FixedClock(datetime(2025, 12, 5, 9, 0, tzinfo=TZ), TZ)
            app = await open_app(settings, clock)
            try:
                started = time.perf_counter()
                await generate(app, units)
                figures: dict[str, float] = {"generate": time.perf_counter() - started}
                _, account = await make_person(app, Role.ADMIN)
                talk = Talk(app, account)
                counter = StatementCounter(app)
                counter.active = True
                started = time.perf_counter()
                await talk.say(f"/tonghop {PERIODS[0]}")
                figures["tonghop"] = time.perf_counter() - started
                counter.active = False
                figures["statements"] = counter.count
                figures["digest_chars"] = len(talk.text)
                assert "TỔNG HỢP" in talk.text.upper(), talk.text[:300]
                if exports:
                    await exports_with_answers(app, folder, figures)
                return figures
            finally:
                await app.close()


async def exports_with_answers(app: App, folder: Path, figures: dict[str, float]) -> None:
    """Both exports the bot's way, then the XLSX in a thread, each beside a unit head's
    /tiendo; records times in `figures` and prints the answer times."""
    async with app.deps.sessions() as s:
        unit = await s.scalar(select(Unit.code).where(Unit.active).order_by(Unit.id).limit(1))
    _, account = await make_person(app, Role.UNIT_HEAD, unit=unit)
    asker = Talk(app, account)
    started = time.perf_counter()
    await app.deps.files.run(os.getpid)  # start the worker process, as the first export would
    print(f"    worker process started in {time.perf_counter() - started:.2f} s")
    _, idle = await answer_times(asker, asyncio.sleep(2))
    print(f"    /tiendo with nothing running: {describe(idle)}")
    for fmt, how in (("docx", "worker"), ("xlsx", "worker"), ("xlsx", "thread")):
        measured = export(app, folder, fmt, in_thread=how == "thread")
        took, answers = await answer_times(asker, measured)
        figures[f"{fmt}_{how}"] = took
        print(f"    {fmt.upper()} in the {how} {took:.2f} s; /tiendo meanwhile: "
              f"{describe(answers)}")


def describe(times: list[float]) -> str:
    return (f"{len(times)} answers, p50 {common.percentile(times, 50) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms")


async def answer_times(asker: Talk, work: Awaitable[T]) -> tuple[T, list[float]]:
    """Runs `work` while `asker` sends /tiendo every 20 ms; returns its result and the time
    each answer took."""
    times: list[float] = []
    done = False

    async def ask() -> None:
        while not done:
            started = time.perf_counter()
            await asker.say(f"/tiendo {PERIODS[0]}")
            assert "0/23" in asker.text or "/23" in asker.text, asker.text[:200]
            times.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)

    task = asyncio.create_task(ask())
    try:
        result = await work
    finally:
        done = True
        await task
    return result, times


async def export(app: App, folder: Path, fmt: str, *, in_thread: bool) -> float:
    """Like /xuat: the worker process reads the summary and renders the file. For the
    comparison, in_thread=True is the earlier design: read on the event loop, render in a
    thread. Returns the seconds taken."""
    started = time.perf_counter()
    async with app.deps.sessions() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == PERIODS[0])
    issuer = Issuer(app.settings.ward_name, app.settings.ward_kind, app.deps.clock.today(), TZ)
    target = folder / f"report-{in_thread}.{fmt}"
    if in_thread:
        async with app.deps.sessions() as s:
            summary = await period_summary(s, period.id)
        assert summary is not None
        path = await asyncio.to_thread(render, summary, fmt, issuer, target)
    else:
        job = ExportJob(app.settings.database_url, period.id, fmt, issuer, target)
        done = await app.deps.files.run(run_export, job)
        assert done is not None
        path = done
    took = time.perf_counter() - started
    print(f"    {fmt}: {path.stat().st_size / 1e6:.1f} MB")
    return took


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"bench 3 — city scale ({common.machine()})")
    for backend in args.backends.split(","):
        small = await measure(backend, args.small, exports=False)
        big = await measure(backend, args.units, exports=True)
        print(f"  {backend}: {args.units} units generated in {big['generate']:.1f} s")
        print(f"    /tonghop {big['tonghop']:.3f} s at {args.units} units (target ≤ 1 s), "
              f"{small['tonghop']:.3f} s at {args.small}: "
              f"ratio {big['tonghop'] / small['tonghop']:.1f}")
        print(f"    SQL statements for /tonghop: {small['statements']:.0f} at {args.small} units, "
              f"{big['statements']:.0f} at {args.units} (target: equal)")
        print(f"    digest {big['digest_chars']:.0f} characters at {args.units} units, "
              f"{small['digest_chars']:.0f} at {args.small}")
        docx, xlsx = big["docx_worker"], big["xlsx_worker"]
        print(f"    DOCX {docx:.2f} s, XLSX {xlsx:.2f} s, reading included (targets ≤ 3 s "
              f"and ≤ 10 s); ratio to the target: {docx / 3:.2f} and {xlsx / 10:.2f}; "
              f"XLSX in a thread, as before: {big['xlsx_thread']:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
