"""Plans and rounds: import a plan .docx with its preview, then confirm; add, close and reopen
rounds; the working-day calendar overrides; which units do which task. The rules are
services.plan_import's, services.rounds' and services.assignments'."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.desk.common import DEPS, PREFIX, Visit, form, message, page, refusal, scoped
from bot.desk.uploads import UploadRefused, receive_upload, upload_path
from core.calendar import OFF, WORK
from core.deps import Deps
from core.texts import desk as tx
from core.texts import plans as pt
from core.texts import rounds as rt
from core.textutil import format_date, parse_date
from services import assignments, audit, plan_import, rounds
from storage import calendar, plans


def uploads(deps: Deps) -> Path:
    return deps.settings.export_dir / "desk-uploads"


async def plans_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    async with scoped(request, visit)() as s:
        periods = await plans.all_periods(s)
        overrides = await calendar.list_overrides(s)
        try:
            plan, views = await assignments.list_all(s)
        except assignments.AssignmentRefused:
            plan, views = None, []
    return page("plans.html", request, visit, periods=periods, overrides=overrides, plan=plan,
                views=views, units_text=assignments.units_text, round_name=rounds.round_name,
                date=format_date, OFF=OFF)


async def import_preview(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    try:
        path, fields = await receive_upload(request, visit, uploads(deps), ".docx",
                                            limit=plan_import.MAX_PLAN_BYTES)
    except UploadRefused as refused:
        return message(request, refused.text, 400, visit)
    try:
        parsed = plan_import.read_document(path)
    except plan_import.PlanReadError as exc:
        path.unlink(missing_ok=True)
        return refusal(request, visit, plan_import.refusal(fields["filename"], exc))
    async with scoped(request, visit)() as s:
        draft = await plan_import.prepare_in(s, parsed)
    return page("plan_preview.html", request, visit, text=plan_import.preview(draft),
                upload=path.stem)


async def import_confirm(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    path = upload_path(uploads(deps), (await form(request)).get("upload", ""), ".docx")
    if path is None:
        return message(request, tx.UPLOAD_GONE, 400, visit)
    try:
        async with scoped(request, visit).begin() as s:
            draft = await plan_import.prepare_in(s, plan_import.read_document(path))
            report = await plan_import.save_in(s, draft)
    except plan_import.PlanReadError as exc:
        return refusal(request, visit, plan_import.refusal(path.name, exc))
    finally:
        path.unlink(missing_ok=True)
    number = draft.plan.plan.number
    async with scoped(request, visit).begin() as s:
        await audit.record(s, deps.clock.now(), visit.user.person_id, "plan_imported",
                           tx.AUDIT_PLAN.format(number=number), tasks=report.tasks,
                           periods=report.periods)
    done = pt.IMPORTED if report.created else pt.UPDATED
    return _done(request, visit, done.format(number=number, sections=report.sections,
                                             tasks=report.tasks, periods=report.periods))


def _done(request: web.Request, visit: Visit, line: str) -> web.Response:
    return page("done.html", request, visit, title=tx.PLANS_CHANGED, lines=[line],
                back=PREFIX + "/plans")


async def add_round(request: web.Request, visit: Visit) -> web.StreamResponse:
    """The year's regular rounds (year), or an ad-hoc one (title and deadline)."""
    deps = request.app[DEPS]
    fields, now, actor = await form(request), deps.clock.now(), visit.user.person_id
    try:
        async with scoped(request, visit).begin() as s:
            if fields.get("year", "").strip():
                year = fields["year"].strip()
                added = await rounds.add_yearly_rounds(s, int(year) if year.isdigit() else 0)
                await audit.record(s, now, actor, "rounds_added", tx.AUDIT_YEAR.format(year=year),
                                   codes=[p.code for p in added.added])
                line = rounds.added_text(added)
            else:
                due = parse_date(fields.get("due", ""))
                if due is None:
                    return refusal(request, visit, tx.BAD_DATE)
                period = await rounds.add_adhoc_round(s, fields.get("title", ""), due,
                                                      deps.clock.today())
                await audit.record(s, now, actor, "round_added", period.code)
                line = rt.ADHOC_ADDED.format(name=rounds.round_name(period), code=period.code,
                                             due=format_date(period.due_before))
    except rounds.RoundRefused as refused:
        return refusal(request, visit, str(refused))
    return _done(request, visit, line)


async def set_closed(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    fields, now = await form(request), deps.clock.now()
    closing = fields.get("closed") == "1"
    try:
        async with scoped(request, visit).begin() as s:
            period = await rounds.set_closed(s, fields.get("code", ""), closing, now)
            await audit.record(s, now, visit.user.person_id,
                               "period_closed" if closing else "period_reopened", period.code,
                               period=period.id)
    except rounds.RoundRefused as refused:
        return refusal(request, visit, str(refused))
    text = rt.CLOSED if closing else rt.REOPENED
    return _done(request, visit, text.format(name=rounds.round_name(period), code=period.code))


async def calendar_override(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    fields = await form(request)
    day, kind = parse_date(fields.get("day", "")), fields.get("kind", "")
    if day is None or kind not in (OFF, WORK):
        return refusal(request, visit, tx.BAD_DATE)
    note = fields.get("note", "").strip()[:200]
    async with scoped(request, visit).begin() as s:
        await calendar.set_override(s, day, kind, note)
        await audit.record(s, deps.clock.now(), visit.user.person_id, "calendar_override",
                           format_date(day), kind=kind, note=note)
    text = tx.DAY_OFF if kind == OFF else tx.DAY_WORK
    return _done(request, visit, text.format(day=format_date(day)))


async def calendar_clear(request: web.Request, visit: Visit) -> web.StreamResponse:
    """A day back to the ordinary calendar (holidays and weekends as the law has them)."""
    deps = request.app[DEPS]
    day = parse_date((await form(request)).get("day", ""))
    if day is None:
        return refusal(request, visit, tx.BAD_DATE)
    async with scoped(request, visit).begin() as s:
        removed = await calendar.remove_override(s, day)
        if removed:
            await audit.record(s, deps.clock.now(), visit.user.person_id,
                               "calendar_override_removed", format_date(day))
    if not removed:
        return refusal(request, visit, tx.DAY_NOT_OVERRIDDEN.format(day=format_date(day)), 404)
    return _done(request, visit, tx.DAY_CLEARED.format(day=format_date(day)))


async def assign(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    fields = await form(request)
    task = fields.get("task", "").strip()
    try:
        async with scoped(request, visit).begin() as s:
            if fields.get("everyone") == "1":
                view = await assignments.clear_units(s, task)
            else:
                view = await assignments.set_units(
                    s, task, assignments.parse_codes(fields.get("lead")),
                    assignments.parse_codes(fields.get("join")))
            await audit.record(s, deps.clock.now(), visit.user.person_id, "task_assigned",
                               tx.AUDIT_TASK.format(code=view.code),
                               units=assignments.units_text(view))
    except assignments.AssignmentRefused as refused:
        return refusal(request, visit, str(refused))
    return _done(request, visit, assignments.set_text(view))
