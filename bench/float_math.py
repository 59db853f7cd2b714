"""How far the shim's float math is from torch's bits: for each pointwise op, the share of elements whose
result differs from torch 2.13's in any bit, and the largest distance in ULPs, on the same random inputs;
beside it, how far torch itself is from the correctly rounded result (its float64 op rounded once, for
float32 and float16), and which implementation torch's CPU kernel runs for the op.

    python -m bench.float_math [--n 1000000] [--dtype float32] [--out reports]
    python -m bench.float_math --exhaustive sqrt [--dtype float32]   (every float32 or float16 input)

Inputs are uniform in [-10, 10] (the issue's measurement; `sqrt` and `log` take their absolute values,
`acos`/`asin`/`atanh` are scaled into their domains).  Two NaNs count as equal.  Writes
reports/float_math.json, with the CPU it ran on: MKL picks its code by CPU, so torch's bits for the MKL
functions differ between machines (sqrt(6.2654047f) is 2.5030792 on an AMD EPYC with AVX2 and the
correctly rounded 2.503079 on an Intel Xeon with AVX512).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

# op -> how its inputs are made from x in [-10, 10]
OPS = {
    "exp": lambda x: x,
    "exp2": lambda x: x,
    "expm1": lambda x: x,
    "log": np.abs,
    "log2": np.abs,
    "log10": np.abs,
    "log1p": np.abs,
    "sqrt": np.abs,
    "rsqrt": np.abs,
    "sin": lambda x: x,
    "cos": lambda x: x,
    "tan": lambda x: x,
    "asin": lambda x: x / 10,
    "acos": lambda x: x / 10,
    "atan": lambda x: x,
    "sinh": lambda x: x,
    "cosh": lambda x: x,
    "tanh": lambda x: x,
    "asinh": lambda x: x,
    "acosh": lambda x: np.abs(x) + 1,
    "atanh": lambda x: x / 10.5,
    "sigmoid": lambda x: x,
    "silu": lambda x: x,
    "softmax": lambda x: x,
    "log_softmax": lambda x: x,
    "erf": lambda x: x,
    "erfc": lambda x: x,
    "erfinv": lambda x: x / 10.5,
    "lgamma": lambda x: x,
    "digamma": lambda x: x,
    "sinc": lambda x: x,
    "logit": lambda x: np.abs(x) / 10.5,
    "i0": lambda x: x,
    "i1": lambda x: x,
    **dict.fromkeys(["softplus", "mish", "elu", "selu", "logsigmoid", "gelu", "gelu_backward"], lambda x: x),
}

# What torch 2.13's CPU build runs for a contiguous float32/float64 input (ATen/cpu/vml.h and the
# Vectorized<float> headers in the wheel): MKL's vector math (vms*/vmd*, VML_HA, denormals kept) for the
# functions vml.h hands to MKL, Sleef's u10 functions through Vectorized<T> for the rest of its list.
_MKL = "MKL VML (HA)"
_SLEEF = "Sleef u10 (Vectorized)"
IMPLEMENTATION = {
    **dict.fromkeys(["exp", "log", "log2", "log10", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan"], _MKL),
    **dict.fromkeys(["tanh", "erf", "erfc", "erfinv"], _MKL),
    **dict.fromkeys(["expm1", "log1p"], "Sleef u10 in every element (vml's map: a partial vector for the tail)"),
    **dict.fromkeys(
        ["exp2", "atanh", "sinh", "cosh"], "Sleef u10 in SIMD lanes (AVX512), glibc's float function in the scalar tail"
    ),
    **dict.fromkeys(["asinh", "acosh"], "glibc's float function (no vectorized kernel)"),
    "sinc": "sin(pi x) / (pi x) in float, glibc sinf (scalar loop only)",
    "logit": "dense input: MKL log of x / (1 - x); other layouts: Sleef logf in SIMD lanes, glibc logf in the tail",
    **dict.fromkeys(["i0", "i1"], "Cephes Chebyshev series in float (fused steps), glibc expf"),
    **dict.fromkeys(
        ["softplus", "mish", "elu", "selu"],
        "Sleef expf/expm1f/log1pf/tanhf in SIMD lanes (AVX512), glibc's in the tail",
    ),
    "logsigmoid": "Sleef expf and log1pf in every element",
    "gelu": "oneDNN's gelu_erf (contiguous float): avx512_core a minimax erf over 24 intervals, avx2 Abramowitz "
    "and Stegun's erf over oneDNN's exp",
    "gelu_backward": "oneDNN's gelu_erf backward (contiguous float): Abramowitz and Stegun's erf over oneDNN's exp",
    "rsqrt": "1 / sqrt (two correctly rounded instructions)",
    "sigmoid": "1 / (1 + exp(-x)): Sleef expf in SIMD lanes, glibc expf in the scalar tail",
    "silu": "x / (1 + exp(-x)): Sleef expf in SIMD lanes, glibc expf in the scalar tail",
    "softmax": "rows of 10: Sleef expf, lane sums, times 1 / sum",
    "log_softmax": "rows of 10: Sleef expf, lane sums, Sleef logf",
}


def _functional(name: str):
    return lambda xp, t: getattr(xp.nn.functional, name)(t)


# ops that are not torch.<name>(x): nn.functional's, and the softmaxes over rows of 10 (a classifier's logits)
CALLS = {
    "silu": lambda xp, t: xp.nn.functional.silu(t),
    "i1": lambda xp, t: xp.special.i1(t),
    **{name: _functional(name) for name in ("softplus", "mish", "elu", "selu", "logsigmoid", "gelu")},
    "gelu_backward": lambda xp, t: _input_gradient(xp, xp.nn.functional.gelu, t),
    "softmax": lambda xp, t: t[: t.numel() // 10 * 10].view(-1, 10).softmax(1).view(-1),
    "log_softmax": lambda xp, t: t[: t.numel() // 10 * 10].view(-1, 10).log_softmax(1).view(-1),
}


def _input_gradient(xp, fn, t):
    """The gradient of fn's sum with respect to t (the backward kernel's derivative itself: times ones)."""
    t = t.detach().requires_grad_()
    fn(t).backward(xp.ones_like(t))
    return t.grad


def _call(xp, name: str, t):
    return CALLS[name](xp, t) if name in CALLS else getattr(xp, name)(t)


def ulp_distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """ULPs between floats of one dtype (bit patterns in lexicographic order); 0 where both are NaN."""
    ints = {2: np.int16, 4: np.int32, 8: np.int64}[x.dtype.itemsize]
    top = np.int64((1 << (8 * x.dtype.itemsize - 1)) - 1)
    xi, yi = (v.view(ints).astype(np.int64) for v in (x, y))
    xk, yk = (np.where(v < 0, -(v & top), v) for v in (xi, yi))
    distance = np.abs(xk - yk)
    distance[np.isnan(x) & np.isnan(y)] = 0
    return distance


def differing(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Where the bits differ (a -0 against a +0 too), two NaNs excepted."""
    ints = {2: np.int16, 4: np.int32, 8: np.int64}[x.dtype.itemsize]
    return (x.view(ints) != y.view(ints)) & ~(np.isnan(x) & np.isnan(y))


