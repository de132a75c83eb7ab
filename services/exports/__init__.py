"""Pure renderers of a period summary: DOCX (Nghị định 30/2020 layout), XLSX and a chart PNG.

Nothing here touches the database or a messenger: the caller loads `PeriodSummary` and decides
where the file goes. The helpers below are shared by the three renderers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core import texts
from core.settings import Settings
from core.texts import exports as tx
from core.textutil import fold
from core.types import Status
from services.report_sections import ReportParts
from storage.plans import TaskInfo
from storage.summary import STATUS_ORDER, PeriodSummary, UnitEntry

if TYPE_CHECKING:
    from services.city import CityRollup

FORMATS = ("docx", "xlsx")
# The two DOCX documents: the Báo cáo to the city (to sign) and the internal Tổng hợp by unit.
REPORT, COMPILATION = "bao-cao", "tong-hop"
DOCUMENTS = (REPORT, COMPILATION)
# Characters XML 1.0 cannot hold; python-docx and openpyxl refuse them, so they are dropped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who issues the compiled report, and when it is drafted (for the year on the date line)."""

    ward_name: str
    ward_kind: str
    today: date
    tz: ZoneInfo


@dataclass(frozen=True, slots=True)
class CityIssuer:
    """Who issues the city's summary (the CITY_* settings), and when it is drafted."""

    city_name: str  # "UBND thành phố Hải Phòng"
    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]
    signer_name: str
    today: date
    tz: ZoneInfo

    @classmethod
    def of(cls, settings: Settings, today: date) -> CityIssuer:
        return cls(settings.city_name, settings.city_recipients, settings.city_signer_title,
                   settings.city_signer_name, today, settings.tz)

    @property
    def locality(self) -> str:
        """"thành phố Hải Phòng": the name without a leading "UBND" / "Ủy ban nhân dân", so
        that "Ủy ban nhân dân {locality}" never reads "Ủy ban nhân dân UBND …"."""
        words = self.city_name.split()
        folded = [fold(w) for w in words]
        for prefix in (["ubnd"], ["uy", "ban", "nhan", "dan"]):
            if folded[:len(prefix)] == prefix and len(words) > len(prefix):
                return " ".join(words[len(prefix):])
        return self.city_name.strip()

    @property
    def place(self) -> str:
        """"Hải Phòng": the place on the date line, without "thành phố" / "tỉnh"."""
        words = self.locality.split()
        folded = [fold(w) for w in words]
        for prefix in (["thanh", "pho"], ["tinh"], ["tp."]):
            if folded[:len(prefix)] == prefix and len(words) > len(prefix):
                return " ".join(words[len(prefix):])
        return self.locality


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def status_label(status: str) -> str:
    if status == "missing":
        return tx.MISSING_LABEL
    if status == NOT_ASSIGNED:
        return tx.NOT_ASSIGNED_LABEL
    return texts.STATUS_LABELS[Status(status)]


COUNT_KEYS: tuple[str, ...] = (*(s.value for s in STATUS_ORDER), "missing")
NOT_ASSIGNED = "not_assigned"  # a matrix cell whose task is not the unit's: never "missing"


def tasks_in_order(summary: PeriodSummary) -> list[TaskInfo]:
    return [task for section in summary.sections for task in section.tasks]


def entries_in_order(summary: PeriodSummary) -> Iterator[tuple[TaskInfo, UnitEntry]]:
    """Every entry, in plan order of tasks and then by unit name (a generator: at city scale
    that is 115,000 pairs nobody needs to hold at once)."""
    for task in tasks_in_order(summary):
        for entry in summary.by_task.get(task.id, ()):
            yield task, entry


@dataclass(frozen=True, slots=True)
class Grouped:
    """One distinct text reported for a task, with every unit that reported it."""

    text: str
    units: tuple[str, ...]


