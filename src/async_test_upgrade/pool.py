"""Worker processes that survive the loss of one of them, and per-file time limits.

A worker can die under a run: the system's out-of-memory killer picks the process
holding the largest tree, a user kills it. ``concurrent.futures`` then fails every
pending task of the pool with ``BrokenProcessPool``. :class:`Pool` starts a new pool
instead and runs the lost work again, file by file; a file whose worker dies a second
time is tried once more alone, then given up (the caller reports it as left alone).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def pool_context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with LibCST already imported.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


class Pool:
    """A process pool whose work survives the death of a worker."""

    def __init__(
        self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> None:
        self.workers = workers
        self.initializer = initializer
        self.initargs = initargs
        self.executor = self._start(workers)

    def _start(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=pool_context(),
            initializer=self.initializer,
            initargs=self.initargs,
        )

    def shutdown(self) -> None:
        self.executor.shutdown(cancel_futures=True)

    def map(
        self,
        func: Callable[[list[T]], list[R]],
        work: Sequence[list[T]],
        lost: Callable[[T], list[R]],
    ) -> Iterator[list[R]]:
        """``func`` over each chunk of ``work`` in the workers; the results in the order of
        ``work``, each chunk's as soon as it and those before it are done.

        When a worker dies, the chunks not done are run again in a new pool, each item in
        a chunk of its own; an item lost a second time is run alone in a pool of one
        worker, and when that worker dies too, ``lost(item)`` stands for its result."""
        futures = [self.executor.submit(func, chunk) for chunk in work]
        for index, future in enumerate(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                yield from self._recover(func, work[index:], futures[index:], lost)
                return
            yield result

    def _recover(
        self,
        func: Callable[[list[T]], list[R]],
        work: Sequence[list[T]],
        futures: Sequence[Future[list[R]]],
        lost: Callable[[T], list[R]],
    ) -> Iterator[list[R]]:
        done: dict[int, list[R]] = {}
        for index, future in enumerate(futures):
            if future.done() and not future.cancelled() and future.exception() is None:
                done[index] = future.result()
        self._restart()
        again = [
            (index, item) for index, chunk in enumerate(work) if index not in done for item in chunk
        ]
        # Every item in a chunk of its own: most were lost only with the worker of another.
        retried = [self.executor.submit(func, [item]) for _, item in again]
        per_item: list[list[R] | None] = []
        broken = False
        for future in retried:
            try:
                per_item.append(future.result())
            except BrokenProcessPool:
                per_item.append(None)
                broken = True
        if broken:
            self._restart()
            per_item = [
                result if result is not None else self._alone(func, item, lost)
                for result, (_, item) in zip(per_item, again, strict=True)
            ]
        for index, _chunk in enumerate(work):
            if index in done:
                yield done[index]
            else:
                yield [
                    r
                    for result, (owner, _) in zip(per_item, again, strict=True)
                    if owner == index and result is not None
                    for r in result
                ]

    def _alone(
        self, func: Callable[[list[T]], list[R]], item: T, lost: Callable[[T], list[R]]
    ) -> list[R]:
        single = self._start(1)
        try:
            return single.submit(func, [item]).result()
        except BrokenProcessPool:
            return lost(item)
        finally:
            single.shutdown(cancel_futures=True)

    def _restart(self) -> None:
        with contextlib.suppress(Exception):
            self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start(self.workers)


class DeadlineExceededError(BaseException):
    """The per-file time limit ran out. A BaseException, so that no ``except Exception``
    on the way (a codemod's, LibCST's) takes it for the file's own error."""


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DeadlineExceededError` in the block after ``seconds`` (None or 0: no
    limit). Only where the process has SIGALRM and only in the main thread, which is
    where the pool's workers and a run with ``-j 1`` do their work."""
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    active = [True]

    def expire(signum: int, frame: object) -> None:
        if active[0]:
            raise DeadlineExceededError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
