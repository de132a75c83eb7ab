"""Reading an official plan (Kế hoạch, Nghị định 30 layout) from its lines of text.

The document arrives as numbered lines (`Line`: a paragraph of a .docx, table cells of the header
included, or a line of a .txt). From them come the header (số, ngày, cơ quan ban hành, trích
yếu, căn cứ), the sections and tasks of the part «NỘI DUNG» with their verbatim text, the units
of «TỔ CHỨC THỰC HIỆN», the reporting rounds («6 tháng trước ngày 01/6, …») and the signature
block. The result is the `PlanFile` the YAML loader gives, plus what the model has no place for
yet (units named for tasks) and notes on what could not be used.

Task codes are the numbers as printed ("1.1"; "2.a" for a task lettered a) directly under
section 2). A document has no short titles: a task's title is its text up to the first ";" or
":", cut to `TITLE_WORDS_LIMIT` characters at a word boundary (the shipped YAML's short titles
are editorial abbreviations and cannot be derived)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from core.texts import plans as texts
from core.textutil import fold, shorten
from storage.catalog import KIND_TITLES, PlanFile

TITLE_WORDS_LIMIT = 80
PERIOD_PREFIX = {"six_month": "6T", "nine_month": "9T", "annual": "NAM"}
ROUND_KINDS = {
    "6 thang": "six_month", "sau thang": "six_month",
    "9 thang": "nine_month", "chin thang": "nine_month",
    "mot nam": "annual", "ca nam": "annual", "hang nam": "annual", "nam": "annual",
}
_ROUND = re.compile(r"(6 thang|sau thang|9 thang|chin thang|mot nam|ca nam|hang nam|nam)"
                    r"\s+truoc ngay\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_ROMAN = re.compile(r"^([IVX]+)\.\s+(.+)$")
_SECTION = re.compile(r"^(\d{1,2})\.\s+(.+)$")
_TASK = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(.+)$")
_LETTER = re.compile(r"^([a-zđ])\)\s+(.+)$")
_NUMBER = re.compile(r"^Số\s*:?\s*(\S.*)$", re.IGNORECASE)
_DATE = re.compile(r"^(?P<place>[^,]+?),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})"
                   r"\s+năm\s+(?P<y>\d{4})", re.IGNORECASE)
_THEME = re.compile(r"[Cc]hủ đề[^“”.;]{0,40}“([^”]+)”")
_CAMPAIGN = re.compile(r"phong trào thi đua\s*“[^”]+”", re.IGNORECASE)
_CODE_MENTION = re.compile(r"(?<![\d/.])(\d{1,2}\.\d{1,2})(?![\d/])")
_ASSIGNED = re.compile(r"chủ trì\s*:\s*([^;)]+)(?:;\s*phối hợp\s*:\s*([^)]+))?", re.IGNORECASE)
_TERMINAL = ".;:!?…”\")"
_ADMIN_LEVELS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "xã", "quận",
                 "huyện", "tỉnh")


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph (or one line of a text file) and its place: paragraph or line number."""

    text: str
    place: int
    auto_numbered: bool = False


class PlanReadError(Exception):
    """The document cannot be imported; `place` names the paragraph or line when known."""

    def __init__(self, reason: str, place: str = "") -> None:
        super().__init__(reason)
        self.reason, self.place = reason, place


@dataclass(slots=True)
class UnitDuty:
    """A numbered item of «TỔ CHỨC THỰC HIỆN»: a unit (as written) and what it is to do."""

    name: str
    text: str
    place: str
    lead: bool
    tasks: tuple[str, ...] = ()
    unit_code: str | None = None

    @property
    def collective(self) -> bool:
        """"Thủ trưởng các cơ quan, đơn vị": every unit, not one of them."""
        key = fold(self.name)
        return key.startswith(("thu truong", "cac ")) or "cac co quan" in key


@dataclass(slots=True)
class TaskUnits:
    """Units the text names for one task: lead (chủ trì) and join (phối hợp), as written."""

    code: str
    lead: list[str] = field(default_factory=list)
    join: list[str] = field(default_factory=list)
    lead_codes: list[str | None] = field(default_factory=list)
    join_codes: list[str | None] = field(default_factory=list)


@dataclass(slots=True)
class ParsedPlan:
    plan: PlanFile
    task_places: dict[str, str]
    duties: list[UnitDuty]
    task_units: list[TaskUnits]
    notes: list[str]


