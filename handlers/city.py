"""The city level in chat (issue 19): /thanhpho for the city's staff (every ward's state for a
round), /guithanhpho for a ward admin (send the ward's report upward)."""

from __future__ import annotations

from core.texts import city as t
from core.textutil import format_datetime
from core.types import Option, Reply, Role
from handlers import export
from handlers.common import PERIOD_STEP, period_command, period_step
from handlers.router import Ctx, Router
from services import city, wards
from services.exports import REPORT, CityIssuer, city_download_name, render_city
from services.rounds import round_name
from storage.plans import PeriodInfo
from storage.scoping import use_ward

SEND_FLOW = "city_send"


# What /thanhpho takes after the round to hand over a file instead of the digest.
FILE_WORDS = {"docx": "docx", "word": "docx", "doc": "docx", "baocao": "docx",
              "xlsx": "xlsx", "excel": "xlsx", "xls": "xlsx"}


async def show_rollup(ctx: Ctx) -> list[Reply]:
    """/thanhpho [MÃ_KỲ] [docx|xlsx]: các xã, phường đã gửi, gửi muộn, chưa gửi; tình hình
    theo mục; với docx / xlsx: tải báo cáo tổng hợp của thành phố."""
    fmt, round_arg = export.split_format(ctx.args, FILE_WORDS)
    try:
        view = await city.rollup(ctx.s, ctx.deps.settings, today=ctx.deps.clock.today(),
                                 round_arg=round_arg.strip())
    except city.CityProblem as problem:
        return [Reply(str(problem))]
    if fmt is not None:
        return await _city_file(ctx, view, fmt)
    code = view.round.code
    options = tuple(Option(f"cmd:thanhpho:{code} {key}", label)
                    for key, label in t.FILE_OPTIONS.items())
    return [Reply(city.format_rollup(view) + "\n" + t.WARD_REPORT_HINT, options)]


async def _city_file(ctx: Ctx, view: city.CityRollup, fmt: str) -> list[Reply]:
    """The city's summary (DOCX) or compilation (XLSX), handed over as /xuat hands a ward's."""
    code = view.round.code
    file_name = city_download_name(code, fmt)
    target = export.target_for(ctx, f"thanh-pho-{code}", fmt, file_name)
    if target is None:
        return [Reply(t.NO_LINK.format(round=code, fmt=fmt, file_name=file_name))]
    issuer = CityIssuer.of(ctx.deps.settings, ctx.deps.clock.today())
    await ctx.in_worker(render_city, view, fmt, issuer, target.path)
    return [export.handed_over(ctx, target, view.title, t.FILE_LABELS[fmt])]


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


async def ward_report(ctx: Ctx) -> list[Reply]:
    """/baocaophuong MÃ [MÃ_KỲ]: cán bộ thành phố tải báo cáo (DOCX) của một xã, phường."""
    code, _, round_arg = ctx.args.strip().partition(" ")
    if not code:
        return [Reply(t.WARD_REPORT_USAGE)]
    try:
        ward_id = await wards.find(ctx.s, code)
        period = await city.ward_period(ctx.s, ward_id, today=ctx.deps.clock.today(),
                                        round_arg=round_arg.strip())
    except (wards.WardProblem, city.CityProblem) as problem:
        return [Reply(str(problem))]
    use_ward(ctx.s, ward_id)  # read as that ward: its units, its names on the document
    return await export.deliver(ctx, period, REPORT)


# /guithanhpho: the ward admin sends the ward's report for a round to the city.
start_send = period_command(SEND_FLOW, t.SEND_PROMPT, _send)
on_period = period_step(_send)


def setup(router: Router) -> None:
    router.command("thanhpho", show_rollup, roles={Role.CITY}, aliases=("tp", "city"))
    router.command("baocaophuong", ward_report, roles={Role.CITY}, aliases=("bcphuong",))
    router.command("guithanhpho", start_send, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("gui_thanh_pho", "guitp"))
    router.step(SEND_FLOW, PERIOD_STEP, on_period)
