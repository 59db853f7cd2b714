"""torch's intra-op threads, put to the shim's own use: a long elementwise computation split between them.

torch runs a pointwise kernel over a long tensor on all its threads (at::parallel_for).  numpy releases
the GIL inside a ufunc's loop, so the shim's emulated kernels (torch's float math: tens of numpy passes
over whole arrays) run up to as many times faster on as many threads when each thread takes a contiguous
part of the elements.  Every element is computed as it would be in one call (the kernels are elementwise:
an element's value does not depend on the part it lies in), so the split changes no bit, only the time.
A kernel of one or two passes is bound by memory rather than arithmetic and is not split (measured: no
faster on two threads of this machine class, slower where the parts' results are copied together): only
the emulations (`splits`), fma32, and the vector loops' fixes are."""

from __future__ import annotations

import contextvars
import functools
import math
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .threads import get_num_threads

if TYPE_CHECKING:  # (concurrent.futures is imported on first use: 5 ms that most programs never need)
    from concurrent.futures import ThreadPoolExecutor

__all__ = ["PARALLEL_FROM", "in_parts", "map_parts", "parts", "run_all", "splits"]

# each part's least number of elements: measured on two threads here, the split pays from about 2**18 float
# elements for exp and sqrt (from 2**17 for sigmoid), and costs up to twice the time below (the threads take
# turns at the GIL between their numpy calls)
PARALLEL_FROM = 1 << 17
_ALIGN = 64  # parts start on whole cache lines (of the narrowest dtype)

_POOLS: dict[int, ThreadPoolExecutor] = {}
# set while a part runs: a computation split inside one runs whole (at::in_parallel_region; a pool's thread
# waiting on its own pool would wait for ever)
_IN_PARALLEL_REGION = contextvars.ContextVar("shim_in_parallel_region", default=False)
# a forked child has none of its parent's threads: a pool inherited from before the fork would never run a task
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_POOLS.clear)


def _pool(workers: int) -> ThreadPoolExecutor:
    pool = _POOLS.get(workers)
    if pool is None:
        from concurrent.futures import ThreadPoolExecutor

        pool = _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="shim-intraop")
    return pool


def splits(kernel: Callable, dtypes: tuple = (np.float32, np.float64)) -> Callable:
    """An elementwise kernel of many numpy passes (an emulation of torch's float math) that computes a long
    C-contiguous array of one of `dtypes` in parts on torch's threads (map_parts; for those dtypes the kernel
    keeps the dtype)."""

    @functools.wraps(kernel)
    def split(x):
        r = None
        if isinstance(x, np.ndarray) and x.size >= 2 * PARALLEL_FROM and x.dtype.type in dtypes:
            r = map_parts(kernel, (x,), x.dtype)
        return kernel(x) if r is None else r

    return split


def parts(size: int) -> list[slice]:
    """The contiguous parts of range(size) that in_parts computes apart: one per thread, or one in all below
    PARALLEL_FROM elements (or with one thread)."""
    threads = min(get_num_threads(), size // PARALLEL_FROM)
    if threads < 2 or _IN_PARALLEL_REGION.get():
        return [slice(0, size)]
    step = -(-size // threads)
    step += -step % _ALIGN
    return [slice(begin, min(size, begin + step)) for begin in range(0, size, step)]


def run_all(tasks: list[Callable[[], object]]) -> list:
    """Each task's result, the tasks run at the same time: the first in this thread, the others on the pool's
    threads, each in a copy of this thread's context (numpy's error state)."""
    if len(tasks) == 1:
        return [tasks[0]()]
    pool = _pool(len(tasks) - 1)
    token = _IN_PARALLEL_REGION.set(True)  # (the copies of this context made below carry it too)
    try:
        futures = [pool.submit(contextvars.copy_context().run, task) for task in tasks[1:]]
        try:
            first = tasks[0]()
        finally:
            from concurrent.futures import wait

            wait(futures)  # (every task finishes before a result is read, or an error raised)
    finally:
        _IN_PARALLEL_REGION.reset(token)
    return [first, *(future.result() for future in futures)]


def in_parts(size: int, work: Callable[[slice], None]) -> None:
    """work(part) for each part of range(size) (`parts`), at the same time on torch's threads (run_all)."""
    run_all([functools.partial(work, part) for part in parts(size)])


def map_parts(kernel: Callable, args: tuple, dtype) -> np.ndarray | None:
    """kernel(*args) of a costly elementwise kernel, as a new array of `dtype` (the arguments' broadcast
    shape), computed in parts on torch's threads, each a range of the result's leading dim: an argument of
    that dim's length is split with it (and must be C-contiguous), one that broadcasts along it (a row of
    weights, a number, a 0-d array) goes whole to every part.  None where the result is short (or one row,
    or an argument not contiguous): the caller computes it whole."""
    for a in args:  # (first, the cheap test most calls stop at: no argument long enough for two parts)
        if isinstance(a, np.ndarray) and a.size >= 2 * PARALLEL_FROM:
            break
    else:
        return None
    arrays = [a for a in args if isinstance(a, np.ndarray) and a.ndim]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    count = len(parts(math.prod(shape)))
    if count < 2 or shape[0] < count:
        return None

    def follows(a) -> bool:  # (split with the result's leading dim)
        return isinstance(a, np.ndarray) and a.ndim == len(shape) and a.shape[0] == shape[0]

    if not all(a.flags.c_contiguous for a in arrays if follows(a)):
        return None
    out = np.empty(shape, dtype)

    def work(rows: slice) -> None:
        out[rows] = kernel(*(a[rows] if follows(a) else a for a in args))

    step = -(-shape[0] // count)
    run_all([functools.partial(work, slice(b, min(shape[0], b + step))) for b in range(0, shape[0], step)])
    return out
