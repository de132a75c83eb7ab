"""Bench 5: the web desk's round page (units × tasks) — server time for a ward (50 units) and at
city scale (5,000 units × 23 tasks, bench 3's data), with the SQL statements one page issues.

The page is requested through the desk's aiohttp app on loopback by a signed-in admin; the
time is the best of `--repeat` requests measured around the handler (a middleware), so the
client's parsing is not counted. Targets: ≤ 100 ms for a ward, ≤ 1 s at city scale, the same
number of statements at both sizes.

    .venv/bin/python bench/desk_round_page.py [--units 5000] [--small 50]
                                              [--backends sqlite,postgres]"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

import common
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from city_scale import PERIODS, TZ, StatementCounter, database, generate

from bot.app import open_app
from bot.desk import desk_app
from core.ports import FixedClock
from core.settings import load_settings
from core.types import Role
from tests.desk_helpers import login_path
from tests.factories import make_person


async def measure(backend: str, units: int, repeat: int) -> dict[str, float]:
    with common.temp_dir() as folder:
        async with database(backend, folder) as url:
            settings = load_settings(database_url=url, evidence_dir=folder / "ev",
                                     export_dir=folder / "out", _env_file=None,
                                     log_level="WARNING")
            app = await open_app(settings, FixedClock(datetime(2025, 12, 5, 9, 0, tzinfo=TZ), TZ))
            try:
                periods = await generate(app, units)
                admin, _ = await make_person(app, Role.ADMIN)
                handler_times: list[float] = []

                @web.middleware
                async def timed(request: web.Request,
                                handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                                ) -> web.StreamResponse:
                    started = time.perf_counter()
                    response = await handler(request)
                    handler_times.append(time.perf_counter() - started)
                    return response

                desk = desk_app(app.deps)
                root = web.Application(middlewares=[timed])
                root.add_subapp("/desk", desk)
                counter = StatementCounter(app)
                async with TestClient(TestServer(root, host="127.0.0.1")) as client:
                    await client.post(await login_path(app, admin))
                    path = f"/desk/round?period={periods[PERIODS[0]]}"
                    size, best = 0, float("inf")
                    for _ in range(repeat):
                        counter.count, counter.active = 0, True
                        handler_times.clear()
                        response = await client.get(path)
                        body = await response.read()
                        counter.active = False
                        assert response.status == 200 and b'id="matrix"' in body
                        size = len(body)
                        best = min(best, handler_times[-1])
                return {"page": best, "statements": counter.count, "bytes": size}
            finally:
                await app.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"bench 5 — the desk's round page ({common.machine()})")
    for backend in args.backends.split(","):
        small = await measure(backend, args.small, args.repeat)
        big = await measure(backend, args.units, args.repeat)
        print(f"  {backend}: {small['page'] * 1000:.0f} ms at {args.small} units "
              f"(target ≤ 100 ms), {big['page']:.3f} s at {args.units} (target ≤ 1 s); "
              f"{big['bytes'] / 1e6:.1f} MB of HTML")
        print(f"    SQL statements per page: {small['statements']:.0f} at {args.small} units, "
              f"{big['statements']:.0f} at {args.units} (target: equal)")


if __name__ == "__main__":
    asyncio.run(main())
