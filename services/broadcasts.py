"""Broadcast delivery: a due broadcast becomes one outbox row per recipient and messenger.

Everything a run writes (recipient rows, outbox rows, remembered menus) is one transaction
and every outbox row has a unique dedupe key, so a crash, a second process or a 429 resumes
the run and never sends a message twice. The sweep hook also reports progress to the sender."""

from __future__ import annotations

import calendar as months
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.deps import Deps
from core.render import capabilities
from core.texts import broadcast as t
from core.textutil import WEEKDAYS, fold, format_datetime
from core.types import ChatRef, Option, OutFile, Platform, Reply
from services import wards
from storage import broadcasts as repo
from storage import deliveries, events, quota, roster
from storage import wards as ward_store
from storage.calendar import working_calendar
from storage.models import Broadcast, Delivery, Person

logger = logging.getLogger(__name__)

MAX_TEXT = 3500  # one Telegram message (4,096) with the header and the acknowledgement hint
PROGRESS_MIN_MESSAGES = 20  # smaller runs get only the final report
PROGRESS_STEPS = 4  # a note at 25 %, 50 % and 75 %


def is_city(row: Broadcast) -> bool:
    """The city's broadcast (to every ward's admins, unit heads or chosen wards' tổ trưởng)."""
    return repo.is_city_audience(row.audience)


def message_for(row: Broadcast, platform: Platform, ward: str, *, again: bool = False) -> Reply:
    """The message exactly as a recipient on `platform` sees it, with the «Đã nhận» option.
    `ward` is the sender as ward_title names it: the city's full name for the city's."""
    hint = t.ACK_HINT_BUTTON if capabilities(platform).buttons else t.ACK_HINT_TYPED
    title = (t.CITY_MESSAGE_HEADER.format(city=ward.upper()) if is_city(row)
             else t.MESSAGE_HEADER.format(ward=ward.upper()))
    header = (t.RESEND_PREFIX if again else "") + title
    file = None
    if row.file_path:
        file = OutFile(Path(row.file_path), row.file_name or "tep", row.file_kind or "document")
    return Reply(f"{header}\n\n{row.text}\n\n{hint}",
                 (Option(f"cmd:danhan:{row.id}", t.ACK_LABEL),), file)


def ward_of(deps: Deps) -> str:
    return f"{deps.settings.ward_kind} {deps.settings.ward_name}"


async def ward_title(s: AsyncSession, deps: Deps, row: Broadcast) -> str:
    """The sending ward as its recipients see it (its own name when several share the bot);
    the city (CITY_NAME) for the city's broadcasts."""
    if is_city(row):
        return deps.settings.city_name
    if row.ward_id is None:
        return ward_of(deps)
    return (await wards.view(s, row.ward_id, deps.settings)).title


def zalo_parts(reply: Reply) -> int:
    """Zalo messages one send costs (for the monthly quota): the parts Zalo splits it into."""
    return capabilities(Platform.ZALO).parts(reply)


async def zalo_remaining(s: AsyncSession, deps: Deps, now: datetime) -> int | None:
    """Zalo messages still allowed this month, net of queued ones; None when unlimited."""
    state = await quota.usage(s, Platform.ZALO, now, deps.settings.tz,
                              deps.settings.zalo.monthly_quota)
    if not state.limited:
        return None
    queued = await s.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.platform == Platform.ZALO.value, Delivery.status == deliveries.PENDING))
    return max(state.remaining - int(queued or 0), 0)


@dataclass(frozen=True, slots=True)
class RunPlan:
    """Who a run reaches and how: (person id, chats) plus the message count it costs."""

    targets: tuple[tuple[int, tuple[ChatRef, ...]], ...]
    messages: int
    zalo_messages: int
    wards: int = 1  # how many wards the recipients belong to (the city's: one or many)
    reached_wards: frozenset[int] = frozenset()  # the wards where somebody has a messenger

    @property
    def people(self) -> int:
        return len(self.targets)

    @property
    def reachable(self) -> int:
        return sum(1 for _, chats in self.targets if chats)


