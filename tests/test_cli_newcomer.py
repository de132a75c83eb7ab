"""The command line as a newcomer meets it (issue 18): Vietnamese settings and YAML errors, a
webhook without its public address refused before the network, a name shared by two people,
Ctrl-C at the shell's prompt."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
from pathlib import Path

from tests.test_cli import ROOT, run_cli


def test_settings_errors_are_vietnamese_and_name_the_setting(tmp_path: Path) -> None:
    result = run_cli(["units"], tmp_path, env={"CONCURRENT_CHATS": "bốn", "HTTP_PORT": "99999",
                                               "ZALO_MODE": "hook"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Input should" not in result.stderr
    assert "ZALO_MODE: phải là một trong: polling hoặc webhook" in result.stderr
    result = run_cli(["units"], tmp_path, env={"CONCURRENT_CHATS": "bốn", "HTTP_PORT": "99999"})
    assert "CONCURRENT_CHATS: phải là số nguyên" in result.stderr
    assert "HTTP_PORT: tối đa là 65535" in result.stderr


def test_yaml_errors_say_file_and_line_in_a_few_words(tmp_path: Path) -> None:
    bad = tmp_path / "ke-hoach.yaml"
    bad.write_text("plan:\n  number: 25/KH-UBND\nsections:\n  - code: [1\n", "utf-8")
    result = run_cli(["plan", "import", str(bad)], tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "ke-hoach.yaml: YAML sai cú pháp ở dòng 5" in result.stderr
    assert "while parsing" not in result.stderr and "<unicode string>" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2


def test_webhook_without_public_address_is_refused_before_the_network(tmp_path: Path) -> None:
    # an API address where nothing listens: had the bot called it, another error would show
    result = run_cli(["run"], tmp_path, env={
        "ZALO_BOT_TOKEN": "123:abc", "ZALO_MODE": "webhook",
        "ZALO_API_BASE_URL": "http://127.0.0.1:9/bot", "PUBLIC_BASE_URL": ""})
    assert result.returncode == 2
    assert "ZALO_MODE=webhook cần PUBLIC_BASE_URL" in result.stderr
    assert not (tmp_path / "danvan.db").exists()  # nothing opened either


def test_shell_as_a_shared_name_lists_them_by_id(tmp_path: Path) -> None:
    for unit in ("VP", "KTHTDT"):
        invite = run_cli(["invite", "--role", "unit_head", "--unit", unit,
                          "--name", "Lê Thị Hoa"], tmp_path)
        code = invite.stdout.split("Mã mời: ")[1].split()[0]
        assert run_cli(["shell", "--as", code], tmp_path).returncode == 0
    result = run_cli(["shell", "--as", "Le Thi Hoa"], tmp_path)
    assert result.returncode == 2
    assert "Có 2 người dùng tên «Le Thi Hoa»; xin dùng mã số" in result.stderr
    assert "mã số 1: Lê Thị Hoa – Thủ trưởng cơ quan, đơn vị; Văn phòng HĐND và UBND" \
        in result.stderr
    assert "mã số 2: Lê Thị Hoa" in result.stderr and "Phòng Kinh tế" in result.stderr
    assert run_cli(["shell", "--as", "2"], tmp_path, stdin="/tiendo\n").returncode == 0
    # the code used again: the same account, without a second /dangky
    again = run_cli(["shell", "--as", code], tmp_path, stdin="/tiendo\n")
    assert "/dangky" not in again.stdout and "Phòng Kinh tế" in again.stdout


def _read_until(stream: int, marker: bytes, seen: bytes = b"") -> bytes:
    while marker not in seen:
        ready, _, _ = select.select([stream], [], [], 30)
        assert ready, seen
        chunk = os.read(stream, 4096)
        assert chunk, seen
        seen += chunk
    return seen


def test_ctrl_c_at_the_prompt_ends_the_shell_and_enter_gives_a_new_prompt(
        tmp_path: Path) -> None:
    # the shell on a terminal (a pseudo-terminal), so that it is interactive
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL"))}
    env["PYTHONPATH"] = str(ROOT)
    shell = subprocess.Popen([sys.executable, "-m", "bot", "shell"], stdin=slave,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                             env=env)
    try:
        assert shell.stdout is not None
        out = shell.stdout.fileno()
        seen = _read_until(out, b"> ")
        os.write(master, b"\n")  # an empty Enter
        _read_until(out, b"> ", seen.split(b"> ", 1)[1])
        shell.send_signal(signal.SIGINT)  # Ctrl-C, no Enter after it
        assert shell.wait(timeout=30) == 0  # before the fix: blocked until the next Enter
    finally:
        if shell.poll() is None:
            shell.kill()
        os.close(master)
        os.close(slave)
