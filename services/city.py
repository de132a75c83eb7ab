"""The city level (issue 19): a ward sends its upward report; the city sees, per round, which
wards sent it (on time, late, missing, changed since sent) and a wards × plan sections matrix of
status counts. Chat (/thanhpho, /guithanhpho) and the CLI (`city`) call these."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.calendar import WorkingCalendar
from core.deps import Deps
from core.settings import Settings
from core.texts import city as t
from core.textutil import fold
from core.types import Reply
from services import audit, reminders, report_sections, wards
from services.rounds import round_name
from storage import city, deliveries, plans
from storage.calendar import working_calendar
from storage.models import Period, Plan
from storage.plans import PeriodInfo

# The chat digest shows the matrix ward by ward up to this many wards, then city-wide totals.
MATRIX_LIMIT = 30


class CityProblem(ValueError):
    """Something the city or a ward admin asked that cannot be done, worded for a person."""


@dataclass(frozen=True, slots=True)
class RoundKey:
    """A city round: the same kind of report in the same year, one period per ward."""

    kind: str
    year: int

    @property
    def code(self) -> str:
        return f"{t.KIND_CODES.get(self.kind, self.kind)}-{self.year}"


@dataclass(frozen=True, slots=True)
class WardRow:
    ward_id: int
    code: str
    title: str
    state: str  # on_time | late | missing | no_round
    sent_at: datetime | None = None
    changed_since_sent: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # section code → statuses


@dataclass(frozen=True, slots=True)
class CityRollup:
    round: RoundKey
    title: str
    due_before: date
    sections: list[tuple[str, str]]  # (code, title) in plan order
    wards: list[WardRow]
    other_rounds: list[RoundKey]

    def with_state(self, state: str) -> list[WardRow]:
        return [w for w in self.wards if w.state == state]


def _key(due_before: date, kind: str) -> RoundKey:
    return RoundKey(kind, due_before.year)


def _keys_of(periods: list[tuple[int, Period]]) -> list[RoundKey]:
    return [_key(p.due_before, p.kind) for _w, p in periods]


def _chosen(periods: list[tuple[int, Period]], args: str, today: date) -> RoundKey:
    """The round named in args (its code, e.g. NAM-2025), else the next due, else the last."""
    keys = list(dict.fromkeys(_keys_of(periods)))
    if args:
        wanted = fold(args).replace(" ", "-")
        for key in keys:
            if fold(key.code) == wanted:
                return key
        raise CityProblem(t.UNKNOWN_ROUND.format(arg=args, rounds=", ".join(k.code for k in keys)))
    upcoming = [_key(p.due_before, p.kind) for _w, p in periods if p.due_before >= today]
    return upcoming[0] if upcoming else keys[-1]


async def _periods_and_round(s: AsyncSession, round_arg: str,
                             today: date) -> tuple[list[tuple[int, Period]], RoundKey]:
    """Every ward's periods, and the round the caller named (or the one due next)."""
    periods = await city.city_periods(s)
    if not periods:
        raise CityProblem(t.NO_ROUNDS)
    return periods, _chosen(periods, round_arg, today)


async def rollup(s: AsyncSession, settings: Settings, *, today: date,
                 round_arg: str = "") -> CityRollup:
    """Every active ward's state for one round (the next due by default)."""
    periods, key = await _periods_and_round(s, round_arg, today)
    keys = list(dict.fromkeys(_keys_of(periods)))
    mine = {ward_id: p for ward_id, p in periods if _key(p.due_before, p.kind) == key}
    ids = [p.id for p in mine.values()]
    sent = await city.reports_sent(s, ids)
    changed = await city.last_changes(s, ids)
    counts = await city.section_status_counts(s, ids)
    first = next(iter(mine.values()))
    outline = await plans.plan_outline(s, first.plan_id)
    rows = []
    for ward in await wards.every_ward(s, settings):
        if not ward.active:
            continue
        period = mine.get(ward.id)
        if period is None:
            rows.append(WardRow(ward.id, ward.code, ward.title, "no_round"))
            continue
        by_section: dict[str, Counter[str]] = {}
        for (pid, code, status), n in counts.items():
            if pid == period.id:
                by_section.setdefault(code, Counter())[status] += n
        report = sent.get(period.id)
        if report is None:
            rows.append(WardRow(ward.id, ward.code, ward.title, "missing", counts=by_section))
            continue
        _first, last, late, _n = report
        rows.append(WardRow(ward.id, ward.code, ward.title, "late" if late else "on_time", last,
                            changed.get(period.id, last) > last, by_section))
    return CityRollup(key, first.title, first.due_before,
                      [(x.code, x.title) for x in outline], rows, keys)


async def ward_period(s: AsyncSession, ward_id: int, *, today: date,
                      round_arg: str = "") -> PeriodInfo:
    """The ward's period of a city round (the next due by default), for its report."""
    periods, key = await _periods_and_round(s, round_arg, today)
    found = next((p for w, p in periods if w == ward_id and _key(p.due_before, p.kind) == key),
                 None)
    if found is None:
        raise CityProblem(t.WARD_HAS_NO_ROUND.format(round=key.code))
    return plans.period_info(found)


@dataclass(frozen=True, slots=True)
class SendState:
    """Where a ward's report for one round stands with the city."""

    sent_at: datetime | None  # the last send; None: not sent yet
    late: bool  # the first send was after the deadline
    changed_since_sent: bool  # a unit resubmitted or a part was rewritten since: resend