async def plan_run(s: AsyncSession, deps: Deps, row: Broadcast,
                   only: set[int] | None = None) -> RunPlan:
    people = await repo.audience_people(s, row.audience, [int(g) for g in row.group_ids],
                                        ward_id=row.ward_id, ward_ids=_ward_ids(row))
    chosen = [p for p in people if only is None or p.id in only]
    ids = [p.id for p in chosen]
    chats = await roster.chats_of(s, ids)
    targets = tuple((pid, tuple(chats.get(pid, []))) for pid in ids)
    title = await ward_title(s, deps, row)  # the sending ward's own name, as recipients see it
    zalo_cost = zalo_parts(message_for(row, Platform.ZALO, title, again=only is not None))
    zalo = sum(zalo_cost for _, cs in targets for c in cs if c.platform is Platform.ZALO)
    reached = frozenset(p.ward_id for p in chosen if chats.get(p.id) and p.ward_id is not None)
    return RunPlan(targets, sum(len(cs) for _, cs in targets), zalo,
                   len({p.ward_id for p in chosen}), reached)


def _ward_ids(row: Broadcast) -> list[int]:
    return [int(w) for w in row.ward_ids or []]


async def _ward_titles(s: AsyncSession, deps: Deps) -> dict[int, str]:
    return {w.id: w.title for w in await wards.every_ward(s, deps.settings) if w.active}


async def audience_label(s: AsyncSession, row: Broadcast, deps: Deps | None = None) -> str:
    """Who the broadcast goes to, in words; chosen tổ dân phố (or the city's chosen wards,
    with `deps` for their names) are named."""
    if row.audience == "city_groups":
        if not row.ward_ids:
            return t.CITY_GROUPS_ALL
        titles = await _ward_titles(s, deps) if deps is not None else {}
        named = [titles.get(w, str(w)) for w in _ward_ids(row)]
        return t.CITY_GROUPS_NAMED.format(names="; ".join(named))
    if row.audience in t.CITY_AUDIENCE_LABELS:
        return t.CITY_AUDIENCE_LABELS[row.audience]
    if row.audience != "groups":
        return t.AUDIENCE_LABELS[row.audience]
    names = {g.id: g.name for g in await roster.list_groups(s)}
    chosen = [names[int(g)] for g in row.group_ids if int(g) in names]
    return t.AUDIENCE_GROUPS_NAMED.format(names="; ".join(chosen))


async def groups_unreached(s: AsyncSession, row: Broadcast, plan: RunPlan,
                           deps: Deps | None = None) -> list[str]:
    """The chosen tổ dân phố whose leader will not get it: none in the roster, or none with a
    messenger account (invited, not registered yet). For the city's broadcast (with `deps`):
    the wards where nobody of the audience will get it."""
    if is_city(row) and deps is not None:
        titles = await _ward_titles(s, deps)
        meant = _ward_ids(row) or list(titles)
        return [titles[w] for w in meant if w in titles and w not in plan.reached_wards]
    if row.audience != "groups":
        return []
    reached = {pid for pid, chats in plan.targets if chats}
    people = await repo.audience_people(s, row.audience, [int(g) for g in row.group_ids])
    covered = {p.group_id for p in people if p.id in reached}
    names = {g.id: g.name for g in await roster.list_groups(s)}
    return [names[int(g)] for g in row.group_ids if int(g) in names and int(g) not in covered]


async def unreachable_names(s: AsyncSession, plan: RunPlan, limit: int = 10,
                            ) -> tuple[list[str], int]:
    """The first `limit` recipients with no messenger account, by name, and how many more."""
    ids = [pid for pid, chats in plan.targets if not chats]
    names = list(await s.scalars(select(Person.name).where(Person.id.in_(ids[:limit]))
                                 .order_by(Person.name))) if ids else []
    return names, max(len(ids) - limit, 0)


async def quota_shortfall(s: AsyncSession, deps: Deps, plan: RunPlan,
                         now: datetime) -> dict[str, int] | None:
    """{needed, remaining} when the run would exceed the Zalo monthly quota, else None."""
    if not plan.zalo_messages:
        return None
    remaining = await zalo_remaining(s, deps, now)
    if remaining is None or plan.zalo_messages <= remaining:
        return None
    return {"needed": plan.zalo_messages, "remaining": remaining}


async def quota_problem(s: AsyncSession, deps: Deps, plan: RunPlan, now: datetime) -> str:
    """A clear refusal when the run would exceed the Zalo monthly quota, else ''."""
    short = await quota_shortfall(s, deps, plan, now)
    return t.QUOTA_REFUSED.format(**short) if short else ""


