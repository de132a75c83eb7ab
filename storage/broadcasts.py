"""Broadcast repository: drafts, schedules, recipients per run and their acknowledgements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.types import Role
from storage.deliveries import FAILED, GONE, PENDING, SENT
from storage.models import Broadcast, BroadcastRecipient, Delivery, Person, Ward
from storage.roster import in_active_places

DRAFT, SCHEDULED, SENDING, DONE, CANCELLED = "draft", "scheduled", "sending", "done", "cancelled"
AUDIENCES = ("all_groups", "groups", "unit_heads", "everyone")
# The city's audiences (issue 19), each a role in every active ward; `city_groups` only in the
# row's `ward_ids` when it names some (none named: every active ward).
CITY_AUDIENCES = {"city_admins": Role.ADMIN, "city_unit_heads": Role.UNIT_HEAD,
                  "city_groups": Role.GROUP_LEADER}
KIND = "broadcast"
NOTICE = "notice"


def delivery_key(broadcast_id: int, run_no: int, person_id: int, platform: str,
                 resend: int = 0) -> str:
    """One outbox row per recipient, platform and run (a resend gets its own suffix)."""
    key = f"broadcast:{broadcast_id}:{run_no}:{person_id}:{platform}"
    return f"{key}:r{resend}" if resend else key


def run_prefix(broadcast_id: int, run_no: int) -> str:
    return f"broadcast:{broadcast_id}:{run_no}:"


def is_city_audience(audience: str) -> bool:
    return audience in CITY_AUDIENCES


def sent_by_city(city: bool) -> ColumnElement[bool]:
    """The city's broadcasts (no ward) or the wards' ones: the lists never mix them, even in a
    session that no ward scopes (a single-ward deployment, the city's own)."""
    return Broadcast.ward_id.is_(None) if city else Broadcast.ward_id.is_not(None)


async def audience_people(s: AsyncSession, audience: str, group_ids: list[int], *,
                          ward_id: int | None = None,
                          ward_ids: list[int] | None = None) -> list[Person]:
    """Active people the audience names, in a stable order; the people of a deactivated unit
    or tổ dân phố are left out. A ward's broadcast reaches its own ward's people only; the
    city's reaches the people of active wards only (`ward_ids`: only those, when given)."""
    query = select(Person).where(Person.active, in_active_places()).order_by(Person.id)
    if ward_id is not None:
        query = query.where(Person.ward_id == ward_id)
    role = CITY_AUDIENCES.get(audience)
    if role is not None:
        wards = select(Ward.id).where(Ward.active)
        if audience == "city_groups" and ward_ids:
            wards = wards.where(Ward.id.in_(ward_ids))
        return list(await s.scalars(query.where(Person.role == role.value,
                                                Person.ward_id.in_(wards))))
    if audience in ("all_groups", "groups"):
        query = query.where(Person.role == Role.GROUP_LEADER.value)
    if audience == "groups":
        query = query.where(Person.group_id.in_(group_ids or [-1]))
    elif audience == "unit_heads":
        query = query.where(Person.role == Role.UNIT_HEAD.value)
    return list(await s.scalars(query))


async def create(s: AsyncSession, *, text: str, audience: str, group_ids: list[int],
                 created_by: int | None, now: datetime, file: dict[str, str] | None = None,
                 remind_after_hours: int = 0, city: bool = False,
                 ward_ids: list[int] | None = None) -> Broadcast:
    """A draft; the city's (`city`) belongs to no ward: its NULL ward is set, never stamped."""
    extra = {"ward_id": None} if city else {}
    row = Broadcast(text=text, audience=audience, group_ids=list(group_ids),
                    ward_ids=list(ward_ids or []), **extra,
                    created_by=created_by, status=DRAFT, created_at=now, repeat="",
                    file_path=(file or {}).get("path", ""),
                    file_name=(file or {}).get("file_name", ""),
                    file_kind=(file or {}).get("kind", ""), run_no=0, run_total=0,
                    progress_mark=0, resends=0, remind_after_hours=remind_after_hours,
                    reminded_run=0)
    s.add(row)
    await s.flush()
    return row


async def get(s: AsyncSession, broadcast_id: int, *, lock: bool = False,
              city: bool | None = None) -> Broadcast | None:
    """The broadcast; with `city` given, only one of the city's (True) or a ward's (False)."""
    query = select(Broadcast).where(Broadcast.id == broadcast_id)
    if city is not None:
        query = query.where(sent_by_city(city))
    if lock and s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return await s.scalar(query)


async def pending_schedule(s: AsyncSession, *, city: bool = False) -> list[Broadcast]:
    """Broadcasts still to go out (one-off or recurring), soonest first."""
    return list(await s.scalars(
        select(Broadcast).where(Broadcast.status.in_((SCHEDULED, SENDING)),
                                Broadcast.next_run_at.is_not(None), sent_by_city(city))
        .order_by(Broadcast.next_run_at, Broadcast.id)))


async def due_ids(s: AsyncSession, now: datetime) -> list[int]:
    return list(await s.scalars(
        select(Broadcast.id).where(Broadcast.status.in_((SCHEDULED, SENDING)),
                                   Broadcast.next_run_at <= now).order_by(Broadcast.id)))


async def sending_ids(s: AsyncSession) -> list[int]:
    return list(await s.scalars(select(Broadcast.id).where(Broadcast.status == SENDING)))


async def recent(s: AsyncSession, limit: int = 10, *, city: bool = False) -> list[Broadcast]:
    return list(await s.scalars(
        select(Broadcast).where(Broadcast.run_no > 0, sent_by_city(city))
        .order_by(Broadcast.id.desc()).limit(limit)))


async def add_recipient(s: AsyncSession, broadcast_id: int, run_no: int, person_id: int,
                        channels: int) -> None:
    s.add(BroadcastRecipient(broadcast_id=broadcast_id, run_no=run_no, person_id=person_id,
                             channels=channels))


async def acknowledge(s: AsyncSession, broadcast_id: int, person_id: int,
                      now: datetime) -> str:
    """'ok', 'already', or 'forged' when this person was never sent that broadcast."""
    row = await s.scalar(
        select(BroadcastRecipient)
        .where(BroadcastRecipient.broadcast_id == broadcast_id,
               BroadcastRecipient.person_id == person_id, BroadcastRecipient.channels > 0)
        .order_by(BroadcastRecipient.run_no.desc()).limit(1))
    if row is None:
        return "forged"
    if row.acknowledged_at is not None:
        return "already"
    row.acknowledged_at = now
    return "ok"


async def last_unacknowledged(s: AsyncSession, person_id: int) -> int | None:
    """The newest broadcast sent to this person that they have not confirmed yet."""
    return await s.scalar(
        select(BroadcastRecipient.broadcast_id)
        .where(BroadcastRecipient.person_id == person_id, BroadcastRecipient.channels > 0,
               BroadcastRecipient.acknowledged_at.is_(None))
        .order_by(BroadcastRecipient.id.desc()).limit(1))


@dataclass(frozen=True, slots=True)
class RunStats:
    """Per-person outcome of one run (resends included) and per-message counts."""

    people: int
    unreachable: int
    delivered: int
    acknowledged: int
    pending: int
    failed: int
    blocked: int
    messages_total: int
    messages_sent: int
    messages_pending: int
    waiting: tuple[tuple[int, str], ...]  # (person id, name) reached but not acknowledged
    # Not acknowledged and not reached (yet): (name, outcome) with PENDING, FAILED or GONE, and
    # the names of recipients with no registered chat.
    not_reached: tuple[tuple[str, str], ...] = ()
    unreachable_names: tuple[str, ...] = ()


async def run_stats(s: AsyncSession, broadcast_id: int, run_no: int) -> RunStats:
    recipients = list((await s.execute(
        select(BroadcastRecipient.person_id, BroadcastRecipient.channels,
               BroadcastRecipient.acknowledged_at, Person.name)
        .join(Person, Person.id == BroadcastRecipient.person_id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id,
               BroadcastRecipient.run_no == run_no)
        .order_by(Person.name, Person.id))).all())
    rows = (await s.execute(
        select(Delivery.person_id, Delivery.status, Delivery.dedupe_key)
        .where(Delivery.kind == KIND, Delivery.ref_id == broadcast_id,
               Delivery.dedupe_key.startswith(run_prefix(broadcast_id, run_no))))).all()
    statuses: dict[int, set[str]] = {}
    for person_id, status, _ in rows:
        statuses.setdefault(int(person_id or 0), set()).add(status)
    originals = [r for r in rows if r[2].count(":") == 4]  # resends carry a ":rN" suffix
    reached = [r for r in recipients if r[1] > 0]
    outcome = {pid: _person_outcome(statuses.get(pid, set())) for pid, *_ in reached}
    waiting = tuple((pid, name) for pid, _, acked, name in reached
                    if acked is None and outcome[pid] == SENT)
    return RunStats(
        people=len(recipients), unreachable=len(recipients) - len(reached),
        delivered=sum(1 for v in outcome.values() if v == SENT),
        acknowledged=sum(1 for r in reached if r[2] is not None),
        pending=sum(1 for v in outcome.values() if v == PENDING),
        failed=sum(1 for v in outcome.values() if v == FAILED),
        blocked=sum(1 for v in outcome.values() if v == GONE),
        messages_total=len(originals),
        messages_sent=sum(1 for r in originals if r[1] == SENT),
        messages_pending=sum(1 for r in originals if r[1] == PENDING), waiting=waiting,
        not_reached=tuple((name, outcome[pid]) for pid, _, acked, name in reached
                          if acked is None and outcome[pid] != SENT),
        unreachable_names=tuple(name for _, channels, _, name in recipients if channels == 0))


def _person_outcome(statuses: set[str]) -> str:
    """Reached on any messenger wins; then still trying; then failed; blocked last."""
    for status in (SENT, PENDING, FAILED, GONE):
        if status in statuses:
            return status
    return PENDING


@dataclass(frozen=True, slots=True)
class RecipientRow:
    """One recipient of a run: how their messages went and whether they acknowledged."""

    person_id: int
    name: str
    channels: int
    outcome: str  # SENT | PENDING | FAILED | GONE, or "unreachable" (no registered chat)
    acknowledged_at: datetime | None


async def recipients(s: AsyncSession, broadcast_id: int, run_no: int) -> list[RecipientRow]:
    """Every recipient of the run, by name: two statements whatever their number."""
    people = (await s.execute(
        select(BroadcastRecipient.person_id, Person.name, BroadcastRecipient.channels,
               BroadcastRecipient.acknowledged_at)
        .join(Person, Person.id == BroadcastRecipient.person_id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id,
               BroadcastRecipient.run_no == run_no)
        .order_by(Person.name, Person.id))).all()
    statuses: dict[int, set[str]] = {}
    for person_id, status in (await s.execute(
            select(Delivery.person_id, Delivery.status)
            .where(Delivery.kind == KIND, Delivery.ref_id == broadcast_id,
                   Delivery.dedupe_key.startswith(run_prefix(broadcast_id, run_no))))).all():
        statuses.setdefault(int(person_id or 0), set()).add(status)
    return [RecipientRow(pid, name, channels,
                         _person_outcome(statuses.get(pid, set())) if channels else "unreachable",
                         acked)
            for pid, name, channels, acked in people]


async def newest(s: AsyncSession, limit: int = 50, *, city: bool = False) -> list[Broadcast]:
    """Every broadcast but drafts, newest first (the desk's list)."""
    return list(await s.scalars(select(Broadcast).where(Broadcast.status != DRAFT,
                                                        sent_by_city(city))
                                .order_by(Broadcast.id.desc()).limit(limit)))
