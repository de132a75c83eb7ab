"""The city's page of the desk (issue 19): per round, which wards sent their report (on time,
late, not yet, changed since), the wards × plan sections counts, each ward's report and the
city's summary and workbook to download. The same use cases as /thanhpho and /baocaophuong."""

from __future__ import annotations

from collections import Counter

from aiohttp import web

from bot.desk.common import DEPS, Visit, form, message, page, scoped
from bot.desk.report import CONTENT_TYPES, attachment, round_file
from core.texts import city as t
from core.texts import desk as tx
from core.textutil import format_datetime
from services import city, wards
from services.city import CityRollup, WardRow
from services.exports import REPORT, CityIssuer, city_download_name, export_name, render_city
from storage.scoping import WardSessions


def _cells(view: CityRollup, row: WardRow) -> list[str]:
    """One "HT/ĐTK/CTK/KPS" cell per plan section, as the chat digest writes them."""
    empty: Counter[str] = Counter()
    return ["/".join(str(row.counts.get(code, empty)[status]) for status in t.STATUS_ORDER)
            for code, _title in view.sections]


async def _rollup(request: web.Request, visit: Visit, round_arg: str) -> CityRollup:
    deps = request.app[DEPS]
    async with scoped(request, visit)() as s:
        return await city.rollup(s, deps.settings, today=deps.clock.today(),
                                 round_arg=round_arg)


async def city_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    tz = request.app[DEPS].settings.tz
    try:
        view = await _rollup(request, visit, request.query.get("round", ""))
    except city.CityProblem as problem:
        return message(request, (tx.CITY_TITLE, str(problem)), 404, visit)
    rows = [(row, t.STATE_LABELS[row.state],
             format_datetime(row.sent_at.astimezone(tz)) if row.sent_at else "",
             _cells(view, row)) for row in view.wards]
    counts = {state: len(view.with_state(state)) for state in t.STATE_LABELS}
    return page("city.html", request, visit, view=view, rows=rows, counts=counts,
                labels=t.STATE_LABELS)


async def ward_report(request: web.Request, visit: Visit) -> web.StreamResponse:
    """One ward's Báo cáo (DOCX) for the round, made as that ward's desk makes it."""
    deps = request.app[DEPS]
    fields = await form(request)
    try:
        async with scoped(request, visit)() as s:
            ward_id = await wards.find(s, fields.get("ward", ""))
            period = await city.ward_period(s, ward_id, today=deps.clock.today(),
                                            round_arg=fields.get("round", ""))
            code = (await wards.view(s, ward_id, deps.settings)).code
    except (wards.WardProblem, city.CityProblem) as problem:
        return message(request, (tx.CITY_TITLE, str(problem)), 404, visit)
    return await round_file(request, visit, WardSessions(deps.sessions, ward_id), period,
                            "docx", REPORT, name=f"bao-cao-{code}-{period.code}.docx")


async def download(request: web.Request, visit: Visit) -> web.StreamResponse:
    """The city's summary (DOCX, Nghị định 30) or workbook (XLSX) of the round, rendered in the
    file worker as /thanhpho renders them."""
    deps = request.app[DEPS]
    fields = await form(request)
    fmt = fields.get("kind", "")
    if fmt not in CONTENT_TYPES:
        return message(request, tx.NOT_FOUND, 404, visit)
    try:
        view = await _rollup(request, visit, fields.get("round", ""))
    except city.CityProblem as problem:
        return message(request, (tx.CITY_TITLE, str(problem)), 404, visit)
    path = deps.settings.export_dir / export_name(f"TP-{view.round.code}", fmt, deps.clock.now())
    issuer = CityIssuer.of(deps.settings, deps.clock.today())
    await deps.files.run(render_city, view, fmt, issuer, path)
    return attachment(path, city_download_name(view.round.code, fmt), fmt)
