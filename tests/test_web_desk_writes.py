"""The web desk's writing pages through aiohttp's test client: every admin route refused
without a session, for a unit head and without the CSRF token; broadcasts composed, sent,
edited, cancelled and resent; roster and plan imports with their preview and confirm, uploads
too big or of the wrong kind; rounds, calendar, assignments, report parts; the audit log; the
sign-in limit shared through the database; hostile text shown as text."""

from __future__ import annotations

import os
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.app import App
from bot.desk import admin_routes, desk_app, matrix
from core.ports import FixedClock
from core.types import Platform, Role, Status
from storage import broadcasts as broadcast_repo
from storage import calendar, entries, plans, roster
from storage.entries import EntryDraft
from storage.models import AuditLog, Delivery, Person, Unit
from tests.broadcast_helpers import leaders, tick, worker_for
from tests.desk_helpers import HOSTILE_TEXT, HOSTILE_UNIT, csrf_of, desk_server, seed_round
from tests.factories import Talk, make_person
from tests.fakes import FakeMessenger
from tests.test_plan_import import seed_text, write_docx
from tests.test_roster_admin import REAL_ROSTER, write_xlsx
from tests.test_statement_count import recorded_statements
from tests.test_web_desk import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(desk_server(app)) as test_client:
        yield test_client


async def admin_in(client: TestClient, app: App) -> str:  # type: ignore[type-arg]
    """Signs an admin in; returns the CSRF token."""
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    return csrf_of(await (await client.get("/desk/round")).text())


def concrete(path: str) -> str:
    return "/desk" + re.sub(r"\{[^}]+\}", "1", path)


def upload(name: str, body: bytes, kind: str, csrf: str = "", **fields: str) -> aiohttp.FormData:
    """A multipart form as the desk's pages send it: the CSRF token first, then the rest."""
    data = aiohttp.FormData()
    if csrf:
        data.add_field("csrf", csrf)
    for key, value in fields.items():
        data.add_field(key, value)
    data.add_field("file", body, filename=name, content_type=kind)
    return data


async def audit_actions(app: App) -> list[str]:
    async with app.deps.sessions() as s:
        return list(await s.scalars(select(AuditLog.action).where(AuditLog.action != "web_login")
                                    .order_by(AuditLog.id)))


# --- Who may do what ---------------------------------------------------------------------------


