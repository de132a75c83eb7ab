"""Roster administration use cases: import a roster (.xlsx or YAML) with a preview, export it,
deactivate and reactivate units, tổ dân phố and people.

The CLI calls these today; the chat and the web desk call the same functions. Reading a file
never touches the database, and an import is one transaction: a bad file imports nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.texts import roster as t
from core.textutil import fold
from core.types import Role
from storage import catalog, events
from storage.models import Person, ResidentialGroup, Unit

MAX_FILE_BYTES = 2 * 1024 * 1024  # a ward's roster is a few KB; refuse anything past 2 MB
MAX_ROWS = 5000
MAX_ERRORS = 10
CODE_LIMIT, NAME_LIMIT = 32, 255

Kind = Literal["unit", "group"]


class RosterFileError(ValueError):
    """A roster file that cannot be imported; the message names the row and column."""


# --- Reading ----------------------------------------------------------------------------------

# Header names, folded (no diacritics, lower case): the first alias a header starts with wins.
_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("ma",)),
    ("name", ("ten", "ho ten", "ho va ten")),
    ("kind", ("loai", "phan loai")),
    ("head", ("nguoi phu trach", "phu trach", "thu truong", "to truong", "nguoi dung dau")),
    ("phone", ("dien thoai", "so dien thoai", "sdt", "so dt")),
    ("note", ("ghi chu",)),
)
_TITLES = t.COLUMN_TITLES
_REQUIRED = ("code", "name", "kind")


def _column_of(header: str) -> str | None:
    key = fold(header).strip(" *:.")
    for column, aliases in _COLUMNS:
        for alias in aliases:
            if key == alias or key.startswith(alias + " ") or key.startswith(alias + "/"):
                return column
    return None


def kind_of(value: str) -> Kind | None:
    """'Cơ quan/đơn vị', 'đơn vị', 'phòng' → unit; 'Tổ dân phố', 'TDP', 'tổ' → group."""
    key = fold(value)
    if not key:
        return None
    if "to dan pho" in key or key in ("tdp", "to", "khu pho", "thon"):
        return "group"
    if any(word in key for word in ("co quan", "don vi", "phong", "trung tam", "van phong")):
        return "unit"
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file over the limit before reading a byte of it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise RosterFileError(t.FILE_UNREADABLE.format(name=path.name, reason=exc.strerror)) \
            from None
    if size > limit:
        raise RosterFileError(t.FILE_TOO_LARGE.format(name=path.name, size=size // 1024,
                                                      limit=limit // 1024))


def read_roster(path: Path, limit: int = MAX_FILE_BYTES) -> catalog.RosterFile:
    """A roster from .xlsx or YAML, validated; RosterFileError names what is wrong and where."""
    check_size(path, limit)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            return catalog.load_roster(path)
        except catalog.CatalogError as exc:
            raise RosterFileError(t.YAML_ERROR.format(message=exc)) from None
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    raise RosterFileError(t.FILE_KIND_UNKNOWN.format(name=path.name))


def read_xlsx(path: Path) -> catalog.RosterFile:
    """The first sheet: a header row (Mã, Tên, Loại, …, matched without diacritics), then one
    unit or tổ dân phố per row; 'Người phụ trách' (several separated by ';') become people."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise RosterFileError(t.FILE_UNREADABLE.format(name=path.name, reason=exc)) from None
    try:
        rows = [(index, [_cell_text(v) for v in row]) for index, row in
                enumerate(book.worksheets[0].iter_rows(values_only=True,
                                                       max_row=MAX_ROWS + 50), start=1)]
    finally:
        book.close()
    rows = [(index, cells) for index, cells in rows if any(cells)]
    if not rows:
        raise RosterFileError(t.FILE_EMPTY.format(name=path.name))
    header_row, header = rows[0]
    columns: dict[str, int] = {}
    for position, title in enumerate(header):
        column = _column_of(title) if title else None
        if column is None:
            continue
        if column in columns:
            raise RosterFileError(t.DUPLICATE_COLUMN.format(name=path.name, row=header_row,
                                                            column=title))
        columns[column] = position
    missing = [f"«{_TITLES[c]}»" for c in _REQUIRED if c not in columns]
    if missing:
        raise RosterFileError(t.MISSING_COLUMNS.format(name=path.name, row=header_row,
                                                       columns=", ".join(missing)))
    if len(rows) == 1:
        raise RosterFileError(t.NO_ROWS.format(name=path.name))

    errors: list[str] = []

    def fail(row: int, column: str, problem: str) -> None:
        errors.append(t.CELL_ERROR.format(row=row, column=_TITLES[column],
                                          letter=get_column_letter(columns[column] + 1),
                                          problem=problem))

    def get(cells: list[str], column: str) -> str:
        position = columns.get(column)
        return cells[position] if position is not None and position < len(cells) else ""

    units: list[catalog.UnitFile] = []
    groups: list[catalog.UnitFile] = []
    people: list[catalog.PersonFile] = []
    seen: dict[str, int] = {}
    for row, cells in rows[1:]:
        code, name, kind_text = get(cells, "code"), get(cells, "name"), get(cells, "kind")
        kind = kind_of(kind_text)
        ok = True
        if not code:
            fail(row, "code", t.EMPTY_CODE)
            ok = False
        elif len(code) > CODE_LIMIT:
            fail(row, "code", t.CODE_TOO_LONG.format(code=code, limit=CODE_LIMIT))
            ok = False
        elif code.upper() in seen:
            fail(row, "code", t.DUPLICATE_CODE.format(code=code, first=seen[code.upper()]))
            ok = False
        else:
            seen[code.upper()] = row
        if not name:
            fail(row, "name", t.EMPTY_NAME)
            ok = False
        elif len(name) > NAME_LIMIT:
            fail(row, "name", t.NAME_TOO_LONG.format(limit=NAME_LIMIT))
            ok = False
        if kind is None:
            fail(row, "kind", t.BAD_KIND.format(value=kind_text))
            ok = False
        if not ok or kind is None:
            continue
        item = catalog.UnitFile(code=code, name=name, note=get(cells, "note")[:255])
        (units if kind == "unit" else groups).append(item)
        phone = get(cells, "phone")[:32]
        for head in (h.strip() for h in get(cells, "head").replace("\n", ";").split(";")):
            if not head:
                continue
            if kind == "unit":
                people.append(catalog.PersonFile(name=head[:255], role="unit_head", unit=code,
                                                 phone=phone))
            else:
                people.append(catalog.PersonFile(name=head[:255], role="group_leader",
                                                 group=code, phone=phone))
    if errors:
        raise RosterFileError(_errors_message(path.name, errors))
    return catalog.RosterFile(units=units, groups=groups, people=people)