async def write_run(s: AsyncSession, deps: Deps, row: Broadcast, plan: RunPlan, now: datetime,
                    *, resend: int = 0) -> int:
    """Recipient rows (new runs only) and one outbox row per recipient and messenger."""
    ward = await ward_title(s, deps, row)
    payloads = {p: deliveries.reply_to_payload(message_for(row, p, ward, again=bool(resend)))
                for p in Platform}  # the same message for everyone on a messenger
    queued: list[deliveries.Queued] = []
    for person_id, chats in plan.targets:
        if not resend:
            await repo.add_recipient(s, row.id, row.run_no, person_id, len(chats))
        queued += [deliveries.Queued(
            repo.delivery_key(row.id, row.run_no, person_id, chat.platform.value, resend),
            repo.KIND, chat, payloads[chat.platform], person_id, row.id) for chat in chats]
    written = await deliveries.enqueue_many(s, queued, now)
    await s.flush()
    return written


async def fire(s: AsyncSession, deps: Deps, broadcast_id: int, now: datetime,
               plan: RunPlan | None = None) -> int:
    """Start the run that is due; returns outbox rows written (0 when not due or refused).

    `plan` is the audience the caller has just planned and checked in this transaction (a
    send now): a scheduled run plans its own when it falls due."""
    row = await repo.get(s, broadcast_id, lock=True)
    if row is None or row.status not in (repo.SCHEDULED, repo.SENDING):
        return 0
    if row.next_run_at is None or row.next_run_at > now:
        return 0  # another process fired it first
    row.next_run_at = next_run(row, now, deps.settings.tz) if row.repeat else None
    plan = plan or await plan_run(s, deps, row)
    problem = t.RUN_NOBODY.format(id=row.id) if not plan.reachable else ""
    short = await quota_shortfall(s, deps, plan, now)
    if short:
        problem = t.RUN_QUOTA_REFUSED.format(id=row.id, **short)
    if problem:
        await notify_sender(s, row, f"skip:{now.isoformat()}", problem, now)
        if row.status != repo.SENDING:
            row.status = repo.SCHEDULED if row.next_run_at else repo.DONE
        return 0
    row.run_no += 1
    row.run_started_at, row.status, row.progress_mark = now, repo.SENDING, 0
    row.run_total = await write_run(s, deps, row, plan, now)
    logger.info("broadcast %s run %s: %s messages queued", row.id, row.run_no, row.run_total)
    return row.run_total


async def resend(s: AsyncSession, deps: Deps, row: Broadcast,
                 now: datetime) -> tuple[RunPlan, str]:
    """Send the current run again to those who have not acknowledged it."""
    stats = await repo.run_stats(s, row.id, row.run_no)
    plan = await plan_run(s, deps, row, only={pid for pid, _ in stats.waiting})
    if not plan.reachable:
        return plan, t.RESEND_NOBODY.format(id=row.id)
    problem = await quota_problem(s, deps, plan, now)
    if problem:
        return plan, problem
    row.resends += 1
    await write_run(s, deps, row, plan, now, resend=row.resends)
    return plan, ""


async def notify_sender(s: AsyncSession, row: Broadcast, tag: str, text: str,
                        now: datetime) -> None:
    """A note to the admin who started the broadcast (outbox, unique key per event)."""
    if row.created_by is None:
        return
    chats = (await roster.chats_of(s, [row.created_by])).get(row.created_by, [])
    if chats:
        await deliveries.enqueue(s, key=f"broadcast-notice:{row.id}:{row.run_no}:{tag}",
                                 kind=repo.NOTICE, chat=chats[0],
                                 payload=deliveries.reply_to_payload(Reply(text)), now=now,
                                 person_id=row.created_by, ref_id=row.id)


