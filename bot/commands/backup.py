"""`backup --out FILE` (while the bot runs) and `restore FILE` (into a stopped deployment)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy import text

from core.settings import Settings
from core.texts import cli
from core.texts import ops as ot
from services import backups
from storage import db


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help=cli.BACKUP_HELP)
    p.add_argument("--out", required=True, type=Path, help=cli.BACKUP_OUT_HELP)
    p.set_defaults(func=backup)
    p = sub.add_parser("restore", help=cli.RESTORE_HELP)
    p.add_argument("file", type=Path, help=cli.RESTORE_FILE_HELP)
    p.add_argument("--force", action="store_true", help=cli.RESTORE_FORCE_HELP)
    p.set_defaults(func=restore)


async def backup(args: argparse.Namespace, settings: Settings) -> int:
    source = backups.sqlite_path(settings.database_url)
    if source is None:
        ok = await _postgres_reachable(settings.database_url)
        status = ot.REACHABLE if ok else ot.UNREACHABLE
        print(ot.BACKUP_POSTGRES.format(status=status, out=args.out))
        return 0 if ok else 1
    try:
        info = await asyncio.to_thread(backups.backup, source, args.out)
    except (backups.BackupError, OSError) as exc:
        print(ot.BACKUP_FAILED.format(reason=exc), file=sys.stderr)
        return 1
    print(ot.BACKUP_DONE.format(path=info.path, size=info.size, revision=info.revision))
    return 0


async def restore(args: argparse.Namespace, settings: Settings) -> int:
    target = backups.sqlite_path(settings.database_url)
    if target is None:
        print(ot.RESTORE_REFUSED.format(reason=ot.RESTORE_POSTGRES), file=sys.stderr)
        return 2
    try:
        info = await asyncio.to_thread(backups.restore, args.file, target, force=args.force)
    except (backups.BackupError, OSError) as exc:
        print(ot.RESTORE_REFUSED.format(reason=exc), file=sys.stderr)
        return 1
    print(ot.RESTORE_DONE.format(path=args.file, target=target, revision=info.revision))
    return 0


async def _postgres_reachable(url: str) -> bool:
    engine = db.make_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:
        return False
    finally:
        await engine.dispose()
    return True
