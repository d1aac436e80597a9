"""The process pool that does the CPU-bound work, so the event loop keeps answering while reports are made."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from reportgen.web import work
from reportgen.web.uploads import BadRequest

TASKS_PER_PROCESS = 1000  # a worker is replaced now and then, so no slow leak can grow for ever


class Workers:
    """``count`` worker processes (each loads the profile once); a task over ``seconds`` answers 503."""

    def __init__(self, count: int, profile_dir: Path | None, seconds: float) -> None:
        self.count, self.profile_dir, self.seconds = count, profile_dir, seconds
        self.pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        # spawn, not fork: the server process has threads, and forking those is unsafe
        self.pool = ProcessPoolExecutor(
            self.count, mp_context=multiprocessing.get_context("spawn"), initializer=work.start,
            initargs=(str(self.profile_dir) if self.profile_dir else None,), max_tasks_per_child=TASKS_PER_PROCESS)
        for _ in range(self.count):  # start the processes now rather than on the first request
            self.pool.submit(work.ready)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def run(self, task, *args, **kwargs):
        """``task(*args, **kwargs)`` in a worker process; its exceptions come back here."""
        future = self.pool.submit(functools.partial(task, *args, **kwargs))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.seconds)
        except TimeoutError:
            raise BadRequest(503, f"处理超时（超过 {self.seconds:g} 秒），请稍后重试或减少文件数量") from None
        except BrokenProcessPool:  # a worker died (killed, out of memory): later requests get a fresh pool
            self.close()
            self.start()
            raise BadRequest(503, "处理文件的工作进程意外退出，请重试") from None
