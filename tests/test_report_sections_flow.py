"""Issue 16: the admin drafts the Báo cáo's parts in chat from /tonghop, and the chart reaches
Zalo as a photo by signed URL."""

from __future__ import annotations

from pathlib import Path

import docx

from bot.app import App
from bot.web_downloads import inside
from core.links import LinkCheck, signer_for
from core.ports import FixedClock
from core.texts import report as tr
from core.types import Role
from services import report_sections
from tests.factories import Talk
from tests.fake_zalo import FakeZalo
from tests.test_exports import SHARED_DIFFICULTY, seed_period
from tests.zalo_harness import ZaloUser, new_invite, open_rig

KEPT = "Nguyên nhân đã soạn từ trước."


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def test_admin_drafts_parts_from_tonghop_and_the_report_has_them(app: App) -> None:
    # setup: NAM-2025 with submitted reports; the causes were written before
    seeded = await seed_period(app)
    async with app.deps.sessions.begin() as s:
        await report_sections.save_part(s, period_id=seeded.period_id, key="causes", text=KEPT,
                                        author_id=None, now=app.deps.clock.now())
    talk = Talk(app, seeded.admin_account)
    await talk.say("/tonghop NAM-2025")
    assert talk.option(tr.DIGEST_OPTION)
    # execute: the digest's option, typed as its number (as on Zalo), then one answer a part
    await talk.say("1")
    first = talk.text
    answers = {
        "overview": "Ủy ban nhân dân phường chỉ đạo sát sao việc triển khai kế hoạch.",
        "strengths": "Các đơn vị triển khai kịp thời.\nNhiều mô hình dân vận khéo.",
        "weaknesses": "bỏ qua",
        "causes": "giữ nội dung cũ",
        "direction": "Tiếp tục thực hiện các nhiệm vụ trọng tâm năm 2026.",
        "proposals": "Đề nghị UBND thành phố hỗ trợ kinh phí tập huấn.",
        "recipients": "UBND thành phố (b/c)\nĐảng ủy phường (b/c)\nLưu: VT, VHXH",
        "signer_title": "giữ nội dung cũ",
        "signer_name": "Lê Văn Ký",
    }
    shown = {}
    for key, answer in answers.items():
        shown[key] = talk.text
        await talk.say(answer)
    done = talk.text
    await talk.say("/xuat NAM-2025 docx")
    # verify: each step names its part, shows the saved text and the units' material
    assert tr.PART_NAMES["overview"] in first and SHARED_DIFFICULTY in first
    assert all(len(text) <= 2000 for text in shown.values())
    assert KEPT in shown["causes"] and tr.PART_NAMES["causes"] in shown["causes"]
    assert "UBND thành phố (b/c)" in shown["recipients"]  # the defaults, to keep or change
    assert "/xuat NAM-2025" in done and tr.PART_NAMES["signer_name"] in done
    # the exported Báo cáo holds the typed texts and the kept one; the skipped part shows
    # its placeholder; the signer's title is the default, the name the typed one
    files = [r.file for r in talk.replies if r.file is not None]
    assert files
    body = docx_text(files[0].path)
    assert answers["overview"] in body
    assert "Các đơn vị triển khai kịp thời." in body and "Nhiều mô hình dân vận khéo." in body
    assert answers["direction"] in body and answers["proposals"] in body
    assert KEPT in body
    assert tr.PLACEHOLDER.format(part=tr.PART_NAMES["weaknesses"]) in body
    assert "Đảng ủy phường (b/c)" in body and "Sở Nội vụ (b/c)" not in body
    assert "Lê Văn Ký" in body and "TM. ỦY BAN NHÂN DÂN" in body


async def test_parts_flow_refuses_an_empty_answer_and_keeps_asking(app: App) -> None:
    # setup
    seeded = await seed_period(app)
    talk = Talk(app, seeded.admin_account)
    await talk.say("/soanbaocao NAM-2025")
    # execute: a blank answer, then "Bỏ qua" by number (the only option without saved text)
    await talk.say("   ")
    blank = talk.text
    await talk.say("1")
    # verify
    assert tr.PART_EMPTY_TEXT in blank
    assert tr.PART_NAMES["strengths"] in talk.text


async def test_zalo_tonghop_sends_the_chart_as_a_photo_url(
        db_url: str, tmp_path: Path, clock: FixedClock, fake_zalo: FakeZalo) -> None:
    # setup: PUBLIC_BASE_URL (the harness's) and LINK_SECRET set
    rig = await open_rig(db_url, tmp_path, clock, fake_zalo,
                         link_secret="a-link-secret-for-tests-0123456789")
    try:
        await seed_period(rig.app)
        user = ZaloUser(rig, "zalo-admin")
        await user.say(f"/dangky {await new_invite(rig.app, Role.ADMIN, unit='VHXH')}")
        # execute
        await user.say("/tonghop NAM-2025")
        # verify: a sendPhoto with a signed URL on the public address, and it is served
        photos = [p for p in fake_zalo.sent
                  if p.get("chat_id") == "zalo-admin" and p.get("photo")]
        assert len(photos) == 1
        url = str(photos[0]["photo"])
        assert url.startswith(rig.server_url + "/files/") and url.endswith(".png")
        assert photos[0].get("caption")
        expires, signature, name = url.rsplit("/", 3)[1:]
        check = signer_for(rig.app.settings)
        assert check is not None
        assert check.check(name, expires, signature, clock.now()) is LinkCheck.VALID
        served = inside(rig.app.settings.export_dir, name)  # what /files/… serves
        assert served is not None and served.read_bytes().startswith(b"\x89PNG")
        # the digest offers drafting the report's parts, as a numbered line
        assert any(f"1. {tr.DIGEST_OPTION}" in text for text in user.replies)
    finally:
        await rig.close()