def _errors_message(name: str, errors: list[str]) -> str:
    lines = [t.ERRORS_HEADER.format(name=name), *(f"  {e}" for e in errors[:MAX_ERRORS])]
    if len(errors) > MAX_ERRORS:
        lines.append(t.MORE_ERRORS.format(count=len(errors) - MAX_ERRORS))
    return "\n".join(lines)


# --- Preview and import -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    kind: Kind
    code: str
    name: str
    old_name: str = ""
    reactivated: bool = False


@dataclass(slots=True)
class ImportPlan:
    """What an import would do: shown to the officer before anything is saved."""

    added: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)
    unlisted: list[Item] = field(default_factory=list)
    new_people: int = 0
    replace: bool = False
    examples_left: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.new_people
                    or (self.replace and self.unlisted))

    def lines(self, source: str, unlisted_title: str = "") -> list[str]:
        """The preview; `unlisted_title` words the "no longer listed" heading for a caller that
        asks afterwards whether to deactivate them (chat)."""
        kinds = {"unit": t.KIND_UNIT, "group": t.KIND_GROUP}
        out = [t.PREVIEW_HEADER.format(name=source)]
        if self.added:
            out.append(t.PREVIEW_ADDED.format(count=len(self.added)))
            out += [t.PREVIEW_LINE.format(kind=kinds[i.kind], code=i.code, name=i.name)
                    + (t.PREVIEW_REACTIVATED if i.reactivated else "") for i in self.added]
        if self.changed:
            out.append(t.PREVIEW_CHANGED.format(count=len(self.changed)))
            out += [t.PREVIEW_CHANGE_LINE.format(kind=kinds[i.kind], code=i.code, old=i.old_name,
                                                 new=i.name) for i in self.changed]
        if self.unlisted:
            title = unlisted_title or (t.PREVIEW_UNLISTED_REPLACE if self.replace
                                       else t.PREVIEW_UNLISTED_KEEP)
            out.append(title.format(count=len(self.unlisted)))
            out += [t.PREVIEW_LINE.format(kind=kinds[i.kind], code=i.code, name=i.name)
                    for i in self.unlisted]
        if self.new_people:
            out.append(t.PREVIEW_PEOPLE.format(count=self.new_people))
        if self.empty:
            out.append(t.PREVIEW_NOTHING)
        return out


async def _existing(s: AsyncSession) -> tuple[dict[str, Unit], dict[str, ResidentialGroup]]:
    units = {u.code.upper(): u for u in await s.scalars(select(Unit))}
    groups = {g.code.upper(): g for g in await s.scalars(select(ResidentialGroup))}
    return units, groups


