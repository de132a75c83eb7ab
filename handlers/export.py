"""/xuat (admins): a period's report: the Báo cáo to the city (DOCX, to sign), the internal
Tổng hợp by unit (DOCX), or the XLSX workbook.

Telegram gets the file as a document. Zalo's Bot API cannot send documents, so there the bot
sends a signed, expiring link served by the project's HTTP server (bot/web_downloads.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from core import texts
from core.links import LinkSigner, signed_link, signer_for
from core.render import capabilities
from core.texts import exports as tx
from core.texts import flows as ft
from core.texts import report as tr
from core.textutil import fold, format_datetime
from core.types import Option, OutFile, Reply, Role
from handlers.common import PERIOD_STEP, choose_again, period_step, pick_period
from handlers.router import Ctx, Router
from handlers.state import Flow
from services.exports import (
    COMPILATION,
    REPORT,
    Issuer,
    download_name,
    export_name,
    render_chart,
)
from services.exports.job import ExportJob, run_export
from services.report_sections import defaults_from
from services.wards import ward_settings
from storage.plans import PeriodInfo, period_by_id
from storage.roster import count_units
from storage.summary import PeriodSummary

logger = logging.getLogger(__name__)
FLOW = Flow.EXPORT


class ExportStep(StrEnum):
    PERIOD = PERIOD_STEP
    FORMAT = "format"


@dataclass(frozen=True, slots=True)
class ExportDraft:
    period_id: int | None = None
    fmt: str | None = None  # asked for with the command ("/xuat docx") before the period
# From this many units the admin is told to wait while the file renders: about 2 s of the
# export in the worker process (bench 3: the XLSX ~1.9 ms a unit, the DOCX ~0.25 ms).
LONG_EXPORT_UNITS = {"xlsx": 1_000, "docx": 8_000}
# What the admin may ask for: a menu key or a typed word → (format, document).
CHOICES = {REPORT: ("docx", REPORT), COMPILATION: ("docx", COMPILATION), "xlsx": ("xlsx", "")}
FORMAT_WORDS = {"docx": REPORT, "word": REPORT, "doc": REPORT, "baocao": REPORT,
                "bao-cao": REPORT, "tonghop": COMPILATION, "tong-hop": COMPILATION,
                "xlsx": "xlsx", "excel": "xlsx", "xls": "xlsx"}


def choice_label(key: str) -> str:
    return tr.DOCUMENT_LABELS[key] if key in tr.DOCUMENT_LABELS else tx.FORMAT_LABELS[key]


def issuer_of(ctx: Ctx) -> Issuer:
    settings = ctx.deps.settings
    return Issuer(settings.ward_name, settings.ward_kind, ctx.deps.clock.today(), settings.tz)


def split_format(args: str, known: Mapping[str, str] = FORMAT_WORDS) -> tuple[str | None, str]:
    """"NAM-2025 xlsx" → ("xlsx", "NAM-2025"), "tonghop NAM-2025" → ("tong-hop", "NAM-2025"):
    the choice (a word of `known`, given as its value) may come first or last."""
    words = args.split()
    for index in (-1, 0):
        if words and fold(words[index]) in known:
            fmt = known[fold(words.pop(index))]
            return fmt, " ".join(words)
    return None, args


async def start_export(ctx: Ctx) -> list[Reply]:
    """/xuat [kỳ] [docx|xlsx]: xuất báo cáo tổng hợp của một kỳ."""
    fmt, ctx.args = split_format(ctx.args)
    period, replies = await pick_period(ctx, FLOW, tx.ASK_PERIOD)
    if period is None:
        if fmt and ctx.dialog.flow == FLOW:
            ctx.move(FLOW, ExportStep.PERIOD, ExportDraft(fmt=fmt))
        return replies
    return await _after_period(ctx, period, fmt)


async def _period_chosen(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    return await _after_period(ctx, period, ctx.draft(ExportDraft).fmt)


on_period = period_step(_period_chosen)


async def _after_period(ctx: Ctx, period: PeriodInfo, fmt: str | None) -> list[Reply]:
    if fmt is not None:
        ctx.finish()
        return await deliver(ctx, period, fmt)
    ctx.move(FLOW, ExportStep.FORMAT, ExportDraft(period_id=period.id))
    options = tuple(Option(f"f:{key}", choice_label(key)) for key in CHOICES)
    return [Reply(f"{tx.ASK_FORMAT}\n{texts.MENU_HINT}", options)]


async def on_format(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("f:") \
            or ctx.choice.id[2:] not in CHOICES:
        return choose_again(ctx)
    period_id = ctx.draft(ExportDraft).period_id
    ctx.finish()
    period = await period_by_id(ctx.s, period_id) if period_id is not None else None
    if period is None:
        return [Reply(ft.NO_OPEN_PERIOD)]
    return await deliver(ctx, period, ctx.choice.id[2:])


@dataclass(frozen=True, slots=True)
class Target:
    """Where a file for this chat is rendered, the name the person gets, and whether it goes
    by signed link (a channel without documents) rather than as an upload."""

    path: Path
    file_name: str
    signer: LinkSigner | None


def target_for(ctx: Ctx, code: str, fmt: str, file_name: str) -> Target | None:
    """A fresh path in EXPORT_DIR for the chat's file (older files pruned); None when the
    channel takes no documents and no link can be signed (PUBLIC_BASE_URL, LINK_SECRET)."""
    settings = ctx.deps.settings
    signer = None
    if not capabilities(ctx.msg.chat.platform).documents:  # a signed link instead
        signer = signer_for(settings)
        if signer is None:
            return None
    prune_exports(settings.export_dir, ctx.now - timedelta(hours=settings.link_ttl_hours + 1))
    return Target(settings.export_dir / export_name(code, fmt, ctx.now), file_name, signer)


def handed_over(ctx: Ctx, target: Target, title: str, kind: str) -> Reply:
    """The rendered file as a document, or its signed, expiring link."""
    settings = ctx.deps.settings
    if target.signer is not None:
        link = signed_link(settings, target.signer, target.path.name, ctx.now)
        expires = format_datetime(link.expires_at.astimezone(settings.tz))
        return Reply(tx.LINK_READY.format(period=title, kind=kind, url=link.url,
                                          expires=expires))
    text = tx.FILE_READY.format(period=title, kind=kind)
    return Reply(text, file=OutFile(target.path, target.file_name, "document", text))


async def deliver(ctx: Ctx, period: PeriodInfo, choice: str) -> list[Reply]:
    """Render the file, then hand it over the way the chat's platform allows."""
    settings = ctx.deps.settings
    fmt, document = CHOICES[choice]
    file_name = download_name(period.code, fmt, document)
    target = target_for(ctx, period.code, fmt, file_name)
    if target is None:
        cli = f"{fmt} --document {document}" if document else fmt
        return [Reply(tx.NO_LINK.format(period=period.code, fmt=cli, file_name=file_name))]
    # Reading a city's entries and rendering them is seconds of CPU: in the worker process, so
    # that other chats keep being answered meanwhile.
    ward = await ward_settings(ctx.s, settings)  # the caller's ward's names and addressing
    job = ExportJob(settings.database_url, period.id, fmt,
                    replace(issuer_of(ctx), ward_name=ward.ward_name, ward_kind=ward.ward_kind),
                    target.path, document=document or REPORT,
                    defaults=defaults_from(ward), template=settings.report_template)
    kind = choice_label(choice)
    units = await count_units(ctx.s)
    if units >= LONG_EXPORT_UNITS[fmt]:
        await ctx.progress(Reply(tx.EXPORT_PROGRESS.format(
            period=period.title, kind=kind, units=f"{units:,}".replace(",", "."))))
    path = await ctx.in_worker(run_export, job)
    if path is None:
        return [Reply(ft.NO_OPEN_PERIOD)]
    return [handed_over(ctx, target, period.title, kind)]


