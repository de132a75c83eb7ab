"""The city's summary DOCX in the Nghị định 30 layout (issue 19): from the CLI
(`city rollup --docx`) and in chat (/thanhpho docx, or its button after the digest) — a
document on Telegram, a signed link on Zalo — and refused to a ward admin."""

from __future__ import annotations

import io
import re
from argparse import Namespace
from collections import Counter
from datetime import date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from docx.table import Table

from bot.app import App, open_app
from bot.commands.city import show_rollup
from bot.web_downloads import inside
from core import texts
from core.links import LinkCheck, signer_for
from core.ports import FixedClock
from core.settings import Settings
from core.texts import city as ct
from core.types import Platform, Role
from services import city
from services.exports import CityIssuer, render_city
from tests.conftest import TZ, make_settings
from tests.factories import Talk
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.run_harness import running_bot
from tests.ward_helpers import (
    FIRST,
    add_ward,
    city_invite,
    person_in,
    submitted_unit,
    write_parts,
)
from tests.zalo_harness import ZaloUser, open_rig

TG_CITY_CHAT = 7102


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path, export_dir=tmp_path / "exports")


async def three_wards(app: App, clock: FixedClock) -> None:
    """NAM-2025 submitted by one unit of each of three wards: the first ward sends its report
    in time and changes it afterwards, the second sends it late, the third never does."""
    ids = {"NAM-DO-SON": FIRST, "DOSON": await add_ward(app),
           "HAIAN": await add_ward(app, "HAIAN", "Hải An")}
    admins = {}
    for code, ward in ids.items():
        await submitted_unit(app, ward)
        admins[code] = await person_in(app, ward, Role.ADMIN)
        await write_parts(app, ward, admins[code][0])
    await Talk(app, admins["NAM-DO-SON"][1]).say("/guithanhpho NAM-2025")
    clock.set(datetime(2025, 12, 2, 9, 0, tzinfo=TZ))  # past the deadline (01/12/2025)
    await Talk(app, admins["DOSON"][1]).say("/guithanhpho NAM-2025")
    await write_parts(app, FIRST, admins["NAM-DO-SON"][0], marker="Sửa: ")  # after its send