class _Reader:
    def __init__(self, lines: list[Line], place_word: str) -> None:
        self.lines = [Line(_clean(x.text), x.place, x.auto_numbered) for x in lines]
        self.lines = [x for x in self.lines if x.text]
        self.place_word = place_word
        self.notes: list[str] = []

    def where(self, line: Line | int) -> str:
        place = line.place if isinstance(line, Line) else line
        return self.place_word.format(n=place)

    def refuse(self, missing: str, line: Line | None = None) -> PlanReadError:
        return PlanReadError(texts.NOT_A_PLAN.format(missing=missing),
                             self.where(line) if line else "")

    # --- the whole document ---------------------------------------------------------------------
    def read(self) -> ParsedPlan:
        if not self.lines:
            raise PlanReadError(texts.EMPTY)
        lines = self.lines
        type_at = next((i for i, x in enumerate(lines[:60])
                        if fold(x.text) == "ke hoach" and x.text.isupper()), None)
        if type_at is None:
            raise self.refuse(texts.MISSING_TYPE, lines[0])
        header = self.header(lines[:type_at], lines[type_at])
        title_at = next((i for i in range(type_at + 1, len(lines))
                         if any(ch.isalnum() for ch in lines[i].text)), None)
        if title_at is None or _ROMAN.match(lines[title_at].text):
            raise self.refuse(texts.MISSING_TITLE, lines[type_at])
        header["doc_type"] = lines[type_at].text
        header["title"] = lines[title_at].text.rstrip(".")
        parts = [(i, m) for i in range(title_at + 1, len(lines))
                 if (m := _ROMAN.match(lines[i].text)) and _mostly_upper(m.group(2))]
        end = next((i for i in range(parts[-1][0] if parts else title_at + 1, len(lines))
                    if fold(lines[i].text).startswith(("tren day la", "noi nhan"))), len(lines))
        preamble = lines[title_at + 1:parts[0][0] if parts else end]
        bases = [_strip_end(x.text[len("Căn cứ"):].strip()) for x in preamble
                 if fold(x.text).startswith("can cu ")]
        header["legal_basis"] = "; ".join(bases)
        body = lines[title_at + 1:end]
        header.update(self.themes(body))
        if not header.get("city"):
            header["city"] = _city(" ".join([header["legal_basis"], *(x.text for x in body)]))

        bounds = [(i, parts[k + 1][0] if k + 1 < len(parts) else end, m)
                  for k, (i, m) in enumerate(parts)]
        content = next(((a, b, m) for a, b, m in bounds
                        if any(w in fold(m.group(2)) for w in ("noi dung", "nhiem vu"))), None)
        if content is None:
            raise self.refuse(texts.MISSING_CONTENT, lines[title_at])
        sections, tasks, places = self.content(lines[content[0] + 1:content[1]],
                                               content[2].group(2), lines[content[0]])
        doing = next(((a, b) for a, b, m in bounds
                      if "to chuc thuc hien" in fold(m.group(2))), None)
        duties = self.duties(lines[doing[0] + 1:doing[1]], set(places)) if doing else []
        round_lines = lines[doing[0] + 1:end] if doing else body
        periods = self.rounds(round_lines, header["issued_on"])
        header.update(self.footer(lines[end:]))
        task_units = self.task_units(tasks, duties)
        try:
            plan = PlanFile.model_validate({"plan": header, "sections": sections,
                                            "tasks": tasks, "periods": periods})
            plan.check_references()
        except (ValidationError, ValueError) as exc:
            raise PlanReadError(str(exc).splitlines()[0]) from None
        return ParsedPlan(plan, places, duties, task_units, self.notes)

    # --- header, themes, footer ----------------------------------------------------------------
    def header(self, top: list[Line], type_line: Line) -> dict[str, Any]:
        number = date_match = None
        issuer: list[str] = []
        for line in top:
            if (m := _NUMBER.match(line.text)) and number is None:
                number = re.sub(r"\s+", "", m.group(1))
            elif (d := _DATE.match(line.text)) and date_match is None:
                date_match = d
            elif (_mostly_upper(line.text)
                  and not fold(line.text).startswith(("cong hoa", "doc lap"))):
                issuer.append(line.text)
        if not number:
            raise self.refuse(texts.MISSING_NUMBER, type_line)
        if date_match is None:
            raise self.refuse(texts.MISSING_DATE, type_line)
        if not issuer:
            raise self.refuse(texts.MISSING_ISSUER, type_line)
        try:
            issued_on = date(int(date_match["y"]), int(date_match["m"]), int(date_match["d"]))
        except ValueError:
            raise PlanReadError(texts.BAD_DATE.format(text=date_match.group(0)),
                                self.where(type_line)) from None
        city = ""
        if len(issuer) > 2 and fold(issuer[1]) == "uy ban nhan dan":
            city, issuer = _name_case(issuer[0]), issuer[1:]
        return {"number": number, "issued_on": issued_on, "place": date_match["place"].strip(),
                "issuer": _name_case(" ".join(issuer)), "city": city}

    def themes(self, body: list[Line]) -> dict[str, object]:
        themes: list[str] = []
        campaign = ""
        for line in body:
            for theme in _THEME.findall(line.text):
                if theme not in themes:
                    themes.append(theme)
            if not campaign and (m := _CAMPAIGN.search(line.text)):
                campaign = m.group(0)[0].upper() + m.group(0)[1:]
        return {"themes": themes, "campaign": campaign}

    def footer(self, tail: list[Line]) -> dict[str, object]:
        recipients: list[str] = []
        start = next((i for i, x in enumerate(tail) if fold(x.text).startswith("noi nhan")), None)
        rest = tail
        if start is None:
            self.notes.append(texts.NOTE_NO_RECIPIENTS)
        else:
            inline = tail[start].text.split(":", 1)[1].strip(" -")
            if inline:
                recipients.append(_strip_end(inline))
            rest = tail[start + 1:]
            while rest and rest[0].text[:1] in "-+•":
                recipients.append(_strip_end(rest[0].text.lstrip("-+• ").strip()))
                rest = rest[1:]
        words = [x for x in rest if any(ch.isalpha() for ch in x.text)
                 and not fold(x.text).startswith("tren day la")]
        authority = [x.text for x in words if _mostly_upper(x.text)]
        names = [x.text for x in words if not _mostly_upper(x.text)]
        if not authority or not names:
            raise self.refuse(texts.MISSING_SIGNER, tail[-1] if tail else self.lines[-1])
        return {"recipients": recipients,
                "signer": {"authority_lines": authority, "name": names[-1]}}

    # --- II. NỘI DUNG --------------------------------------------------------------------------
    def content(self, part: list[Line], part_title: str, heading: Line,
                ) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, str]]:
        sections: list[dict[str, str]] = []
        section_places: dict[str, Line] = {}
        tasks: list[dict[str, str]] = []
        places: dict[str, str] = {}
        task: dict[str, str] | None = None
        lettered = False  # the current task came from a) directly under its section
        for line in part:
            if line.auto_numbered:
                self.notes.append(f"{self.where(line)}: {texts.NOTE_AUTO_NUMBER}")
            if m := _TASK.match(line.text):
                section = sections[-1]["code"] if sections else None
                code = f"{m.group(1)}.{m.group(2)}"
                if section is None:
                    raise PlanReadError(texts.TASK_OUTSIDE_SECTION.format(
                        code=code, section=m.group(1)), self.where(line))
                if m.group(1) != section:
                    raise PlanReadError(texts.TASK_IN_WRONG_SECTION.format(
                        code=code, section=section), self.where(line))
                task, lettered = self.new_task(tasks, places, code, section, m.group(3),
                                               line), False
            elif (m := _LETTER.match(line.text)) and sections and (task is None or lettered):
                section = sections[-1]["code"]
                code = f"{section}.{m.group(1)}"
                task, lettered = self.new_task(tasks, places, code, section, m.group(2),
                                               line), True
            elif m := _SECTION.match(line.text):
                code = m.group(1)
                if code in section_places:
                    raise PlanReadError(texts.DUPLICATE_SECTION.format(
                        code=code, places=texts.PLACES_BETWEEN.format(
                            first=self.where(section_places[code]), second=self.where(line))),
                        self.where(line))
                section_places[code] = line
                sections.append({"code": code, "title": _strip_end(m.group(2))})
                task = None
            elif task is not None:
                task["full_text"] = _join(task["full_text"], line.text)
            elif sections and not _ends(sections[-1]["title"]) and line.text[:1].islower():
                sections[-1]["title"] = _strip_end(_join(sections[-1]["title"], line.text))
        if not tasks:
            raise PlanReadError(texts.NO_TASKS.format(part=part_title), self.where(heading))
        for item in sections:
            if not any(t["section"] == item["code"] for t in tasks):
                self.notes.append(texts.NOTE_SECTION_WITHOUT_TASKS.format(
                    place=self.where(section_places[item["code"]]), code=item["code"]))
        for item in tasks:
            item["short_title"] = derive_title(item["full_text"])
        return sections, tasks, places

    def new_task(self, tasks: list[dict[str, str]], places: dict[str, str], code: str,
                 section: str, text: str, line: Line) -> dict[str, str]:
        if code in places:
            raise PlanReadError(texts.DUPLICATE_TASK.format(
                code=code, places=texts.PLACES_BETWEEN.format(first=places[code],
                                                              second=self.where(line))),
                self.where(line))
        places[code] = self.where(line)
        task = {"code": code, "section": section, "full_text": text}
        tasks.append(task)
        return task

    # --- III. TỔ CHỨC THỰC HIỆN ----------------------------------------------------------------
    def duties(self, part: list[Line], codes: set[str]) -> list[UnitDuty]:
        duties: list[UnitDuty] = []
        for line in part:
            if (m := _SECTION.match(line.text)) and not _TASK.match(line.text):
                name, _, text = m.group(2).partition(":")
                duties.append(UnitDuty(_strip_end(name.strip()), text.strip(), self.where(line),
                                       lead=False))
            elif duties:
                duties[-1].text = _join(duties[-1].text, line.text) if duties[-1].text \
                    else line.text
        for duty in duties:
            duty.lead = "chu tri" in fold(duty.text)
            duty.tasks = tuple(c for c in dict.fromkeys(_CODE_MENTION.findall(duty.text))
                               if c in codes)
        return duties

    def task_units(self, tasks: list[dict[str, str]], duties: list[UnitDuty]) -> list[TaskUnits]:
        found: dict[str, TaskUnits] = {}
        for task in tasks:
            if m := _ASSIGNED.search(task["full_text"]):
                units = found.setdefault(task["code"], TaskUnits(task["code"]))
                units.lead += _names(m.group(1))
                units.join += _names(m.group(2) or "")
        for duty in duties:
            for code in duty.tasks:
                units = found.setdefault(code, TaskUnits(code))
                (units.lead if duty.lead else units.join).append(duty.name)
        return [found[t["code"]] for t in tasks if t["code"] in found]

    # --- reporting rounds -----------------------------------------------------------------------
    def rounds(self, lines: list[Line], issued_on: date) -> list[dict[str, object]]:
        periods: list[dict[str, object]] = []
        for line in lines:
            key = fold(line.text)
            if "bao cao" not in key:
                continue
            for m in _ROUND.finditer(key):
                kind = ROUND_KINDS[m.group(1)]
                year = int(m.group(4)) if m.group(4) else issued_on.year
                try:
                    due = date(year, int(m.group(3)), int(m.group(2)))
                except ValueError:
                    continue
                if due <= issued_on:
                    self.notes.append(texts.NOTE_ROUND_PAST.format(
                        place=self.where(line), kind=KIND_TITLES[kind],
                        due=f"{due:%d/%m/%Y}"))
                    continue
                code = f"{PERIOD_PREFIX[kind]}-{year}"
                if all(p["code"] != code for p in periods):
                    periods.append({"code": code, "kind": kind, "year": year,
                                    "due_before": due})
        if not periods:
            self.notes.append(texts.NOTE_NO_ROUNDS)
        return periods


