"""Backups of the SQLite database (online backup API), restore with a schema check, retention.

PostgreSQL is backed up with pg_dump (the CLI says how); files here are SQLite only."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory

from core.deps import Deps
from core.texts import ops as ot
from storage.db import alembic_config

logger = logging.getLogger(__name__)

# A backup must hold these tables (and an Alembic revision) to be one of ours.
REQUIRED_TABLES = frozenset({"alembic_version", "entries", "deliveries", "broadcasts"})
PREFIX = "danvan-"


class BackupError(Exception):
    """Refused or failed; the message is Vietnamese, for the operator."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int
    revision: str


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for PostgreSQL."""
    if not url.startswith("sqlite"):
        return None
    return Path(url.split(":///", 1)[1])


def known_revisions() -> list[str]:
    """This version's migrations, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def revision_of(path: Path) -> str:
    """The Alembic revision of a SQLite file of our schema; BackupError otherwise."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if not tables >= REQUIRED_TABLES:
                raise BackupError(ot.NOT_A_BACKUP)
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise BackupError(ot.NOT_A_BACKUP) from None
    if row is None:
        raise BackupError(ot.NOT_A_BACKUP)
    return str(row[0])


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the bot writes."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=256, sleep=0.005)  # lets the bot's writers in between steps
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)


def backup(source: Path, out: Path) -> BackupInfo:
    """Copy the live database to `out` and check the copy."""
    if not source.is_file():
        raise BackupError(ot.NOT_A_BACKUP)
    out.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, out)
    return BackupInfo(out, out.stat().st_size, revision_of(out))


def restore(backup_file: Path, target: Path, *, force: bool = False) -> BackupInfo:
    """Into a stopped deployment: refuses a foreign file, a newer schema, an existing target."""
    revision = revision_of(backup_file)
    if revision not in known_revisions():
        raise BackupError(ot.NEWER_BACKUP.format(revision=revision))
    if target.exists() and not force:
        raise BackupError(ot.TARGET_EXISTS.format(target=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):  # a stale journal of the old file would corrupt the new one
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    _copy(backup_file, target)
    return BackupInfo(target, target.stat().st_size, revision)


def daily_backup(source: Path, folder: Path, today: date, keep_days: int) -> Path | None:
    """Today's backup unless it exists; backups older than `keep_days` removed."""
    out = folder / f"{PREFIX}{today.isoformat()}.db"
    made = None
    if not out.exists():
        backup(source, out)
        made = out
    oldest = today - timedelta(days=keep_days)
    for old in folder.glob(f"{PREFIX}*.db"):
        try:
            day = date.fromisoformat(old.stem.removeprefix(PREFIX))
        except ValueError:
            continue
        if day < oldest:
            old.unlink(missing_ok=True)
    return made


def prune_old_files(folder: Path, keep_days: int, now_s: float | None = None) -> int:
    """Delete files in `folder` not modified for `keep_days`; returns how many."""
    if keep_days <= 0 or not folder.is_dir():
        return 0
    limit = (now_s or time.time()) - keep_days * 86400
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


async def housekeeping(deps: Deps) -> None:
    """Sweep hook: the daily automatic backup (BACKUP_KEEP_DAYS > 0) and old exports pruned."""
    settings = deps.settings
    source = sqlite_path(settings.database_url)
    if settings.backup_keep_days and source is not None:
        made = await asyncio.to_thread(daily_backup, source, settings.backup_dir,
                                       deps.clock.today(), settings.backup_keep_days)
        if made is not None:
            logger.info("daily backup written: %s", made)
    removed = await asyncio.to_thread(prune_old_files, settings.export_dir,
                                      settings.export_keep_days)
    if removed:
        logger.info("%d export file(s) older than %d days removed", removed,
                    settings.export_keep_days)
