from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RetryPolicy:
    attempts: int = 3
    delay: float = 0.0

    async def run(self, action: Callable[[], Awaitable[Any]]) -> Any:
        last: BaseException | None = None
        for _ in range(self.attempts):
            try:
                return await action()
            except Exception as error:  # noqa: BLE001 - retried, then re-raised
                last = error
                await asyncio.sleep(self.delay)
        assert last is not None
        raise last


@dataclass
class Job:
    name: str
    action: Callable[[], Awaitable[Any]]
    result: Any = None
    done: bool = False


@dataclass
class JobQueue:
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = 2
    jobs: list[Job] = field(default_factory=list)

    def submit(self, name: str, action: Callable[[], Awaitable[Any]]) -> Job:
        job = Job(name, action)
        self.jobs.append(job)
        return job

    async def run_all(self) -> list[Any]:
        semaphore = asyncio.Semaphore(self.concurrency)

        async def run(job: Job) -> Any:
            async with semaphore:
                job.result = await self.retry.run(job.action)
                job.done = True
                return job.result

        return await asyncio.gather(*(run(job) for job in self.jobs))
