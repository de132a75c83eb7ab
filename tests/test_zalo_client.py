"""The Zalo Bot API client over real HTTP against the loopback fake: results, typed errors,
408/404 quirks, timeouts, and the token never showing in errors, reprs or logs."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.adapters.zalo import NETWORK_ERROR, TIMEOUT, ZaloApiError, ZaloBotClient
from tests.fake_zalo import TOKEN, FakeZalo
from tests.zalo_harness import free_port


@pytest.fixture
def fake(fake_zalo: FakeZalo) -> FakeZalo:
    return fake_zalo


@pytest.fixture
async def client(fake: FakeZalo) -> AsyncIterator[ZaloBotClient]:
    bot = ZaloBotClient(aiohttp.ClientSession(), TOKEN, base_url=fake.base_url, timeout_s=0.5,
                        poll_timeout_s=1)
    try:
        yield bot
    finally:
        await bot.close()


def assert_no_token(exc: BaseException) -> None:
    rendered = "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)
    assert TOKEN not in rendered and TOKEN.split(":")[1] not in rendered


async def test_calls_post_json_and_return_results(fake: FakeZalo, client: ZaloBotClient) -> None:
    # execute
    me = await client.get_me()
    sent = await client.send_message("u1", "Xin chào đồng chí")
    photo = await client.send_photo("u1", "https://example.org/a.jpg", "Ảnh")
    await client.send_chat_action("u1")
    # verify
    assert me["account_name"] == "Bot Dân vận"
    assert sent["message_id"] and photo["message_id"]
    assert fake.methods() == ["getMe", "sendMessage", "sendPhoto", "sendChatAction"]
    assert fake.calls[1].payload == {"chat_id": "u1", "text": "Xin chào đồng chí"}
    assert fake.calls[2].payload["caption"] == "Ảnh"
    assert fake.calls[3].payload == {"chat_id": "u1", "action": "typing"}


async def test_idle_long_poll_is_no_update_not_an_error(fake: FakeZalo,
                                                        client: ZaloBotClient) -> None:
    # execute: the fake holds the poll for its timeout, then answers HTTP 408
    idle = await client.get_updates(timeout_s=0)
    fake.push_text("u1", "chào")
    update = await client.get_updates()
    # verify
    assert idle is None
    assert update is not None and update["message"]["text"] == "chào"
    assert fake.calls[0].payload == {"timeout": 0}


async def test_408_with_http_200_is_also_idle(fake: FakeZalo, client: ZaloBotClient) -> None:
    # setup
    fake.fail("getUpdates", 200, body={"ok": False, "error_code": 408, "description": "timeout"})
    # execute / verify
    assert await client.get_updates() is None


async def test_webhook_info_404_means_none(fake: FakeZalo, client: ZaloBotClient) -> None:
    # execute
    before = await client.get_webhook_info()
    await client.set_webhook("https://bot.example.gov.vn/zalo/webhook", "secret-123456")
    during = await client.get_webhook_info()
    await client.delete_webhook()
    # verify
    assert before is None
    assert during is not None and during["url"].endswith("/zalo/webhook")
    assert await client.get_webhook_info() is None


async def test_ok_false_with_http_200_raises_with_code(fake: FakeZalo,
                                                       client: ZaloBotClient) -> None:
    # setup
    fake.fail("sendMessage", 200, body={"ok": False, "error_code": 400, "description": "bad"})
    # execute
    with pytest.raises(ZaloApiError) as caught:
        await client.send_message("u1", "x")
    # verify
    assert caught.value.error_code == 400 and caught.value.description == "bad"
    assert not caught.value.transient
    assert_no_token(caught.value)


@pytest.mark.parametrize("status", [429, 500, 502, 503])
async def test_rate_limit_and_server_errors_are_transient(fake: FakeZalo, client: ZaloBotClient,
                                                          status: int) -> None:
    # setup
    fake.fail("sendMessage", status)
    # execute
    with pytest.raises(ZaloApiError) as caught:
        await client.send_message("u1", "x")
    # verify
    assert caught.value.error_code == status and caught.value.transient
    assert_no_token(caught.value)


async def test_html_error_page_is_a_typed_error(fake: FakeZalo, client: ZaloBotClient) -> None:
    # setup
    fake.fail("getMe", 502, body="<html>Bad Gateway</html>")
    # execute
    with pytest.raises(ZaloApiError) as caught:
        await client.get_me()
    # verify
    assert caught.value.error_code == 502 and caught.value.transient


async def test_timeout_is_typed_and_hides_the_url(fake: FakeZalo, client: ZaloBotClient) -> None:
    # setup: the server answers after the client's 0.5 s budget
    fake.fail("sendMessage", 200, delay_s=2)
    # execute
    with pytest.raises(ZaloApiError) as caught:
        await client.send_message("u1", "x")
    # verify
    assert caught.value.error_code == TIMEOUT and caught.value.transient
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert_no_token(caught.value)


async def test_network_failure_is_typed_and_hides_the_url() -> None:
    # setup: nothing listens on this port
    bot = ZaloBotClient(aiohttp.ClientSession(), TOKEN,
                        base_url=f"http://127.0.0.1:{free_port()}/bot")
    # execute
    try:
        with pytest.raises(ZaloApiError) as caught:
            await bot.get_me()
    finally:
        await bot.close()
    # verify
    assert caught.value.error_code == NETWORK_ERROR and caught.value.transient
    assert_no_token(caught.value)


async def test_wrong_token_is_401_and_repr_hides_token(fake: FakeZalo) -> None:
    # setup
    bot = ZaloBotClient(aiohttp.ClientSession(), "1111111111:WrongWrongWrongWrongWrong",
                        base_url=fake.base_url)
    # execute
    try:
        with pytest.raises(ZaloApiError) as caught:
            await bot.get_me()
    finally:
        await bot.close()
    # verify
    assert caught.value.error_code == 401
    assert "Wrong" not in repr(bot) and fake.base_url in repr(bot)


async def test_token_never_logged(fake: FakeZalo, client: ZaloBotClient,
                                  caplog: pytest.LogCaptureFixture) -> None:
    # setup
    caplog.set_level(logging.DEBUG)
    fake.fail("sendMessage", 500)
    fake.fail("getMe", 200, delay_s=2)
    # execute
    for call in (client.send_message("u1", "x"), client.get_me()):
        with pytest.raises(ZaloApiError) as caught:
            await call
        logging.getLogger("test").error("failed: %s", caught.value, exc_info=caught.value)
    # verify
    assert caplog.records and TOKEN not in caplog.text
    assert TOKEN not in repr(client)
