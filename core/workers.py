"""File rendering (DOCX, XLSX, charts) in a separate worker process.

A thread is not enough. The event loop thread gives up the GIL at every socket or SQLite call,
and then waits up to the interpreter's switch interval (5 ms) to get it back from a thread that
is busy rendering. One update makes dozens of such calls. So while a city-scale XLSX was being
built in a thread, every chat waited seconds for its answer (bench 3 measures the loop's lag).
A process has its own GIL and, on a machine with two cores, its own core.

The process is started on the first export (spawn: no fork of a process that runs threads) and
kept for the next ones. Exports queue behind each other, so they never take both cores."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


class FileWorker:
    """Runs a picklable function with picklable arguments in the worker process."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, initializer=_ignore_interrupts,
                                             mp_context=multiprocessing.get_context("spawn"))
        pool = self._pool
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
        except BrokenProcessPool:
            # The process died (killed, out of memory): this export fails, the next one starts
            # a new process.
            logger.error("the file worker process died; a new one starts on the next export")
            if self._pool is pool:
                self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise

    def close(self) -> None:
        """Stop the process; an export still running is waited for."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _ignore_interrupts() -> None:
    """Ctrl+C in a terminal reaches the whole process group: the bot stops the worker itself
    (close()), so the worker ignores it instead of printing a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