def measure(n: int, dtype: str) -> list[dict]:
    import torch

    import shim

    x = np.random.default_rng(0).uniform(-10, 10, n).astype(dtype)
    rows = []
    for name, make in OPS.items():
        values = np.ascontiguousarray(make(x).astype(dtype))
        expected = _call(torch, name, torch.from_numpy(values.copy())).numpy()
        actual = _call(shim, name, shim.from_numpy(values.copy())).numpy()
        rows.append({
            "op": name, "dtype": dtype, "elements": n,
            "differing": int(np.count_nonzero(differing(expected, actual))),
            "max_ulps": int(ulp_distance(expected, actual).max()),
            "torch_not_rounded": _torch_not_rounded(torch, name, values, expected),
            "implementation": IMPLEMENTATION.get(name),
        })  # fmt: skip
        row = rows[-1]
        off = "" if row["torch_not_rounded"] is None else f"; torch {row['torch_not_rounded'] / n:7.3%} not rounded"
        print(f"{name:8s} {dtype}: {row['differing'] / n:8.3%} differ, max {row['max_ulps']} ULP{off}")
    return rows


def _torch_not_rounded(torch, name: str, values: np.ndarray, expected: np.ndarray) -> int | None:
    """How many of torch's results differ from the correctly rounded value: torch's own float64 op (within
    an ulp of float64) rounded once to the narrower dtype.  None for float64 (no wider reference)."""
    if values.dtype == np.float64:
        return None
    wide = _call(torch, name, torch.from_numpy(values.astype(np.float64))).numpy()
    return int(np.count_nonzero(differing(expected, wide.astype(values.dtype))))


def exhaustive(name: str, dtype: str, chunk: int = 1 << 24) -> int:
    """Compare the shim with torch on every input of a 16- or 32-bit dtype (all 2**32 floats: a few minutes
    per op); prints the differing inputs' count and the first few, returns the count."""
    import torch

    import shim

    width = np.dtype(dtype).itemsize * 8
    unsigned = {16: np.uint16, 32: np.uint32}[width]
    total = 0
    for start in range(0, 1 << width, chunk):
        values = np.arange(start, min(start + chunk, 1 << width), dtype=np.uint64).astype(unsigned).view(dtype)
        expected = _call(torch, name, torch.from_numpy(values.copy())).numpy()
        actual = _call(shim, name, shim.from_numpy(values.copy())).numpy()
        bad = differing(expected, actual)
        if bad.any():
            total += int(np.count_nonzero(bad))
            print(f"{name} {dtype}: {values[bad][:3]} -> torch {expected[bad][:3]}, shim {actual[bad][:3]}")
    print(f"{name} {dtype}: {total} of {1 << width} inputs differ")
    return total


def machine() -> dict:
    """The CPU and the kernel variant torch selects on it (the MKL functions' bits depend on both)."""
    import platform

    import torch

    model = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    return {"cpu": model, "capability": torch.backends.cpu.get_cpu_capability()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.float_math", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="random inputs per op")
    parser.add_argument("--dtype", default="float32", choices=("float16", "float32", "float64"))
    parser.add_argument("--out", default="reports", help="where float_math.json goes")
    parser.add_argument("--exhaustive", metavar="OP", help="compare OP on every input of --dtype instead")
    args = parser.parse_args(argv)
    if args.exhaustive:
        return int(exhaustive(args.exhaustive, args.dtype) > 0)
    rows = measure(args.n, args.dtype)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine(), "rows": rows}
    (out / "float_math.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
