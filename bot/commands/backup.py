"""`backup --out FILE` (while the bot runs) and `restore FILE` (into a stopped deployment)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy import text

from core.settings import Settings
from core.texts import ops as ot
from services import backups
from storage import db


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (an toàn khi bot đang chạy)")
    p.add_argument("--out", required=True, type=Path, help="tệp sao lưu sẽ ghi")
    p.set_defaults(func=backup)
    p = sub.add_parser("restore", help="khôi phục bản sao lưu (khi bot đã dừng)")
    p.add_argument("file", type=Path, help="tệp sao lưu")
    p.add_argument("--force", action="store_true", help="ghi đè cơ sở dữ liệu đang có")
    p.set_defaults(func=restore)


async def backup(args: argparse.Namespace, settings: Settings) -> int:
    source = backups.sqlite_path(settings.database_url)
    if source is None:
        ok = await _postgres_reachable(settings.database_url)
        print(ot.BACKUP_POSTGRES.format(status="được" if ok else "KHÔNG được", out=args.out))
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