async def track(s: AsyncSession, deps: Deps, broadcast_id: int, now: datetime) -> None:
    """Progress notes while a run is sending, then the final report."""
    row = await repo.get(s, broadcast_id, lock=True)
    if row is None or row.status != repo.SENDING:
        return
    stats = await repo.run_stats(s, row.id, row.run_no)
    if stats.messages_pending == 0:
        await notify_sender(s, row, "final", t.FINAL_REPORT.format(
            id=row.id, run=row.run_no, people=stats.people, sent=stats.delivered,
            failed=stats.failed, blocked=stats.blocked, unreachable=stats.unreachable), now)
        row.status = repo.SCHEDULED if row.next_run_at else repo.DONE
        return
    if stats.messages_total < PROGRESS_MIN_MESSAGES:
        return
    mark = stats.messages_sent * PROGRESS_STEPS // stats.messages_total
    if mark > row.progress_mark:
        row.progress_mark = mark
        await notify_sender(s, row, f"progress:{mark}", t.PROGRESS.format(
            id=row.id, sent=stats.messages_sent, total=stats.messages_total), now)


OFFICE_START, OFFICE_END = 8, 17


async def remind_unacknowledged(s: AsyncSession, deps: Deps, row: Broadcast,
                                now: datetime) -> None:
    """The optional single automatic reminder after N working hours (off when N is 0)."""
    if (not row.remind_after_hours or row.reminded_run >= row.run_no
            or row.run_started_at is None):
        return
    cal = await working_calendar(s)
    local, hours = row.run_started_at.astimezone(deps.settings.tz), 0
    end = now.astimezone(deps.settings.tz)
    # Whole office hours that have fully passed on working days: a reminder never goes out at
    # night or over a weekend, and Friday afternoon counts on towards Monday morning.
    while local + timedelta(hours=1) <= end and hours < row.remind_after_hours:
        if cal.is_working_day(local.date()) and OFFICE_START <= local.hour < OFFICE_END:
            hours += 1
        local += timedelta(hours=1)
    if hours >= row.remind_after_hours:
        row.reminded_run = row.run_no
        await resend(s, deps, row, now)


async def sweep_broadcasts(deps: Deps) -> None:
    """Sweep hook: fire due broadcasts, report progress, send optional reminders."""
    now = deps.clock.now()
    async with deps.sessions() as s:
        due = await repo.due_ids(s, now)
        active = await repo.sending_ids(s)
        reminding = list(await s.scalars(select(Broadcast.id).where(
            Broadcast.remind_after_hours > 0, Broadcast.reminded_run < Broadcast.run_no)))
    for broadcast_id in due:
        async with deps.sessions.begin() as s:
            await fire(s, deps, broadcast_id, now)
    for broadcast_id in active:
        async with deps.sessions.begin() as s:
            await track(s, deps, broadcast_id, now)
    for broadcast_id in reminding:
        async with deps.sessions.begin() as s:
            row = await repo.get(s, broadcast_id, lock=True)
            if row is not None and row.status != repo.CANCELLED:
                await remind_unacknowledged(s, deps, row, now)


def text_problem(text: str) -> str:
    """Why a broadcast text cannot be sent, or '' (shared with the CLI)."""
    if not text.strip():
        return t.EMPTY_TEXT
    if len(text) > MAX_TEXT:
        return t.TEXT_TOO_LONG.format(length=len(text), limit=MAX_TEXT)
    return ""


def rule_text(repeat: str, day: int) -> str:
    if repeat == "weekly":
        return t.RULE_WEEKLY.format(weekday=WEEKDAYS[day])
    return t.RULE_MONTHLY.format(day=day)


# --- Use cases for chat, command line and web -------------------------------------------------


class BroadcastRefused(Exception):
    """A broadcast cannot be sent or scheduled; the message is worded for the admin."""


@dataclass(frozen=True, slots=True)
class Repeat:
    rule: str  # "weekly" (day: 0 = Monday) or "monthly" (day of the month)
    day: int
    until: date


@dataclass(frozen=True, slots=True)
class Launched:
    broadcast_id: int
    people: int  # recipients with at least one registered chat
    messages: int  # outbox rows written now (0 when scheduled)
    at: datetime  # when it goes (now, or the first scheduled run)


async def resolve_groups(s: AsyncSession, items: list[str]) -> list[int]:
    """Tổ dân phố named by code (or by number in the listing); names every unknown one."""
    groups = await roster.list_groups(s)
    chosen: list[int] = []
    unknown: list[str] = []
    for item in items:
        numbered = item.isdigit() and 0 < int(item) <= len(groups)
        by_number = groups[int(item) - 1] if numbered else None
        group = by_number or next((g for g in groups if fold(g.code) == fold(item)), None)
        if group is None:
            unknown.append(item)
        else:
            chosen.append(group.id)
    if unknown or not chosen:
        raise BroadcastRefused(t.UNKNOWN_GROUPS.format(items=", ".join(unknown) or "—"))
    return sorted(set(chosen))


