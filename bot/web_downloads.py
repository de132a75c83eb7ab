"""GET /files/{expires}/{signature}/{name}: serves an exported file behind a signed link.

Valid → the file; expired → 410; tampered or malformed → 403; a valid link to a file that is
gone → 404. Only plain files directly inside EXPORT_DIR are ever served."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from core.deps import Deps
from core.links import PREFIX, LinkCheck, LinkSigner
from core.texts import exports as tx

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
}


def inside(folder: Path, name: str) -> Path | None:
    """The file `name` directly inside `folder`, or None if it would resolve anywhere else."""
    root = folder.resolve()
    candidate = (root / name).resolve()
    if candidate.parent != root or not candidate.is_file():
        return None
    return candidate


def download_routes(deps: Deps) -> list[web.RouteDef]:
    """No route at all when LINK_SECRET is unset: nothing can be signed, so nothing is served."""
    secret = deps.settings.link_secret.get_secret_value()
    if not secret:
        return []
    signer = LinkSigner(secret, timedelta(hours=deps.settings.link_ttl_hours))

    async def download(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        verdict = signer.check(name, request.match_info["expires"],
                               request.match_info["sig"], deps.clock.now())
        if verdict is LinkCheck.TAMPERED:
            logger.warning("download refused: bad signature")  # never log the link itself
            raise web.HTTPForbidden(text=tx.LINK_FORBIDDEN)
        if verdict is LinkCheck.EXPIRED:
            raise web.HTTPGone(text=tx.LINK_EXPIRED)
        path = inside(deps.settings.export_dir, name)
        if path is None:
            raise web.HTTPNotFound(text=tx.LINK_MISSING)
        headers = {
            "Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        }
        return web.FileResponse(path, headers=headers)

    pattern = PREFIX + r"/{expires:\d{1,12}}/{sig:[A-Za-z0-9_-]{1,100}}/{name}"
    return [web.get(pattern, download)]
