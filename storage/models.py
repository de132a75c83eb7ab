"""Database tables. The database is the single source of truth for the whole bot."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import text as sql_text
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC in and out; SQLite would otherwise hand back naive datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is UTC:  # asyncpg's timestamptz: nothing to convert (115,000 per export)
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Stamp = UtcDateTime()
SENT_RING = JSON().with_variant(ARRAY(Float), "postgresql")  # send_slots.sent_at


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


def table_of(model: type[Base]) -> Table:
    """The model's Table, for plain Core statements on hot paths (no ORM bookkeeping)."""
    return cast(Table, model.__table__)


# --- Wards (issue 19): one deployment serves several xã / phường / đặc khu ---------------

# The ward a row belongs to when the caller does not say: the one every database has (0007
# makes an existing single-ward database this ward), so today's code keeps working unchanged.
DEFAULT_WARD_ID = 1


def ward_column(*, nullable: bool = False) -> Mapped[Any]:
    """The owning ward of a root entity; children (tasks, rounds, entries, deliveries) reach it
    through their parent. A row added without one gets the session's ward (storage.scoping),
    else ward 1. Where None means something (a city user), no column default hides it."""
    if nullable:  # the database's default (0007) still fills rows inserted by plain SQL
        return mapped_column(ForeignKey("wards.id"), index=True, nullable=True)
    return mapped_column(ForeignKey("wards.id"), index=True, default=DEFAULT_WARD_ID,
                         server_default=sql_text(str(DEFAULT_WARD_ID)))


class Ward(Base):
    """A xã, phường or đặc khu on this deployment; empty document settings fall back to the
    deployment's settings (WARD_NAME, REPORT_SIGNER_*, REPORT_RECIPIENTS)."""

    __tablename__ = "wards"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255), default="")  # "": WARD_NAME
    kind: Mapped[str] = mapped_column(String(16), default="")  # xa/phuong/dac_khu; "": WARD_KIND
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    doc_name: Mapped[str] = mapped_column(String(255), default="")  # name in documents
    signer_name: Mapped[str] = mapped_column(String(255), default="")
    signer_title: Mapped[list[Any]] = mapped_column(JSON, default=list)
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)  # Nơi nhận
    created_at: Mapped[datetime | None] = mapped_column(Stamp)