def _check_types(data: catalog.RosterFile, units: dict[str, Unit],
                 groups: dict[str, ResidentialGroup]) -> None:
    """A code the file gives one type that the database holds as the other is refused."""
    errors: list[str] = []
    for item in data.units:
        if item.code.upper() in groups:
            errors.append(t.CODE_OTHER_TYPE.format(code=item.code, existing=t.KIND_GROUP,
                                                   wanted=t.KIND_UNIT))
    for item in data.groups:
        if item.code.upper() in units:
            errors.append(t.CODE_OTHER_TYPE.format(code=item.code, existing=t.KIND_UNIT,
                                                   wanted=t.KIND_GROUP))
    unit_codes = set(units) | {i.code.upper() for i in data.units}
    group_codes = set(groups) | {i.code.upper() for i in data.groups}
    for index, person in enumerate(data.people):
        if person.unit and person.unit.upper() not in unit_codes:
            errors.append(t.UNKNOWN_REFERENCE.format(index=index + 1, name=person.name,
                                                     code=person.unit))
        if person.group and person.group.upper() not in group_codes:
            errors.append(t.UNKNOWN_REFERENCE.format(index=index + 1, name=person.name,
                                                     code=person.group))
    if errors:
        raise RosterFileError("\n".join(errors))


async def _people_index(s: AsyncSession) -> set[tuple[str, str, int | None, int | None]]:
    return {(fold(p.name), p.role, p.unit_id, p.group_id) for p in await s.scalars(select(Person))}


async def plan_import(s: AsyncSession, data: catalog.RosterFile, *,
                      replace: bool = False) -> ImportPlan:
    """The preview: what is added, changed and no longer listed. Reads only."""
    units, groups = await _existing(s)
    _check_types(data, units, groups)
    plan = ImportPlan(replace=replace)
    tables: list[tuple[Kind, list[catalog.UnitFile], dict[str, Any]]] = [
        ("unit", data.units, units), ("group", data.groups, groups)]
    for kind, items, table in tables:
        listed = {i.code.upper() for i in items}
        for item in items:
            row = table.get(item.code.upper())
            if row is None or not row.active:
                plan.added.append(Item(kind, item.code, item.name, reactivated=row is not None))
            elif row.name != item.name or row.note != item.note or row.example != item.example:
                plan.changed.append(Item(kind, item.code, item.name, old_name=row.name))
        # --replace replaces the kinds the file lists: a file of tổ dân phố keeps the units.
        if items:
            plan.unlisted += [Item(kind, row.code, row.name) for key, row in sorted(table.items())
                              if row.active and key not in listed]
    known = await _people_index(s)
    ids = {("unit", k): u.id for k, u in units.items()} | {
        ("group", k): g.id for k, g in groups.items()}
    for p in data.people:
        unit_id = ids.get(("unit", (p.unit or "").upper()))
        group_id = ids.get(("group", (p.group or "").upper()))
        if (unit_id is None and p.unit) or (group_id is None and p.group):
            plan.new_people += 1  # its unit or tổ is new too
        elif (fold(p.name), p.role, unit_id, group_id) not in known:
            plan.new_people += 1
    return plan


async def apply_import(s: AsyncSession, data: catalog.RosterFile, now: datetime, *,
                       replace: bool = False, by: int | None = None) -> ImportPlan:
    """Import in the caller's transaction: upsert units and tổ dân phố by code (case-insensitive),
    add the people not yet present (same name without diacritics, role, unit or tổ), and with
    `replace` deactivate the units (tổ dân phố) the file no longer lists — when it lists any."""
    plan = await plan_import(s, data, replace=replace)
    units, groups = await _existing(s)
    pairs: list[tuple[type[Unit] | type[ResidentialGroup], list[catalog.UnitFile], dict[str, Any]]]
    pairs = [(Unit, data.units, units), (ResidentialGroup, data.groups, groups)]
    for model, items, table in pairs:
        for entry in items:
            row = table.get(entry.code.upper())
            if row is None:
                row = model(code=entry.code)
                s.add(row)
                table[entry.code.upper()] = row
            row.name, row.note, row.example, row.active = (entry.name, entry.note,
                                                           entry.example, True)
    if replace:
        for item in plan.unlisted:
            if item.kind == "unit":
                units[item.code.upper()].active = False
            else:
                groups[item.code.upper()].active = False
    await s.flush()
    known = await _people_index(s)
    for p in data.people:
        unit_id = units[p.unit.upper()].id if p.unit else None
        group_id = groups[p.group.upper()].id if p.group else None
        key = (fold(p.name), p.role, unit_id, group_id)
        if key in known:
            continue
        known.add(key)
        s.add(Person(name=p.name, role=p.role, unit_id=unit_id, group_id=group_id,
                     phone=p.phone, created_at=now))
    await s.flush()
    rows: list[Unit | ResidentialGroup] = [*units.values(), *groups.values()]
    plan.examples_left = [r.code for r in rows if r.active and r.example]
    await events.audit(s, now, by, "roster_import", added=len(plan.added),
                       changed=len(plan.changed),
                       deactivated=len(plan.unlisted) if replace else 0)
    return plan


