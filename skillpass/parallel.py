"""Many independent checks on every core, with one writer: the parent reads the inputs, workers
verify them, the parent takes the results in input order (and alone writes the wallet).

Workers are forked once the verification context is built, so they inherit it (contexts, DID
documents, status lists: plain data) instead of receiving it; each task sends only the input's
bytes and returns plain data. At most WINDOW_PER_WORKER inputs per worker are in flight, so a
thousand files are never all in memory. Workers ignore SIGINT: on Ctrl-C the parent cancels
what has not started, waits for what has (a fraction of a second) and stops them.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

C = TypeVar("C")
R = TypeVar("R")

# Below this many inputs, starting workers costs more than it saves: on 2 cores a warm check
# takes about 10 ms and two forked workers about 50 ms to start and hand back their first result,
# so two workers gained nothing below 16 presentations and were ahead from 32 (measured in-process).
MIN_PARALLEL = 16
WINDOW_PER_WORKER = 4


@dataclass(frozen=True)
class Done(Generic[R]):
    """An input whose result the parent already has (it could not be read, say): kept in order."""

    result: R


_SHARED: dict[str, Any] = {}  # the work and its context, inherited by forked workers


def worker_count(inputs: int) -> int:
    """min(cores, inputs), and 1 for a few inputs."""
    if inputs < MIN_PARALLEL:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, inputs))


def ordered_map(work: Callable[[C, Any], R], context: C, inputs: Iterable[Any], *,
                count: int) -> Iterator[R]:
    """`work(context, item)` of every input, yielded in input order; `count` (how many inputs
    there are) chooses the number of workers. A `Done` input yields its result as it is."""
    workers = worker_count(count)
    if workers == 1:
        for item in inputs:
            yield item.result if isinstance(item, Done) else work(context, item)
        return
    yield from _pooled(work, context, inputs, workers)


def _pooled(work: Callable[[C, Any], R], context: C, inputs: Iterable[Any], workers: int) -> Iterator[R]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    inputs = iter(inputs)
    for item in inputs:  # the first check here: the workers inherit the caches it warmed
        yield item.result if isinstance(item, Done) else work(context, item)
        if not isinstance(item, Done):
            break
    _SHARED.update(work=work, context=context)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    pending: deque[Any] = deque()
    try:
        for item in inputs:
            pending.append(item if isinstance(item, Done) else pool.submit(_run, item))
            while len(pending) >= workers * WINDOW_PER_WORKER:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _SHARED.clear()


def _result(entry: Any) -> Any:
    return entry.result if isinstance(entry, Done) else entry.result()


def _run(item: Any) -> Any:
    return _SHARED["work"](_SHARED["context"], item)


def _worker_start(parent: int) -> None:
    """Ctrl-C is the parent's to handle; a worker never outlives it (a killed parent would leave
    workers waiting on a queue forever, holding the command's stdout open) and never writes to
    the command's terminal or pipes (it hands everything back)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _die_with_parent() -> None:
    """prctl(PR_SET_PDEATHSIG, SIGKILL) on Linux; elsewhere the getppid check alone."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
