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
