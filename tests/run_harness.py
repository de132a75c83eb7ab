"""Drives `python -m bot run`'s coroutine in-process until everything is up, then stops it."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.commands.run import run
from core.settings import Settings


class RunningSignal(logging.Handler):
    """Sets an event once run() logs that everything (channels, HTTP site) is up."""

    def __init__(self) -> None:
        super().__init__()
        self.up = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("bot running"):
            self.up.set()


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[None]:
    """run() in a task; yields once it is serving; on exit stops it and checks exit code 0."""
    signal, run_logger = RunningSignal(), logging.getLogger("bot.commands.run")
    run_logger.addHandler(signal)
    previous_level = run_logger.level
    run_logger.setLevel(logging.INFO)
    stop = asyncio.Event()
    task = asyncio.create_task(run(argparse.Namespace(), settings, stop_event=stop))
    try:
        await asyncio.wait_for(signal.up.wait(), 15)
        yield
    finally:
        stop.set()
        run_logger.removeHandler(signal)
        run_logger.setLevel(previous_level)
        assert await asyncio.wait_for(task, 20) == 0
