"""Which order of operations torch 2.13's CPU matrix product follows, by shape: for each shape, whether
torch's float32/float64 `a @ b` equals, bit for bit, (1) the shim's product (numpy's OpenBLAS), (2) the
products rounded and added one after another along k from +0 (no fused multiply-add), (3) fused
multiply-adds one after another along k from +0; and the share of the shim's elements that equal torch's.
Then the same share for matrix-vector, vector-vector and nn.Linear products (OTHER_PRODUCTS), two of them
left unmodelled on purpose (rows past MKL's groups of four; vectors at different offsets from a boundary).

    python -m bench.matmul_bits [--dtype float32] [--out reports]

Inputs are standard normal, seeded.  Writes reports/matmul_bits.json with the CPU and torch's thread count:
torch hands these products to MKL's gemm, which picks its kernels by CPU, shape and threads, so the table
holds for the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .float_math import differing, machine

# (m, k, n): the notebook's and tutorials' sizes, the MLP's layers (64-row batches), squares up to 1024
SHAPES = (
    *((1, k, n) for k, n in ((4, 5), (16, 16), (128, 64))),
    *((m, k, n) for m, k, n in ((2, 3, 4), (3, 4, 5), (4, 4, 4), (5, 3, 2), (8, 8, 8))),
    *((s, s, s) for s in (16, 17, 32, 64, 100, 128, 256, 512, 1024)),
    (64, 784, 128),
    (64, 128, 64),
    (64, 64, 10),
    (128, 64, 784),
    (64, 10, 64),
    (33, 65, 17),
    (64, 7, 1),
)
# matrix-vector, vector-vector and nn.Linear products: label -> (operand shapes, the product of tensors)
OTHER_PRODUCTS = {
    "mv 64x784 @ 784": (((64, 784), (784,)), lambda xp, a, x: xp.mv(a, x)),
    "mv 13x100 @ 100 (a row past the groups)": (((13, 100), (100,)), lambda xp, a, x: a @ x),
    "mv 6x50 @ 50 (two rows past the groups)": (((6, 50), (50,)), lambda xp, a, x: a @ x),
    "mv column-major 64x784 @ 784": (((784, 64), (784,)), lambda xp, a, x: a.t() @ x),
    "dot 1000": (((1000,), (1000,)), lambda xp, x, y: xp.dot(x, y)),
    "dot 100001 (two threads)": (((100001,), (100001,)), lambda xp, x, y: xp.dot(x, y)),
    "dot of views 1 in (x[1:] . y[1:])": (((301,), (301,)), lambda xp, x, y: xp.dot(x[1:], y[1:])),
    "dot 300, x[1:] . y[:-1] (offsets differ)": (((301,), (301,)), lambda xp, x, y: xp.dot(x[1:], y[:-1])),
    "Linear(10, 3) on 22 rows": (((22, 10), (3, 10), (3,)), lambda xp, x, w, b: xp.nn.functional.linear(x, w, b)),
    "Linear(13, 1) on 100 rows": (((100, 13), (1, 13), (1,)), lambda xp, x, w, b: xp.nn.functional.linear(x, w, b)),
    "Linear(50, 7) on 32 rows": (((32, 50), (7, 50), (7,)), lambda xp, x, w, b: xp.nn.functional.linear(x, w, b)),
    "3x32 @ 32x10, a column-major a (a weight gradient)": (((32, 3), (32, 10)), lambda xp, g, t: g.t() @ t),
}
_EMULATED_UP_TO = 1 << 22  # multiply-adds; above this the k-order emulations take too long to be worth it


def sequential(a: np.ndarray, b: np.ndarray, fused: bool) -> np.ndarray:
    """sum over k of a[:, t] * b[t, :], added one after another from +0, each product rounded first or fused."""
    from shim._cpu.fma import fma32, fma64

    fma = {np.float32: fma32, np.float64: fma64}[a.dtype.type]
    c = np.zeros((a.shape[0], b.shape[1]), a.dtype)
    for t in range(a.shape[1]):
        column, row = a[:, t : t + 1], b[t : t + 1, :]
        c = fma(column, row, c).astype(a.dtype) if fused else c + column * row
    return c


def measure(dtype: str) -> list[dict]:
    import torch

    import shim

    rng = np.random.default_rng(0)
    rows = []
    for m, k, n in SHAPES:
        a, b = rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)
        expected = (torch.from_numpy(a) @ torch.from_numpy(b)).numpy()
        actual = (shim.from_numpy(a) @ shim.from_numpy(b)).numpy()
        row = {"m": m, "k": k, "n": n, "dtype": dtype, "elements": m * n}
        row["shim_identical"] = 1 - float(np.count_nonzero(differing(expected, actual))) / (m * n)
        if m * n * k <= _EMULATED_UP_TO:
            row["plain_sequential"] = bool(np.array_equal(expected, sequential(a, b, fused=False)))
            row["fused_sequential"] = bool(np.array_equal(expected, sequential(a, b, fused=True)))
        rows.append(row)
        orders = [name for name in ("plain_sequential", "fused_sequential") if row.get(name)]
        print(
            f"{m:5d} x {k:4d} @ {k:4d} x {n:4d} {dtype}: shim identical {row['shim_identical']:7.1%}; "
            f"torch = {', '.join(orders) or ('neither k-order' if 'fused_sequential' in row else 'not emulated')}"
        )
    for label, (shapes, product) in OTHER_PRODUCTS.items():
        operands = [rng.standard_normal(shape).astype(dtype) for shape in shapes]
        expected = product(torch, *map(torch.from_numpy, operands)).numpy()
        actual = product(shim, *map(shim.from_numpy, operands)).numpy()
        share = 1 - float(np.count_nonzero(differing(expected, actual))) / max(1, expected.size)
        rows.append({"product": label, "dtype": dtype, "elements": expected.size, "shim_identical": share})
        print(f"{label} {dtype}: shim identical {share:7.1%}")
    return rows


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(prog="python -m bench.matmul_bits", description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    parser.add_argument("--out", default="reports", help="where matmul_bits.json goes")
    args = parser.parse_args(argv)
    rows = measure(args.dtype)
    report = {"machine": {**machine(), "torch_threads": torch.get_num_threads()}, "rows": rows}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "matmul_bits.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
