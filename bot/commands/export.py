"""`export`: write a period's compiled report to a DOCX or XLSX file (no messenger needed)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.app import opened_app
from core.settings import Settings
from core.texts import cli
from core.texts import exports as tx
from core.textutil import fold
from services.exports import FORMATS, Issuer
from services.exports.job import ExportJob, run_export
from storage import plans


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help=tx.CLI_HELP)
    p.add_argument("--period", required=True, help=cli.EXPORT_PERIOD_HELP)
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, help=cli.EXPORT_OUT_HELP)
    p.set_defaults(func=export)


async def export(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app:
        async with app.deps.sessions() as s:
            periods = await plans.all_periods(s)
            period = next((p for p in periods if str(p.id) == args.period.strip()
                           or fold(p.code) == fold(args.period)), None)
            if period is None:
                known = ", ".join(p.code for p in periods) or "—"
                print(tx.CLI_UNKNOWN_PERIOD.format(arg=args.period, known=known), file=sys.stderr)
                return 1
        issuer = Issuer(settings.ward_name, settings.ward_kind, app.deps.clock.today(),
                        settings.tz)
        out = Path(args.out)
        # The same reading and rendering as /xuat's worker; nothing else waits on this process.
        job = ExportJob(settings.database_url, period.id, args.format, issuer, out)
        written = await asyncio.to_thread(run_export, job)
        assert written is not None  # the period was found just above
        print(tx.CLI_WRITTEN.format(path=out))
        return 0
