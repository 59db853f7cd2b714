"""torch's intra-op threads, put to the shim's own use: a long elementwise computation split between them.

torch runs a pointwise kernel over a long tensor on all its threads (at::parallel_for).  numpy releases
the GIL inside a ufunc's loop, so the shim's emulated kernels (torch's float math: tens of numpy passes
over whole arrays) run up to as many times faster on as many threads when each thread takes a contiguous
part of the elements.  Every element is computed as it would be in one call (the kernels are elementwise:
an element's value does not depend on the part it lies in), so the split changes no bit, only the time.
A kernel of one or two passes is bound by memory rather than arithmetic and is not split (measured: no
faster on two threads of this machine class, slower where the parts' results are copied together): only
kernels marked `costly` are."""

from __future__ import annotations

import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from .threads import get_num_threads

__all__ = ["PARALLEL_FROM", "costly", "in_parts", "parts", "run_all"]

# the elements from which a computation is split: handing a part to another thread costs ~20-50 us, about
# one numpy pass over this many floats
PARALLEL_FROM = 1 << 17
_ALIGN = 64  # parts start on whole cache lines (of the narrowest dtype)

_POOLS: dict[int, ThreadPoolExecutor] = {}
# a forked child has none of its parent's threads: a pool inherited from before the fork would never run a task
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_POOLS.clear)


def _pool(workers: int) -> ThreadPoolExecutor:
    pool = _POOLS.get(workers)
    if pool is None:
        pool = _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="shim-intraop")
    return pool


def costly(kernel: Callable) -> Callable:
    """Marks an elementwise kernel of many numpy passes (an emulation of torch's float math): worth splitting
    between threads on long inputs."""
    kernel.costly = True
    return kernel


def parts(size: int) -> list[slice]:
    """The contiguous parts of range(size) that in_parts computes apart: one per thread, or one in all below
    PARALLEL_FROM elements (or with one thread)."""
    threads = min(get_num_threads(), size // PARALLEL_FROM)
    if threads < 2:
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
    futures = [pool.submit(contextvars.copy_context().run, task) for task in tasks[1:]]
    try:
        first = tasks[0]()
    finally:
        wait(futures)  # (every task finishes before a result is read, or an error raised)
    return [first, *(future.result() for future in futures)]


def in_parts(size: int, work: Callable[[slice], None]) -> None:
    """work(part) for each part of range(size) (`parts`), at the same time on torch's threads (run_all)."""
    run_all([functools.partial(work, part) for part in parts(size)])