def prune_exports(folder: Path, older_than: datetime, pattern: str = "bao-cao-*") -> None:
    """Old exports (files named like `pattern`) are dropped once no link to them can still be
    valid."""
    if not folder.is_dir():
        return
    cutoff = older_than.timestamp()
    for path in folder.glob(pattern):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            logger.warning("could not remove old export %s", path.name)


async def chart_reply(ctx: Ctx, summary: PeriodSummary) -> Reply | None:
    """The completion chart as a photo for /tonghop: uploaded where the messenger can
    (Telegram), else by a signed, expiring link where it takes photos by URL (Zalo); None
    where neither works or no link can be made (no PUBLIC_BASE_URL or LINK_SECRET)."""
    settings = ctx.deps.settings
    caps = capabilities(ctx.msg.chat.platform)
    signer = None
    if not caps.photo_upload:
        signer = signer_for(settings) if caps.photo_url else None
        if signer is None:
            return None
    name = export_name(summary.period.code, "png", ctx.now)
    if signer is not None:  # the chart is served like the exports, and pruned with them
        prune_exports(settings.export_dir,
                      ctx.now - timedelta(hours=settings.link_ttl_hours + 1))
    path = await ctx.in_worker(render_chart, summary, settings.export_dir / name)
    caption = tx.CHART_CAPTION.format(period=summary.period.title)
    file_name = f"bieu-do-{summary.period.code}.png"
    url = signed_link(settings, signer, name, ctx.now).url if signer is not None else ""
    return Reply(caption, file=OutFile(path, file_name, "photo", caption, url))


def setup(router: Router) -> None:
    router.command("xuat", start_export, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("export", "xuat_bao_cao"))
    router.step(FLOW, ExportStep.PERIOD, on_period)
    router.step(FLOW, ExportStep.FORMAT, on_format)