async def resolve_wards(s: AsyncSession, items: list[str]) -> list[int]:
    """Active wards named by number in the listing, code or name (accents optional); [] for
    «tất cả» (every active ward, also those added later). Names every unknown one."""
    active = await ward_store.active_wards(s)
    if not active:
        raise BroadcastRefused(t.NO_ACTIVE_WARDS)
    if not items or fold(" ".join(items)) in t.ALL_WORDS:
        return []
    chosen: list[int] = []
    unknown: list[str] = []
    for item in items:
        numbered = item.isdigit() and 0 < int(item) <= len(active)
        ward = active[int(item) - 1] if numbered else next(
            (w for w in active if fold(item) in (fold(w.code), fold(w.name))), None)
        if ward is None:
            unknown.append(item)
        else:
            chosen.append(ward.id)
    if unknown:
        raise BroadcastRefused(t.UNKNOWN_WARDS.format(
            items=", ".join(unknown), codes=", ".join(w.code for w in active)))
    return sorted(set(chosen))


def audience_problem(audience: str, *, city: bool) -> str:
    """'' when a sender of this level (the city or a ward) may use the audience, else why not:
    the city's audiences are the city's only, and the city has no tổ dân phố of its own."""
    if repo.is_city_audience(audience) and not city:
        return t.CITY_AUDIENCE_ONLY.format(audience=t.CITY_AUDIENCE_LABELS[audience])
    if city and not repo.is_city_audience(audience):
        return t.WARD_AUDIENCE_ONLY.format(audience=t.AUDIENCE_LABELS.get(audience, audience))
    return ""


async def launch(s: AsyncSession, deps: Deps, row: Broadcast, now: datetime, *,
                 actor: int | None, at: datetime | None = None,
                 repeat: Repeat | None = None) -> Launched:
    """Send a drafted broadcast now (`at` None) or schedule it: one rule for every caller.

    The audience is planned once; nobody reachable, a time in the past or a send beyond the
    Zalo quota is refused (BroadcastRefused) and the draft is left as it was, as is a city
    audience on a ward's broadcast."""
    problem = audience_problem(row.audience, city=row.ward_id is None)
    if problem:
        raise BroadcastRefused(problem)
    plan = await plan_run(s, deps, row)
    if not plan.reachable:
        raise BroadcastRefused(
            t.NOBODY_REACHABLE.format(audience=await audience_label(s, row, deps)))
    if at is not None and at <= now:
        raise BroadcastRefused(t.PAST_DATETIME.format(when=local_text(at, deps.settings.tz)))
    if at is None:
        problem = await quota_problem(s, deps, plan, now)
        if problem:
            raise BroadcastRefused(problem)
    when = at or now
    row.status, row.send_at, row.next_run_at = repo.SCHEDULED, when, when
    if repeat is not None:
        row.repeat, row.repeat_day, row.repeat_until = repeat.rule, repeat.day, repeat.until
    written = 0 if at is not None else await fire(s, deps, row.id, now, plan)
    action = "broadcast_sent" if at is None else "broadcast_scheduled"
    await events.audit(s, now, actor, action, id=row.id, messages=written)
    return Launched(row.id, plan.reachable, written, when)


async def cancel_draft(s: AsyncSession, row: Broadcast) -> None:
    row.status = repo.CANCELLED


# --- Recurrence -------------------------------------------------------------------------------


def run_time(row: Broadcast, tz: ZoneInfo) -> time:
    assert row.send_at is not None
    return row.send_at.astimezone(tz).time().replace(second=0, microsecond=0)


def matches(repeat: str, day_rule: int, day: date) -> bool:
    if repeat == "weekly":
        return day.weekday() == day_rule
    last = months.monthrange(day.year, day.month)[1]
    return day.day == min(day_rule, last)  # day 31 in a 30-day month: the last day


