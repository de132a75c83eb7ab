"""Signed download links: valid, expired, tampered, outside the folder; /xuat on Zalo sends one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import App, open_app
from bot.web import build_web_app
from bot.web_downloads import download_routes
from core.links import LinkCheck, LinkSigner
from core.ports import FixedClock
from core.settings import Settings
from core.types import Platform, Role
from tests.conftest import make_settings
from tests.factories import Talk, make_person

SECRET = "một-bí-mật-dài-để-ký-đường-dẫn-0123456789"
NOW = datetime(2025, 11, 17, 2, 0, tzinfo=UTC)


@pytest.fixture
def link_settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path, link_secret=SECRET, link_ttl_hours=24,
                         public_base_url="https://danvan.example.gov.vn/",
                         export_dir=tmp_path / "exports")


@pytest.fixture
async def linked_app(link_settings: Settings, clock: FixedClock) -> AsyncIterator[App]:
    application = await open_app(link_settings, clock)
    try:
        yield application
    finally:
        await application.close()


@pytest.fixture
async def server(linked_app: App) -> AsyncIterator[TestServer]:
    web_app = build_web_app(linked_app.deps, [], download_routes(linked_app.deps))
    test_server = TestServer(web_app, host="127.0.0.1", port=0)
    await test_server.start_server()
    try:
        yield test_server
    finally:
        await test_server.close()


async def fetch(server: TestServer, path: str) -> tuple[int, bytes, str]:
    async with aiohttp.ClientSession() as http, http.get(server.make_url(path)) as response:
        return response.status, await response.read(), response.headers.get(
            "Content-Disposition", "")


def put_export(settings: Settings, name: str, content: bytes = b"PK\x03\x04 report") -> Path:
    settings.export_dir.mkdir(parents=True, exist_ok=True)
    path = settings.export_dir / name
    path.write_bytes(content)
    return path


def signer(settings: Settings) -> LinkSigner:
    return LinkSigner(SECRET, timedelta(hours=settings.link_ttl_hours))


def test_signature_covers_name_and_expiry() -> None:
    # setup
    links = LinkSigner(SECRET, timedelta(hours=24))
    path, expires_at = links.path("bao-cao.docx", NOW)
    _, _, expires, sig, name = path.split("/")
    # execute / verify
    assert expires_at == NOW + timedelta(hours=24)
    assert links.check(name, expires, sig, NOW) is LinkCheck.VALID
    assert links.check(name, expires, sig, expires_at) is LinkCheck.EXPIRED
    assert links.check("khac.docx", expires, sig, NOW) is LinkCheck.TAMPERED
    assert links.check(name, str(int(expires) + 3600), sig, NOW) is LinkCheck.TAMPERED
    assert LinkSigner("other", timedelta(hours=1)).check(name, expires, sig, NOW) \
        is LinkCheck.TAMPERED
    with pytest.raises(ValueError):
        links.path("../bot.db", NOW)


async def test_valid_link_serves_the_file(server: TestServer, linked_app: App) -> None:
    # setup
    settings = linked_app.settings
    put_export(settings, "bao-cao-NAM-2025.docx", b"PK\x03\x04 hello")
    path, _ = signer(settings).path("bao-cao-NAM-2025.docx", linked_app.deps.clock.now())
    # execute
    status, body, disposition = await fetch(server, path)
    # verify
    assert status == 200 and body == b"PK\x03\x04 hello"
    assert 'filename="bao-cao-NAM-2025.docx"' in disposition


async def test_expired_link_is_gone(server: TestServer, linked_app: App,
                                    clock: FixedClock) -> None:
    # setup
    put_export(linked_app.settings, "bao-cao.xlsx")
    path, _ = signer(linked_app.settings).path("bao-cao.xlsx", clock.now())
    clock.advance(timedelta(hours=24, seconds=1))
    # execute
    status, body, _ = await fetch(server, path)
    # verify
    assert status == 410 and "hết hạn" in body.decode()


async def test_tampered_links_are_forbidden(server: TestServer, linked_app: App) -> None:
    # setup
    put_export(linked_app.settings, "a.docx")
    put_export(linked_app.settings, "b.docx")
    path, _ = signer(linked_app.settings).path("a.docx", linked_app.deps.clock.now())
    _, _, expires, sig, _ = path.split("/")
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    # execute
    other_file = await fetch(server, f"/files/{expires}/{sig}/b.docx")
    later = await fetch(server, f"/files/{int(expires) + 86400}/{sig}/a.docx")
    bad_sig = await fetch(server, f"/files/{expires}/{flipped}/a.docx")
    # verify
    assert [other_file[0], later[0], bad_sig[0]] == [403, 403, 403]


async def test_never_serves_outside_the_export_folder(server: TestServer, linked_app: App,
                                                      tmp_path: Path) -> None:
    # setup: a secret file beside the export folder, and a correctly signed link to its name
    (tmp_path / "secret.txt").write_text("không được lộ")
    links = signer(linked_app.settings)
    now = linked_app.deps.clock.now()
    path, _ = links.path("secret.txt", now)
    _, _, expires, sig, _ = path.split("/")
    # execute
    missing = await fetch(server, path)  # not in the export folder: nothing to serve
    traversal = await fetch(server, f"/files/{expires}/{sig}/..%2Fsecret.txt")
    # verify
    assert missing[0] == 404 and "không được lộ".encode() not in missing[1]
    assert traversal[0] in (403, 404) and "không được lộ".encode() not in traversal[1]


async def test_no_route_without_a_secret(app: App) -> None:
    # setup / execute
    routes = download_routes(app.deps)
    # verify
    assert routes == []


async def test_xuat_on_zalo_sends_a_working_link(server: TestServer, linked_app: App) -> None:
    # setup
    _, admin = await make_person(linked_app, Role.ADMIN, unit="VHXH", platform=Platform.ZALO)
    talk = Talk(linked_app, admin, Platform.ZALO)
    # execute
    await talk.say("/xuat NAM-2025")
    await talk.say("2")  # XLSX, chosen by number as Zalo users do
    # verify
    reply = talk.replies[-1]
    assert reply.file is None and "hiệu lực đến" in reply.text
    url = next(word for word in reply.text.split() if word.startswith("https://"))
    assert url.startswith("https://danvan.example.gov.vn/files/")
    status, body, _ = await fetch(server, urlsplit(url).path)
    assert status == 200 and body[:2] == b"PK"  # an XLSX is a zip archive
