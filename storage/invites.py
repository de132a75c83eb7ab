"""One-time invite codes: random, stored hashed, expiring, single use, rate-limited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.texts import catalog as catalog_texts
from core.textutil import fold
from storage.models import AuthFailure, Invite, Person, Ward

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def looks_like_code(text: str) -> bool:
    code = normalize_code(text)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


@dataclass(frozen=True, slots=True)
class NewInvite:
    code: str
    expires_at: datetime


async def create_invite(s: AsyncSession, *, role: str, now: datetime, ttl: timedelta,
                        unit_id: int | None = None, group_id: int | None = None,
                        person_id: int | None = None, name: str = "",
                        created_by: int | None = None, handover: bool = False) -> NewInvite:
    code = new_code()
    s.add(Invite(code_hash=hash_code(code), role=role, unit_id=unit_id, group_id=group_id,
                 person_id=person_id, name=name, created_by=created_by, created_at=now,
                 expires_at=now + ttl, handover=handover))
    await s.flush()
    return NewInvite(code, now + ttl)


async def find_usable(s: AsyncSession, code: str, now: datetime) -> tuple[Invite | None, str]:
    """('', invite) when usable, else (None, reason) with reason 'unknown'|'used'|'expired'|
    'ward_inactive' (the invite's ward was deactivated)."""
    invite = await s.scalar(select(Invite).where(Invite.code_hash == hash_code(code)))
    if invite is None:
        return None, "unknown"
    if invite.used_at is not None:
        return None, "used"
    if invite.expires_at <= now:
        return None, "expired"
    if invite.ward_id is not None and not await s.scalar(
            select(Ward.active).where(Ward.id == invite.ward_id)):
        return None, "ward_inactive"
    return invite, ""


async def redeem(s: AsyncSession, invite: Invite, account_id: int, now: datetime) -> bool:
    """Mark used; False when another request redeemed it first (single use under races)."""
    result = await s.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now, used_by_account_id=account_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def person_for_invite(s: AsyncSession, invite: Invite, display_name: str,
                            now: datetime) -> Person:
    if invite.person_id is not None:
        person = await s.get(Person, invite.person_id)
        if person is not None:
            return person
    if invite.name:
        # Two invites for the same name in the same unit or tổ make one person, not two.
        key = fold(invite.name)
        same = await s.scalars(
            select(Person).where(Person.active, Person.role == invite.role,
                                 Person.ward_id.is_(None) if invite.ward_id is None
                                 else Person.ward_id == invite.ward_id,
                                 Person.unit_id.is_(None) if invite.unit_id is None
                                 else Person.unit_id == invite.unit_id,
                                 Person.group_id.is_(None) if invite.group_id is None
                                 else Person.group_id == invite.group_id)
            .order_by(Person.id))
        match = next((p for p in same if fold(p.name) == key), None)
        if match is not None:
            return match
    name = invite.name or display_name or catalog_texts.UNNAMED_PERSON
    person = Person(name=name[:255], role=invite.role, ward_id=invite.ward_id,
                    unit_id=invite.unit_id, group_id=invite.group_id, created_at=now)
    s.add(person)
    await s.flush()
    return person


async def recent_failures(s: AsyncSession, platform: str, account_id: str, now: datetime) -> int:
    since = now - timedelta(hours=1)
    count = await s.scalar(
        select(func.count()).select_from(AuthFailure)
        .where(AuthFailure.platform == platform, AuthFailure.account_id == account_id,
               AuthFailure.at > since)
    )
    return int(count or 0)


async def record_failure(s: AsyncSession, platform: str, account_id: str, now: datetime) -> None:
    s.add(AuthFailure(platform=platform, account_id=account_id, at=now))
    await s.execute(delete(AuthFailure).where(AuthFailure.at < now - timedelta(days=2)))

