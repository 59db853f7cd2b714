"""Which of torch's CPU kernel variants would run here (ATEN_CPU_CAPABILITY, then the CPU's flags)."""

from __future__ import annotations

import functools
import os

__all__ = ["capability"]


@functools.cache
def _cpu_flags() -> frozenset:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


@functools.cache
def capability() -> str:
    """(Read once, as torch reads ATEN_CPU_CAPABILITY once per process.)"""
    forced = os.environ.get("ATEN_CPU_CAPABILITY", "").strip().lower()
    flags = _cpu_flags()
    has_avx2 = "avx2" in flags and "fma" in flags
    has_avx512 = has_avx2 and {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags
    if forced == "default":
        return "DEFAULT"
    if forced == "avx2" and has_avx2:
        return "AVX2"
    if has_avx512 and forced in ("", "avx512"):
        return "AVX512"
    if has_avx2:
        return "AVX2"
    return "DEFAULT"
