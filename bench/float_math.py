"""How far the shim's float math is from torch's bits: for each pointwise op, the share of elements whose
result differs from torch 2.13's in any bit, and the largest distance in ULPs, on the same random inputs.

    python -m bench.float_math [--n 1000000] [--dtype float32] [--out reports]

Inputs are uniform in [-10, 10] (the issue's measurement; `sqrt` and `log` take their absolute values,
`acos`/`asin`/`atanh` are scaled into their domains).  Two NaNs count as equal.  Writes
reports/float_math.json.
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
    "erf": lambda x: x,
    "erfc": lambda x: x,
    "lgamma": lambda x: x,
    "digamma": lambda x: x,
}


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
        expected = getattr(torch, name)(torch.from_numpy(values.copy())).numpy()
        actual = getattr(shim, name)(shim.from_numpy(values.copy())).numpy()
        rows.append({
            "op": name, "dtype": dtype, "elements": n,
            "differing": int(np.count_nonzero(differing(expected, actual))),
            "max_ulps": int(ulp_distance(expected, actual).max()),
        })  # fmt: skip
        print(f"{name:8s} {dtype}: {rows[-1]['differing'] / n:8.3%} differ, max {rows[-1]['max_ulps']} ULP")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.float_math", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="random inputs per op")
    parser.add_argument("--dtype", default="float32", choices=("float16", "float32", "float64"))
    parser.add_argument("--out", default="reports", help="where float_math.json goes")
    args = parser.parse_args(argv)
    rows = measure(args.n, args.dtype)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "float_math.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
