"""Uploads (a roster .xlsx, a plan .docx): the size checked before and while reading, the kind
checked by looking inside, kept under a random name for the preview's confirm step."""

from __future__ import annotations

import asyncio
import contextlib
import io
import secrets
import time
import zipfile
from pathlib import Path

from aiohttp import BodyPartReader, web

from bot.desk.common import UPLOAD_LIMIT, Visit
from core.texts import desk as tx


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


KEEP_SECONDS = 24 * 3600  # an upload whose preview was never confirmed is removed after this


def _keep(target: Path, body: bytes) -> bool:
    """Save the upload if it is the Office file its suffix says (else save nothing), and
    remove the uploads of previews left unconfirmed for a day."""
    part = _OFFICE_PARTS.get(target.suffix)
    if part is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                if part not in archive.namelist():
                    return False
        except zipfile.BadZipFile:
            return False
    target.parent.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in target.parent.iterdir():
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()
    target.write_bytes(body)
    return True


_OFFICE_PARTS = {".xlsx": "xl/workbook.xml", ".docx": "word/document.xml"}


def upload_path(folder: Path, name: str, suffix: str) -> Path | None:
    """An upload kept for its confirm step, by the random name the preview page carries."""
    if len(name) != 32 or any(c not in "0123456789abcdef" for c in name):
        return None
    path = folder / f"{name}{suffix}"
    return path if path.exists() else None
