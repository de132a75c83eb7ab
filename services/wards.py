"""Ward use cases (issue 19): add, list, rename, deactivate; which ward a command acts on; the
ward's names and defaults for documents. The CLI calls these; chat and the web desk can too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from core.texts import wards as t
from storage import catalog, plans, roster, wards
from storage.models import Ward
from storage.scoping import use_ward, ward_of

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


class WardProblem(ValueError):
    """A ward command that cannot be done, worded for a person."""


@dataclass(frozen=True, slots=True)
class WardView:
    """A ward as people see it: empty settings already filled from the deployment's."""

    id: int
    code: str
    name: str
    kind: str  # "phường", "xã", "đặc khu"
    active: bool
    doc_name: str
    signer_name: str
    signer_title: tuple[str, ...]
    recipients: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.kind} {self.name}"


async def view(s: AsyncSession, ward_id: int, settings: Settings) -> WardView:
    """The ward's names and report defaults, falling back to WARD_NAME, WARD_KIND,
    REPORT_SIGNER_* and REPORT_RECIPIENTS for what it does not set itself."""
    ward = await wards.by_id(s, ward_id)
    if ward is None:
        raise WardProblem(t.UNKNOWN_WARD.format(code=ward_id, codes=await _codes(s)))
    return _view_of(ward, settings)


def _view_of(ward: Ward, settings: Settings) -> WardView:
    name = ward.name or settings.ward_name
    return WardView(
        ward.id, ward.code, name, t.KIND_LABELS.get(ward.kind, "") or settings.ward_kind,
        ward.active, ward.doc_name or name, ward.signer_name or settings.report_signer_name,
        tuple(ward.signer_title) or tuple(settings.report_signer_title),
        tuple(ward.recipients) or tuple(settings.report_recipients))


async def every_ward(s: AsyncSession, settings: Settings) -> list[WardView]:
    """Every ward, in one statement."""
    return [_view_of(w, settings) for w in await wards.all_ward_rows(s)]


async def _codes(s: AsyncSession, *, active_only: bool = False) -> str:
    found = await (wards.active_wards(s) if active_only else wards.all_wards(s))
    return ", ".join(w.code for w in found) or "-"


async def add(s: AsyncSession, code: str, name: str, kind: str, now: datetime) -> WardView:
    """A new ward with the shipped plan (its own copy: it runs its own rounds) and the example
    roster, as the first ward got at its first start."""
    code = wards.normalize_code(code)
    if not _CODE.match(code):
        raise WardProblem(t.BAD_WARD_CODE)
    kind_code = wards.kind_from_text(kind)
    if not kind_code:
        raise WardProblem(t.BAD_KIND.format(kind=kind))
    if await wards.by_code(s, code) is not None:
        raise WardProblem(t.WARD_EXISTS.format(code=code))
    ward = await wards.add(s, code, name.strip(), kind_code, now)
    previous = s.info.get("ward_id")
    use_ward(s, ward.id)
    try:
        await plans.import_plan(s, catalog.load_plan(catalog.DEFAULT_PLAN))
        await roster.import_roster(s, catalog.load_roster(catalog.DEFAULT_ROSTER), now)
    finally:
        use_ward(s, previous)
    return WardView(ward.id, code, ward.name, t.KIND_LABELS[kind_code], True, ward.name, "",
                    (), ())


async def find(s: AsyncSession, code: str) -> int:
    """The id of the ward with this code (active or not), or a WardProblem."""
    ward = await wards.by_code(s, code)
    if ward is None:
        raise WardProblem(t.UNKNOWN_WARD.format(code=code, codes=await _codes(s)))
    return ward.id


async def update(s: AsyncSession, code: str, *, name: str | None = None,
                 kind: str | None = None, doc_name: str | None = None,
                 signer_name: str | None = None,
                 recipients: tuple[str, ...] | None = None) -> None:
    ward = await wards.by_id(s, await find(s, code))
    assert ward is not None
    if kind is not None:
        kind_code = wards.kind_from_text(kind)
        if not kind_code:
            raise WardProblem(t.BAD_KIND.format(kind=kind))
        ward.kind = kind_code
    for field, value in (("name", name), ("doc_name", doc_name), ("signer_name", signer_name)):
        if value is not None:
            setattr(ward, field, value.strip())
    if recipients is not None:
        ward.recipients = list(recipients)
    await s.flush()


async def set_active(s: AsyncSession, code: str, active: bool) -> None:
    ward = await wards.by_id(s, await find(s, code))
    assert ward is not None
    ward.active = active
    await s.flush()


async def acting_ward(s: AsyncSession, code: str) -> int | None:
    """The ward a command acts on: the one named (active), else the only active one; None in a
    deployment that has only ever had one ward (nothing to scope: it works as before wards)."""
    if code:
        ward_id = await find(s, code)
        ward = await wards.by_id(s, ward_id)
        if ward is None or not ward.active:
            raise WardProblem(t.WARD_INACTIVE.format(code=wards.normalize_code(code)))
        return ward_id
    every = await wards.all_wards(s)
    if len(every) <= 1:
        return None
    active = [w for w in every if w.active]
    if len(active) == 1:
        return active[0].id
    if not active:
        raise WardProblem(t.NO_ACTIVE_WARD)
    raise WardProblem(t.WHICH_WARD.format(codes=await _codes(s, active_only=True)))


async def sweep_wards(s: AsyncSession) -> list[int | None]:
    """The wards a scheduled job goes through one by one: [None] (no scoping, as before wards)
    while the deployment has only ever had one ward."""
    every = await wards.all_wards(s)
    if len(every) <= 1:
        return [None]
    return [w.id for w in every if w.active]


async def ward_settings(s: AsyncSession, settings: Settings) -> Settings:
    """The settings as the session's ward sees them: its name for documents, kind, signer and
    Nơi nhận in place of the deployment's (unchanged in a session of no particular ward)."""
    ward_id = ward_of(s)
    if ward_id is None:
        return settings
    ward = await view(s, ward_id, settings)
    return settings.model_copy(update={
        "ward_name": ward.doc_name, "ward_kind": ward.kind,
        "report_signer_name": ward.signer_name, "report_signer_title": ward.signer_title,
        "report_recipients": ward.recipients})
