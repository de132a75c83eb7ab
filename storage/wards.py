"""Wards repository: the xã / phường / đặc khu a deployment serves (issue 19)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.textutil import fold
from storage.models import DEFAULT_WARD_ID, Ward

_NOT_CODE = re.compile(r"[^A-Z0-9]+")
KINDS = ("xa", "phuong", "dac_khu")


def code_from_name(name: str) -> str:
    """A ward code from its name: "Nam Đồ Sơn" → "NAM-DO-SON"."""
    return _NOT_CODE.sub("-", fold(name).upper()).strip("-")[:32]


def normalize_code(code: str) -> str:
    return code.strip().upper()


def kind_from_text(text: str) -> str:
    """'phường', 'phuong', 'xã', 'đặc khu', 'dac_khu' → a KINDS value ('' when unknown)."""
    key = fold(text).replace(" ", "_")
    return key if key in KINDS else ""


@dataclass(frozen=True, slots=True)
class WardInfo:
    id: int
    code: str
    name: str
    kind: str
    active: bool


def ward_info(ward: Ward) -> WardInfo:
    return WardInfo(ward.id, ward.code, ward.name, ward.kind, ward.active)


async def all_ward_rows(s: AsyncSession) -> list[Ward]:
    return list(await s.scalars(select(Ward).order_by(Ward.id)))


async def all_wards(s: AsyncSession) -> list[WardInfo]:
    return [ward_info(w) for w in await all_ward_rows(s)]


async def active_wards(s: AsyncSession) -> list[WardInfo]:
    return [w for w in await all_wards(s) if w.active]


async def by_code(s: AsyncSession, code: str) -> Ward | None:
    return await s.scalar(select(Ward).where(func.upper(Ward.code) == normalize_code(code)))


async def by_id(s: AsyncSession, ward_id: int) -> Ward | None:
    return await s.get(Ward, ward_id)


async def add(s: AsyncSession, code: str, name: str, kind: str, now: datetime) -> Ward:
    ward = Ward(code=normalize_code(code), name=name, kind=kind, active=True, doc_name="",
                signer_name="", signer_title=[], recipients=[], created_at=now)
    s.add(ward)
    await s.flush()
    return ward


async def default_ward_id(s: AsyncSession) -> int:
    """The only active ward, else the first one (single-ward deployments: always 1)."""
    ids = list(await s.scalars(select(Ward.id).where(Ward.active).order_by(Ward.id).limit(2)))
    return ids[0] if len(ids) == 1 else DEFAULT_WARD_ID