async def send_state(s: AsyncSession, period_id: int) -> SendState:
    sent = (await city.reports_sent(s, [period_id])).get(period_id)
    if sent is None:
        return SendState(None, False, False)
    _first, last, late, _n = sent
    changed = (await city.last_changes(s, [period_id])).get(period_id)
    return SendState(last, late, changed is not None and changed > last)


async def send_report(s: AsyncSession, settings: Settings, *, ward_id: int, period_id: int,
                      person_id: int | None, now: datetime, today: date) -> bool:
    """The ward sends its report for the period to the city; True when it was late. Its
    written parts must all be there, and a resend must have something new to send."""
    period = await plans.period_by_id(s, period_id)
    plan = await s.get(Plan, period.plan_id) if period is not None else None
    if period is None or plan is None or plan.ward_id != ward_id:
        raise CityProblem(t.NOT_YOUR_ROUND)
    parts = await report_sections.load_parts(s, period_id, report_sections.defaults_from(
        settings))
    missing = [t.PART_NAMES.get(k, k) for k in report_sections.TEXT_KEYS if not parts.texts[k]]
    if missing:
        raise CityProblem(t.PARTS_MISSING.format(parts=", ".join(missing)))
    sent = (await city.reports_sent(s, [period_id])).get(period_id)
    if sent is not None:
        changed = (await city.last_changes(s, [period_id])).get(period_id)
        if changed is None or changed <= sent[1]:
            raise CityProblem(t.NOTHING_NEW)
    calendar = await working_calendar(s, ward_id=ward_id)
    late = today > calendar.effective_deadline(period.due_before)
    if sent is not None:
        late = sent[2]  # a resend after an edit keeps the first send's punctuality
    await city.record_send(s, ward_id=ward_id, period_id=period_id, person_id=person_id,
                           now=now, late=late)
    await audit.record(s, now, person_id, "city_send", period.code, late=late)
    return late


def format_rollup(view: CityRollup) -> str:
    """The roll-up as one message (chat digest and the CLI print the same text)."""
    lines = [t.ROLLUP_HEADER.format(title=view.title.upper(),
                                    due=view.due_before.strftime("%d/%m/%Y"))]
    for state in ("on_time", "late", "missing"):
        rows = view.with_state(state)
        lines.append(t.STATE_LINE.format(label=t.STATE_LABELS[state], count=len(rows),
                                         wards=", ".join(w.title for w in rows) or t.NOBODY))
    changed = [w.title for w in view.wards if w.changed_since_sent]
    if changed:
        lines.append(t.CHANGED_HEADER.format(wards=", ".join(changed)))
    lines += ["", t.MATRIX_HEADER,
              t.MATRIX_SECTIONS.format(sections=", ".join(code for code, _ in view.sections))]
    matrix = [(w.title, w.counts) for w in view.wards if w.state != "no_round"]
    if len(matrix) > MATRIX_LIMIT:  # a city of 120 wards: totals here, every ward in the XLSX
        total: dict[str, Counter[str]] = {}
        for _title, counts in matrix:
            for code, statuses in counts.items():
                total.setdefault(code, Counter()).update(statuses)
        matrix = [(t.MATRIX_ALL.format(count=len(matrix)), total)]
    for title, counts in matrix:
        cells = [t.MATRIX_CELL.format(code=code, **{s: counts.get(code, Counter())[s]
                                                    for s in t.STATUS_ORDER})
                 for code, _title in view.sections]
        lines.append(t.MATRIX_LINE.format(ward=title, cells=" · ".join(cells)))
    if len(view.wards) > MATRIX_LIMIT:
        lines.append(t.MATRIX_IN_XLSX)
    others = [k.code for k in view.other_rounds if k != view.round]
    if others:
        lines.append(t.OTHER_ROUNDS.format(rounds=", ".join(others)))
    return "\n".join(lines)


async def remind_wards(deps: Deps) -> int:
    """The admins of wards that have not sent a round's report to the city are reminded on the
    round's reminder days (D−5, D−2, D−1, D), in office hours; outbox rows with a unique key,
    so a sweep run twice writes nothing twice. Only where several wards share the bot."""
    now, settings = deps.clock.now(), deps.settings
    written = 0
    async with deps.sessions.begin() as s:
        if await wards.sweep_wards(s) == [None]:
            return 0
        periods = [(w, p) for w, p in await city.city_periods(s) if p.closed_at is None]
        sent = await city.reports_sent(s, [p.id for _, p in periods])
        overrides = await city.overrides_by_ward(s)
        admins = await city.ward_admins(s)
        for ward_id, period in periods:
            if period.id in sent or not admins.get(ward_id):
                continue
            calendar = WorkingCalendar(overrides.get(ward_id, {}))
            info = plans.period_info(period)
            plan = reminders.plan_period(info, calendar, settings)
            slot = reminders.due_slot(plan, now)
            if slot is None or not reminders.in_office_hours(now, calendar, settings):
                continue
            for person, chat in await reminders.reachable(s, admins[ward_id]):
                reply = Reply(t.CITY_REMINDER.format(name=person.name, report=round_name(info),
                                                     deadline=reminders.day_text(plan.deadline)))
                key = (f"city-reminder:{period.id}:{person.id}:{chat.platform.value}:"
                       f"{chat.chat_id}:{slot.day.isoformat()}")
                written += await deliveries.enqueue(
                    s, key=key, kind="reminder", chat=chat,
                    payload=deliveries.reply_to_payload(reply), now=now, person_id=person.id,
                    ref_id=period.id)
    return written


async def sweep_city_reminders(deps: Deps) -> None:
    """The scheduler's hook (scheduler.jobs.SWEEPS)."""
    await remind_wards(deps)
