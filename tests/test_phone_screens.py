"""Messages sized for a phone (issue 18): long lists folded with a working «xem thêm», texts
cut after a whole word."""

from __future__ import annotations

from bot.app import App
from core import texts
from core.textutil import shorten
from core.types import Role
from tests.factories import Talk, make_person


def test_shorten_cuts_after_a_whole_word() -> None:
    text = "Quán triệt QĐ 23-QĐ/TW, Quy chế dân vận, Luật Thực hiện dân chủ ở cơ sở"
    assert shorten(text, 200) == text
    assert shorten(text, 30) == "Quán triệt QĐ 23-QĐ/TW, Quy…"
    assert all(len(shorten(text, n)) <= n for n in range(5, 80))
    for n in range(12, 70):
        head = shorten(text, n)[:-1]
        assert text.startswith(head) and text[len(head)] in " ,;:"  # never inside a word
    assert shorten("Mục 2 (0/7): Thực hiện công tác dân vận…", 30).count("…") == 1


async def test_progress_folds_the_missing_tasks_and_xem_them_shows_the_rest(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await talk.say("/tiendo NAM-2025")
    first = talk.text
    assert "- 1.1 " in first and "- 5.3 " not in first
    assert texts.MORE_LINE.format(count=15, noun="nhiệm vụ") in first
    await talk.say("xem thêm")
    assert "- 5.3 " in talk.text and "- 1.1 " not in talk.text
    await talk.say("xem thêm")
    assert talk.text == texts.NOTHING_MORE


async def test_refused_submit_folds_and_xem_them_works_inside_a_flow(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await talk.say("/nop NAM-2025")
    assert "23/23" in talk.text and "… và 15 nhiệm vụ khác" in talk.text
    await talk.say("/xemthem")
    assert "- 5.3 " in talk.text
    # in the middle of /baocao, a quick look at /tiendo, then its rest, and the flow goes on
    for answer in ("/baocao NAM-2025", "1", "1", "hoàn thành", "/tiendo NAM-2025", "xem thêm"):
        await talk.say(answer)
    assert "- 5.3 " in talk.text and texts.FLOW_CONTINUES in talk.text
    await talk.say("Đã quán triệt")
    assert "Khó khăn" in talk.text


def test_a_telegram_button_label_is_cut_after_a_word() -> None:
    from bot.adapters.telegram_outbound import MAX_BUTTON_LABEL, _clip
    label = "▫️ 1.1 Quán triệt QĐ 23-QĐ/TW, Quy chế dân vận, Luật Thực hiện dân chủ ở cơ sở"
    shown = _clip(label)
    assert len(shown) <= MAX_BUTTON_LABEL and shown.endswith("…")
    assert label.startswith(shown[:-1]) and label[len(shown) - 1] in " ,;:"
