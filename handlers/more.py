"""Long lists folded to a phone's screen: the first lines, "… và 17 nhiệm vụ khác — gõ «xem
thêm»", and the rest one "xem thêm" away (kept in the chat's dialog by the engine)."""

from __future__ import annotations

from core import texts
from core.types import Reply
from handlers.router import Ctx, Router

MORE = "xemthem"
MORE_KEY = "_more"  # the dialog data's key; drafts ignore keys they do not know
SHOWN = 8  # lines of a folded list shown at once
PAGE = 40  # lines "xem thêm" shows at once


def folded(ctx: Ctx, lines: list[str], noun: str, shown: int = SHOWN) -> list[str]:
    """`lines` whole when they fit, else the first `shown` and a line saying how many more
    `noun` (nhiệm vụ, đơn vị) there are and how to see them. A list barely longer than
    `shown` is shown whole: folding two lines away saves nothing."""
    if len(lines) <= shown + 2:
        return lines
    rest = lines[shown:]
    ctx.more = rest
    return [*lines[:shown], texts.MORE_LINE.format(count=len(rest), noun=noun)]


def folded_text(ctx: Ctx, shown: list[str], rest: list[str], what: str) -> list[str]:
    """`shown`, then a line offering `rest` (what it holds in words) by "xem thêm"."""
    if not rest:
        return shown
    ctx.more = rest
    return [*shown, texts.MORE_BLOCKS.format(what=what)]


async def show_more(ctx: Ctx) -> list[Reply]:
    """xem thêm: the rest of the last folded list."""
    rest = [str(line) for line in ctx.dialog.data.get(MORE_KEY) or []]
    if not rest:
        return [Reply(texts.NOTHING_MORE)]
    page, ctx.more = rest[:PAGE], rest[PAGE:]
    if ctx.more:
        page.append(texts.MORE_PAGE.format(count=len(ctx.more)))
    return [Reply("\n".join(page))]


def setup(router: Router) -> None:
    router.command(MORE, show_more, aliases=("xem_them", "more"))
