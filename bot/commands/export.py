"""`export`: write a period's report to a file (no messenger needed): the Báo cáo to the city
(DOCX from the shipped or the ward's template), the internal Tổng hợp (DOCX) or the XLSX."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.app import opened_app
from core.settings import Settings
from core.texts import cli
from core.texts import exports as tx
from core.texts import report as tr
from core.textutil import fold
from services import report_sections
from services.exports import DOCUMENTS, FORMATS, REPORT, Issuer
from services.exports.job import ExportJob, run_export
from services.wards import ward_settings
from storage import plans


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help=tx.CLI_HELP)
    p.add_argument("--period", required=True, help=cli.EXPORT_PERIOD_HELP)
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--document", choices=DOCUMENTS, default=REPORT, help=tr.CLI_DOCUMENT_HELP)
    p.add_argument("--template", type=Path, help=tr.CLI_TEMPLATE_HELP)
    p.add_argument("--section-file", type=Path, help=tr.CLI_SECTIONS_HELP)
    p.add_argument("--out", required=True, help=cli.EXPORT_OUT_HELP)
    p.set_defaults(func=export)


async def export(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app:
        async with app.deps.sessions.begin() as s:
            periods = await plans.all_periods(s)
            period = next((p for p in periods if str(p.id) == args.period.strip()
                           or fold(p.code) == fold(args.period)), None)
            if period is None:
                known = ", ".join(p.code for p in periods) or "—"
                print(tx.CLI_UNKNOWN_PERIOD.format(arg=args.period, known=known), file=sys.stderr)
                return 1
            if args.section_file is not None:
                try:
                    parts = report_sections.parse_section_file(
                        args.section_file.read_text(encoding="utf-8"))
                except report_sections.UnknownPart as error:
                    print(tr.CLI_UNKNOWN_PART.format(key=error, known=", ".join(
                        report_sections.KEYS)), file=sys.stderr)
                    return 1
                await report_sections.save_parts(s, period_id=period.id, parts=parts,
                                                 author_id=None, now=app.deps.clock.now())
            ward = await ward_settings(s, settings)  # --ward's names and addressing
        issuer = Issuer(ward.ward_name, ward.ward_kind, app.deps.clock.today(), settings.tz)
        out = Path(args.out)
        # The same reading and rendering as /xuat's worker; nothing else waits on this process.
        job = ExportJob(settings.database_url, period.id, args.format, issuer, out,
                        document=args.document,
                        defaults=report_sections.defaults_from(ward),
                        template=args.template or settings.report_template)
        written = await asyncio.to_thread(run_export, job)
        assert written is not None  # the period was found just above
        print(tx.CLI_WRITTEN.format(path=out))
        return 0
