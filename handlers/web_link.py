"""/web (/trangquantri): a one-time sign-in link to the web desk, for admins, unit heads and
the city's staff."""

from __future__ import annotations

from core.texts import desk as tx
from core.textutil import format_datetime
from core.types import Reply, Role
from handlers.router import Ctx, Router
from services.web_access import create_login_link, link_url


async def web_link(ctx: Ctx) -> list[Reply]:
    """/web: đường dẫn đăng nhập trang quản trị (một lần, 15 phút)."""
    caller = ctx.registered()
    base = ctx.deps.settings.public_base_url
    if not base:
        return [Reply(tx.NO_ADDRESS.format(person=caller.person_id))]
    link = await create_login_link(ctx.s, caller.person_id, ctx.now)
    if link is None:
        return [Reply(tx.NO_ACCESS)]
    expires = format_datetime(link.expires_at.astimezone(ctx.deps.settings.tz))
    return [Reply(tx.LINK_READY.format(url=link_url(base, link), expires=expires))]


def setup(router: Router) -> None:
    router.command("web", web_link, roles={Role.ADMIN, Role.UNIT_HEAD, Role.CITY},
                   aliases=("trangquantri", "trang_quan_tri"))
