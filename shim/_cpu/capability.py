"""Which of torch's CPU kernel variants would run here (ATEN_CPU_CAPABILITY, then the CPU's flags), and
which instruction set oneDNN's JIT kernels use (ONEDNN_MAX_CPU_ISA, then the flags)."""

from __future__ import annotations

import functools
import os

__all__ = ["capability", "cpu_model", "onednn_avx512"]


@functools.cache
def _cpuinfo() -> dict:
    """The first processor's fields in /proc/cpuinfo (empty where there is none)."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        pass
    return fields


def _cpu_flags() -> frozenset:
    return frozenset(_cpuinfo().get("flags", "").split())


def cpu_model() -> tuple[str, int]:
    """(vendor, family): which of MKL's kernels runs here, and which rsqrtps the CPU has."""
    info = _cpuinfo()
    family = info.get("cpu family", "")
    return info.get("vendor_id", ""), int(family) if family.isdigit() else -1


def _has_avx512() -> bool:
    flags = _cpu_flags()
    return {"avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags


@functools.cache
def onednn_avx512() -> bool:
    """Whether oneDNN runs its avx512_core kernels (it reads ONEDNN_MAX_CPU_ISA, or DNNL_MAX_CPU_ISA, once):
    their results differ from its avx2 ones in places (gelu_erf keeps a -0 only on avx512_core)."""
    limit = (os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA") or "").strip().lower()
    return _has_avx512() and (not limit or limit == "all" or limit.startswith("avx512") or limit.startswith("avx10"))


@functools.cache
def capability() -> str:
    """(Read once, as torch reads ATEN_CPU_CAPABILITY once per process.)"""
    forced = os.environ.get("ATEN_CPU_CAPABILITY", "").strip().lower()
    flags = _cpu_flags()
    has_avx2 = "avx2" in flags and "fma" in flags
    has_avx512 = _has_avx512()
    if forced == "default":
        return "DEFAULT"
    if forced == "avx2" and has_avx2:
        return "AVX2"
    if has_avx512 and forced in ("", "avx512"):
        return "AVX512"
    if has_avx2:
        return "AVX2"
    return "DEFAULT"
