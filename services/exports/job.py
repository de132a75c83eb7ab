"""What the file worker process (core/workers.py) runs for /xuat: read the period's summary
through a database connection of its own, then render the file.

Reading it here rather than in the bot spares the bot's event loop the read (about a second at
city scale) and spares both processes pickling 115,000 entries across the pipe."""

from __future__ import annotations

import asyncio
import gc
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.pool import NullPool

from services.exports import REPORT, Issuer, render
from services.report_sections import ReportDefaults, ReportParts, load_parts
from storage import db
from storage.summary import period_summary

NO_DEFAULTS = ReportDefaults((), (), "")


@dataclass(frozen=True)
class ExportJob:
    database_url: str
    period_id: int
    fmt: str  # "docx" or "xlsx"
    issuer: Issuer
    path: Path
    document: str = REPORT  # for a DOCX: "bao-cao" or "tong-hop"
    defaults: ReportDefaults = NO_DEFAULTS
    template: Path | None = None  # the ward's Báo cáo template; None: the shipped one


def run_export(job: ExportJob) -> Path | None:
    """The file, or None when the period no longer exists.

    The cyclic garbage collector is paused for the job: at city scale it allocates about a
    million objects (rows, strings, dates) that all live until the file is written, and the
    collector scanned them again and again, ~0.45 s of a 2.6 s XLSX export (bench 3). They hold
    no reference cycles worth collecting early; one collection runs when the job ends."""
    gc.disable()
    try:
        return asyncio.run(_load_and_render(job))
    finally:
        gc.enable()
        gc.collect()


async def _load_and_render(job: ExportJob) -> Path | None:
    # Each job has its own event loop, so no connection is kept for the next one.
    engine = db.make_engine(job.database_url, poolclass=NullPool)
    try:
        async with db.make_sessions(engine)() as s:
            summary = await period_summary(s, job.period_id)
            parts = (await load_parts(s, job.period_id, job.defaults)
                     if job.fmt == "docx" and job.document == REPORT else ReportParts())
    finally:
        await engine.dispose()
    if summary is None:
        return None
    return render(summary, job.fmt, job.issuer, job.path, document=job.document, parts=parts,
                  template=job.template)
