"""glibc's heap told to keep what numpy frees, so a kernel's temporaries do not page-fault on every call.

Every numpy operation allocates its result, and a kernel that reproduces torch's arithmetic allocates a few
temporaries besides.  glibc returns the top of its heap to the system whenever more than
M_TRIM_THRESHOLD is free there; that threshold follows the largest block freed so far (twice its size), so
a loop that frees two or three temporaries of the same size at the top of the heap trims them every time
and faults the pages back in on the next call.  Measured here on a 100,000-element float32 multiply-add in
float64 (three 800 kB blocks): 80 us with the pages kept, 980 us trimmed, depending only on where earlier
imports left the heap's top.  torch's kernels write into preallocated outputs and do not meet this.

The fix is glibc's own knobs: blocks below 32 MiB come from the heap (glibc's largest automatic
threshold) and up to 256 MiB free at its top are kept.  A process that tunes malloc itself (glibc's
MALLOC_*_ environment variables or GLIBC_TUNABLES) is left as it is, and so is any other C library.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # malloc.h
_MMAP_THRESHOLD = 32 << 20  # DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: the most mallopt accepts
_TRIM_THRESHOLD = 256 << 20


def keep_freed_memory() -> bool:
    """Set glibc's trim and mmap thresholds (once, at import); False where that is not glibc's to do."""
    if not sys.platform.startswith("linux") or "GLIBC_TUNABLES" in os.environ:
        return False
    if any(name.startswith("MALLOC_") for name in os.environ):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt, gnu_get_libc_version = libc.mallopt, libc.gnu_get_libc_version  # both only in glibc
    except (OSError, AttributeError):
        return False
    del gnu_get_libc_version
    mallopt.restype, mallopt.argtypes = ctypes.c_int, [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD))
