"""Many independent checks on every core, with one writer: the parent reads the inputs, workers
verify them, the parent takes the results in input order (and alone writes the wallet).

Workers are forked once the verification context is built, so they inherit it (contexts, DID
documents, status lists: plain data) instead of receiving it; each task sends only the input's
bytes and returns plain data. At most WINDOW_PER_WORKER inputs per worker are in flight, so a
thousand files are never all in memory. Workers ignore SIGINT: on Ctrl-C the parent kills
them (they hold nothing: the parent alone writes) rather than ask them to stop, which a Ctrl-C
landing inside the pool's own bookkeeping once left waiting for each other for good.
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
                count: int, failed: Callable[[Any, BaseException], R] | None = None) -> Iterator[R]:
    """`work(context, item)` of every input, yielded in input order; `count` (how many inputs
    there are) chooses the number of workers. A `Done` input yields its result as it is.

    `failed(item, exc)`, when given, is the result of an input whose check raised something
    unexpected (a bug) or whose worker died (killed, out of memory): that input alone is lost,
    every other one still gets its result, in order. Without it, the exception propagates."""
    workers = worker_count(count)
    if workers == 1:
        for item in inputs:
            yield item.result if isinstance(item, Done) else _guarded(work, context, item, failed)
        return
    yield from _pooled(work, context, inputs, workers, failed)


def _guarded(work: Callable[[C, Any], R], context: C, item: Any,
             failed: Callable[[Any, BaseException], R] | None) -> R:
    try:
        return work(context, item)
    except Exception as exc:  # noqa: BLE001 - one input's bug is that input's result, not the batch's
        if failed is None:
            raise
        return failed(item, exc)


def _pooled(work: Callable[[C, Any], R], context: C, inputs: Iterable[Any], workers: int,
            failed: Callable[[Any, BaseException], R] | None) -> Iterator[R]:
    inputs = iter(inputs)
    for item in inputs:  # the first check here: the workers inherit the caches it warmed
        yield item.result if isinstance(item, Done) else _guarded(work, context, item, failed)
        if not isinstance(item, Done):
            break
    _SHARED.update(work=work, context=context)
    try:
        while True:
            suspects = yield from _through_pool(inputs, workers, failed)
            if suspects is None:
                return
            # A worker died: one of the inputs in flight killed it, or none did (OOM, kill -9).
            # Each one is checked again alone, in a pool of one, so that only the input that
            # kills a worker again is lost; then the rest go on as before.
            for item in suspects:
                yield from _alone(item, failed)
    finally:
        _SHARED.clear()


def _through_pool(inputs: Iterator[Any], workers: int,
                  failed: Callable[[Any, BaseException], R] | None) -> Iterator[Any]:
    """The results of `inputs` from a pool of `workers`, in order; returns None when all came,
    or the inputs in flight when the pool broke (the rest of `inputs` not yet taken)."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(workers)
    pending: deque[tuple[Any, Any]] = deque()
    try:
        for item in inputs:
            pending.append((item, item))  # in flight from here: a broken pool refuses the submit too
            if not isinstance(item, Done):
                pending[-1] = (item, pool.submit(_run, item))
            while len(pending) >= workers * WINDOW_PER_WORKER:
                yield _next(pending, failed)
        while pending:
            yield _next(pending, failed)
        return None
    except BrokenProcessPool:
        return [entry[0] for entry in pending]
    except BaseException:  # Ctrl-C, here or in the consumer (GeneratorExit): no result is wanted
        _kill_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: Any) -> None:
    # ProcessPoolExecutor has no public way to end its workers before Python 3.14 (kill_workers)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def _next(pending: deque[tuple[Any, Any]], failed: Callable[[Any, BaseException], R] | None) -> Any:
    """The first pending input's result, then taken off (a broken pool leaves it in flight)."""
    result = _result(*pending[0], failed)
    pending.popleft()
    return result


def _alone(item: Any, failed: Callable[[Any, BaseException], R] | None) -> Iterator[Any]:
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(item, Done):
        yield item.result
        return
    pool = _pool(1)
    try:
        yield _result(item, pool.submit(_run, item), failed)
    except BrokenProcessPool as exc:
        if failed is None:
            raise
        yield failed(item, exc)
    except BaseException:
        _kill_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(workers: int) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))


def _result(item: Any, entry: Any, failed: Callable[[Any, BaseException], R] | None) -> Any:
    """The result of one input: a BrokenProcessPool propagates (the caller knows which inputs
    were in flight); any other exception the check raised is that input's `failed` result."""
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(entry, Done):
        return entry.result
    try:
        return entry.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:  # noqa: BLE001 - raised by the check in the worker: that input's
        if failed is None:
            raise
        return failed(item, exc)


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
