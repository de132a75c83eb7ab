"""The city level in chat (issue 19): /thanhpho for the city's staff (every ward's state for a
round), /guithanhpho for a ward admin (send the ward's report upward)."""

from __future__ import annotations

from core.texts import city as t
from core.textutil import format_datetime
from core.types import Reply, Role
from handlers.common import PERIOD_STEP, period_command, period_step
from handlers.router import Ctx, Router
from services import city, wards
from services.rounds import round_name
from storage.plans import PeriodInfo

SEND_FLOW = "city_send"


async def show_rollup(ctx: Ctx) -> list[Reply]:
    """/thanhpho [MÃ_KỲ]: các xã, phường đã gửi, gửi muộn, chưa gửi; tình hình theo mục."""
    try:
        view = await city.rollup(ctx.s, ctx.deps.settings, today=ctx.deps.clock.today(),
                                 round_arg=ctx.args.strip())
    except city.CityProblem as problem:
        return [Reply(str(problem))]
    return [Reply(city.format_rollup(view))]


async def _send(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    ctx.finish()
    ward_id = ctx.registered().ward_id
    if ward_id is None:
        return [Reply(t.NOT_YOUR_ROUND)]
    try:
        late = await city.send_report(ctx.s, ctx.deps.settings, ward_id=ward_id,
                                      period_id=period.id, person_id=ctx.person_id(),
                                      now=ctx.now, today=ctx.deps.clock.today())
    except city.CityProblem as problem:
        return [Reply(str(problem))]
    ward = await wards.view(ctx.s, ward_id, ctx.deps.settings)
    at = format_datetime(ctx.now.astimezone(ctx.deps.settings.tz))
    return [Reply(t.SENT.format(name=round_name(period), ward=ward.title, at=at,
                                late=t.SENT_LATE if late else ""))]


# /guithanhpho: the ward admin sends the ward's report for a round to the city.
start_send = period_command(SEND_FLOW, t.SEND_PROMPT, _send)
on_period = period_step(_send)


def setup(router: Router) -> None:
    router.command("thanhpho", show_rollup, roles={Role.CITY}, aliases=("tp", "city"))
    router.command("guithanhpho", start_send, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("gui_thanh_pho", "guitp"))
    router.step(SEND_FLOW, PERIOD_STEP, on_period)
