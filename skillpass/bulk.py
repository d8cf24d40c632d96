"""Work that makes many objects and no reference cycles, with the cyclic garbage collector paused
(as Mercurial's `util.nogc`).

CPython starts a collection every few hundred new containers, and a full one over every object
whenever the objects that survived grow by a quarter: reading ten thousand list rows and making
the passport of them ran three full collections, about 0.2 s of a one-second command. What these
functions make (rows, dicts, frozen dataclasses) holds no cycle, so reference counting frees all
of it and pausing costs no memory; collection resumes when the outermost paused call returns.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():  # paused already, by an outer call or by the caller
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
    return paused
