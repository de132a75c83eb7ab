"""The command line, run as a newcomer would: a fresh machine, no token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.commands import main
from storage import catalog

ROOT = Path(__file__).resolve().parent.parent


def run_cli(args: list[str], tmp_path: Path, stdin: str = "",
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL"))}
    environment["PYTHONPATH"] = str(ROOT)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, input=stdin,
                          capture_output=True, text=True, timeout=60, env=environment)


def test_shell_works_on_a_fresh_machine_with_no_token(tmp_path: Path) -> None:
    # setup: an admin invite, as the README says
    invite = run_cli(["invite", "--role", "unit_head", "--unit", "VP", "--name", "Lê Thị Hoa"],
                     tmp_path)
    assert invite.returncode == 0, invite.stderr
    code = invite.stdout.split("Mã mời: ")[1].split()[0]
    # execute: a whole scripted conversation through stdin
    script = "\n".join(["bao cao", "1", "1", "1", "3", "Đã tổ chức 2 hội nghị", "bo qua",
                        "bo qua", "bo qua", "1", "/tiendo"]) + "\n"
    shell = run_cli(["shell", "--as", code], tmp_path, stdin=script)
    # verify
    assert shell.returncode == 0, shell.stderr
    assert "Đăng ký thành công" in shell.stdout
    assert "Đã lưu báo cáo nhiệm vụ 1.1 (phiên bản 1)" in shell.stdout
    assert "Đã báo cáo 1/23 nhiệm vụ" in shell.stdout
    assert (tmp_path / "danvan.db").exists()
    again = run_cli(["shell", "--as", "Lê Thị Hoa"], tmp_path, stdin="/tiendo\n")
    assert "Đã báo cáo 1/23 nhiệm vụ" in again.stdout


def test_run_without_tokens_explains_what_to_do(tmp_path: Path) -> None:
    result = run_cli(["run"], tmp_path)
    assert result.returncode == 2
    assert ".env.example" in result.stderr and "python -m bot shell" in result.stderr


def test_invalid_settings_give_one_clear_message(tmp_path: Path) -> None:
    result = run_cli(["units"], tmp_path, env={"TIMEZONE": "Sao/Hoa", "HTTP_PORT": "không"})
    assert result.returncode == 2
    assert "Cấu hình không hợp lệ" in result.stderr and "TIMEZONE" in result.stderr
    assert "HTTP_PORT" in result.stderr and "Traceback" not in result.stderr


def test_plan_import_cli_is_idempotent_and_refuses_bad_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["plan", "import", str(catalog.DEFAULT_PLAN)]) == 0
    assert "Đã cập nhật kế hoạch 25/KH-UBND: 5 mục, 23 nhiệm vụ, 2 kỳ" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("plan:\n  number: \"26/KH-UBND\"\nsections: []\n", "utf-8")
    assert main(["plan", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Chưa nhập gì" in err and "dòng" in err
    assert main(["periods"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and "9T-2025" in listed[0]  # nothing of the bad file was imported


def test_cli_broadcast_names_unknown_groups_and_schedules_with_8h(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # setup: a tổ trưởng of TDP01 registered in the shell, an announcement in a file
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["invite", "--role", "group_leader", "--group", "TDP01",
                 "--name", "Vũ Văn Nam"]) == 0
    code = capsys.readouterr().out.split("Mã mời: ")[1].split()[0]
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(""))
    assert main(["shell", "--as", code]) == 0
    capsys.readouterr()
    notice = tmp_path / "tb.txt"
    notice.write_text("Họp tổ dân phố lúc 19h thứ Bảy.", "utf-8")
    # execute: one unknown code among known ones; then a valid schedule typed as "8h"
    unknown = main(["broadcast", "--file", str(notice), "--audience", "groups:TDP01,TDP99"])
    refused = capsys.readouterr()
    scheduled = main(["broadcast", "--file", str(notice), "--audience", "groups:TDP01",
                      "--at", "05/12/2030 8h"])
    accepted = capsys.readouterr()
    # verify
    assert unknown == 2 and "TDP99" in refused.err and "TDP01" not in refused.err
    assert scheduled == 0, accepted.err
    assert "lúc 08:00 05/12/2030 tới 1 người" in accepted.out
    assert "python -m bot run" in accepted.out


def test_the_shell_shows_what_the_bot_sent_and_type_1_acknowledges(tmp_path: Path) -> None:
    # setup: an admin, a tổ trưởng and a unit head, each registered in the shell
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'inbox.db'}"}
    people = {}
    for role, where, name in (("admin", ["--unit", "VHXH"], "Hoa"),
                              ("group_leader", ["--group", "TDP01"], "Nam"),
                              ("unit_head", ["--unit", "VP"], "Ba")):
        made = run_cli(["invite", "--role", role, *where, "--name", name], tmp_path, env=env)
        people[name] = made.stdout.split("Mã mời: ")[1].split()[0]
        assert run_cli(["shell", "--as", people[name]], tmp_path, env=env).returncode == 0
    # execute: an announcement and reminders now; the others open their shell later
    admin = run_cli(["shell", "--as", "Hoa"], tmp_path, env=env,
                    stdin="/thongbao\nHọp tổ lúc 19h.\n1\n1\n1\n/nhacnho 9T-2025\n")
    leader = run_cli(["shell", "--as", "Nam"], tmp_path, env=env, stdin="1\n")
    head = run_cli(["shell", "--as", "Ba"], tmp_path, env=env, stdin="/tiendo\n")
    status = run_cli(["shell", "--as", "Hoa"], tmp_path, env=env, stdin="/tinhtrang 1\n")
    # verify
    assert "Văn phòng HĐND và UBND" not in admin.stdout.split("Chưa liên lạc được")[-1]
    assert "Họp tổ lúc 19h." in leader.stdout and "Cảm ơn đồng chí đã xác nhận" in leader.stdout
    assert "đề nghị Văn phòng HĐND và UBND sớm hoàn thành báo cáo 9 tháng" in head.stdout
    assert "đã xác nhận: 1" in status.stdout and "Tất cả người nhận đã xác nhận" in status.stdout
    again = run_cli(["shell", "--as", "Nam"], tmp_path, env=env, stdin="/trogiup\n")
    assert "Họp tổ lúc 19h." not in again.stdout  # shown once


def test_the_command_line_speaks_vietnamese_too(tmp_path: Path) -> None:
    # execute
    helped = run_cli(["period", "add", "--help"], tmp_path)
    refused = run_cli(["export"], tmp_path)
    wrong = run_cli(["invite", "--role", "xyz"], tmp_path)
    listed = run_cli(["periods"], tmp_path)  # a first start: the plan is loaded and logged
    # verify: argparse's own words are translated, the values stay as typed
    assert helped.stdout.startswith("Cách dùng: python -m bot period add")
    assert "tùy chọn:" in helped.stdout and "usage" not in helped.stdout
    assert refused.returncode == 2 and "lỗi: thiếu tham số: --period" in refused.stderr
    assert "lựa chọn không hợp lệ: 'xyz'" in wrong.stderr and "invalid" not in wrong.stderr
    assert "NAM-2025" in listed.stdout and "INFO" not in listed.stderr  # no English log lines