class WardReport(Base):
    """A ward's upward report sent to the city for one round; a resend is a new row."""

    __tablename__ = "ward_reports"
    __table_args__ = (Index("ix_ward_reports_period", "period_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("wards.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    sent_at: Mapped[datetime] = mapped_column(Stamp)
    late: Mapped[bool] = mapped_column(Boolean, default=False)


# --- Plan catalog -------------------------------------------------------------------------


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("ward_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = ward_column()
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(255))
    place: Mapped[str] = mapped_column(String(255))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # signer, recipients, …


class Section(Base):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    short_title: Mapped[str] = mapped_column(String(255))
    full_text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class TaskAssignment(Base):
    """A unit assigned to a task: it leads it (chủ trì) or joins it (phối hợp). A task without
    any row is every active unit's (the default)."""

    __tablename__ = "task_assignments"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # lead | join


class Period(Base):
    """A reporting round: '9 tháng năm 2025', due before 01/09/2025."""

    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # six_month | nine_month | annual | adhoc
    title: Mapped[str] = mapped_column(String(255))
    due_before: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(Stamp)


class PeriodTask(Base):
    """A task an ad-hoc round asks for; a round without any row asks for every task."""

    __tablename__ = "period_tasks"
    __table_args__ = (UniqueConstraint("period_id", "task_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))


class PeriodUnit(Base):
    """A unit an ad-hoc round asks; a round without any row asks every active unit."""

    __tablename__ = "period_units"
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))


# --- Roster -------------------------------------------------------------------------------


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("ward_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = ward_column()
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(255), default="")  # "ghi chú" of the roster
    example: Mapped[bool] = mapped_column(Boolean, default=False)  # shipped example, to replace


class ResidentialGroup(Base):
    """Tổ dân phố."""

    __tablename__ = "residential_groups"
    __table_args__ = (UniqueConstraint("ward_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = ward_column()
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(255), default="")  # "ghi chú" of the roster
    example: Mapped[bool] = mapped_column(Boolean, default=False)  # shipped example, to replace


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int | None] = ward_column(nullable=True)  # None: a city user
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("residential_groups.id"), index=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Stamp)


class Account(Base):
    """One messenger account of a person; `chat_id` is where the bot writes to them."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    blocked_at: Mapped[datetime | None] = mapped_column(Stamp)
    created_at: Mapped[datetime] = mapped_column(Stamp)


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int | None] = ward_column(nullable=True)  # None: a city user's invite
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("residential_groups.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # link another account
    name: Mapped[str] = mapped_column(String(255), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    used_at: Mapped[datetime | None] = mapped_column(Stamp)
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    # A unit handed to a new head: on registration the unit's other heads lose access to it.
    handover: Mapped[bool] = mapped_column(Boolean, default=False)


class AuthFailure(Base):
    """A wrong invite code, for rate limiting per messenger account."""

    __tablename__ = "auth_failures"
    __table_args__ = (Index("ix_auth_failures_account", "platform", "account_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(Stamp)


# --- Conversations and inbound de-duplication --------------------------------------------


class Dialog(Base):
    """Conversation state per chat, so a restart or another process continues the flow."""

    __tablename__ = "dialogs"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    options: Mapped[list[Any]] = mapped_column(JSON, default=list)  # the last menu shown
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    # A reply to this chat was given up after its retries: the next message says so.
    reply_failed_at: Mapped[datetime | None] = mapped_column(Stamp)


class InboundEvent(Base):
    """Updates already processed: Telegram and Zalo deliver at least once."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("platform", "native_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    native_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(Stamp, index=True)


# --- Reports --------------------------------------------------------------------------------


class Entry(Base):
    """The current answer of a unit on a task for a period; history in EntryVersion."""

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("period_id", "unit_id", "task_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime] = mapped_column(Stamp)
    # The version the unit's latest submission (/nop) froze; None until the unit submits with
    # this entry. Reports count that version only: later edits wait for a resubmission.
    submitted_version: Mapped[int | None] = mapped_column(Integer)


class EntryVersion(Base):
    __tablename__ = "entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    # The entry's period, repeated here so that a round's versions are found by index: joined
    # through entries alone, PostgreSQL scanned every ward's versions (bench 6).
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"),
                                           index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp)


class Submission(Base):
    """A unit's '/nop' for a period; every (re-)submission is a row."""

    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_period_unit", "period_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    submitted_at: Mapped[datetime] = mapped_column(Stamp)
    late: Mapped[bool] = mapped_column(Boolean, default=False)


class ReportSection(Base):
    """A part of the ward's report only people write (assessment, direction, recipients, …),
    per period; every save is a row, the newest per key is the current text (history kept)."""

    __tablename__ = "report_sections"
    __table_args__ = (Index("ix_report_sections_period_key", "period_id", "key", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(Stamp)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Stamp, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- Scheduler, calendar and outbound delivery (used by the scheduler issue) -------------


class CalendarOverride(Base):
    """An admin's extra day off ('off') or make-up working day ('work')."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (UniqueConstraint("ward_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = ward_column()
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(255), default="")


class Delivery(Base):
    """Outbox: every bot-initiated message, written before it is sent (unique dedupe key)."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "platform", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # reminder | digest | broadcast | notice
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # text, options, file
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(Stamp)
    claimed_until: Mapped[datetime | None] = mapped_column(Stamp)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Stamp)
    sent_at: Mapped[datetime | None] = mapped_column(Stamp)
    ref_id: Mapped[int | None] = mapped_column(Integer, index=True)  # e.g. the broadcast id


class QuotaUsage(Base):
    """Outbound messages per platform and calendar month (Zalo plan quota)."""

    __tablename__ = "quota_usage"
    __table_args__ = (UniqueConstraint("platform", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    used: Mapped[int] = mapped_column(Integer, default=0)
    warned_at: Mapped[datetime | None] = mapped_column(Stamp)
    exhausted_notice_at: Mapped[datetime | None] = mapped_column(Stamp)


# --- Broadcasts to tổ trưởng and unit heads (issue 6) -------------------------------------


class Broadcast(Base):
    """An announcement; recurring ones fire again (run_no counts the runs)."""

    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_due", "status", "next_run_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int | None] = ward_column(nullable=True)  # None: the city's broadcast
    text: Mapped[str] = mapped_column(Text)
    file_path: Mapped[str] = mapped_column(String(500), default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_kind: Mapped[str] = mapped_column(String(16), default="")
    # all_groups | groups | unit_heads | everyone; the city's: city_admins | city_unit_heads |
    # city_groups (storage.broadcasts.CITY_AUDIENCES)
    audience: Mapped[str] = mapped_column(String(16))
    group_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    ward_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)  # city_groups: [] = all
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # draft | scheduled | sending | done | cancelled
    status: Mapped[str] = mapped_column(String(16))
    send_at: Mapped[datetime | None] = mapped_column(Stamp)
    repeat: Mapped[str] = mapped_column(String(8), default="")  # "" | weekly | monthly
    repeat_day: Mapped[int | None] = mapped_column(Integer)  # weekday 0-6 or day of month
    repeat_until: Mapped[date | None] = mapped_column(Date)
    next_run_at: Mapped[datetime | None] = mapped_column(Stamp)
    run_no: Mapped[int] = mapped_column(Integer, default=0)
    run_started_at: Mapped[datetime | None] = mapped_column(Stamp)
    run_total: Mapped[int] = mapped_column(Integer, default=0)
    progress_mark: Mapped[int] = mapped_column(Integer, default=0)
    resends: Mapped[int] = mapped_column(Integer, default=0)
    remind_after_hours: Mapped[int] = mapped_column(Integer, default=0)  # 0: no auto reminder
    reminded_run: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(Stamp)


class BroadcastRecipient(Base):
    """Who a run of a broadcast was meant for, and when they acknowledged it."""

    __tablename__ = "broadcast_recipients"
    __table_args__ = (UniqueConstraint("broadcast_id", "run_no", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    run_no: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channels: Mapped[int] = mapped_column(Integer, default=0)  # 0: on no messenger
    acknowledged_at: Mapped[datetime | None] = mapped_column(Stamp)


# --- The web desk (issue 17): one-time sign-in links and server-side sessions ---------------


class WebLogin(Base):
    """A one-time sign-in link for the web desk; only the token's SHA-256 is kept."""

    __tablename__ = "web_logins"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    used_at: Mapped[datetime | None] = mapped_column(Stamp)


class WebSession(Base):
    """A signed-in browser; the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(Stamp)
    last_seen_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)  # absolute limit
    revoked_at: Mapped[datetime | None] = mapped_column(Stamp)


class SendSlot(Base):
    """The next free moment to put a message on the wire of one platform, shared by every
    process of the deployment (storage/send_slots.py): one budget of Telegram's 30 msg/s for
    all of them, instead of a share each that drifts into 429s."""

    __tablename__ = "send_slots"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(Stamp)
    seq: Mapped[int] = mapped_column(BigInteger, server_default="0")  # messages booked so far
    # The last messages' times, a ring indexed by seq (PostgreSQL only: no SQLite row is used).
    sent_at: Mapped[list[float] | None] = mapped_column(SENT_RING)
