"""Plan and roster files (YAML): validated before anything touches the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.texts import catalog as t
from core.validation import vietnamese

PERIOD_KINDS = ("six_month", "nine_month", "annual", "adhoc")
KIND_TITLES = t.KIND_TITLES


class CatalogError(Exception):
    """A malformed plan or roster file; the message names the line and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignerFile(_Strict):
    authority_lines: list[str] = Field(min_length=1)
    name: str = Field(min_length=1)


class PlanHeader(_Strict):
    number: str = Field(min_length=1, max_length=64)
    issued_on: date
    place: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    city: str = ""
    doc_type: str = t.PLAN_DOC_TYPE
    title: str = Field(min_length=1)
    legal_basis: str = ""
    signer: SignerFile
    recipients: list[str] = []
    themes: list[str] = []
    campaign: str = ""


class SectionFile(_Strict):
    code: str = Field(min_length=1, max_length=16)
    title: str = Field(min_length=1)


class LeadUnit(_Strict):
    unit: str
    basis: str = ""


class TaskFile(_Strict):
    code: str = Field(min_length=1, max_length=16)
    section: str = Field(min_length=1)
    short_title: str = Field(min_length=1, max_length=255)
    full_text: str = Field(min_length=1)
    lead_unit: LeadUnit | None = None
    suggested_lead_unit: str = ""
    suggested_kind: str = ""
    note: str = ""


class PeriodFile(_Strict):
    code: str = Field(min_length=1, max_length=32)
    kind: Literal["six_month", "nine_month", "annual", "adhoc"]
    year: int = Field(ge=2000, le=2100)
    due_before: date
    title: str = ""

    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.kind == "annual":
            return t.ANNUAL_TITLE.format(year=self.year)
        return t.PERIOD_TITLE.format(kind=KIND_TITLES[self.kind], year=self.year)


class PlanFile(_Strict):
    plan: PlanHeader
    sections: list[SectionFile] = Field(min_length=1)
    tasks: list[TaskFile] = Field(min_length=1)
    periods: list[PeriodFile] = []

    @field_validator("tasks")
    @classmethod
    def _unique_tasks(cls, tasks: list[TaskFile]) -> list[TaskFile]:
        _no_duplicates([t.code for t in tasks], t.TASK_CODE)
        return tasks

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, sections: list[SectionFile]) -> list[SectionFile]:
        _no_duplicates([s.code for s in sections], t.SECTION_CODE)
        return sections

    def check_references(self) -> None:
        codes = {s.code for s in self.sections}
        for index, task in enumerate(self.tasks):
            if task.section not in codes:
                raise ValueError(t.UNKNOWN_SECTION.format(index=index, task=task.code,
                                                          section=task.section))
        _no_duplicates([p.code for p in self.periods], t.PERIOD_CODE)


class UnitFile(_Strict):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=255)
    note: str = Field(default="", max_length=255)
    example: bool = False  # a shipped example the ward replaces (roster import --replace)


class PersonFile(_Strict):
    name: str = Field(min_length=1, max_length=255)
    role: Literal["admin", "unit_head", "group_leader"]
    unit: str | None = None
    group: str | None = None
    phone: str = ""


class RosterFile(_Strict):
    units: list[UnitFile] = []
    groups: list[UnitFile] = []
    people: list[PersonFile] = []

    def check_references(self) -> None:
        _no_duplicates([u.code for u in self.units], t.UNIT_CODE)
        _no_duplicates([g.code for g in self.groups], t.GROUP_CODE)
        for index, person in enumerate(self.people):
            if person.role == "unit_head" and not person.unit:
                raise ValueError(t.HEAD_NEEDS_UNIT.format(index=index))
            if person.role == "group_leader" and not person.group:
                raise ValueError(t.LEADER_NEEDS_GROUP.format(index=index))


def _no_duplicates(codes: list[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(t.DUPLICATE.format(what=what, code=code))
        seen.add(code)


Model = TypeVar("Model", bound=BaseModel)


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line number."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key] if key < len(node.value) else None
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _load(path: Path, model: type[Model]) -> Model:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(t.UNREADABLE.format(path=path, reason=exc.strerror)) from None
    try:
        root = yaml.compose(text)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = t.LINE.format(line=mark.line + 1) if mark else "?"
        # Where, in Vietnamese; not PyYAML's English pages ("while parsing a flow sequence…").
        raise CatalogError(t.BAD_YAML.format(path=path, where=where)) from None
    if not isinstance(data, dict):
        raise CatalogError(t.NOT_A_MAPPING.format(path=path))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if isinstance(p, (int, str)))
        field = ".".join(str(p) for p in loc)
        line = _line_of(root, loc)
        extra = len(exc.errors()) - 1
        more = t.MORE_ERRORS.format(count=extra) if extra else ""
        raise CatalogError(t.INVALID_FIELD.format(path=path, line=line, field=field,
                                                  message=vietnamese(err), more=more)) from None


def load_plan(path: Path) -> PlanFile:
    plan = _load(path, PlanFile)
    try:
        plan.check_references()
    except ValueError as exc:
        raise CatalogError(f"{path}: {exc}") from None
    return plan


def load_roster(path: Path) -> RosterFile:
    roster = _load(path, RosterFile)
    try:
        roster.check_references()
    except ValueError as exc:
        raise CatalogError(f"{path}: {exc}") from None
    return roster


DATA = Path(__file__).resolve().parent.parent / "bot" / "data"
DEFAULT_PLAN = DATA / "plan-25-KH-UBND-2025.yaml"
DEFAULT_ROSTER = DATA / "roster-nam-do-son.yaml"
