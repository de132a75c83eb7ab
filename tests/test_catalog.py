"""Plan and roster files: idempotent import, malformed files named by line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from storage import catalog, plans, roster
from storage.models import Period, Plan, Section, Task, Unit


async def counts(app: App) -> tuple[int, ...]:
    async with app.deps.sessions() as s:
        return tuple([
            int(await s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Plan, Section, Task, Period)
        ])


async def test_default_plan_is_loaded_on_first_start_with_verbatim_texts(app: App) -> None:
    assert await counts(app) == (1, 5, 23, 2)
    async with app.deps.sessions() as s:
        task = await s.scalar(select(Task).where(Task.code == "2.7"))
        plan = await s.scalar(select(Plan))
    assert task is not None and "an sinh phường hội" in task.full_text  # source quirk kept
    assert plan is not None and plan.number == "25/KH-UBND"
    assert plan.meta["signer"]["name"] == "Nguyễn Đức Anh"


async def test_reimport_updates_and_never_duplicates(app: App, tmp_path: Path) -> None:
    # setup: the same plan with one task text changed
    text = catalog.DEFAULT_PLAN.read_text(encoding="utf-8")
    changed = tmp_path / "plan.yaml"
    changed.write_text(text.replace("Ban hành kế hoạch triển khai thực hiện mô hình",
                                    "BAN HÀNH kế hoạch triển khai thực hiện mô hình"), "utf-8")
    # execute
    async with app.deps.sessions.begin() as s:
        report = await plans.import_plan(s, catalog.load_plan(changed))
    # verify
    assert not report.created and await counts(app) == (1, 5, 23, 2)
    async with app.deps.sessions() as s:
        task = await s.scalar(select(Task).where(Task.code == "2.4"))
    assert task is not None and task.full_text.startswith("BAN HÀNH")


@pytest.mark.parametrize(("mutation", "expected"), [
    (("code: \"1.2\"", "code: \"1.1\""), "mã nhiệm vụ bị trùng: 1.1"),
    (("issued_on: \"2025-08-13\"", "issued_on: \"13/8/2025\""), "trường plan.issued_on"),
    (("    section: \"3\"\n    short_title: \"Quyết định",
      "    section: \"9\"\n    short_title: \"Quyết định"), "thuộc mục '9'"),
    (("kind: nine_month", "kind: quarterly"), "trường periods.0.kind"),
    (("  - code: \"2.2\"\n", "  - code: [\"2.2\"\n"), "YAML sai cú pháp"),
])
def test_malformed_plan_names_the_problem(tmp_path: Path, mutation: tuple[str, str],
                                          expected: str) -> None:
    text = catalog.DEFAULT_PLAN.read_text(encoding="utf-8")
    assert mutation[0] in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(mutation[0], mutation[1], 1), "utf-8")
    with pytest.raises(catalog.CatalogError) as err:
        catalog.load_plan(bad)
    assert expected in str(err.value)


def test_field_errors_carry_the_line_number(tmp_path: Path) -> None:
    text = catalog.DEFAULT_PLAN.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "kind: nine_month" in row)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("kind: nine_month", "kind: quarterly"), "utf-8")
    with pytest.raises(catalog.CatalogError, match=f"dòng {line},"):
        catalog.load_plan(bad)


async def test_roster_import_is_idempotent(app: App, tmp_path: Path) -> None:
    data = tmp_path / "roster.yaml"
    data.write_text(
        "units:\n  - code: VP\n    name: \"Văn phòng HĐND và UBND phường\"\n"
        "  - code: CAP\n    name: \"Công an phường\"\n"
        "people:\n  - name: \"Đỗ Văn Hùng\"\n    role: unit_head\n    unit: CAP\n", "utf-8")
    for _ in range(2):
        async with app.deps.sessions.begin() as s:
            await roster.import_roster(s, catalog.load_roster(data), app.deps.clock.now())
    async with app.deps.sessions() as s:
        units = {u.code: u.name for u in await s.scalars(select(Unit))}
        people = await roster.list_people(s)
    assert units["VP"] == "Văn phòng HĐND và UBND phường" and "CAP" in units
    assert [p.name for p in people] == ["Đỗ Văn Hùng"]


def test_roster_person_needs_a_unit(tmp_path: Path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text("people:\n  - name: \"A\"\n    role: unit_head\n", "utf-8")
    with pytest.raises(catalog.CatalogError, match="cần mã đơn vị"):
        catalog.load_roster(bad)
