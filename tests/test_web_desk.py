"""The web desk's routes through aiohttp's test client: who may see what, sign-in links used
twice or too late, forged cookies, CSRF, and hostile text shown as text."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.app import App, open_app
from bot.commands import web as web_command
from core.ports import FixedClock
from core.types import Role
from services.web_access import create_login_link
from tests.conftest import make_settings
from tests.desk_helpers import (
    HOSTILE_TEXT,
    HOSTILE_UNIT,
    csrf_of,
    desk_server,
    login_path,
    seed_round,
)
from tests.factories import Talk, make_person
from tests.fake_telegram import FakeTelegram
from tests.run_harness import running_bot
from tests.zalo_harness import free_port


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(desk_server(app)) as test_client:
        yield test_client


async def sign_in(client: TestClient, app: App, person_id: int) -> None:  # type: ignore[type-arg]
    path = await login_path(app, person_id)
    page = await client.get(path)
    assert page.status == 200 and "Đăng nhập" in await page.text()
    done = await client.post(path, allow_redirects=False)
    assert done.status == 303, await done.text()
    cookie = done.cookies["danvan_desk"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/desk"
    assert not cookie["secure"]  # PUBLIC_BASE_URL is not https here


ADMIN_PAGES = ["/desk/round", "/desk/roster"]


async def test_every_page_needs_a_session(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    r = await seed_round(app)
    # execute / verify: redirected to the Vietnamese "Cần đăng nhập" page
    for path in ["/desk/", *ADMIN_PAGES, f"/desk/unit/{r.units['VP']}"]:
        response = await client.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/desk/can-dang-nhap"
    for path in ["/desk/download", "/desk/logout"]:
        response = await client.post(path, data={"csrf": "x"}, allow_redirects=False)
        assert response.status == 303
    page = await client.get("/desk/round")
    assert page.status == 401 and "Cần đăng nhập" in await page.text()


async def test_a_forged_cookie_is_refused(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    await seed_round(app)
    client.session.cookie_jar.update_cookies({"danvan_desk": "forged-token"})
    # execute
    response = await client.get("/desk/round", allow_redirects=False)
    # verify
    assert response.status == 303


async def test_admin_sees_the_round_matrix_escaped(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    # execute
    page = await client.get("/desk/")
    html = await page.text()
    # verify: the round at a glance, every kind of cell, the counts, the hostile name as text
    assert page.status == 200 and str(page.url).endswith("/desk/round")
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Năm 2025" in html or "năm 2025" in html
    for css in ('class="cell submitted"', 'class="cell edited"', 'class="cell draft"',
                'class="cell missing"'):
        assert css in html
    assert "<b>1</b> đúng hạn" in html and "<b>0</b> nộp muộn" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;unit&#39;)&lt;/script&gt; Ban Ác" in html
    # the roster, read only, with the same escaping
    roster = await (await client.get("/desk/roster")).text()
    assert "Lê Thị Hoa" in roster and "<script>alert" not in roster


async def test_a_unit_page_escapes_entries(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    # execute
    html = await (await client.get(f"/desk/unit/{r.units['VHXH']}?period={r.period_id}")).text()
    # verify
    assert HOSTILE_TEXT not in html
    assert "&lt;img src=x onerror=alert(1)&gt; kết quả" in html


async def test_a_unit_head_sees_only_their_unit(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    r = await seed_round(app)
    await sign_in(client, app, r.head)
    # execute
    home = await client.get("/desk/")
    # verify: their own unit, read only (no form but sign-out)
    html = await home.text()
    assert home.status == 200 and str(home.url).endswith(f"/desk/unit/{r.units['VP']}")
    assert "Đã ban hành" in html and html.count("<form method=\"post\"") == 1
    for path in [*ADMIN_PAGES, f"/desk/unit/{r.units['VHXH']}"]:
        refused = await client.get(path)
        assert refused.status == 403 and "Không có quyền truy cập" in await refused.text()
    download = await client.post("/desk/download", data={
        "csrf": csrf_of(html), "period": str(r.period_id), "kind": "bao-cao"})
    assert download.status == 403
    assert HOSTILE_UNIT not in html


async def test_a_group_leader_gets_no_link(app: App) -> None:
    # setup
    r = await seed_round(app)
    # execute
    async with app.deps.sessions.begin() as s:
        link = await create_login_link(s, r.leader, app.deps.clock.now())
    # verify
    assert link is None


async def test_a_link_works_once(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    r = await seed_round(app)
    path = await login_path(app, r.admin)
    assert (await client.post(path, allow_redirects=False)).status == 303
    # execute
    again = await client.post(path, allow_redirects=False)
    # verify
    assert again.status == 403 and "đã được dùng" in await again.text()
    unknown = await client.post("/desk/login/not-a-link", allow_redirects=False)
    assert unknown.status == 403 and "không hợp lệ" in await unknown.text()


async def test_a_link_expires_after_15_minutes(app: App, client: TestClient,  # type: ignore[type-arg]
                                                clock: FixedClock) -> None:
    # setup
    r = await seed_round(app)
    path = await login_path(app, r.admin)
    clock.advance(timedelta(minutes=15))
    # execute
    late = await client.post(path, allow_redirects=False)
    # verify
    assert late.status == 403 and "hết hạn" in await late.text()
    assert "danvan_desk" not in late.cookies


async def test_sessions_end_when_idle_and_on_sign_out(app: App, client: TestClient,  # type: ignore[type-arg]
                                                      clock: FixedClock) -> None:
    # setup
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    clock.advance(timedelta(minutes=59))
    assert (await client.get("/desk/round")).status == 200  # use extends the idle limit
    clock.advance(timedelta(minutes=59))
    html = await (await client.get("/desk/round")).text()
    # execute: sign out, with the form's token
    out = await client.post("/desk/logout", data={"csrf": csrf_of(html)})
    # verify
    assert out.status == 200 and "Đã đăng xuất" in await out.text()
    assert (await client.get("/desk/round", allow_redirects=False)).status == 303
    # idle: a new session unused for an hour is over
    await sign_in(client, app, r.admin)
    clock.advance(timedelta(minutes=60))
    assert (await client.get("/desk/round", allow_redirects=False)).status == 303


async def test_the_absolute_limit_ends_a_busy_session(app: App, client: TestClient,  # type: ignore[type-arg]
                                                      clock: FixedClock) -> None:
    # setup
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    # execute: used every 50 minutes for 12.5 hours
    for _ in range(15):
        clock.advance(timedelta(minutes=50))
        last = await client.get("/desk/round", allow_redirects=False)
    # verify
    assert last.status == 303


async def test_posts_need_the_sessions_csrf_token(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    form = {"period": str(r.period_id), "kind": "bao-cao"}
    # execute / verify: missing, wrong, and another session's token are refused
    missing = await client.post("/desk/download", data=form)
    assert missing.status == 403 and "Yêu cầu không hợp lệ" in await missing.text()
    wrong = await client.post("/desk/download", data={**form, "csrf": "0" * 64})
    assert wrong.status == 403
    async with TestClient(desk_server(app)) as other:
        await sign_in(other, app, r.admin)
        theirs = csrf_of(await (await other.get("/desk/round")).text())
    assert (await client.post("/desk/download", data={**form, "csrf": theirs})).status == 403
    assert (await client.post("/desk/logout", data={"csrf": theirs})).status == 403
    assert (await client.get("/desk/round")).status == 200  # still signed in


async def test_admin_downloads_the_reports(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    token = csrf_of(await (await client.get("/desk/round")).text())
    # execute
    files = {}
    for kind in ("bao-cao", "xlsx"):
        response = await client.post("/desk/download", data={
            "csrf": token, "period": str(r.period_id), "kind": kind})
        assert response.status == 200, await response.text()
        files[kind] = (response.headers["Content-Disposition"], await response.read())
    # verify
    assert files["bao-cao"][0] == 'attachment; filename="bao-cao-NAM-2025.docx"'
    assert files["bao-cao"][1][:2] == b"PK" and files["xlsx"][1][:2] == b"PK"


async def test_sign_in_attempts_are_limited(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # execute
    statuses = [(await client.post(f"/desk/login/guess-{n}")).status for n in range(21)]
    # verify
    assert statuses[:20] == [403] * 20 and statuses[20] == 429


async def test_web_in_chat_gives_a_link(app: App) -> None:
    # setup
    app.deps.settings.public_base_url = "https://danvan.example.vn"
    _, admin = await make_person(app, Role.ADMIN)
    _, city_staff = await make_person(app, Role.CITY)
    _, leader = await make_person(app, Role.GROUP_LEADER)
    # execute
    admin_reply = await Talk(app, admin).say("/web")
    city_help = await Talk(app, city_staff).say("/trogiup")
    city_reply = await Talk(app, city_staff).say("/web")
    leader_reply = await Talk(app, leader).say("/trangquantri")
    # verify: the tổ trưởng has no desk
    assert "https://danvan.example.vn/desk/login/" in admin_reply[0].text
    assert "https://danvan.example.vn/desk/login/" in city_reply[0].text
    assert "/web" in city_help[0].text
    assert "/desk/login/" not in leader_reply[0].text


async def test_web_command_serves_the_desk_alone_with_a_link(
        sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # setup: no messenger token; an admin in the database
    settings = make_settings(sqlite_url, tmp_path, http_host="127.0.0.1", http_port=0)
    app = await open_app(settings)
    await make_person(app, Role.ADMIN, name="Trần Quản Trị")
    await app.close()
    stop = asyncio.Event()
    # execute
    serving = asyncio.create_task(
        web_command.run(argparse.Namespace(who="tran quan tri"), settings, stop_event=stop))
    for _ in range(200):
        out = capsys.readouterr().out
        if "/desk/login/" in out:
            break
        await asyncio.sleep(0.05)
    url = next(word for word in out.split() if "/desk/login/" in word)
    try:
        # unsafe: aiohttp's client keeps no cookie of an IP address otherwise (browsers do)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            signed = await http.post(url)
            page = await signed.text()
            # verify: the link signs in and lands on the round's page
            assert signed.status == 200 and "Kỳ báo cáo" in page and "Trần Quản Trị" in page
            assert (await http.post(url)).status == 403  # once only
    finally:
        stop.set()
        assert await serving == 0


async def test_web_command_refuses_unknown_people_and_group_leaders(
        sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    settings = make_settings(sqlite_url, tmp_path, http_host="127.0.0.1", http_port=0)
    app = await open_app(settings)
    await make_person(app, Role.GROUP_LEADER, name="Tổ Trưởng")
    await app.close()
    # execute / verify
    assert await web_command.run(argparse.Namespace(who="Không Ai"), settings) == 2
    assert await web_command.run(argparse.Namespace(who="To Truong"), settings) == 2
    assert "không được dùng trang quản trị" in capsys.readouterr().err


async def test_run_serves_the_desk_on_its_http_server(sqlite_url: str, tmp_path: Path) -> None:
    # setup: `run` with a (fake) Telegram channel
    telegram = await FakeTelegram().start()
    port = free_port()
    settings = make_settings(sqlite_url, tmp_path, telegram_bot_token=telegram.token,
                             telegram_api_base_url=telegram.base_url, telegram_poll_seconds=1,
                             http_host="127.0.0.1", http_port=port)
    try:
        # execute
        async with running_bot(settings), aiohttp.ClientSession() as http, \
                http.get(f"http://127.0.0.1:{port}/desk/round") as response:
            status, text = response.status, await response.text()
    finally:
        await telegram.stop()
    # verify: the desk is there, and asks to sign in
    assert status == 401 and "Cần đăng nhập" in text


async def test_the_cookie_is_secure_behind_https(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    app.deps.settings.public_base_url = "https://danvan.example.vn"
    r = await seed_round(app)
    # execute
    done = await client.post(await login_path(app, r.admin), allow_redirects=False)
    # verify
    assert done.status == 303 and done.cookies["danvan_desk"]["secure"]