async def import_file(s: AsyncSession, path: Path, now: datetime, *, replace: bool = False,
                      by: int | None = None) -> ImportPlan:
    """Read, check and import a roster file in one go (chat and web confirm a preview first)."""
    return await apply_import(s, read_roster(path), now, replace=replace, by=by)


# --- Export -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportReport:
    units: int
    groups: int


async def export_xlsx(s: AsyncSession, path: Path) -> ExportReport:
    """The active roster as an .xlsx the import reads back (same columns)."""
    units = list(await s.scalars(select(Unit).where(Unit.active).order_by(Unit.code)))
    groups = list(await s.scalars(
        select(ResidentialGroup).where(ResidentialGroup.active).order_by(ResidentialGroup.code)))
    heads: dict[tuple[str, int], list[Person]] = {}
    for p in await s.scalars(select(Person).where(Person.active).order_by(Person.id)):
        if p.role == Role.UNIT_HEAD.value and p.unit_id is not None:
            heads.setdefault(("unit", p.unit_id), []).append(p)
        elif p.role == Role.GROUP_LEADER.value and p.group_id is not None:
            heads.setdefault(("group", p.group_id), []).append(p)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t.EXPORT_SHEET
    sheet.append(list(t.EXPORT_HEADERS))
    rows: list[tuple[Kind, Unit | ResidentialGroup]] = [
        *(("unit", u) for u in units), *(("group", g) for g in groups)]
    for kind, row in rows:
        people = heads.get((kind, row.id), [])
        note = row.note or (t.EXAMPLE_NOTE if row.example else "")
        sheet.append([row.code, row.name,
                      t.KIND_UNIT_CELL if kind == "unit" else t.KIND_GROUP_CELL,
                      "; ".join(p.name for p in people),
                      "; ".join(p.phone for p in people if p.phone), note])
    for letter, width in zip("ABCDEF", (12, 40, 18, 32, 16, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return ExportReport(len(units), len(groups))


# --- Deactivate and reactivate -----------------------------------------------------------------


class NotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class ActiveChange:
    what: str
    key: str
    name: str
    active: bool
    changed: bool

    def message(self) -> str:
        fields = {"what": self.what, "key": self.key, "name": self.name}
        if not self.changed:
            text = t.ALREADY_ACTIVE if self.active else t.ALREADY_INACTIVE
            return text.format(**fields)[:1].upper() + text.format(**fields)[1:]
        return (t.REACTIVATED if self.active else t.DEACTIVATED).format(**fields)


async def set_active(s: AsyncSession, kind: Literal["unit", "group", "person"], key: str,
                     active: bool, now: datetime, *, by: int | None = None) -> ActiveChange:
    """Deactivate or reactivate a unit or tổ dân phố (by code) or a person (by id).

    Nothing is deleted: reports, submissions and broadcast receipts stay. A deactivated unit or
    tổ leaves summaries, reminders and broadcast audiences; a deactivated person's accounts stop
    working."""
    row: Unit | ResidentialGroup | Person | None
    if kind == "unit":
        row = await s.scalar(select(Unit).where(func.upper(Unit.code) == key.upper()))
        what, missing = t.WHAT_UNIT, t.NOT_FOUND_UNIT
    elif kind == "group":
        row, what, missing = (
            await s.scalar(select(ResidentialGroup).where(
                func.upper(ResidentialGroup.code) == key.upper())),
            t.WHAT_GROUP, t.NOT_FOUND_GROUP)
    else:
        row = await s.get(Person, int(key)) if key.strip().isdigit() else None
        what, missing = t.WHAT_PERSON, t.NOT_FOUND_PERSON
    if row is None:
        raise NotFound(missing.format(key=key))
    label = str(row.id) if isinstance(row, Person) else row.code
    changed = row.active != active
    row.active = active
    if changed:
        await events.audit(s, now, by, "activate" if active else "deactivate", kind=kind,
                           key=label)
    await s.flush()
    return ActiveChange(what, label, row.name, active, changed)
