"""Data commands: database upgrade, plan and roster import, listings, invites."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from bot.app import opened_app
from bot.commands import roster as roster_commands
from core.settings import Settings
from core.texts import roster as roster_texts
from core.textutil import format_datetime
from core.types import Role
from services import invites as invite_service
from storage import catalog, db, plans, roster


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="cơ sở dữ liệu")
    p.add_argument("action", choices=["upgrade"])
    p.set_defaults(func=upgrade)

    p = sub.add_parser("plan", help="kế hoạch: nhập từ tệp YAML")
    p.add_argument("action", choices=["import"])
    p.add_argument("file", type=Path)
    p.set_defaults(func=import_plan)

    sub.add_parser("units", help="liệt kê cơ quan, đơn vị và tổ dân phố").set_defaults(
        func=list_units)
    sub.add_parser("people", help="liệt kê người dùng").set_defaults(func=list_people)
    sub.add_parser("periods", help="liệt kê các kỳ báo cáo").set_defaults(func=list_periods)

    p = sub.add_parser("invite", help="tạo mã mời dùng một lần")
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--unit", help="mã đơn vị (thủ trưởng đơn vị; tùy chọn cho quản trị)")
    p.add_argument("--group", help="mã tổ dân phố (tổ trưởng)")
    p.add_argument("--name", default="", help="họ và tên")
    p.add_argument("--person", type=int, help="mã số người đã có (liên kết thêm tài khoản)")
    roster_commands.add_bulk_invite_arguments(p)
    p.set_defaults(func=create_invite)


async def upgrade(args: argparse.Namespace, settings: Settings) -> int:
    await db.upgrade(settings.database_url)
    print("Cơ sở dữ liệu đã được nâng cấp lên phiên bản mới nhất.")
    return 0


async def import_plan(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = catalog.load_plan(args.file)
    except catalog.CatalogError as exc:
        print(f"Lỗi: {exc}\nChưa nhập gì.", file=sys.stderr)
        return 1
    async with opened_app(settings) as app, app.deps.sessions.begin() as s:
        report = await plans.import_plan(s, data)
    verb = "Đã nhập" if report.created else "Đã cập nhật"
    print(f"{verb} kế hoạch {data.plan.number}: {report.sections} mục, {report.tasks} nhiệm vụ, "
          f"{report.periods} kỳ báo cáo.")
    return 0


async def list_units(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        print("Cơ quan, đơn vị:")
        for u in await roster.list_units(s):
            print(f"  {u.code:<10} {u.name}")
        print("Tổ dân phố:")
        for g in await roster.list_groups(s):
            print(f"  {g.code:<10} {g.name}")
    return 0


async def list_people(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        rows = await roster.list_people(s)
    if not rows:
        print("Chưa có người dùng. Tạo mã mời: python -m bot invite --role admin --name \"...\"")
    for r in rows:
        where = r.unit or r.group or "-"
        linked = ", ".join(r.accounts) or "chưa liên kết"
        print(f"  {r.id:>4}  {r.name:<28} {r.role:<13} {where:<32} {linked}")
    return 0


async def list_periods(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        for p in await plans.all_periods(s):
            state = "đã khóa" if p.closed else "đang mở"
            print(f"  {p.id:>3}  {p.code:<10} {p.title:<22} hạn trước {p.due_before:%d/%m/%Y}"
                  f"  {state}")
    return 0


async def create_invite(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "all", False):
        return await roster_commands.bulk_invite(args, settings)
    if not args.role:
        print(f"Lỗi: {roster_texts.NEED_ROLE}", file=sys.stderr)
        return 2
    if args.role == Role.UNIT_HEAD and not args.unit and not args.person:
        print("Lỗi: thủ trưởng đơn vị cần --unit MÃ_ĐƠN_VỊ (xem: python -m bot units)",
              file=sys.stderr)
        return 2
    if args.role == Role.GROUP_LEADER and not args.group and not args.person:
        print("Lỗi: tổ trưởng cần --group MÃ_TỔ (xem: python -m bot units)", file=sys.stderr)
        return 2
    async with opened_app(settings) as app, app.deps.sessions.begin() as s:
        unit = await roster.unit_by_code(s, args.unit) if args.unit else None
        group = await roster.group_by_code(s, args.group) if args.group else None
        if (args.unit and unit is None) or (args.group and group is None):
            print(f"Lỗi: không có mã {args.unit or args.group}. Xem: python -m bot units",
                  file=sys.stderr)
            return 2
        new = await invite_service.invite_one(
            s, role=args.role, now=app.deps.clock.now(),
            ttl=timedelta(days=settings.invite_ttl_days),
            unit_id=unit.id if unit else None, group_id=group.id if group else None,
            person_id=args.person, name=args.name)
    if new.reused is not None:
        print(invite_service.reuse_note(new, unit.name if unit else group.name if group else ""))
    expires = format_datetime(new.expires_at.astimezone(settings.tz))
    print(f"Mã mời: {new.code}  (hiệu lực đến {expires}, dùng một lần)")
    print(f"Đăng ký: gửi «/dangky {new.code}» cho bot trên Zalo hoặc Telegram,")
    print(f"hoặc thử ngay trong terminal: python -m bot shell --as {new.code}")
    from bot.adapters.telegram_identity import telegram_username  # SDK loaded only when needed

    username = settings.telegram_bot_username.lstrip("@") or await telegram_username(settings)
    if username:
        print(f"Đường dẫn Telegram: https://t.me/{username}?start={new.code}")
    return 0
