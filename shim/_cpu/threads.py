"""torch's intra-op thread count: it decides how torch splits a large reduction, and so its rounding.

torch starts with one thread per physical core (OMP_NUM_THREADS overrides); set_num_threads changes it.
The shim reproduces the order torch's threads add in; its own long emulated kernels are split between as
many threads (parallel.py), which changes their time, not their values."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["get_num_threads", "set_num_threads", "parallel_chunks", "GRAIN_SIZE"]

GRAIN_SIZE = 32768  # at::internal::GRAIN_SIZE


def _physical_cores() -> int:
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    cores = set()
    for cpu in cpus:
        siblings = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list")
        cores.add(siblings.read_text().strip() if siblings.exists() else str(cpu))
    return max(1, len(cores))


def _default() -> int:
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else _physical_cores()


_STATE = {"threads": None}


def get_num_threads() -> int:
    if _STATE["threads"] is None:
        _STATE["threads"] = _default()
    return _STATE["threads"]


def set_num_threads(n: int) -> None:
    if not isinstance(n, int):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _STATE["threads"] = n


def parallel_chunks(n: int, grain: int = GRAIN_SIZE) -> list[tuple[int, int]]:
    """at::parallel_for's split of range(n) between torch's threads: one chunk per thread, at most one per
    grain (so a range of one grain or less stays whole; a grain of 0 splits any range of two or more)."""
    if not n:
        return []
    threads = min(get_num_threads(), -(-n // grain) if grain else n)
    chunk = -(-n // threads)
    return [(b, min(n, b + chunk)) for b in range(0, n, chunk)]
