"""The round at a glance (units × tasks, filters by section and status, in pages; the
difficulties and proposals), a unit's entries and their evidence files."""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import quote

from aiohttp import web
from markupsafe import Markup

from bot.desk.common import DEPS, PREFIX, Visit, message, no_period, page, periods, scoped
from core.deps import Deps
from core.texts import STATUS_LABELS
from core.texts import desk as tx
from core.types import Status
from storage import plans, roster
from storage.assignments import period_assignments
from storage.desk import Cell, cell_states
from storage.entries import entry_for, unit_entries
from storage.summary import PeriodSummary, UnitState, period_summary

NOT_ASSIGNED = "not_assigned"
# Units per page of the matrix: a ward fits on one; a city's 5,000 rows would be a 10 MB page.
PAGE_UNITS = 500
NOTES_SHOWN = 300  # difficulties and proposals listed under the matrix (all are in the Tổng hợp)
# The round page's row filter: key → whether a unit's row is shown.
ROW_FILTERS = {
    "ontime": lambda u: u.submitted and not u.late,
    "late": lambda u: u.submitted and u.late,
    "missing": lambda u: not u.submitted and u.total > 0,
    "edited": lambda u: u.edited_after_submission,
}


async def home(request: web.Request, visit: Visit) -> web.StreamResponse:
    if visit.user.admin:
        raise web.HTTPSeeOther(PREFIX + "/round")
    if visit.user.city:
        raise web.HTTPSeeOther(PREFIX + "/city")
    raise web.HTTPSeeOther(f"{PREFIX}/unit/{visit.user.unit_id}")


STATUSES = {s.value for s in Status}
_SYMBOLS = {"submitted": "✓", "edited": "✎", "draft": "•", "missing": "", NOT_ASSIGNED: "/"}


@functools.cache
def cell_html(cell: str, status: str) -> Markup:
    """One cell of the matrix, rendered once per (state, status) pair: at city scale the page
    has 115,000 cells, and a template loop per cell took most of its time."""
    if cell == NOT_ASSIGNED:
        return Markup('<td class="cell not_assigned" title="{}">/</td>').format(tx.NOT_ASSIGNED)
    na = status == Status.NOT_APPLICABLE.value and cell != Cell.MISSING.value
    label = STATUS_LABELS.get(Status(status), status) if status in STATUSES else (
        status or tx.NOT_REPORTED)
    symbol = "–" if na and cell == Cell.SUBMITTED.value else _SYMBOLS.get(cell, "")
    return Markup('<td class="cell {}" title="{}">{}</td>').format(
        "na" if na else cell, label, symbol)


def _rows(summary: PeriodSummary, units: list[UnitState],
          cells: dict[tuple[int, int], tuple[Cell, str]],
          task_ids: list[int]) -> list[tuple[UnitState, Markup]]:
    missing, unassigned = (Cell.MISSING, ""), cell_html(NOT_ASSIGNED, "")
    shown: dict[tuple[Cell, str], Markup] = {}  # (state, status) → its cell, rendered once
    rows = []
    for unit in units:
        html = []
        for task in task_ids:
            pair = cells.get((unit.unit_id, task), missing)
            if pair is missing and not summary.is_assigned(task, unit.unit_id):
                html.append(unassigned)
                continue
            done = shown.get(pair)
            if done is None:
                done = shown[pair] = cell_html(pair[0].value, pair[1])
            html.append(done)
        rows.append((unit, Markup("".join(html))))
    return rows


async def round_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    every, period = await periods(request, visit, request.query.get("period"))
    if period is None:
        return no_period(request, visit, every)
    section = request.query.get("section", "")
    only = request.query.get("status", "")
    keep = ROW_FILTERS.get(only)
    async with scoped(request, visit).begin() as s:
        summary = await period_summary(s, period.id, details=False)
        assert summary is not None  # the period was just read
        units = [u for u in summary.units if keep is None or keep(u)]
        pages = max((len(units) + PAGE_UNITS - 1) // PAGE_UNITS, 1)
        number = _page_number(request.query.get("page", "1"), pages)
        units = units[(number - 1) * PAGE_UNITS:number * PAGE_UNITS]
        cells = await cell_states(s, period.id, [u.unit_id for u in units]
                                  if pages > 1 or keep is not None else None)
    shown = [sec for sec in summary.sections if not section or sec.code == section]
    tasks = [t for sec in shown for t in sec.tasks]
    names = {t.id: f"{t.code}. {t.short_title}" for sec in summary.sections for t in sec.tasks}
    notes = [(e, names.get(e.task_id, "")) for e in summary.entries
             if e.difficulties.strip() or e.proposals.strip()][:NOTES_SHOWN]
    return page("round.html", request, visit, periods=every, period=period, summary=summary,
                tasks=tasks, rows=_rows(summary, units, cells, [t.id for t in tasks]),
                statuses=STATUS_LABELS, Status=Status, section=section,
                only=only, notes=notes, number=number, pages=pages, per_page=PAGE_UNITS)


def _page_number(wanted: str, pages: int) -> int:
    return min(max(int(wanted), 1), pages) if wanted.isdigit() and len(wanted) < 7 else 1


async def unit_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    unit_id = int(request.match_info["unit_id"])
    if not visit.user.admin and visit.user.unit_id != unit_id:
        return message(request, tx.FORBIDDEN, 403, visit)
    every, period = await periods(request, visit, request.query.get("period"))
    if period is None:
        return no_period(request, visit, every)
    async with scoped(request, visit).begin() as s:
        unit = next((u for u in await roster.list_units(s) if u.id == unit_id), None)
        if unit is None:
            return message(request, tx.NOT_FOUND, 404, visit)
        sections = await plans.outline_of_period(s, period.id)
        entries = await unit_entries(s, period.id, unit_id)
        cells = await cell_states(s, period.id, [unit_id])
        duties = await period_assignments(s, period.id)
    return page("unit.html", request, visit, periods=every, period=period, unit=unit,
                sections=sections, entries=entries, statuses=STATUS_LABELS,
                cells={task: cell for (u, task), (cell, _) in cells.items() if u == unit_id},
                assigned=lambda task: duties.is_assigned(task, unit_id))


IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".webp": "image/webp", ".gif": "image/gif"}


async def evidence(request: web.Request, visit: Visit) -> web.StreamResponse:
    """One evidence file of an entry, for an admin or the unit's own head: an image shown in
    the page, anything else downloaded; only files inside EVIDENCE_DIR are ever served."""
    deps = request.app[DEPS]
    period_id, unit_id, task_id, index = (int(request.match_info[k])
                                          for k in ("period", "unit", "task", "n"))
    if not visit.user.admin and visit.user.unit_id != unit_id:
        return message(request, tx.FORBIDDEN, 403, visit)
    async with scoped(request, visit)() as s:
        entry = await entry_for(s, period_id, unit_id, task_id)
    files = entry.evidence if entry else ()
    found = _evidence_path(deps, files[index]) if index < len(files) else None
    if found is None:
        return message(request, tx.NOT_FOUND, 404, visit)
    image = IMAGE_TYPES.get(found.suffix.lower())
    name = str(files[index].get("name") or found.name).replace('"', "")
    return web.FileResponse(found, headers={
        "Content-Type": image or "application/octet-stream",
        "Content-Disposition": ("inline" if image else
                                f"attachment; filename*=UTF-8''{quote(name)}")})


def _evidence_path(deps: Deps, item: dict[str, object]) -> Path | None:
    root = deps.settings.evidence_dir.resolve()
    candidate = Path(str(item.get("path", ""))).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate
