"""What every page of the desk shares: the signed-in visit, the session/role/CSRF guard, the
page and message renderers, and uploads read with their size checked before reading."""

from __future__ import annotations

import asyncio
import io
import secrets
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import BodyPartReader, MultipartReader, web

from core.deps import Deps
from core.texts import desk as tx
from services.web_access import WebUser, csrf_ok, csrf_token, current_user

PREFIX = "/desk"
COOKIE = "danvan_desk"
DEPS: web.AppKey[Deps] = web.AppKey("deps", Deps)
UPLOAD_LIMIT = 10 * 1024 * 1024  # a roster or a plan is far smaller


@dataclass(frozen=True, slots=True)
class Visit:
    """A signed-in request: who, and the token the forms must carry."""

    user: WebUser
    csrf: str
    session: str
    # A multipart POST's reader, past its CSRF field (the guard read it), for the upload
    multipart: MultipartReader | None = None


Page = Callable[[web.Request, Visit], Awaitable[web.StreamResponse]]
Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def message(request: web.Request, title_text: tuple[str, str], status: int,
            visit: Visit | None = None) -> web.Response:
    title, text = title_text
    return aiohttp_jinja2.render_template(
        "message.html", request, {"title": title, "text": text, "visit": visit}, status=status)


def refusal(request: web.Request, visit: Visit, text: str, status: int = 400) -> web.Response:
    """A use case's refusal (worded for a person) on the "Chưa thực hiện được" page."""
    return message(request, (tx.REFUSED_TITLE, text), status, visit)


def page(name: str, request: web.Request, visit: Visit, **context: Any) -> web.Response:
    return aiohttp_jinja2.render_template(name, request, {"visit": visit, **context})


def signed_in(handler: Page, *, admin: bool = False) -> Route:
    """The route needs a valid session (else the "Cần đăng nhập" page), an admin's if `admin`,
    and on POST the session's CSRF token (a multipart form carries it as its first field, so
    it is checked before the upload is read)."""

    async def route(request: web.Request) -> web.StreamResponse:
        deps = request.app[DEPS]
        token = request.cookies.get(COOKIE, "")
        async with deps.sessions.begin() as s:
            user = await current_user(s, token, deps.clock.now(), deps.settings)
        if user is None:
            raise web.HTTPSeeOther(PREFIX + "/can-dang-nhap")
        visit = Visit(user, csrf_token(token), token)
        if admin and not user.admin:
            return message(request, tx.FORBIDDEN, 403, visit)
        if request.method == "POST":
            if request.content_type == "multipart/form-data":
                reader = await request.multipart()
                given = await _first_field(reader, "csrf")
                visit = Visit(user, visit.csrf, token, reader)
            else:
                given = str((await request.post()).get("csrf", ""))
            if not csrf_ok(token, given):
                return message(request, tx.CSRF, 403, visit)
        return await handler(request, visit)

    return route


async def _first_field(reader: MultipartReader, name: str) -> str:
    """The multipart body's first field if it is `name` (short), else ''."""
    part = await reader.next()
    if not isinstance(part, BodyPartReader) or part.name != name or part.filename is not None:
        return ""
    return (await part.read(decode=True))[:200].decode("ascii", "replace")


async def form(request: web.Request) -> dict[str, str]:
    """The urlencoded form's fields as text (already read by the guard)."""
    return {k: str(v) for k, v in (await request.post()).items()}


class UploadRefused(Exception):
    """An upload that is too big, missing or not the kind of file asked for."""

    def __init__(self, text: tuple[str, str]) -> None:
        super().__init__(text[0])
        self.text = text


async def receive_upload(request: web.Request, visit: Visit, folder: Path, suffix: str,
                         limit: int = UPLOAD_LIMIT) -> tuple[Path, dict[str, str]]:
    """The multipart form's file saved under `folder` (a random name) and its other fields.

    A declared length over the limit is refused before anything is read; a body that grows
    past it while streaming is refused at that point. An .xlsx/.docx must be a zip archive (an
    Office file) of that type; nothing is kept of a refused upload."""
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise UploadRefused(tx.UPLOAD_TOO_BIG)
    fields: dict[str, str] = {}
    body = bytearray()
    reader = visit.multipart or await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.filename is None:
            raw = await part.read(decode=True)
            fields[part.name or ""] = raw[:10_000].decode("utf-8", "replace")
            continue
        body.clear()
        while chunk := await part.read_chunk():
            body += chunk
            if len(body) > limit:
                raise UploadRefused(tx.UPLOAD_TOO_BIG)
        fields["filename"] = Path(part.filename).name[:200]
    if not body:
        raise UploadRefused(tx.UPLOAD_MISSING)
    target = folder / f"{secrets.token_hex(16)}{suffix}"
    if not await asyncio.to_thread(_keep, target, bytes(body)):
        raise UploadRefused(tx.UPLOAD_WRONG_TYPE)
    return target, fields


def _keep(target: Path, body: bytes) -> bool:
    """Save the upload if it is the Office file its suffix says (else save nothing)."""
    part = _OFFICE_PARTS.get(target.suffix)
    if part is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                if part not in archive.namelist():
                    return False
        except zipfile.BadZipFile:
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return True


_OFFICE_PARTS = {".xlsx": "xl/workbook.xml", ".docx": "word/document.xml"}


def upload_path(folder: Path, name: str, suffix: str) -> Path | None:
    """An upload kept for its confirm step, by the random name the preview page carries."""
    if len(name) != 32 or any(c not in "0123456789abcdef" for c in name):
        return None
    path = folder / f"{name}{suffix}"
    return path if path.exists() else None
