"""Vietnamese text helpers: folding, splitting, dates."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.render import render_plain
from core.textutil import (
    clean_input,
    fold,
    has_words,
    parse_date,
    parse_local_datetime,
    parse_time,
    split_numbered,
    split_text,
)
from core.types import Option, Reply


@pytest.mark.parametrize(("text", "key"), [
    ("Hoàn thành", "hoan thanh"),
    ("ĐANG TRIỂN KHAI", "dang trien khai"),
    ("Phòng Văn hóa – Xã hội", "phong van hoa - xa hoi"),
    ("hoá", "hoa"),
    (unicodedata.normalize("NFD", "Không phát sinh"), "khong phat sinh"),
    ("  bỏ   qua ", "bo qua"),
])
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_clean_input_keeps_lines_and_drops_controls() -> None:
    assert clean_input("a\r\nb\x00\u202ec\x07 ") == "a\nbc"
    assert clean_input(unicodedata.normalize("NFD", "ủy")) == "ủy"


def test_has_words() -> None:
    assert has_words("3 hội nghị") and not has_words("😀 ... !!!")


def test_split_prefers_paragraphs_and_respects_the_limit() -> None:
    text = "\n\n".join(f"Đoạn {i}: " + "chữ " * 120 for i in range(12))
    parts = split_text(text, 2000)
    assert len(parts) > 1 and all(len(p) <= 2000 for p in parts)
    assert all(p.startswith("Đoạn") for p in parts)
    squeeze = str.maketrans("", "", " \n")
    assert "".join(parts).translate(squeeze) == text.translate(squeeze)


def test_split_numbered_marks_parts() -> None:
    parts = split_numbered("x " * 3000, 2000)
    assert parts[0].startswith(f"(1/{len(parts)}) ") and all(len(p) <= 2000 for p in parts)
    assert split_numbered("ngắn", 2000) == ["ngắn"]


def test_unbreakable_text_is_cut_hard() -> None:
    assert [len(p) for p in split_text("x" * 4500, 2000)] == [2000, 2000, 500]


def test_day_first_dates() -> None:
    assert parse_date("29/5/2026") == date(2026, 5, 29)
    assert parse_date("29-05-2026") == parse_date("29.5.2026") == date(2026, 5, 29)
    assert parse_date("31/02/2026") is None and parse_date("2026-05-29") is None


def test_numbered_menu_rendering() -> None:
    text = render_plain(Reply("Chọn:", (Option("a", "Lưu"), Option("b", "Hủy"))))
    assert text.endswith("1. Lưu\n2. Hủy\n(Gõ số thứ tự hoặc tên lựa chọn.)")


def test_local_datetimes_as_officers_type_them() -> None:
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    expected = datetime(2026, 12, 5, 8, 0, tzinfo=tz)
    for typed in ("05/12/2026 08:00", "5/12/2026 8h", "05-12-2026 8H", "5.12.2026 8g00"):
        assert parse_local_datetime(typed, tz) == expected, typed
    assert parse_local_datetime("5/12/2026 8h30", tz) == expected.replace(minute=30)
    for bad in ("5/12/2026", "32/12/2026 8h", "5/12/2026 25h", "5/12/2026 8:5", "8h"):
        assert parse_local_datetime(bad, tz) is None, bad
    assert parse_time("7h") == time(7, 0) and parse_time("17:45") == time(17, 45)