def paragraphs(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(document: Document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(paragraphs(document) + cells)


async def test_cli_writes_the_summary_with_who_sent_on_time_late_or_not(
        app: App, clock: FixedClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    await three_wards(app, clock)
    out = tmp_path / "tong-hop.docx"
    # execute
    code = await show_rollup(Namespace(round="NAM-2025", xlsx=None, docx=out), app.settings)
    # verify: where it was written
    assert code == 0 and ct.DOCX_WRITTEN.format(path=out) in capsys.readouterr().out
    document = docx.Document(str(out))
    header, totals, signature, matrix = document.tables
    text = paragraphs(document)
    # the header: the city's UBND (never "UBND UBND"), a blank number, Quốc hiệu, place, year
    agency, national = (cell.text for cell in header.rows[0].cells)
    assert agency.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG"]
    assert "Số:      /BC-UBND" in agency
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in national and "Độc lập - Tự do" in national
    assert re.search(r"Hải Phòng, ngày      tháng      năm \d{4}$", national)  # the CLI: today
    assert "UBND UBND" not in all_text(document).upper()
    assert "NHÂN DÂN UBND" not in all_text(document).upper()
    # the title and the counts: 2 of 3 sent, 1 on time, 1 late, 1 missing; names by state
    title = text.index("BÁO CÁO")
    assert text[title + 1] == "Tổng hợp kết quả thực hiện công tác dân vận chính quyền năm 2025"
    assert any(re.fullmatch(r"Tính đến ngày \d+/\d+/\d{4}, có 2/3 xã, phường, đặc khu đã gửi báo "
                            r"cáo \(1 đúng hạn, 1 gửi muộn\); 1 xã, phường, đặc khu chưa gửi báo "
                            r"cáo\.", p) for p in text)
    assert "- Gửi muộn (1): phường Đồ Sơn." in text
    assert "- Chưa gửi (1): phường Hải An." in text
    assert "- Có thay đổi sau khi gửi, chưa gửi lại (1): phường Nam Đồ Sơn." in text
    assert ct.DOCX_REQUEST in text
    assert any(p.startswith("Trên đây là báo cáo tổng hợp") and p.endswith(
        "trên địa bàn thành phố Hải Phòng./.") for p in text)
    # the city's totals: each ward's one unit did all 23 tasks
    assert rows(totals)[-1] == ["Cộng", "69", "0", "0", "0", "100"]
    # one appendix row per ward, in the right state, with its sections' counts
    body = rows(matrix)[1:]
    assert [r[:2] for r in body] == [["1", "phường Nam Đồ Sơn"], ["2", "phường Đồ Sơn"],
                                     ["3", "phường Hải An"]]
    assert body[0][2] == "Đúng hạn (*)\n17/11/2025"
    assert body[1][2] == "Muộn\n02/12/2025"
    assert body[2][2] == "Chưa gửi"
    assert all(r[-1] == "100" for r in body)
    assert sum(int(cell.split("/")[0]) for cell in body[0][3:-1]) == 23
    assert rows(matrix)[0][:4] == ["STT", "Xã, phường, đặc khu", "Gửi báo cáo", "Mục 1"]
    assert ct.DOCX_CHANGED_NOTE in text
    # Nơi nhận and the signer (no name set: a blank line to sign on)
    recipients, signer = signature.rows[0].cells
    assert recipients.text.split("\n") == ["Nơi nhận:", "- Thường trực Thành ủy;",
                                           "- Ban Dân vận Thành ủy;", "- Sở Nội vụ;",
                                           "- Lưu: VT."]
    lines = [p.text for p in signer.paragraphs]
    assert lines[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert lines[-1] == "" and len(lines) == 8


async def test_a_round_nobody_sent_and_the_settings_of_the_city(
        app: App, clock: FixedClock, tmp_path: Path) -> None:
    # setup: a second ward, nobody reported 9T-2025; the city's own name, Nơi nhận and signer
    await add_ward(app)
    settings = app.settings.model_copy(update={
        "city_name": "Ủy ban nhân dân tỉnh Quảng Ninh", "city_signer_name": "Nguyễn Văn Ký",
        "city_recipients": ("Sở Nội vụ (b/c)", "Lưu: VT, NC")})
    out = tmp_path / "9t.docx"
    # execute
    code = await show_rollup(Namespace(round="9T-2025", xlsx=None, docx=out), settings)
    # verify
    document = docx.Document(str(out))
    header, totals, signature, matrix = document.tables
    text = paragraphs(document)
    assert code == 0
    assert header.rows[0].cells[0].text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"]
    assert "Quảng Ninh, ngày" in header.rows[0].cells[1].text
    assert "Tổng hợp kết quả thực hiện công tác dân vận chính quyền 9 tháng năm 2025" in text
    assert any("có 0/2 xã, phường, đặc khu đã gửi báo cáo (0 đúng hạn, 0 gửi muộn); "
               "2 xã, phường, đặc khu chưa gửi" in p for p in text)
    assert "- Gửi muộn (0): Không có." in text
    assert "- Chưa gửi (2): phường Nam Đồ Sơn, phường Đồ Sơn." in text
    assert not any("thay đổi sau khi gửi, chưa gửi lại (" in p for p in text)
    assert rows(totals)[-1] == ["Cộng", "0", "0", "0", "0", ct.DOCX_NO_FIGURE]
    assert [r[1:3] for r in rows(matrix)[1:]] == [["phường Nam Đồ Sơn", "Chưa gửi"],
                                                  ["phường Đồ Sơn", "Chưa gửi"]]
    assert all(cell == "0/0/0" for r in rows(matrix)[1:] for cell in r[3:-1])
    recipients, signer = signature.rows[0].cells
    assert recipients.text.split("\n")[1:] == ["- Sở Nội vụ (b/c);", "- Lưu: VT, NC."]
    assert signer.paragraphs[-1].text == "Nguyễn Văn Ký"
    assert "Ủy ban nhân dân tỉnh Quảng Ninh" in document.core_properties.author


@pytest.mark.parametrize(("name", "locality", "place"), [
    ("UBND thành phố Hải Phòng", "thành phố Hải Phòng", "Hải Phòng"),
    ("Ủy ban nhân dân tỉnh Quảng Ninh", "tỉnh Quảng Ninh", "Quảng Ninh"),
    ("Uỷ ban nhân dân thành phố Hà Nội", "thành phố Hà Nội", "Hà Nội"),
    ("thành phố Huế", "thành phố Huế", "Huế"),
])
def test_the_city_name_is_said_once(name: str, locality: str, place: str) -> None:
    issuer = CityIssuer(name, (), (), "", date(2025, 12, 2), ZoneInfo("Asia/Ho_Chi_Minh"))
    assert (issuer.locality, issuer.place) == (locality, place)


@pytest.mark.parametrize(("sections", "landscape"), [(5, False), (9, True)])
def test_the_appendix_turns_landscape_only_for_many_sections(
        tmp_path: Path, sections: int, landscape: bool) -> None:
    # setup: 120 wards, every one sent, with three-digit counts in every section
    codes = [(str(n), f"Mục số {n}") for n in range(1, sections + 1)]
    wards = [city.WardRow(n, f"W{n}", f"phường Số {n}", "on_time",
                          datetime(2025, 11, 20, 3, 0, tzinfo=TZ),
                          counts={c: Counter(done=230, in_progress=30, not_started=10)
                                  for c, _ in codes}) for n in range(1, 121)]
    view = city.CityRollup(city.RoundKey("annual", 2025), "năm 2025", date(2025, 12, 1), codes,
                           wards, [])
    issuer = CityIssuer("UBND thành phố Hải Phòng", ("Lưu: VT",), ("CHỦ TỊCH",), "",
                        date(2025, 12, 2), TZ)
    # execute
    document = docx.Document(str(render_city(view, "docx", issuer, tmp_path / "city.docx")))
    # verify: portrait A4 first; the appendix on a landscape page only when needed; every
    # ward's row, the header row repeated on each page
    first, last = document.sections[0], document.sections[-1]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert abs(int(first.page_width or 0) - Mm(210)) < Mm(1)
    assert (len(document.sections) == 2) is landscape
    assert (last.orientation == WD_ORIENT.LANDSCAPE) is landscape
    matrix = document.tables[-1]
    assert len(matrix.rows) == 121 and rows(matrix)[120][:2] == ["120", "phường Số 120"]
    assert rows(matrix)[1][3:] == ["230/30/10"] * sections + ["85"]
    assert matrix.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    widths = [int(cell.width or 0) for cell in matrix.rows[0].cells]
    text_width = int(last.page_width or 0) - int(last.left_margin or 0) - int(
        last.right_margin or 0)
    assert min(widths[3:-1]) >= Mm(16) and abs(sum(widths) - text_width) < Mm(1)


def test_city_lists_come_from_json_in_the_environment(
        monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path) -> None:
    # setup
    monkeypatch.setenv("CITY_RECIPIENTS", '["Sở Nội vụ", "Lưu: VT"]')
    monkeypatch.setenv("CITY_SIGNER_TITLE", '["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]')
    # execute
    settings = make_settings(db_url, tmp_path)
    # verify
    assert settings.city_recipients == ("Sở Nội vụ", "Lưu: VT")
    assert settings.city_signer_title == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert settings.city_name == "UBND thành phố Hải Phòng" and settings.city_signer_name == ""


async def test_a_ward_admin_cannot_get_the_city_summary(app: App, clock: FixedClock) -> None:
    # setup
    await add_ward(app)
    _, admin = await person_in(app, FIRST, Role.ADMIN)
    talk = Talk(app, admin)
    # execute
    await talk.say("/thanhpho NAM-2025 docx")
    # verify
    assert talk.text == texts.FORBIDDEN
    assert all(r.file is None for r in talk.replies)


async def test_the_city_on_a_shell_gets_the_file_and_on_zalo_without_links_the_command(
        app: App, clock: FixedClock) -> None:
    # setup: a city user with a shell account and one with a Zalo account; no PUBLIC_BASE_URL
    await add_ward(app)
    shell, zalo = Talk(app, "city-shell"), Talk(app, "city-zalo", Platform.ZALO)
    for talk in (shell, zalo):
        await talk.say(f"/dangky {await city_invite(app)}")
    # execute
    await shell.say("/thanhpho xlsx NAM-2025")
    await zalo.say("thanhpho NAM-2025 docx")
    # verify
    (file,) = [r.file for r in shell.replies if r.file is not None]
    assert file.file_name == "tong-hop-thanh-pho-NAM-2025.xlsx" and file.path.is_file()
    assert "python -m bot city rollup NAM-2025 --docx tong-hop-thanh-pho-NAM-2025.docx" in \
        zalo.text
    assert all(r.file is None for r in zalo.replies)


def _said(telegram: FakeTelegram, chat: int, words: str) -> bool:
    return any(words in text for text in telegram.texts(chat))


async def test_the_city_presses_the_docx_button_on_telegram(
        sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: two wards, the first sent its report; a city user's invite
    telegram = FakeTelegram()
    await telegram.start()
    settings = make_settings(sqlite_url, tmp_path, **telegram.settings(),
                             http_host="127.0.0.1", http_port=0,
                             export_dir=tmp_path / "exports")
    app = await open_app(settings, clock)
    try:
        await add_ward(app)
        await submitted_unit(app, FIRST)
        admin, account = await person_in(app, FIRST, Role.ADMIN)
        await write_parts(app, FIRST, admin)
        await Talk(app, account).say("/guithanhpho NAM-2025")
        city_code = await city_invite(app, days=3650)  # used on today's real clock
    finally:
        await app.close()
    try:
        # execute: the digest, then its DOCX button
        async with running_bot(settings):
            telegram.push_text(TG_CITY_CHAT, f"/start {city_code}")
            await telegram.wait_for(partial(_said, telegram, TG_CITY_CHAT, "Đăng ký thành công"),
                                    10)
            telegram.push_text(TG_CITY_CHAT, "/thanhpho NAM-2025")
            await telegram.wait_for(partial(_said, telegram, TG_CITY_CHAT, "TỔNG HỢP"), 10)
            telegram.press(TG_CITY_CHAT, ct.FILE_OPTIONS["docx"])
            await telegram.wait_for(lambda: bool(telegram.calls_of("sendDocument")), 20)
    finally:
        await telegram.stop()
    # verify: the document, named for the round, holds the city's summary
    (call,) = telegram.calls_of("sendDocument")
    name, content = call.files["document"]
    assert name == "tong-hop-thanh-pho-NAM-2025.docx"
    assert call.params["chat_id"] == TG_CITY_CHAT
    document = docx.Document(io.BytesIO(content))
    text = paragraphs(document)
    assert "Tổng hợp kết quả thực hiện công tác dân vận chính quyền năm 2025" in text
    assert "- Chưa gửi (1): phường Đồ Sơn." in text


async def test_the_city_gets_a_signed_link_on_zalo(
        db_url: str, tmp_path: Path, clock: FixedClock, fake_zalo: FakeZalo) -> None:
    # setup: PUBLIC_BASE_URL (the harness's) and LINK_SECRET set; a second ward, nobody sent
    rig = await open_rig(db_url, tmp_path, clock, fake_zalo,
                         link_secret="a-link-secret-for-tests-0123456789",
                         export_dir=tmp_path / "exports")
    try:
        await add_ward(rig.app)
        user = ZaloUser(rig, "zalo-city")
        await user.say(f"/dangky {await city_invite(rig.app)}")
        await user.say("/thanhpho NAM-2025")
        digest = user.text
        # execute: the digest's first numbered option, typed as Zalo users do
        await user.say("1")
        # verify: a link to the DOCX on the public address, valid, serving the summary
        assert f"1. {ct.FILE_OPTIONS['docx']}" in digest
        assert f"2. {ct.FILE_OPTIONS['xlsx']}" in digest
        url = next(word for word in user.text.split() if word.startswith(rig.server_url))
        expires, signature, name = url.rsplit("/", 3)[1:]
        check = signer_for(rig.app.settings)
        assert check is not None
        assert check.check(name, expires, signature, clock.now()) is LinkCheck.VALID
        assert name.endswith(".docx") and "hiệu lực đến" in user.text
        served = inside(rig.app.settings.export_dir, name)  # what /files/… serves
        assert served is not None
        assert "- Chưa gửi (2): phường Nam Đồ Sơn, phường Đồ Sơn." in paragraphs(
            docx.Document(str(served)))
    finally:
        await rig.close()

