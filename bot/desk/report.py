"""The report page: the parts of the Báo cáo only people write (assessment, direction,
recommendations), its Nơi nhận and signer, saved by services.report_sections as /soanbaocao
does (each change a new version, history kept); then the downloads (the Báo cáo, the Tổng hợp,
the XLSX) through the session, never a guessable path."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.desk.common import DEPS, Visit, form, message, no_period, page, periods, scoped
from core.texts import desk as tx
from core.texts import report as rpt
from core.textutil import clean_input, format_datetime
from services import audit, city, report_sections
from services.exports import COMPILATION, REPORT, Issuer, download_name, export_name
from services.exports.job import ExportJob, run_export
from services.report_sections import KEYS, RECIPIENTS, SIGNER_TITLE, TEXT_KEYS
from services.wards import ward_settings
from storage.models import DEFAULT_WARD_ID
from storage.plans import PeriodInfo
from storage.scoping import WardSessions

PART_LIMIT = 6_000  # as in chat
# The downloads a page offers: key → (format, document).
DOWNLOADS = {REPORT: ("docx", REPORT), COMPILATION: ("docx", COMPILATION),
             "xlsx": ("xlsx", REPORT)}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def _parts(request: web.Request, visit: Visit, period_id: int) -> dict[str, str]:
    """Each part as the form shows it: the saved text, else the settings' default."""
    deps = request.app[DEPS]
    async with scoped(request, visit)() as s:
        ward = await ward_settings(s, deps.settings)
        parts = await report_sections.load_parts(s, period_id,
                                                 report_sections.defaults_from(ward))
    shown = {key: parts.texts.get(key, "") for key in TEXT_KEYS}
    shown[RECIPIENTS] = "\n".join(parts.recipients)
    shown[SIGNER_TITLE] = "\n".join(parts.signer_title)
    shown[report_sections.SIGNER_NAME] = parts.signer_name
    return shown


async def report_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    every, period = await periods(request, visit, request.query.get("period"))
    if period is None:
        return no_period(request, visit, every)
    tz = request.app[DEPS].settings.tz
    async with scoped(request, visit)() as s:
        state = await city.send_state(s, period.id)
    sent_at = format_datetime(state.sent_at.astimezone(tz)) if state.sent_at else ""
    return page("report.html", request, visit, periods=every, period=period,
                parts=await _parts(request, visit, period.id), names=rpt.PART_NAMES, keys=KEYS,
                text_keys=TEXT_KEYS, saved=request.query.get("saved") == "1", limit=PART_LIMIT,
                city=state, city_sent_at=sent_at, just_sent=request.query.get("sent") == "1")


async def save(request: web.Request, visit: Visit) -> web.StreamResponse:
    """A new version of every part the form changed; the others stay as they were."""
    deps = request.app[DEPS]
    fields = await form(request)
    _, period = await periods(request, visit, fields.get("period") or None)
    if period is None or not fields.get("period"):
        return message(request, tx.NOT_FOUND, 404, visit)
    before = await _parts(request, visit, period.id)
    changed = {key: clean_input(fields[key])[:PART_LIMIT] for key in KEYS
               if key in fields and clean_input(fields[key]) != before[key].strip()}
    if changed:
        now = deps.clock.now()
        async with scoped(request, visit).begin() as s:
            await report_sections.save_parts(s, period_id=period.id, parts=changed,
                                             author_id=visit.user.person_id, now=now)
            await audit.record(s, now, visit.user.person_id, "report_sections", period.code,
                               parts=sorted(changed))
    raise web.HTTPSeeOther(f"/desk/report?period={period.id}&saved=1")


async def send_to_city(request: web.Request, visit: Visit) -> web.StreamResponse:
    """The ward's report for the round goes up to the city, as /guithanhpho sends it: the
    written parts must all be there, and a resend needs something new since the last send."""
    deps = request.app[DEPS]
    fields = await form(request)
    _, period = await periods(request, visit, fields.get("period") or None)
    if period is None or not fields.get("period"):
        return message(request, tx.NOT_FOUND, 404, visit)
    now = deps.clock.now()
    try:
        async with scoped(request, visit).begin() as s:
            await city.send_report(
                s, deps.settings, ward_id=visit.user.ward_id or DEFAULT_WARD_ID,
                period_id=period.id, person_id=visit.user.person_id, now=now,
                today=deps.clock.today())
    except city.CityProblem as problem:
        return message(request, (tx.CITY_SEND_REFUSED, str(problem)), 409, visit)
    raise web.HTTPSeeOther(f"/desk/report?period={period.id}&sent=1")


async def download(request: web.Request, visit: Visit) -> web.StreamResponse:
    """The Báo cáo, the Tổng hợp or the XLSX of a round, rendered by /xuat's job in the file
    worker process and handed over through the session (never a guessable path)."""
    form = await request.post()
    choice = DOWNLOADS.get(str(form.get("kind", "")))
    _, period = await periods(request, visit, str(form.get("period", "")) or None)
    if choice is None or period is None:
        return message(request, tx.NOT_FOUND, 404, visit)
    return await round_file(request, visit, scoped(request, visit), period, *choice)


async def round_file(request: web.Request, visit: Visit, sessions: WardSessions,
                     period: PeriodInfo, fmt: str, document: str,
                     name: str = "") -> web.StreamResponse:
    """One of a ward's round documents as a download; `sessions` are the ward's (the ward's
    own names, signer and Nơi nhận go on it)."""
    deps = request.app[DEPS]
    settings = deps.settings
    now = deps.clock.now()
    settings.export_dir.mkdir(parents=True, exist_ok=True)
    async with sessions() as s:
        ward = await ward_settings(s, settings)
    job = ExportJob(settings.database_url, period.id, fmt,
                    Issuer(ward.ward_name, ward.ward_kind, deps.clock.today(), settings.tz),
                    settings.export_dir / export_name(period.code, fmt, now), document=document,
                    defaults=report_sections.defaults_from(ward),
                    template=settings.report_template)
    path = await deps.files.run(run_export, job)
    if path is None:
        return message(request, tx.NOT_FOUND, 404, visit)
    return attachment(path, name or download_name(period.code, fmt, document), fmt)


def attachment(path: Path, name: str, fmt: str) -> web.FileResponse:
    return web.FileResponse(path, headers={
        "Content-Type": CONTENT_TYPES[fmt],
        "Content-Disposition": f'attachment; filename="{name}"'})
