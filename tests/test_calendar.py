"""Working days and effective deadlines (domain.md §4 and §8), admin overrides, reminder slots."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from core.calendar import OFF, WORK, WorkingCalendar
from core.settings import Settings
from services.reminders import plan_period
from storage.plans import PeriodInfo
from tests.conftest import TZ, make_settings


@pytest.mark.parametrize(
    ("due_before", "deadline"),
    [
        (date(2025, 9, 1), date(2025, 8, 29)),  # weekend 30–31/08
        (date(2025, 12, 1), date(2025, 11, 28)),  # weekend 29–30/11
        (date(2026, 6, 1), date(2026, 5, 29)),
        (date(2026, 9, 1), date(2026, 8, 28)),  # 31/08/2026 is a swapped day off
        (date(2026, 12, 1), date(2026, 11, 30)),
    ],
)
def test_effective_deadline_is_last_working_day_before(due_before: date, deadline: date) -> None:
    # setup
    calendar = WorkingCalendar()
    # execute
    result = calendar.effective_deadline(due_before)
    # verify
    assert result == deadline


def test_tet_2026_and_national_day_are_days_off() -> None:
    # setup
    calendar = WorkingCalendar()
    tet = [date(2026, 2, d) for d in range(16, 21)]
    # execute / verify
    assert not any(calendar.is_working_day(d) for d in tet)
    assert calendar.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert calendar.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert not calendar.is_working_day(date(2025, 9, 2))
    assert not calendar.is_working_day(date(2026, 9, 2))
    assert calendar.effective_deadline(date(2026, 2, 23)) == date(2026, 2, 13)
    assert calendar.is_working_day(date(2026, 8, 22))  # Saturday worked in exchange for 31/08


def _settings(tmp_path: Path) -> Settings:
    return make_settings(f"sqlite:///{tmp_path / 'x.db'}", tmp_path)


@pytest.mark.parametrize(
    ("due_before", "d5", "d2", "d1", "d0", "after"),
    [
        (date(2025, 9, 1), "22/08", "27/08", "28/08", "29/08", "03/09"),
        (date(2025, 12, 1), "21/11", "26/11", "27/11", "28/11", "01/12"),
        (date(2026, 6, 1), "22/05", "27/05", "28/05", "29/05", "01/06"),
        (date(2026, 9, 1), "22/08", "26/08", "27/08", "28/08", "03/09"),
        (date(2026, 12, 1), "20/11", "26/11", "27/11", "30/11", "01/12"),
    ],
)
def test_reminder_fixture_table(tmp_path: Path, due_before: date, d5: str, d2: str, d1: str,
                                d0: str, after: str) -> None:
    # setup
    period = PeriodInfo(1, 1, "X", "annual", "Năm", due_before, False)
    # execute
    plan = plan_period(period, WorkingCalendar(), _settings(tmp_path))
    # verify
    assert [f"{s.day:%d/%m}" for s in plan.slots] == [d5, d2, d1, d0]
    assert [s.offset for s in plan.slots] == [5, 2, 1, 0]
    assert f"{plan.first_digest.day:%d/%m}" == after
    assert all(s.at.astimezone(TZ).hour == 8 for s in plan.slots)


def test_reminder_slots_follow_settings(tmp_path: Path) -> None:
    # setup
    settings = make_settings(f"sqlite:///{tmp_path / 'x.db'}", tmp_path,
                             reminder_hour=14, reminder_offsets="3,0")
    period = PeriodInfo(1, 1, "X", "annual", "Năm", date(2025, 12, 1), False)
    # execute
    plan = plan_period(period, WorkingCalendar(), settings)
    # verify
    assert [s.at.astimezone(TZ) for s in plan.slots] == [
        datetime(2025, 11, 25, 14, tzinfo=TZ), datetime(2025, 11, 28, 14, tzinfo=TZ)]


def test_overrides_add_a_day_off_and_a_working_saturday() -> None:
    # setup: Fri 28/11/2025 declared off; Sat 29/11/2025 a make-up working day
    calendar = WorkingCalendar({date(2025, 11, 28): OFF, date(2025, 11, 29): WORK})
    # execute
    deadline = calendar.effective_deadline(date(2025, 12, 1))
    # verify
    assert deadline == date(2025, 11, 29)
    assert calendar.holiday_name(date(2025, 11, 28)) == "Ngày nghỉ (bổ sung)"
    assert calendar.working_days_before(deadline, 1) == date(2025, 11, 27)
    assert calendar.working_days_until(date(2025, 11, 27), deadline) == 1
    assert calendar.working_days_until(date(2025, 12, 1), deadline) is None


def test_override_can_make_a_holiday_a_working_day() -> None:
    # setup
    calendar = WorkingCalendar({date(2026, 8, 31): WORK})
    # execute / verify
    assert calendar.effective_deadline(date(2026, 9, 1)) == date(2026, 8, 31)


def test_cli_calendar_override_moves_the_planned_reminders(tmp_path: Path) -> None:
    # setup
    from tests.test_cli import run_cli

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    before = run_cli(["schedule", "--period", "NAM-2025"], tmp_path, env=env)
    # execute
    added = run_cli(["calendar", "add", "28/11/2025", "--off", "--note", "QĐ 99"], tmp_path,
                    env=env)
    listed = run_cli(["calendar", "list"], tmp_path, env=env)
    after = run_cli(["schedule", "--period", "NAM-2025"], tmp_path, env=env)
    closed = run_cli(["period", "close", "NAM-2025"], tmp_path, env=env)
    bad = run_cli(["calendar", "add", "31/02/2026", "--work"], tmp_path, env=env)
    # verify
    assert "hạn nộp thực tế thứ Sáu 28/11/2025" in before.stdout
    assert "Nhắc D−5: thứ Sáu 08:00 21/11/2025" in before.stdout
    assert added.returncode == 0 and "thứ Sáu 28/11/2025 là ngày nghỉ (QĐ 99)" in added.stdout
    assert "28/11/2025: ngày nghỉ (QĐ 99)" in listed.stdout
    assert "hạn nộp thực tế thứ Năm 27/11/2025" in after.stdout
    assert "Nhắc D−5: thứ Năm 08:00 20/11/2025" in after.stdout
    assert closed.returncode == 0 and "Đã khóa Báo cáo năm 2025 (NAM-2025)" in closed.stdout
    assert bad.returncode == 2 and "không hợp lệ" in bad.stderr


def test_cli_calendar_override_is_taken_back(tmp_path: Path) -> None:
    # setup: 28/11/2025 made a day off, which moves the annual deadline to Thursday
    from tests.test_cli import run_cli

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    run_cli(["calendar", "add", "28/11/2025", "--off"], tmp_path, env=env)
    # execute
    removed = run_cli(["calendar", "remove", "28/11/2025"], tmp_path, env=env)
    again = run_cli(["calendar", "remove", "28/11/2025"], tmp_path, env=env)
    after = run_cli(["schedule", "--period", "NAM-2025"], tmp_path, env=env)
    # verify: the ordinary calendar again; a day without an override changes nothing
    assert removed.returncode == 0 and "thứ Sáu 28/11/2025 theo lịch thường" in removed.stdout
    assert again.returncode == 1 and "không có điều chỉnh" in again.stderr
    assert "hạn nộp thực tế thứ Sáu 28/11/2025" in after.stdout
