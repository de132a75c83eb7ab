"""The city's page of the web desk (issue 19): the wards' states for a round, the sections
counts, each ward's report and the city's workbook; nobody else may open it, and the city
may not open a ward's admin pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO

import pytest
from aiohttp.test_utils import TestClient
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from core.types import Role
from services import city
from storage import entries
from storage.models import Unit
from storage.scoping import use_ward
from tests.desk_helpers import csrf_of, desk_server, login_path
from tests.factories import make_person
from tests.ward_helpers import FIRST, add_ward, fill, period_id, person_in, write_parts


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(desk_server(app)) as test_client:
        yield test_client


async def sign_in(client: TestClient, app: App, person_id: int) -> str:  # type: ignore[type-arg]
    """Signs the person in; returns the CSRF token of the page they land on."""
    landed = await client.post(await login_path(app, person_id))
    return csrf_of(await landed.text())


async def second_ward_sent(app: App) -> int:
    """Ward 2 (DOSON) with one unit's report in and its own report sent; ward 1 sent nothing."""
    second = await add_ward(app, "DOSON", "Đồ Sơn")
    head, _ = await person_in(app, second, Role.UNIT_HEAD, unit="VP")
    admin, _ = await person_in(app, second, Role.ADMIN)
    await fill(app, second, "VP", head)
    await write_parts(app, second, admin)
    async with app.deps.sessions.begin() as s:
        use_ward(s, second)
        unit = await s.scalar(select(Unit.id).where(Unit.code == "VP"))
        assert unit is not None
        await entries.submit(s, period_id=await period_id(app, second), unit_id=unit,
                             person_id=head, now=app.deps.clock.now(), late=False)
        await city.send_report(s, app.settings, ward_id=second,
                               period_id=await period_id(app, second), person_id=admin,
                               now=app.deps.clock.now(), today=app.deps.clock.today())
    return second


async def test_the_city_sees_every_ward_and_downloads_their_reports(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: ward 2 sent its annual report, ward 1 did not; a city user signs in
    await second_ward_sent(app)
    city_person, _ = await make_person(app, Role.CITY, name="Cán bộ Sở Nội vụ")
    token = await sign_in(client, app, city_person)
    # execute: the landing page, both downloads, a ward that does not exist
    page = await (await client.get("/desk/city?round=NAM-2025")).text()
    workbook = await client.post("/desk/city/download", data={
        "csrf": token, "kind": "xlsx", "round": "NAM-2025"})
    summary = await client.post("/desk/city/download", data={
        "csrf": token, "kind": "docx", "round": "NAM-2025"})
    report = await client.post("/desk/city/ward-report", data={
        "csrf": token, "ward": "doson", "round": "NAM-2025"})
    unknown = await client.post("/desk/city/ward-report", data={
        "csrf": token, "ward": "NOPE", "round": "NAM-2025"})
    forged = await client.post("/desk/city/download", data={"kind": "xlsx"})
    # verify: each ward in its state with its sections' counts
    table = page.split('id="city-wards"')[1]
    first_row, second_row = table.split("<tr class=")[1:3]
    assert first_row.startswith('"missing"') and "phường Nam Đồ Sơn" in first_row
    assert second_row.startswith('"on_time"') and "phường Đồ Sơn" in second_row
    assert "3/0/0/0" in second_row and "Chưa gửi: <strong>1</strong>" in page
    assert "Cán bộ Sở Nội vụ" in page and 'href="/desk/city"' in page
    # the workbook lists both wards; the report is ward 2's own, under its code
    assert workbook.status == 200
    sheet = load_workbook(BytesIO(await workbook.read()), read_only=True).worksheets[0]
    states = {r[0]: r[2] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert states == {"NAM-DO-SON": "Chưa gửi", "DOSON": "Đã gửi đúng hạn"}
    assert summary.status == 200
    assert 'filename="tong-hop-thanh-pho-NAM-2025.docx"' in summary.headers[
        "Content-Disposition"]
    summary_text = "\n".join(p.text for p in Document(BytesIO(await summary.read())).paragraphs)
    assert "dân vận chính quyền năm 2025" in summary_text
    assert "Chưa gửi (1): phường Nam Đồ Sơn." in summary_text
    assert report.status == 200
    assert 'filename="bao-cao-DOSON-NAM-2025.docx"' in report.headers["Content-Disposition"]
    body = "\n".join(p.text for p in Document(BytesIO(await report.read())).paragraphs)
    assert "ĐỒ SƠN" in body.upper() and "NAM ĐỒ SƠN" not in body.upper()
    assert unknown.status == 404 and "NOPE" in await unknown.text()
    assert forged.status == 403


async def test_the_city_page_is_the_citys_and_the_wards_pages_are_the_wards(
        app: App, client: TestClient) -> None:  # type: ignore[type-arg]
    # setup: the city's staff, a ward admin and a unit head
    city_person, _ = await make_person(app, Role.CITY)
    admin, _ = await person_in(app, FIRST, Role.ADMIN)
    head, _ = await person_in(app, FIRST, Role.UNIT_HEAD, unit="VP")
    answers: dict[str, tuple[int, int]] = {}
    # execute: each signs in and tries the city's page and a ward admin's page
    for who, person in (("city", city_person), ("admin", admin), ("head", head)):
        client.session.cookie_jar.clear()
        await sign_in(client, app, person)
        answers[who] = ((await client.get("/desk/city")).status,
                        (await client.get("/desk/round")).status)
    # verify
    assert answers == {"city": (200, 403), "admin": (403, 200), "head": (403, 403)}
