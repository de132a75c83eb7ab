"""The web desk in a real browser: Playwright drives Debian's chromium (no browser download).

Sign in by a one-time link, read the round's matrix, download the Báo cáo; screenshots go to
tests/artifacts/. Skipped only where chromium is missing and CI_REQUIRE_BROWSER is unset (CI
sets it, so there a missing browser fails)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.app import open_app
from core.ports import FixedClock
from tests.conftest import make_settings
from tests.desk_helpers import HOSTILE_UNIT, desk_server, login_path, seed_round

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists() and not os.environ.get("CI_REQUIRE_BROWSER"):
    pytest.skip("no /usr/bin/chromium (apt-get install chromium; CI requires it)",
                allow_module_level=True)

from playwright.async_api import async_playwright  # noqa: E402


async def test_sign_in_read_the_matrix_and_download_the_report(
        sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: a round with every kind of cell, served on a loopback port
    app = await open_app(make_settings(sqlite_url, tmp_path), clock)
    server: TestServer = desk_server(app)
    await server.start_server()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        r = await seed_round(app)
        link = str(server.make_url(await login_path(app, r.admin)))
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                context = await browser.new_context(accept_downloads=True,
                                                    viewport={"width": 1280, "height": 800})
                page = await context.new_page()
                # execute: open the link, press "Đăng nhập"
                await page.goto(link)
                await page.get_by_role("button", name="Đăng nhập").click()
                await page.wait_for_url("**/desk/round")
                # verify: the matrix with its legend, counts and the hostile name as text
                matrix = page.locator("#matrix")
                await matrix.wait_for()
                assert await page.locator("#matrix tbody tr").count() >= 5
                assert await matrix.locator("td.cell.submitted").count() == 1
                assert await matrix.locator("td.cell.edited").count() == 1
                assert await matrix.locator("td.cell.draft").count() == 1
                assert await page.get_by_text(HOSTILE_UNIT).count() == 1
                assert await page.evaluate("typeof window.alertCalled") == "undefined"
                assert "Đã sửa sau khi nộp" in await page.locator(".legend").inner_text()
                await page.screenshot(path=ARTIFACTS / "desk-round.png", full_page=True)
                # execute: download the Báo cáo
                async with page.expect_download() as info:
                    await page.get_by_role("button", name="Báo cáo (DOCX)").click()
                download = await info.value
                saved = ARTIFACTS / download.suggested_filename
                await download.save_as(saved)
                # verify
                assert download.suggested_filename == "bao-cao-NAM-2025.docx"
                assert saved.read_bytes()[:2] == b"PK"
                # a phone-sized screen shows the same page
                await page.set_viewport_size({"width": 390, "height": 844})
                await page.screenshot(path=ARTIFACTS / "desk-round-phone.png")
                # sign out: the next visit asks to sign in
                await page.get_by_role("button", name="Đăng xuất").click()
                await page.get_by_text("Đã đăng xuất").wait_for()
                await page.goto(str(server.make_url("/desk/round")))
                assert await page.get_by_role("heading", name="Cần đăng nhập").count() == 1
            finally:
                await browser.close()
    finally:
        await server.close()
        await app.close()


async def test_broadcast_roster_and_plan_in_the_browser(
        sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: a round, three registered tổ trưởng, a roster .xlsx and the seed plan as .docx
    from tests.broadcast_helpers import leaders, tick, worker_for
    from tests.fakes import FakeMessenger
    from tests.test_plan_import import seed_text, write_docx
    from tests.test_roster_admin import REAL_ROSTER, write_xlsx

    app = await open_app(make_settings(sqlite_url, tmp_path), clock)
    server: TestServer = desk_server(app)
    await server.start_server()
    ARTIFACTS.mkdir(exist_ok=True)
    roster_file = write_xlsx(tmp_path / "danh-sach.xlsx", REAL_ROSTER)
    plan_file = write_docx(seed_text(), tmp_path / "ke-hoach.docx")
    try:
        r = await seed_round(app)
        await leaders(app, 3)
        link = str(server.make_url(await login_path(app, r.admin)))
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                context = await browser.new_context(viewport={"width": 1280, "height": 900})
                page = await context.new_page()
                await page.goto(link)
                await page.get_by_role("button", name="Đăng nhập").click()
                await page.wait_for_url("**/desk/round")
                # execute: compose a broadcast, preview it, send it
                await page.get_by_role("link", name="Thông báo").click()
                await page.locator("#compose textarea[name=text]").fill(
                    "Mời các đồng chí dự họp <b>tổ</b> lúc 8 giờ")
                await page.screenshot(path=ARTIFACTS / "desk-broadcasts.png", full_page=True)
                await page.get_by_role("button", name="Xem trước").click()
                await page.get_by_text("Hạn mức Zalo").wait_for()
                assert "4" in await page.locator("#preview-counts").inner_text()
                await page.screenshot(path=ARTIFACTS / "desk-broadcast-preview.png",
                                      full_page=True)
                await page.get_by_role("button", name="Xác nhận gửi ngay").click()
                await page.wait_for_url("**/desk/broadcasts/*")
                # verify: queued, then sent once the worker has run
                assert await page.locator("#status").inner_text() == "Đang gửi"
                assert await page.locator("#recipients tr.r-pending").count() == 4
                worker = worker_for(app, clock, FakeMessenger(clock))
                await tick(app, worker)
                await tick(app, worker)
                await page.reload()
                assert await page.locator("#status").inner_text() == "Đã gửi xong"
                assert await page.locator("#recipients tr.r-sent").count() == 4
                assert "<b>tổ</b>" in await page.locator("#text").inner_text()
                await page.screenshot(path=ARTIFACTS / "desk-broadcast-sent.png",
                                      full_page=True)
                # execute: import the roster .xlsx, preview, confirm
                await page.get_by_role("link", name="Danh sách").click()
                await page.locator("#roster-import input[type=file]").set_input_files(
                    str(roster_file))
                await page.locator("#roster-import").get_by_role(
                    "button", name="Xem trước").click()
                await page.locator("#preview").wait_for()
                previewed = await page.locator("#preview").inner_text()
                # the desk's choice is its «Thay thế» box, not the command line's --replace
                assert "NX1" in previewed and "«Thay thế»" in previewed
                assert "--replace" not in previewed
                await page.screenshot(path=ARTIFACTS / "desk-roster-preview.png",
                                      full_page=True)
                await page.get_by_role("button", name="Xác nhận nhập danh sách").click()
                await page.get_by_role("heading", name="Đã nhập danh sách").wait_for()
                await page.get_by_role("link", name="Quay lại").click()
                assert await page.locator("#groups").get_by_text("NX2").count() == 1
                await page.screenshot(path=ARTIFACTS / "desk-roster.png", full_page=True)
                # execute: invite a tổ trưởng of NX2: the code, the deep link and its QR code
                app.deps.settings.telegram.bot_username = "danvan_bot"
                await page.locator("#invite select[name=role]").select_option("group_leader")
                await page.locator("#invite input[name=place]").fill("NX2")
                await page.locator("#invite input[name=name]").fill("Đỗ Thị Hải")
                await page.get_by_role("button", name="Tạo mã mời").click()
                code = await page.locator("#code").inner_text()
                assert await page.locator("#deep-link").inner_text() == (
                    f"https://t.me/danvan_bot?start={code}")
                assert await page.locator("#qr").evaluate("img => img.naturalWidth") > 50
                assert await page.locator("#zalo").inner_text() == f"/dangky {code}"
                await page.screenshot(path=ARTIFACTS / "desk-invite.png", full_page=True)
                # execute: import the seed plan .docx, preview, confirm
                await page.get_by_role("link", name="Kế hoạch").click()
                await page.locator("#plan-import input[type=file]").set_input_files(
                    str(plan_file))
                await page.locator("#plan-import").get_by_role(
                    "button", name="Xem trước").click()
                await page.locator("#preview").wait_for()
                assert "25/KH-UBND" in await page.locator("#preview").inner_text()
                await page.screenshot(path=ARTIFACTS / "desk-plan-preview.png",
                                      full_page=True)
                await page.get_by_role("button", name="Xác nhận nhập kế hoạch").click()
                await page.get_by_text("kế hoạch 25/KH-UBND").wait_for()
                await page.get_by_role("link", name="Quay lại").click()
                assert await page.locator("#periods tbody tr").count() >= 2
                await page.screenshot(path=ARTIFACTS / "desk-plans.png", full_page=True)
                # execute: the report's parts, saved, then the upward report downloaded
                await page.get_by_role("link", name="Báo cáo", exact=True).click()
                await page.locator("#sections textarea[name=strengths]").fill(
                    "Các đơn vị triển khai kịp thời.")
                await page.get_by_role("button", name="Lưu các phần báo cáo").click()
                await page.locator("#saved").wait_for()
                assert await page.locator("#sections textarea[name=strengths]").input_value() == (
                    "Các đơn vị triển khai kịp thời.")
                await page.screenshot(path=ARTIFACTS / "desk-report.png", full_page=True)
                async with page.expect_download() as info:
                    await page.get_by_role("button", name="Báo cáo (DOCX)").click()
                report = await info.value
                assert report.suggested_filename.startswith("bao-cao-")
                saved = ARTIFACTS / report.suggested_filename
                await report.save_as(saved)
                assert saved.read_bytes()[:2] == b"PK"
                # verify: the audit log names what was done
                await page.get_by_role("link", name="Nhật ký").click()
                log = await page.locator("#audit").inner_text()
                assert "Gửi thông báo" in log and "Nhập danh sách" in log
                assert "Nhập kế hoạch" in log
                await page.screenshot(path=ARTIFACTS / "desk-audit.png", full_page=True)
            finally:
                await browser.close()
    finally:
        await server.close()
        await app.close()
