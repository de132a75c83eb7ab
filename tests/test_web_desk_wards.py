"""The web desk of one ward on a deployment of several (issue 19): its admin sees, finds and
changes nothing of another ward, and its downloads carry its own name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from io import BytesIO

import pytest
from aiohttp.test_utils import TestClient
from docx import Document
from sqlalchemy import func, select, update

from bot.app import App
from bot.desk import admin_routes, desk_app
from core.ports import FixedClock
from core.types import Role, Status
from services import city
from storage import entries, plans
from storage.entries import EntryDraft
from storage.models import AuditLog, Broadcast, Unit, WardReport
from storage.scoping import use_ward
from tests.desk_helpers import csrf_of, desk_server, login_path
from tests.ward_helpers import FIRST, add_ward, period_id, person_in, write_parts

MARK = "PHUONG-MOT"  # in every name and text of ward 1 the other ward's admin could meet


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(desk_server(app)) as test_client:
        yield test_client


async def mark_first_ward(app: App) -> tuple[int, int]:
    """Ward 1's units renamed with MARK, an entry and a broadcast carrying it; returns
    (ward 1's unit VP's id, ward 1's broadcast id)."""
    head, _ = await person_in(app, FIRST, Role.UNIT_HEAD, unit="VP", name=f"{MARK} Trưởng")
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        use_ward(s, FIRST)
        await s.execute(update(Unit).where(Unit.ward_id == FIRST)
                        .values(name=Unit.name + f" {MARK}"))
        vp = await s.scalar(select(Unit).where(Unit.code == "VP"))
        assert vp is not None
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        task = (await plans.plan_outline(s, period.plan_id))[0].tasks[0]
        await entries.save_entry(s, period_id=period.id, unit_id=vp.id, task_id=task.id,
                                 draft=EntryDraft(Status.DONE, f"{MARK} đã làm"),
                                 author_id=head, now=now)
        broadcast = Broadcast(text=f"{MARK} họp tổ", audience="all_groups", group_ids=[],
                              file_path="", status="done", created_at=now)
        s.add(broadcast)
        await s.flush()
        return vp.id, broadcast.id


async def test_a_wards_desk_shows_and_changes_nothing_of_another_ward(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: ward 1 marked; ward 2 (its own plan and roster) with its admin signed in
    vp_one, broadcast_one = await mark_first_ward(app)
    second = await add_ward(app, "DOSON", "Đồ Sơn")
    admin, _ = await person_in(app, second, Role.ADMIN, name="Quản Trị Đồ Sơn")
    path = await login_path(app, admin)
    assert (await client.post(path, allow_redirects=False)).status == 303
    token = csrf_of(await (await client.get("/desk/round")).text())
    pages = sorted({path for method, path in admin_routes(desk_app(app.deps))
                    if method == "GET" and "{" not in path and not path.endswith(".xlsx")})
    # execute: every admin page, ward 1's unit and broadcast by id, a change of ward 1's unit
    shown = {page: await (await client.get("/desk" + page)).text() for page in pages}
    unit_page = await client.get(f"/desk/unit/{vp_one}")
    broadcast_page = await client.get(f"/desk/broadcasts/{broadcast_one}")
    changed = await client.post("/desk/roster/active", data={
        "csrf": token, "kind": "unit", "key": "VP", "active": "0"})
    download = await client.post("/desk/download", data={"csrf": token, "kind": "bao-cao"})
    # verify: nothing of ward 1 on any page; its rows out of reach
    assert len(pages) >= 6 and "/round" in pages and "/roster" in pages
    leaked = [page for page, html in shown.items() if MARK in html]
    assert leaked == []
    assert "Quản Trị Đồ Sơn" in shown["/round"]
    assert unit_page.status == 404 and MARK not in await unit_page.text()
    assert broadcast_page.status == 404 and MARK not in await broadcast_page.text()
    assert changed.status == 200  # ward 2's own VP, not ward 1's
    async with app.deps.sessions() as s:
        active = {(u.ward_id, u.code): u.active for u in await s.scalars(select(Unit))}
    assert active[(FIRST, "VP")] and not active[(second, "VP")]
    assert download.status == 200
    document = Document(BytesIO(await download.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ĐỒ SƠN" in text.upper() and MARK not in text


async def test_a_ward_sends_its_report_to_the_city_from_the_desk(
        app: App, client: TestClient, clock: FixedClock) -> None:  # type: ignore[type-arg]
    # setup: ward 2's admin signed in; ward 1's round, which ward 2 must not send
    second = await add_ward(app, "DOSON", "Đồ Sơn")
    admin, _ = await person_in(app, second, Role.ADMIN, name="Quản Trị Đồ Sơn")
    assert (await client.post(await login_path(app, admin), allow_redirects=False)).status == 303
    own_period, other_period = await period_id(app, second), await period_id(app, FIRST)
    report = f"/desk/report?period={own_period}"
    page = await (await client.get(report)).text()
    token = csrf_of(page)

    async def send(period: int) -> tuple[int, str]:
        answer = await client.post("/desk/report/send", data={"csrf": token,
                                                              "period": str(period)})
        return answer.status, await answer.text()

    # execute: before the written parts, another ward's round, then for real, twice, and
    # again after a part is rewritten
    refused = await send(own_period)
    foreign = await send(other_period)
    await write_parts(app, second, admin)
    first_send = await send(own_period)
    again = await send(own_period)
    sent_page = await (await client.get(report)).text()
    clock.advance(timedelta(minutes=5))
    await write_parts(app, second, admin, marker="Sửa: ")
    changed_page = await (await client.get(report)).text()
    resend = await send(own_period)
    # verify: the refusals name what is missing and change nothing; the page follows the state
    assert "Chưa gửi." in page and "Gửi lên thành phố</button>" in page
    assert refused[0] == 409 and "còn thiếu phần" in refused[1]
    assert foreign[0] == 404
    assert first_send[0] == 200 and "Đã gửi báo cáo lên thành phố." in first_send[1]
    assert again[0] == 409 and "không cần gửi lại" in again[1]
    sent_part = sent_page.split('id="city-send"')[1].split("</section>")[0]
    assert "Đã gửi lúc" in sent_part and "</button>" not in sent_part
    assert "Có thay đổi sau lần gửi này" in changed_page
    assert "Gửi lại lên thành phố" in changed_page
    assert resend[0] == 200
    async with app.deps.sessions() as s:
        sends = [(r.ward_id, r.period_id) for r in await s.scalars(select(WardReport))]
        audited = await s.scalar(select(func.count()).select_from(AuditLog)
                                 .where(AuditLog.action == "city_send"))
    assert sends == [(second, own_period)] * 2 and audited == 2
    async with app.deps.sessions() as s:
        view = await city.rollup(s, app.deps.settings, today=app.deps.clock.today(),
                                 round_arg="NAM-2025")
    assert {w.code: w.state for w in view.wards}["DOSON"] == "on_time"
