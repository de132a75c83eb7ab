"""The report page: the parts of the Báo cáo only people write (assessment, direction,
recommendations), its Nơi nhận and signer, then the downloads. Saved by
services.report_sections, as /soanbaocao does (each change a new version, history kept)."""

from __future__ import annotations

from aiohttp import web

from bot.desk.common import DEPS, Visit, form, message, page
from bot.desk.matrix import periods
from core.texts import desk as tx
from core.texts import report as rpt
from core.textutil import clean_input
from services import audit, report_sections
from services.report_sections import KEYS, RECIPIENTS, SIGNER_TITLE, TEXT_KEYS

PART_LIMIT = 6_000  # as in chat


async def _parts(request: web.Request, period_id: int) -> dict[str, str]:
    """Each part as the form shows it: the saved text, else the settings' default."""
    deps = request.app[DEPS]
    async with deps.sessions() as s:
        parts = await report_sections.load_parts(s, period_id,
                                                 report_sections.defaults_from(deps.settings))
    shown = {key: parts.texts.get(key, "") for key in TEXT_KEYS}
    shown[RECIPIENTS] = "\n".join(parts.recipients)
    shown[SIGNER_TITLE] = "\n".join(parts.signer_title)
    shown[report_sections.SIGNER_NAME] = parts.signer_name
    return shown


async def report_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    every, period = await periods(request.app[DEPS], request.query.get("period"))
    if period is None:
        return message(request, tx.NO_PERIOD if not every else tx.NOT_FOUND,
                       200 if not every else 404, visit)
    return page("report.html", request, visit, periods=every, period=period,
                parts=await _parts(request, period.id), names=rpt.PART_NAMES, keys=KEYS,
                text_keys=TEXT_KEYS, saved=request.query.get("saved") == "1", limit=PART_LIMIT)


async def save(request: web.Request, visit: Visit) -> web.StreamResponse:
    """A new version of every part the form changed; the others stay as they were."""
    deps = request.app[DEPS]
    fields = await form(request)
    _, period = await periods(deps, fields.get("period") or None)
    if period is None or not fields.get("period"):
        return message(request, tx.NOT_FOUND, 404, visit)
    before = await _parts(request, period.id)
    changed = {key: clean_input(fields[key])[:PART_LIMIT] for key in KEYS
               if key in fields and clean_input(fields[key]) != before[key].strip()}
    if changed:
        now = deps.clock.now()
        async with deps.sessions.begin() as s:
            await report_sections.save_parts(s, period_id=period.id, parts=changed,
                                             author_id=visit.user.person_id, now=now)
            await audit.record(s, now, visit.user.person_id, "report_sections", period.code,
                               parts=sorted(changed))
    raise web.HTTPSeeOther(f"/desk/report?period={period.id}&saved=1")
