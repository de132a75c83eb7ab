"""The roster: units, tổ dân phố and people with their channels; import an .xlsx with its
preview and the --replace choice, then confirm; deactivate and reactivate; invite one person
(code, Telegram deep link with its QR code, the Zalo /dangky text) or everyone not yet
registered (an .xlsx). The rules are services.roster_admin's and services.invites'."""

from __future__ import annotations

import base64
import io
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Literal

import segno
from aiohttp import web

from bot.desk.common import DEPS, PREFIX, Visit, form, message, page, refusal, scoped
from bot.desk.uploads import UploadRefused, receive_upload, upload_path
from core.deps import Deps
from core.texts import ROLE_LABELS
from core.texts import desk as tx
from core.texts import roster as rt
from core.textutil import format_datetime
from core.types import Platform, Role
from services import audit, invites, roster_admin
from storage import roster
from storage.desk import roster_overview
from storage.models import Person

KINDS: dict[str, Literal["unit", "group", "person"]] = {
    "unit": "unit", "group": "group", "person": "person"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uploads(deps: Deps) -> Path:
    return deps.settings.export_dir / "desk-uploads"


async def roster_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    async with scoped(request, visit)() as s:
        units, groups, people = await roster_overview(s)
    tz = deps.settings.tz
    return page("roster.html", request, visit, units=units, groups=groups, people=people,
                roles=ROLE_LABELS, Role=Role,
                local=lambda moment: format_datetime(moment.astimezone(tz)) if moment else "—")


async def import_preview(request: web.Request, visit: Visit) -> web.StreamResponse:
    """The uploaded .xlsx read and compared with the roster; nothing saved yet."""
    deps = request.app[DEPS]
    try:
        path, fields = await receive_upload(request, visit, uploads(deps), ".xlsx")
    except UploadRefused as refused:
        return message(request, refused.text, 400, visit)
    replace = fields.get("replace") == "1"
    try:
        data = roster_admin.read_roster(path)
        async with scoped(request, visit)() as s:
            plan = await roster_admin.plan_import(s, data, replace=replace)
    except roster_admin.RosterFileError as exc:
        path.unlink(missing_ok=True)
        return refusal(request, visit, str(exc))
    unlisted = "" if replace else tx.ROSTER_UNLISTED_KEEP
    return page("roster_preview.html", request, visit,
                lines=plan.lines(fields["filename"], unlisted), upload=path.stem,
                replace=replace, empty=plan.empty)


async def import_confirm(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    fields = await form(request)
    path = upload_path(uploads(deps), fields.get("upload", ""), ".xlsx")
    if path is None:
        return message(request, tx.UPLOAD_GONE, 400, visit)
    try:
        async with scoped(request, visit).begin() as s:
            done = await roster_admin.import_file(s, path, deps.clock.now(),
                                                  replace=fields.get("replace") == "1",
                                                  by=visit.user.person_id)
    except roster_admin.RosterFileError as exc:
        return refusal(request, visit, str(exc))
    finally:
        path.unlink(missing_ok=True)
    lines = [rt.IMPORTED.format(added=len(done.added), changed=len(done.changed),
                                deactivated=len(done.unlisted) if done.replace else 0,
                                people=done.new_people)]
    if done.examples_left:
        lines.append(rt.EXAMPLES_LEFT.format(count=len(done.examples_left),
                                             codes=", ".join(done.examples_left)))
    return page("done.html", request, visit, title=tx.ROSTER_IMPORTED, lines=lines,
                back=PREFIX + "/roster")


async def set_active(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    fields = await form(request)
    kind = KINDS.get(fields.get("kind", ""))
    if kind is None:
        return message(request, tx.NOT_FOUND, 404, visit)
    try:
        async with scoped(request, visit).begin() as s:
            change = await roster_admin.set_active(
                s, kind, fields.get("key", ""), fields.get("active") == "1", deps.clock.now(),
                by=visit.user.person_id)
    except roster_admin.NotFound as exc:
        return refusal(request, visit, str(exc), 404)
    return page("done.html", request, visit, title=tx.ROSTER_CHANGED,
                lines=[change.message()], back=PREFIX + "/roster")


async def invite(request: web.Request, visit: Visit) -> web.StreamResponse:
    """A code for a person already listed (person) or a new one (role, unit or tổ, name)."""
    deps = request.app[DEPS]
    fields = await form(request)
    now = deps.clock.now()
    ttl = timedelta(days=deps.settings.invite_ttl_days)
    async with scoped(request, visit).begin() as s:
        person_id = int(fields["person"]) if fields.get("person", "").isdigit() else None
        target = await s.get(Person, person_id) if person_id else None
        if person_id and target is None:
            return message(request, tx.NOT_FOUND, 404, visit)
        place = fields.get("place", "")
        unit = await roster.unit_by_code(s, place) if place else None
        group = await roster.group_by_code(s, place) if place and unit is None else None
        role = target.role if target else fields.get("role", "")
        new_name = " ".join(fields.get("name", "").split())[:120]
        needs = {Role.UNIT_HEAD.value: unit, Role.GROUP_LEADER.value: group,
                 Role.ADMIN.value: True}
        if target is None and (role not in needs or not needs[role]
                               or (place and not (unit or group))):
            return refusal(request, visit, tx.INVITE_NEEDS_PLACE)
        new = await invites.invite_one(
            s, role=role, now=now, ttl=ttl,
            unit_id=target.unit_id if target else (unit.id if unit else None),
            group_id=target.group_id if target else (group.id if group else None),
            person_id=person_id, name=new_name,
            created_by=visit.user.person_id)
        who = target.name if target else new_name
        await audit.record(s, now, visit.user.person_id, "invite",
                           f"{ROLE_LABELS[Role(role)]} {who}".strip(), role=role)
    username = (deps.bot_usernames.get(Platform.TELEGRAM)
                or deps.settings.telegram.bot_username).lstrip("@")
    link = f"https://t.me/{username}?start={new.code}" if username else ""
    return page("invite.html", request, visit, code=new.code, link=link, qr=_qr(link),
                zalo=rt.ZALO_TEXT.format(code=new.code),
                expires=format_datetime(new.expires_at.astimezone(deps.settings.tz)),
                reused=invites.reuse_note(new, ""))


def _qr(link: str) -> str:
    """The deep link as a QR code, an SVG data URI (no file, no guessable path)."""
    if not link:
        return ""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=4, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


async def bulk_invites(request: web.Request, visit: Visit) -> web.StreamResponse:
    """Codes for everyone not yet registered, as the .xlsx the command line writes."""
    deps = request.app[DEPS]
    settings = deps.settings
    username = (deps.bot_usernames.get(Platform.TELEGRAM) or settings.telegram.bot_username)
    out = uploads(deps) / f"ma-moi-{secrets.token_hex(8)}.xlsx"
    async with scoped(request, visit).begin() as s:
        rows = await invites.invite_unregistered(
            s, now=deps.clock.now(), ttl=timedelta(days=settings.invite_ttl_days),
            created_by=visit.user.person_id)
        if not rows:
            return refusal(request, visit, rt.BULK_NOBODY, 200)
        invites.write_invites_xlsx(rows, out, telegram_username=username or "", tz=settings.tz)
    body = out.read_bytes()
    out.unlink(missing_ok=True)
    return web.Response(body=body, headers={
        "Content-Type": XLSX, "Content-Disposition": 'attachment; filename="ma-moi.xlsx"'})
