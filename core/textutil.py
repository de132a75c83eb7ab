"""Vietnamese text helpers: normalisation, accent folding, splitting, dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, tzinfo

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
# Control characters except tab and newline; they break terminals and documents.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_input(text: str) -> str:
    """NFC-normalise user text and drop control characters; keep line breaks."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text).strip()


def fold(text: str) -> str:
    """Accent-insensitive lookup key: 'Hoàn thành' -> 'hoan thanh', 'Đ' -> 'd'."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    stripped = _DASHES.sub("-", stripped.lower())
    return _SPACES.sub(" ", stripped).strip()


def has_words(text: str) -> bool:
    """True when the text contains at least one letter or digit (not only emoji/punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut after a whole word and ended with "…" (never
    mid-word: "…triể…" reads as a typo). Line breaks and runs of spaces become one space when
    the text has to be cut; a first word longer than the limit is cut as a last resort."""
    if len(text) <= limit:
        return text
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit]  # one more than fits before the "…": is the next character a space?
    cut = head.rsplit(" ", 1)[0] if " " in head else head[: limit - 1]
    return cut.rstrip(" ,;:.-–(…") + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Split on paragraph, then line, then word boundaries so each part fits `limit`."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep, 0, limit)
            if cut > limit // 3:
                break
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        parts.append(rest)
    return [p for p in parts if p]


def split_numbered(text: str, limit: int) -> list[str]:
    """Split and prefix parts with '(1/3)' when more than one is needed."""
    reserve = 12  # room for the "(99/99) " marker
    parts = split_text(text, limit)
    if len(parts) == 1:
        return parts
    parts = split_text(text, limit - reserve)
    total = len(parts)
    return [f"({i}/{total}) {part}" for i, part in enumerate(parts, 1)]


def format_date(day: date | datetime) -> str:
    return day.strftime("%d/%m/%Y")


def document_date(day: date | datetime) -> str:
    """A date in a document's body, Nghị định 30 style: "13/8/2025", "05/01/2026" (a leading 0
    only for days below 10 and for months 1 and 2)."""
    return f"{_nd30_day(day)}/{_nd30_month(day)}/{day.year}"


def header_date(day: date | datetime) -> str:
    """The date on a document's place-and-date line: "ngày 13 tháng 8 năm 2025"."""
    return f"ngày {_nd30_day(day)} tháng {_nd30_month(day)} năm {day.year}"


def _nd30_day(day: date | datetime) -> str:
    return f"{day.day:02d}" if day.day < 10 else str(day.day)


def _nd30_month(day: date | datetime) -> str:
    return f"{day.month:02d}" if day.month <= 2 else str(day.month)


def format_datetime(moment: datetime) -> str:
    return moment.strftime("%H:%M %d/%m/%Y")


# Inside a sentence, one form everywhere: "thứ Sáu", "Chủ nhật" (date.weekday() order).
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def weekday_name(day: date) -> str:
    return WEEKDAYS[day.weekday()]


_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def parse_date(text: str) -> date | None:
    """Day-first date: 29/5/2026, 29-05-2026, 29.5.2026."""
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


# "08:00", "8h", "8h30", "8g30", "8:5" is not accepted (minutes have two digits).
_CLOCK = r"(\d{1,2})(?:[:hg](\d{2})|[hg])"
_TIME = re.compile(rf"^\s*{_CLOCK}\s*$", re.IGNORECASE)
_DATETIME = re.compile(rf"^\s*(\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{4}})\s+{_CLOCK}\s*$",
                       re.IGNORECASE)


def clock_time(hour: int, minute: int) -> time | None:
    return time(hour, minute) if 0 <= hour < 24 and 0 <= minute < 60 else None


def parse_time(text: str) -> time | None:
    """'08:00', '8h', '8h30' or '8g30'."""
    match = _TIME.match(text)
    return clock_time(int(match.group(1)), int(match.group(2) or 0)) if match else None


def parse_local_datetime(text: str, tz: tzinfo) -> datetime | None:
    """'05/12/2026 08:00' or '05/12/2026 8h' in the ward's time zone, or None."""
    match = _DATETIME.match(text)
    day = parse_date(match.group(1)) if match else None
    clock = clock_time(int(match.group(2)), int(match.group(3) or 0)) if match else None
    return datetime.combine(day, clock, tzinfo=tz) if day and clock else None