def group_by_text(pairs: Iterable[tuple[str, str]]) -> list[Grouped]:
    """(text, unit) pairs → one Grouped per distinct text (accent- and case-insensitive,
    trailing "." or ";" ignored), in order of first appearance; empty texts are skipped."""
    groups: dict[str, tuple[str, list[str]]] = {}
    keys: dict[str, str] = {}  # fold() once per distinct spelling: at city scale texts repeat
    for raw, unit in pairs:
        text = raw.strip()
        if not text:
            continue
        key = keys.get(text)
        if key is None:
            key = keys[text] = fold(text).rstrip(".;")
        groups.setdefault(key, (text, []))[1].append(unit)
    return [Grouped(t, tuple(u)) for t, u in groups.values()]


def most_frequent_first(groups: Iterable[Grouped]) -> list[Grouped]:
    """The texts most units reported first; ties keep their order."""
    return sorted(groups, key=lambda g: -len(g.units))


def grouped_texts(summary: PeriodSummary, field: str) -> list[tuple[TaskInfo, list[Grouped]]]:
    """Difficulties or proposals by task; the same text from several units is listed once."""
    out: list[tuple[TaskInfo, list[Grouped]]] = []
    for task in tasks_in_order(summary):
        groups = group_by_text((str(getattr(entry, field)), entry.unit_name)
                               for entry in summary.by_task.get(task.id, ()))
        if groups:
            out.append((task, groups))
    return out


def local_time(moment: datetime, tz: ZoneInfo) -> datetime:
    """Naive local time: what a reader expects, and what spreadsheets can store."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment.tzinfo else moment


def export_name(period_code: str, fmt: str, now: datetime) -> str:
    """A file name that is readable, unique and safe on every file system and in a URL."""
    code = _SAFE_NAME.sub("-", fold(period_code)).strip("-") or "ky"
    return f"bao-cao-{code}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.{fmt}"


def download_name(period_code: str, fmt: str, document: str = REPORT) -> str:
    """The name the admin's file gets: bao-cao-NAM-2025.docx, tong-hop-NAM-2025.docx."""
    prefix = COMPILATION if fmt == "docx" and document == COMPILATION else REPORT
    return f"{prefix}-{period_code}.{fmt}"


def render(summary: PeriodSummary, fmt: str, issuer: Issuer, path: Path, *,
           document: str = REPORT, parts: ReportParts | None = None,
           template: Path | None = None) -> Path:
    """Write the report in `fmt` ("docx" or "xlsx") to `path`; a DOCX is the Báo cáo
    (`document` REPORT, from `template` or the shipped one) or the Tổng hợp (COMPILATION)."""
    from services.exports import docx_report, report_docx, xlsx_report

    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx" and document == REPORT:
        report_docx.write_report(summary, parts or ReportParts(), issuer, path, template)
    elif fmt == "docx" and document == COMPILATION:
        docx_report.write_docx(summary, issuer, path)
    elif fmt == "xlsx":
        xlsx_report.write_xlsx(summary, issuer, path)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return path


def city_download_name(round_code: str, fmt: str) -> str:
    """The name the city's file gets: tong-hop-thanh-pho-NAM-2025.docx."""
    return f"tong-hop-thanh-pho-{round_code}.{fmt}"


def render_city(view: CityRollup, fmt: str, issuer: CityIssuer, path: Path) -> Path:
    """The city's summary: the DOCX in the decree's layout or the XLSX compilation."""
    from services.exports import city_docx, city_xlsx

    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx":
        return city_docx.write_city_docx(view, issuer, path)
    if fmt == "xlsx":
        return city_xlsx.write_city_xlsx(view, path, issuer.tz)
    raise ValueError(f"unknown export format {fmt!r}")


def render_chart(summary: PeriodSummary, path: Path) -> Path:
    """The completion chart as a PNG at `path` (matplotlib is imported here, in the worker)."""
    from services.exports.chart import write_chart

    return write_chart(summary, path)
