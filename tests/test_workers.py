"""The file worker: rendering runs in another process, which is replaced if it dies."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from core.workers import FileWorker


@pytest.fixture
def worker() -> Iterator[FileWorker]:
    """A worker whose process starts on its first run and is stopped after the test."""
    files = FileWorker()
    yield files
    files.close()


def write_pid(path: Path) -> int:
    path.write_text(str(os.getpid()), "utf-8")
    return os.getpid()


def die() -> None:
    os._exit(3)  # as if the kernel had killed the process (out of memory, say)


def fail(message: str) -> None:
    raise ValueError(message)


async def test_work_runs_in_another_process_which_is_kept(worker: FileWorker,
                                                          tmp_path: Path) -> None:
    # execute
    first = await worker.run(write_pid, tmp_path / "a")
    second = await worker.run(write_pid, tmp_path / "b")
    # verify
    assert first != os.getpid()
    assert (tmp_path / "a").read_text("utf-8") == str(first)
    assert second == first  # one process, started once


async def test_an_error_in_the_work_reaches_the_caller_and_the_process_stays(
        worker: FileWorker) -> None:
    before = await worker.run(os.getpid)
    with pytest.raises(ValueError, match="hỏng"):
        await worker.run(fail, "tệp hỏng")
    assert await worker.run(os.getpid) == before


async def test_a_dead_process_fails_that_call_and_the_next_one_gets_a_new_process(
        worker: FileWorker) -> None:
    before = await worker.run(os.getpid)
    with pytest.raises(BrokenProcessPool):
        await worker.run(die)
    after = await worker.run(os.getpid)
    assert after not in (before, os.getpid())


async def test_ctrl_c_in_the_terminal_leaves_the_worker_to_the_bot(worker: FileWorker) -> None:
    # A process started in the background inherits an ignored SIGINT, which would make this
    # test pass whatever the worker does: start the worker from a process that handles it.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        pid = await worker.run(os.getpid)
        signal.signal(signal.SIGINT, before)
        os.kill(pid, signal.SIGINT)  # what the terminal sends to the whole process group
        assert await worker.run(os.getpid) == pid
    finally:
        signal.signal(signal.SIGINT, before)