async def test_every_admin_route_is_refused_without_session_to_unit_heads_and_without_csrf(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    routes = admin_routes(desk_app(app.deps))
    assert len(routes) >= 20 and ("POST", "/broadcasts/send") in routes
    r = await seed_round(app)
    before = await audit_actions(app)
    # execute / verify: no session → the "Cần đăng nhập" page
    for method, path in routes:
        response = await client.request(method, concrete(path), allow_redirects=False,
                                        data={"csrf": "x"} if method == "POST" else None)
        assert response.status == 303, (method, path)
        assert response.headers["Location"] == "/desk/can-dang-nhap"
    # a unit head's session: refused, even with the session's own CSRF token
    await sign_in(client, app, r.head)
    token = csrf_of(await (await client.get("/desk/")).text())
    for method, path in routes:
        response = await client.request(method, concrete(path),
                                        data={"csrf": token} if method == "POST" else None)
        assert response.status == 403, (method, path)
        assert "Không có quyền truy cập" in await response.text()
    # an admin's session: every POST without the token, or with a wrong one, is refused
    await sign_in(client, app, r.admin)
    for method, path in routes:
        if method == "POST":
            for data in ({}, {"csrf": "0" * 64}):
                response = await client.post(concrete(path), data=data)
                assert response.status == 403, (path, data)
                assert "Yêu cầu không hợp lệ" in await response.text()
    # verify: nothing was written by any refused request
    assert await audit_actions(app) == before


# --- Broadcasts -------------------------------------------------------------------------------


async def test_compose_preview_send_and_follow_a_broadcast(
        app: App, client: TestClient, clock: FixedClock) -> None:  # type: ignore[type-arg]
    # setup: three registered tổ trưởng, an admin signed in
    people = await leaders(app, 3)
    token = await admin_in(client, app)
    form = {"csrf": token, "text": HOSTILE_TEXT + " họp tổ", "audience": "all_groups",
            "when": "now"}
    # execute: the preview
    preview = await client.post("/desk/broadcasts/preview", data=form)
    html = await preview.text()
    # verify: the audience, the quota line, the message as sent, escaped; nothing saved yet
    assert preview.status == 200, html
    assert "Tất cả tổ trưởng tổ dân phố" in html and "Hạn mức Zalo" in html
    assert HOSTILE_TEXT not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "THÔNG BÁO CỦA UBND" in html
    async with app.deps.sessions() as s:
        assert await broadcast_repo.newest(s) == []
    # execute: confirm
    sent = await client.post("/desk/broadcasts/send", data=form, allow_redirects=False)
    assert sent.status == 303
    detail_path = sent.headers["Location"]
    broadcast_id = int(detail_path.rsplit("/", 1)[1])
    page = await (await client.get(detail_path)).text()
    # verify: queued for everybody it names (the admin's chat adds a note later)
    assert "Đang gửi" in page and page.count('class="r-pending"') == 4  # 3 + the seed's
    # the worker sends; the page shows it, and acknowledgements come in
    worker = worker_for(app, clock, FakeMessenger(clock))
    await tick(app, worker)
    await tick(app, worker)
    async with app.deps.sessions.begin() as s:
        assert await broadcast_repo.acknowledge(s, broadcast_id, people[0][0], clock.now()) == "ok"
    page = await (await client.get(detail_path)).text()
    assert "Đã gửi xong" in page and 'class="r-sent"' in page
    acknowledged = await (await client.get(detail_path + "?status=acknowledged")).text()
    assert acknowledged.count("<tr class=\"r-") == 1 and "tt000" in acknowledged
    waiting = await (await client.get(detail_path + "?status=waiting")).text()
    assert "tt000" not in waiting and "tt001" in waiting
    # execute: resend to those who have not acknowledged
    resend = await client.post(f"{detail_path}/resend", data={"csrf": token})
    # verify
    assert resend.status == 200
    async with app.deps.sessions() as s:
        resent = await s.scalar(select(func.count()).select_from(Delivery).where(
            Delivery.dedupe_key.like(f"broadcast:{broadcast_id}:1:%:r1")))
    assert resent == 3
    assert await audit_actions(app) == ["broadcast_sent", "broadcast_resend"]
    listing = await (await client.get("/desk/broadcasts")).text()
    assert f">Số {broadcast_id}</a>" in listing and "<img src=x" not in listing


async def test_pages_escape_the_hostile_unit_name_everywhere(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    await admin_in(client, app)
    # execute / verify
    for path in ("/desk/round", "/desk/roster", "/desk/plans", "/desk/report"):
        html = await (await client.get(path)).text()
        assert "<script>alert" not in html, path
    roster_page = await (await client.get("/desk/roster")).text()
    assert "&lt;script&gt;alert(&#39;unit&#39;)&lt;/script&gt; Ban Ác" in roster_page


async def test_scheduled_and_weekly_broadcasts_are_edited_and_cancelled(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    await leaders(app, 2)
    token = await admin_in(client, app)
    base = {"csrf": token, "audience": "all_groups"}
    # execute: one at a time, one weekly
    at = await client.post("/desk/broadcasts/send", allow_redirects=False, data={
        **base, "text": "Họp lúc 8 giờ", "when": "at", "at": "20/11/2025 08:00"})
    weekly = await client.post("/desk/broadcasts/send", allow_redirects=False, data={
        **base, "text": "Nhắc vệ sinh", "when": "weekly", "weekday": "0", "time": "07:30",
        "until": "31/12/2025"})
    past = await client.post("/desk/broadcasts/send", data={
        **base, "text": "Trễ", "when": "at", "at": "01/11/2025 08:00"})
    # verify
    assert at.status == 303 and weekly.status == 303
    assert past.status == 400 and "đã qua" in await past.text()
    at_path, weekly_path = at.headers["Location"], weekly.headers["Location"]
    listing = await (await client.get("/desk/broadcasts")).text()
    assert "08:00 20/11/2025" in listing and "vào thứ Hai hằng tuần" in listing
    assert "07:30 24/11/2025" in listing
    # execute: edit one, cancel the other
    edited = await client.post(f"{at_path}/edit", data={"csrf": token, "text": "Họp lúc 9 giờ"})
    cancelled = await client.post(f"{weekly_path}/cancel", data={"csrf": token})
    empty = await client.post(f"{at_path}/edit", data={"csrf": token, "text": "  "})
    # verify
    assert edited.status == 200 and "Họp lúc 9 giờ" in await edited.text()
    assert cancelled.status == 200 and "Đã hủy" in await cancelled.text()
    assert empty.status == 400 and "không được để trống" in await empty.text()
    again = await client.post(f"{weekly_path}/cancel", data={"csrf": token})
    assert again.status == 400 and "không còn chờ gửi" in await again.text()
    assert await audit_actions(app) == ["broadcast_scheduled", "broadcast_scheduled",
                                        "broadcast_edit", "broadcast_cancel"]


async def test_a_broadcast_to_nobody_or_bad_groups_is_refused(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: no tổ trưởng of TDP05 registered
    token = await admin_in(client, app)
    # execute
    nobody = await client.post("/desk/broadcasts/send", data={
        "csrf": token, "text": "Xin chào", "audience": "groups", "groups": "TDP05",
        "when": "now"})
    unknown = await client.post("/desk/broadcasts/preview", data={
        "csrf": token, "text": "Xin chào", "audience": "groups", "groups": "KHONGCO",
        "when": "now"})
    # verify
    assert nobody.status == 400 and "Chưa có người nhận" in await nobody.text()
    assert unknown.status == 400 and "KHONGCO" in await unknown.text()
    async with app.deps.sessions() as s:
        assert await broadcast_repo.newest(s) == []


# --- Roster -----------------------------------------------------------------------------------


async def test_roster_import_previews_then_confirms(
        app: App, client: TestClient, tmp_path: Path) -> None:  # type: ignore[type-arg]
    # setup
    token = await admin_in(client, app)
    body = write_xlsx(tmp_path / "danh-sach.xlsx", REAL_ROSTER).read_bytes()
    folder = app.deps.settings.export_dir / "desk-uploads"
    folder.mkdir(parents=True)
    stale = folder / ("0" * 32 + ".xlsx")  # a preview never confirmed, two days ago
    stale.write_bytes(body)
    os.utime(stale, (time.time() - 2 * 86400,) * 2)
    # execute: the preview, with --replace
    preview = await client.post("/desk/roster/import",
                                data=upload("danh-sach.xlsx", body, XLSX, token, replace="1"))
    html = await preview.text()
    # verify: what would change, nothing saved
    assert preview.status == 200, html
    assert "NX1" in html and "Tổ dân phố Ngọc Xuyên 1" in html
    assert not stale.exists()
    async with app.deps.sessions() as s:
        assert await roster.group_by_code(s, "NX1") is None
    upload_id = re.search(r'name="upload" value="([0-9a-f]{32})"', html)
    assert upload_id is not None
    # execute: confirm
    done = await client.post("/desk/roster/import/confirm", data={
        "csrf": token, "upload": upload_id.group(1), "replace": "1"})
    # verify: imported, the example tổ dropped, the file gone, the audit written
    assert done.status == 200 and "Đã nhập danh sách" in await done.text()
    async with app.deps.sessions() as s:
        assert (await roster.group_by_code(s, "NX1")) is not None
        tdp01 = await roster.group_by_code(s, "TDP01")
        assert tdp01 is not None and not tdp01.active
    again = await client.post("/desk/roster/import/confirm", data={
        "csrf": token, "upload": upload_id.group(1), "replace": "1"})
    assert again.status == 400 and "hết hạn" in await again.text()
    assert "roster_import" in await audit_actions(app)


async def test_uploads_too_big_of_the_wrong_kind_or_without_token_change_nothing(
        app: App, client: TestClient, tmp_path: Path) -> None:  # type: ignore[type-arg]
    # setup
    token = await admin_in(client, app)
    folder = app.deps.settings.export_dir / "desk-uploads"
    good = write_xlsx(tmp_path / "ds.xlsx", REAL_ROSTER).read_bytes()
    docx_body = write_docx(seed_text(), tmp_path / "kh.docx").read_bytes()
    big = b"PK" + b"0" * (10 * 1024 * 1024 + 10)
    cases = [
        ("/desk/roster/import", upload("ds.xlsx", big, XLSX, token), 400, "Tệp quá lớn"),
        ("/desk/roster/import", upload("ds.xlsx", b"STT,Ma,Ten\n1,VP,Van phong\n", XLSX,
                                       token), 400, "không đúng loại"),
        ("/desk/roster/import", upload("ds.xlsx", docx_body, XLSX, token), 400,
         "không đúng loại"),
        ("/desk/plans/import", upload("kh.docx", good, DOCX, token), 400, "không đúng loại"),
        ("/desk/plans/import", upload("kh.docx", b"<html>not word</html>", DOCX, token), 400,
         "không đúng loại"),
        ("/desk/plans/import", upload("kh.docx", b"", DOCX, token), 400, "Chưa chọn tệp"),
    ]
    before = await audit_actions(app)
    for path, data, status, text in cases:
        # execute
        response = await client.post(path, data=data)
        # verify
        assert response.status == status, (path, text)
        assert text in await response.text()
    for wrong in ("", "0" * 64):
        refused = await client.post("/desk/roster/import",
                                    data=upload("ds.xlsx", good, XLSX, wrong))
        assert refused.status == 403 and "Yêu cầu không hợp lệ" in await refused.text()
    assert not folder.exists() or list(folder.iterdir()) == []
    assert await audit_actions(app) == before


async def test_deactivate_reactivate_and_invite(app: App, client: TestClient,  # type: ignore[type-arg]
                                                clock: FixedClock) -> None:
    # setup
    token = await admin_in(client, app)
    app.deps.settings.telegram.bot_username = "danvan_bot"
    # execute / verify: a unit off and on again
    off = await client.post("/desk/roster/active", data={
        "csrf": token, "kind": "unit", "key": "VHXH", "active": "0"})
    assert off.status == 200 and "VHXH" in await off.text()
    async with app.deps.sessions() as s:
        assert [u.code for u in await roster.list_units(s)].count("VHXH") == 0
    on = await client.post("/desk/roster/active", data={
        "csrf": token, "kind": "unit", "key": "VHXH", "active": "1"})
    assert on.status == 200
    missing = await client.post("/desk/roster/active", data={
        "csrf": token, "kind": "group", "key": "KHONGCO", "active": "0"})
    assert missing.status == 404
    # an invite: code, deep link, its QR code and the Zalo text
    invite = await client.post("/desk/roster/invite", data={
        "csrf": token, "role": Role.GROUP_LEADER.value, "place": "TDP02", "name": "Bùi Văn Mới"})
    html = await invite.text()
    code = re.search(r'<strong id="code">([^<]+)</strong>', html)
    assert invite.status == 200 and code is not None
    assert f"https://t.me/danvan_bot?start={code.group(1)}" in html
    assert 'src="data:image/svg+xml;base64,' in html and f"/dangky {code.group(1)}" in html
    for role, place in ((Role.UNIT_HEAD, ""), (Role.UNIT_HEAD, "TDP02"),
                        (Role.GROUP_LEADER, "VP"), (Role.GROUP_LEADER, "KHONGCO")):
        refused = await client.post("/desk/roster/invite", data={
            "csrf": token, "role": role.value, "place": place})
        assert refused.status == 400 and "Thủ trưởng đơn vị cần" in await refused.text()
    # bulk: the .xlsx of codes for everyone not registered
    async with app.deps.sessions.begin() as s:
        s.add(Person(name="Chưa Đăng Ký", role=Role.GROUP_LEADER.value, created_at=clock.now()))
    bulk = await client.post("/desk/roster/invites.xlsx", data={"csrf": token})
    assert bulk.status == 200 and (await bulk.read())[:2] == b"PK"
    assert {"deactivate", "activate", "invite"} <= set(await audit_actions(app))


# --- Plans, rounds, calendar, assignments, report ---------------------------------------------


async def test_plan_import_from_the_seed_docx(app: App, client: TestClient,  # type: ignore[type-arg]
                                              tmp_path: Path) -> None:
    # setup
    token = await admin_in(client, app)
    body = write_docx(seed_text(), tmp_path / "ke-hoach.docx").read_bytes()
    # execute
    preview = await client.post("/desk/plans/import",
                                data=upload("ke-hoach.docx", body, DOCX, token))
    html = await preview.text()
    # verify
    assert preview.status == 200, html
    assert "25/KH-UBND" in html
    upload_id = re.search(r'name="upload" value="([0-9a-f]{32})"', html)
    assert upload_id is not None
    done = await client.post("/desk/plans/import/confirm",
                             data={"csrf": token, "upload": upload_id.group(1)})
    assert done.status == 200 and "kế hoạch 25/KH-UBND" in await done.text()
    assert "plan_imported" in await audit_actions(app)


async def test_rounds_calendar_and_assignments(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    token = await admin_in(client, app)
    # execute / verify: an ad-hoc round, the year's rounds, close and reopen
    adhoc = await client.post("/desk/rounds/add", data={
        "csrf": token, "title": "Báo cáo đột xuất về bão", "due": "20/12/2025"})
    assert adhoc.status == 200 and "DX1-2025" in await adhoc.text()
    year = await client.post("/desk/rounds/add", data={"csrf": token, "year": "2026"})
    assert year.status == 200 and "NAM-2026" in await year.text()
    bad = await client.post("/desk/rounds/add", data={"csrf": token, "title": "X", "due": "xx"})
    assert bad.status == 400
    closed = await client.post("/desk/rounds/closed", data={
        "csrf": token, "code": "DX1-2025", "closed": "1"})
    assert closed.status == 200 and "Đã khóa" in await closed.text()
    async with app.deps.sessions() as s:
        assert next(p for p in await plans.all_periods(s) if p.code == "DX1-2025").closed
    # a make-up working day
    day = await client.post("/desk/calendar", data={
        "csrf": token, "day": "27/12/2025", "kind": "work", "note": "làm bù"})
    assert day.status == 200
    async with app.deps.sessions() as s:
        assert [(o.kind, o.note) for o in await calendar.list_overrides(s)] == [("work",
                                                                                  "làm bù")]
    plans_page = await (await client.get("/desk/plans")).text()
    assert 'action="/desk/calendar/clear"' in plans_page and 'value="27/12/2025"' in plans_page
    # ... and taken back; a day without one is refused and changes nothing
    cleared = await client.post("/desk/calendar/clear", data={"csrf": token, "day": "27/12/2025"})
    again = await client.post("/desk/calendar/clear", data={"csrf": token, "day": "27/12/2025"})
    assert cleared.status == 200 and "theo lịch thường" in await cleared.text()
    assert again.status == 404 and "không có điều chỉnh" in await again.text()
    async with app.deps.sessions() as s:
        assert await calendar.list_overrides(s) == []
    # task 1.1 for VP only: the other units' cells read "not assigned"
    assigned = await client.post("/desk/assignments", data={
        "csrf": token, "task": "1.1", "lead": "VP", "join": ""})
    assert assigned.status == 200, await assigned.text()
    unknown = await client.post("/desk/assignments", data={
        "csrf": token, "task": "1.1", "lead": "KHONGCO"})
    assert unknown.status == 400 and "KHONGCO" in await unknown.text()
    matrix = await (await client.get("/desk/round")).text()
    assert 'class="cell not_assigned"' in matrix and "Không được giao" in matrix
    assert {"round_added", "rounds_added", "period_closed", "calendar_override",
            "calendar_override_removed", "task_assigned"} <= set(await audit_actions(app))


async def test_round_filters_and_difficulties(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    await admin_in(client, app)
    # execute
    everything = await (await client.get("/desk/round")).text()
    on_time = await (await client.get("/desk/round?status=ontime")).text()
    section = await (await client.get("/desk/round?section=I")).text()
    # verify: only VP submitted on time; a section's tasks only
    assert everything.count('<th class="unit"><a') > on_time.count('<th class="unit"><a') == 1
    assert section.count('class="task"') < everything.count('class="task"')
    assert "Khó khăn, vướng mắc và đề xuất" in everything


async def test_report_parts_are_saved_as_new_versions(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    token = await admin_in(client, app)
    page = await (await client.get("/desk/report")).text()
    period = re.search(r'name="period" value="(\d+)"', page)
    assert period is not None
    # execute
    saved = await client.post("/desk/report", data={
        "csrf": token, "period": period.group(1), "strengths": HOSTILE_TEXT,
        "recipients": "UBND thành phố\nLưu: VT", "signer_name": "Nguyễn Văn Ký"})
    html = await saved.text()
    # verify: saved, escaped when shown again, audited once with the parts changed
    assert saved.status == 200 and "Đã lưu các phần báo cáo" in html
    assert HOSTILE_TEXT not in html and "&lt;img src=x onerror=alert(1)&gt; kết quả" in html
    assert "Nguyễn Văn Ký" in html
    async with app.deps.sessions() as s:
        row = await s.scalar(select(AuditLog).where(AuditLog.action == "report_sections"))
    assert row is not None and row.detail["parts"] == ["recipients", "signer_name",
                                                        "strengths"]


# --- Audit log and the sign-in limit ----------------------------------------------------------


async def test_the_audit_log_lists_newest_first_by_page(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: 60 changes by the admin, the newest a hostile name
    token = await admin_in(client, app)
    for n in range(59):
        await client.post("/desk/calendar", data={
            "csrf": token, "day": f"{n % 28 + 1:02d}/0{n // 28 + 1}/2026", "kind": "off"})
    async with app.deps.sessions.begin() as s:
        s.add(Unit(code="XSS2", name=HOSTILE_UNIT))
    await client.post("/desk/roster/active", data={
        "csrf": token, "kind": "unit", "key": "XSS2", "active": "0"})
    # execute
    first = await (await client.get("/desk/audit")).text()
    second = await (await client.get("/desk/audit?page=2")).text()
    # verify
    assert "61 mục" in first and "trang 1/2" in first  # the sign-in too
    assert first.index("Ngừng hoạt động") < first.index("Điều chỉnh lịch làm việc")
    assert "Trần Quản Trị" in first and first.count("<tr><td>") == 50
    assert second.count("<tr><td>") == 11 and "<script>" not in first
    assert "Đăng nhập trang quản trị" in second


async def test_sign_in_attempts_are_limited_across_processes(app: App) -> None:
    # setup: two desks (two processes' worth of app) on one database
    async with TestClient(desk_server(app)) as one, TestClient(desk_server(app)) as two:
        # execute: 20 guesses split between them, then one more on either
        statuses = [(await (one if n % 2 else two).post(f"/desk/login/guess-{n}")).status
                    for n in range(20)]
        last = await one.get("/desk/login/guess-last")
    # verify
    assert statuses == [403] * 20 and last.status == 429


async def test_evidence_images_on_the_unit_page(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: VP's entry 1.1 with a photo inside EVIDENCE_DIR and a path outside it
    r = await seed_round(app)
    folder = app.deps.settings.evidence_dir
    folder.mkdir(parents=True, exist_ok=True)
    photo = folder / "anh-hoi-nghi.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    outside = folder.parent / "secret.txt"
    outside.write_text("secret")
    async with app.deps.sessions.begin() as s:
        period = await plans.period_by_id(s, r.period_id)
        assert period is not None
        outline = await plans.plan_outline(s, period.plan_id)
        task = next(t.id for sec in outline for t in sec.tasks if t.code == "1.1")
        await entries.save_entry(s, period_id=r.period_id, unit_id=r.units["VP"], task_id=task,
                                 draft=EntryDraft(Status.DONE, "Có ảnh", evidence=(
                                     {"path": str(photo), "name": "anh.png", "kind": "photo"},
                                     {"path": str(outside), "name": "x.txt", "kind": "document"},
                                 )), author_id=r.head, now=app.deps.clock.now())
    base = f"/desk/evidence/{r.period_id}/{r.units['VP']}/{task}"
    # execute: the unit's head
    await sign_in(client, app, r.head)
    html = await (await client.get(f"/desk/unit/{r.units['VP']}")).text()
    image = await client.get(f"{base}/0")
    # verify
    assert f'<img src="{base}/0"' in html
    assert image.status == 200 and image.headers["Content-Type"] == "image/png"
    assert (await client.get(f"{base}/1")).status == 404  # outside EVIDENCE_DIR
    assert (await client.get(f"{base}/7")).status == 404
    other = f"/desk/evidence/{r.period_id}/{r.units['VHXH']}/{task}/0"
    assert (await client.get(other)).status == 403


async def test_a_city_sized_matrix_comes_in_pages(app: App, client: TestClient,  # type: ignore[type-arg]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # setup: 2 units per page, 6 units
    monkeypatch.setattr(matrix, "PAGE_UNITS", 2)
    await admin_in(client, app)
    # execute
    first = await (await client.get("/desk/round")).text()
    last = await (await client.get("/desk/round?page=3")).text()
    beyond = await (await client.get("/desk/round?page=99")).text()
    # verify: two rows a page, the same cells as on one page
    assert first.count('<th class="unit"><a') == 2 and "Trang 1/3" in first
    assert last.count('<th class="unit"><a') == 2 and "Trang 3/3" in last
    assert "Trang sau" in first and "Trang sau" not in last and "Trang 3/3" in beyond
    html = first + last + await (await client.get("/desk/round?page=2")).text()
    assert html.count('<td class="cell submitted"') == 1
    assert html.count('<td class="cell draft"') == 1


async def test_the_roster_shows_channels_and_last_activity(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: a tổ trưởng who has talked to the bot, one who never did
    await admin_in(client, app)
    _, account = await make_person(app, Role.GROUP_LEADER, group="TDP02", name="Nói Chuyện")
    await Talk(app, account).say("/menu")
    # execute
    html = await (await client.get("/desk/roster")).text()
    # verify: the time in Vietnam's dd/mm/yyyy, beside the channel
    row = next(line for line in html.splitlines() if "Nói Chuyện" in line)
    assert "shell" in row and "09:00 17/11/2025" in row, row
    quiet = next(line for line in html.splitlines() if "Tổ Trưởng Một" in line)
    assert "09:00 17/11/2025" not in quiet


async def test_a_broadcast_to_the_ticked_tổ(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: tổ trưởng in TDP01..TDP05 (leaders spreads them)
    await leaders(app, 5)
    token = await admin_in(client, app)
    form = aiohttp.FormData([("csrf", token), ("text", "Họp tổ 2 và 3"), ("audience", "groups"),
                             ("group", "TDP02"), ("group", "TDP03"), ("groups", ""),
                             ("when", "now")])
    # execute
    sent = await client.post("/desk/broadcasts/send", data=form, allow_redirects=False)
    # verify: only the two ticked tổ's leaders
    assert sent.status == 303
    page = await (await client.get(sent.headers["Location"])).text()
    assert page.count('<tr class="r-') == 2 and "tt001" in page and "tt002" in page


async def test_the_zalo_quota_a_broadcast_needs_is_shown_and_kept(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: 3 tổ trưởng on Zalo, a monthly quota of 2 messages
    app.deps.settings.zalo.monthly_quota = 2
    await leaders(app, 3, Platform.ZALO, prefix="zl")
    token = await admin_in(client, app)
    form = {"csrf": token, "text": "Họp tổ", "audience": "groups",
            "groups": "TDP01, TDP02, TDP03", "when": "now"}
    # execute
    preview = await (await client.post("/desk/broadcasts/preview", data=form)).text()
    sent = await client.post("/desk/broadcasts/send", data=form)
    # verify: 3 needed, 2 left; the send refused and nothing saved
    assert "cần <b>3</b> tin, tháng này còn <b>2</b> tin" in preview
    assert "Vượt hạn mức Zalo" in preview
    assert sent.status == 400 and "hạn mức Zalo" in await sent.text()
    async with app.deps.sessions() as s:
        assert await broadcast_repo.newest(s) == []


async def test_a_unit_page_marks_tasks_not_given_to_the_unit(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: task 1.3 given to VP only
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    token = csrf_of(await (await client.get("/desk/round")).text())
    await client.post("/desk/assignments", data={"csrf": token, "task": "1.3", "lead": "VP"})
    # execute
    vhxh = await (await client.get(f"/desk/unit/{r.units['VHXH']}")).text()
    vp = await (await client.get(f"/desk/unit/{r.units['VP']}")).text()
    # verify
    marked = '<span class="cell not_assigned">/</span> Không được giao</td>'
    assert vhxh.count(marked) == 1 and marked not in vp


async def test_the_round_page_issues_the_same_statements_for_more_units(
        app: App, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    # setup: the seeded round, then 40 more units with a draft each (and pages of 20 units)
    r = await seed_round(app)
    await sign_in(client, app, r.admin)
    monkeypatch.setattr(matrix, "PAGE_UNITS", 20)
    with recorded_statements(app) as before:
        assert (await client.get("/desk/round")).status == 200
    async with app.deps.sessions.begin() as s:
        outline = await plans.plan_outline(s, (await plans.all_periods(s))[0].plan_id)
        task = outline[0].tasks[0].id
        for n in range(40):
            unit = Unit(code=f"DV{n:02d}", name=f"Đơn vị {n}")
            s.add(unit)
            await s.flush()
            await entries.save_entry(s, period_id=r.period_id, unit_id=unit.id, task_id=task,
                                     draft=EntryDraft(Status.DONE, "x"), author_id=r.admin,
                                     now=app.deps.clock.now())
    # execute
    with recorded_statements(app) as after:
        page = await (await client.get("/desk/round?page=2")).text()
    # verify: one more page, the same statements
    assert "Trang 2/3" in page and page.count('<td class="cell draft"') >= 19
    assert len(after) == len(before), (before, after)


async def test_a_form_too_big_is_refused_in_vietnamese(app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup
    token = await admin_in(client, app)
    # execute: 2 MB of text (the server takes 1 MB of form)
    response = await client.post("/desk/broadcasts/preview", data={
        "csrf": token, "text": "x" * 2_000_000, "audience": "all_groups", "when": "now"})
    # verify
    assert response.status == 413 and "Nội dung quá dài" in await response.text()
