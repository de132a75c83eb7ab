"""The audit log page: who changed what, newest first, 50 to a page."""

from __future__ import annotations

from aiohttp import web

from bot.desk.common import DEPS, Visit, page, scoped
from core.texts import ROLE_LABELS
from core.texts import desk as tx
from core.texts.report import PART_NAMES
from core.textutil import format_datetime
from services import audit


async def audit_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    wanted = request.query.get("page", "1")
    number = int(wanted) if wanted.isdigit() and len(wanted) < 7 else 1
    async with scoped(request, visit)() as s:
        found = await audit.page(s, number)
    tz = deps.settings.tz
    rows = [(format_datetime(r.at.astimezone(tz)), r, tx.AUDIT_ACTIONS.get(r.action, r.action),
             object_of(r.action, r.detail),
             "; ".join(f"{tx.AUDIT_KEYS.get(k, k)}: {_value(k, v)}" for k, v in r.detail.items()
                       if k != "object"))
            for r in found.rows]
    return page("audit.html", request, visit, found=found, rows=rows)


def object_of(action: str, detail: dict[str, object]) -> str:
    """What a row changed: its "object", or what the older callers' details name."""
    if detail.get("object"):
        return str(detail["object"])
    if action.startswith("broadcast") and "id" in detail:
        return tx.AUDIT_BROADCAST.format(id=detail["id"])
    if "kind" in detail and "key" in detail:
        return f"{detail['kind']} {detail['key']}"
    if "task" in detail:
        return tx.AUDIT_TASK.format(code=detail["task"])
    if "period" in detail:
        return tx.AUDIT_PERIOD.format(id=detail["period"])
    return ""


def _value(key: str, value: object) -> str:
    """A detail's value in words: roles and report parts by their Vietnamese names."""
    words: dict[str, str] = {}
    if key == "role":
        words = {role.value: label for role, label in ROLE_LABELS.items()}
    elif key == "parts":
        words = PART_NAMES
    items = value if isinstance(value, list | tuple) else [value]
    return ", ".join(words.get(str(item), str(item)) for item in items)