def read_plan_lines(lines: list[Line], place_word: str = texts.PLACE_LINE) -> ParsedPlan:
    """The plan in these lines; PlanReadError (reason, place) when it is not one."""
    return _Reader(lines, place_word).read()


def derive_title(text: str) -> str:
    """A task's short title from its text: the first clause, at most TITLE_WORDS_LIMIT chars."""
    first = text.split("\n", 1)[0]
    first = re.split(r"[;:]", first, maxsplit=1)[0]
    first = first.rstrip(" .,…")
    if len(first) <= TITLE_WORDS_LIMIT:
        return first
    cut = first[:TITLE_WORDS_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def first_words(text: str, limit: int = 60) -> str:
    """The start of a text for the preview."""
    return shorten(" ".join(text.split()), limit)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\t", " ")
    return text.replace("**", "").strip()


def _mostly_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _ends(text: str) -> bool:
    return text.rstrip()[-1:] in _TERMINAL


def _join(before: str, line: str) -> str:
    """A page break inside a sentence joins with a space; a new paragraph with a line break."""
    if not _ends(before) and line[:1].islower():
        return f"{before} {line}"
    return f"{before}\n{line}"


def _strip_end(text: str) -> str:
    return text.strip().rstrip(".;:").strip()


def _names(text: str) -> list[str]:
    """Names split at "," and ";": a name with a comma ("Phòng Kinh tế, Hạ tầng và Đô thị") is
    rejoined when matched with the roster (services.plan_import)."""
    return [_strip_end(x) for x in re.split(r"[;,]\s*", text) if _strip_end(x)]


def _name_case(text: str) -> str:
    """"ỦY BAN NHÂN DÂN PHƯỜNG NAM ĐỒ SƠN" → "Ủy ban nhân dân phường Nam Đồ Sơn"."""
    lower = " ".join(text.split()).lower()
    for level in _ADMIN_LEVELS:
        at = re.search(rf"(?<!\w){level}(?!\w)", lower)
        if at:
            head, tail = lower[:at.end()], lower[at.end():]
            return _capital(head) + " ".join(w[:1].upper() + w[1:] for w in tail.split(" "))
    return _capital(lower)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _city(text: str) -> str:
    """The first "thành phố X" or "tỉnh X" named in the text, as "Thành phố X"."""
    for m in re.finditer(r"(?<!\w)(thành phố|tỉnh)\s+", text):
        words: list[str] = []
        for word in text[m.end():].split(" "):
            if not word[:1].isupper():
                break
            words.append(word.rstrip(",.;:"))
            if word[-1:] in ",.;:":
                break
        if words:
            return _capital(m.group(1)) + " " + " ".join(words)
    return ""