def next_occurrence(repeat: str, day_rule: int, at: time, until: date | None,
                    after: datetime, tz: ZoneInfo) -> datetime | None:
    """The first slot strictly after `after` (local wall time), not past `until`."""
    day = after.astimezone(tz).date()
    for _ in range(400):
        if until is not None and day > until:
            return None
        moment = datetime.combine(day, at, tzinfo=tz)
        if moment > after and matches(repeat, day_rule, day):
            return moment.astimezone(after.tzinfo)
        day += timedelta(days=1)
    return None


def next_run(row: Broadcast, after: datetime, tz: ZoneInfo) -> datetime | None:
    return next_occurrence(row.repeat, int(row.repeat_day or 0), run_time(row, tz),
                           row.repeat_until, after, tz)


def local_text(moment: datetime, tz: ZoneInfo) -> str:
    return format_datetime(moment.astimezone(tz))


# --- Use cases the web desk added (chat's /suatb and /huytb follow the same rules) -------------


@dataclass(frozen=True, slots=True)
class Preview:
    """What a composed broadcast would do, before anything is saved."""

    people: int
    reachable: int
    messages: int
    zalo_messages: int
    zalo_remaining: int | None  # None: no monthly limit
    shown: tuple[tuple[Platform, str], ...]  # the message as each messenger shows it


async def preview(s: AsyncSession, deps: Deps, *, text: str, audience: str,
                  group_ids: list[int], now: datetime) -> Preview:
    """The audience and cost of a broadcast not yet saved (an unsaved row; nothing written)."""
    row = Broadcast(text=text, audience=audience, group_ids=list(group_ids), file_path="")
    plan = await plan_run(s, deps, row)
    shown = tuple((p, message_for(row, p, ward_of(deps)).text)
                  for p in (Platform.TELEGRAM, Platform.ZALO))
    return Preview(plan.people, plan.reachable, plan.messages, plan.zalo_messages,
                   await zalo_remaining(s, deps, now), shown)


async def waiting_row(s: AsyncSession, broadcast_id: int, *, lock: bool = True,
                      city: bool = False) -> Broadcast:
    """A broadcast still to go out (scheduled, or a recurring one's next run); BroadcastRefused
    otherwise. `city`: the caller is the city, who changes only the city's broadcasts (and a
    ward only its own)."""
    row = await repo.get(s, broadcast_id, lock=lock, city=city)
    if row is None or row.status == repo.DRAFT:
        raise BroadcastRefused(t.NOT_FOUND.format(id=broadcast_id))
    if row.status not in (repo.SCHEDULED, repo.SENDING) or row.next_run_at is None:
        raise BroadcastRefused(t.NOT_EDITABLE.format(id=row.id))
    return row


async def edit_waiting(s: AsyncSession, broadcast_id: int, text: str, now: datetime, *,
                       actor: int | None, city: bool = False) -> Broadcast:
    """New text for a broadcast still to go out (scheduled, or the next run of a recurring
    one); BroadcastRefused when it has gone or the text cannot be sent."""
    problem = text_problem(text)
    if problem:
        raise BroadcastRefused(problem)
    row = await waiting_row(s, broadcast_id, city=city)
    row.text = text
    await events.audit(s, now, actor, "broadcast_edit", id=row.id)
    return row


async def cancel_waiting(s: AsyncSession, broadcast_id: int, now: datetime, *,
                         actor: int | None, city: bool = False) -> Broadcast:
    """No further run of a scheduled or recurring broadcast (a run under way finishes)."""
    row = await waiting_row(s, broadcast_id, city=city)
    row.next_run_at = None
    if row.status == repo.SCHEDULED:
        row.status = repo.CANCELLED
    await events.audit(s, now, actor, "broadcast_cancel", id=row.id)
    return row


async def resend_waiting(s: AsyncSession, deps: Deps, broadcast_id: int, now: datetime, *,
                         actor: int | None, city: bool = False) -> RunPlan:
    """/guilai: the current run again to those reached who have not acknowledged it."""
    row = await repo.get(s, broadcast_id, lock=True, city=city)
    if row is None or row.run_no == 0:
        raise BroadcastRefused(t.NOT_FOUND.format(id=broadcast_id))
    plan, problem = await resend(s, deps, row, now)
    if problem:
        raise BroadcastRefused(problem)
    await events.audit(s, now, actor, "broadcast_resend", id=row.id, people=plan.reachable)
    return plan
