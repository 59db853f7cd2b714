"""Hypothesis strategies for conformance inputs.

A drawn tensor is a `TensorSpec`: exact values (a numpy array), a dtype name, a memory layout and a
requires_grad flag.  The same spec materialises identically on both backends (`materialize(xp)`) and
prints as the code that builds it (`to_code()`), which the repro snippets use.  Every strategy accepts
a value or a strategy for each parameter and labels its draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

__all__ = [
    "TensorSpec",
    "tensors",
    "shapes",
    "dtypes",
    "broadcastable",
    "matmul_pairs",
    "scalars",
    "index_keys",
    "DTYPES",
    "FLOATS",
    "INTS",
    "ALL",
    "REAL",
    "COMPLEX",
    "NUMERIC",
    "LAYOUTS",
]

FLOATS = ("float16", "float32", "float64")
COMPLEX = ("complex64", "complex128")
SIGNED = ("int8", "int16", "int32", "int64")
INTS = ("uint8",) + SIGNED
REAL = ("bool",) + INTS + FLOATS
ALL = REAL + COMPLEX
NUMERIC = INTS + FLOATS
DTYPES = ALL

LAYOUTS = ("contiguous", "transposed", "sliced", "offset", "expanded")
# torch 2.13's median/nanmedian along a dim read memory past an expanded (stride-0) input: their values change
# from run to run (measured: 1.6e-13, 4.6e-41, NaN for an expanded 2.0), so those cases do not draw it
UNEXPANDED = LAYOUTS[:-1]


def _as_strategy(value_or_strategy):
    if isinstance(value_or_strategy, st.SearchStrategy):
        return value_or_strategy
    return st.just(value_or_strategy)


@dataclass(frozen=True)
class TensorSpec:
    """Exact values plus how to build them: dtype, layout, requires_grad."""

    values: np.ndarray
    dtype: str
    layout: str = "contiguous"
    requires_grad: bool = False
    expand_from: tuple | None = field(default=None)  # for layout 'expanded': the shape before expand

    @property
    def shape(self) -> tuple:
        return self.values.shape

    def materialize(self, xp):
        """Build the tensor on backend `xp` (torch or shim) with this layout."""
        dtype = getattr(xp, self.dtype)
        v = self.values
        if self.layout == "transposed" and v.ndim >= 2:
            t = xp.tensor(np.ascontiguousarray(np.swapaxes(v, -1, -2)), dtype=dtype).transpose(-1, -2)
        elif self.layout == "sliced" and v.ndim >= 1:
            big = np.repeat(v, 2, axis=-1)
            t = xp.tensor(big, dtype=dtype)[..., ::2]
        elif self.layout == "offset" and v.ndim >= 1:
            pad = np.concatenate([v.reshape(-1)[:1] if v.size else np.zeros(1, v.dtype), v.reshape(-1)])
            t = xp.tensor(pad, dtype=dtype)[1:].view(v.shape)
        elif self.layout == "expanded" and self.expand_from is not None:
            small = v[tuple(slice(0, 1) if s == 1 else slice(None) for s in self.expand_from)]
            small = small.reshape(self.expand_from)
            t = xp.tensor(small, dtype=dtype).expand(*v.shape)
        else:
            t = xp.tensor(v, dtype=dtype)
        if self.requires_grad:
            t = t.detach().requires_grad_()
        return t

    def to_code(self, xp: str = "xp") -> str:
        """Python source that builds this tensor (used in repro snippets)."""
        arr = f"np.array({_literal(self.values)}, dtype=np.{self.values.dtype.name})"
        if self.values.ndim and 0 in self.values.shape:
            arr = f"np.zeros({tuple(self.values.shape)}, dtype=np.{self.values.dtype.name})"
        dt = f"{xp}.{self.dtype}"
        if self.layout == "transposed" and self.values.ndim >= 2:
            code = f"{xp}.tensor(np.ascontiguousarray(np.swapaxes({arr}, -1, -2)), dtype={dt}).transpose(-1, -2)"
        elif self.layout == "sliced" and self.values.ndim >= 1:
            code = f"{xp}.tensor(np.repeat({arr}, 2, axis=-1), dtype={dt})[..., ::2]"
        elif self.layout == "offset" and self.values.ndim >= 1:
            code = (
                f"{xp}.tensor(np.concatenate([np.zeros(1, np.{self.values.dtype.name}), {arr}.reshape(-1)]), "
                f"dtype={dt})[1:].view({tuple(self.values.shape)})"
            )
        elif self.layout == "expanded" and self.expand_from is not None:
            small = self.values[tuple(slice(0, 1) if s == 1 else slice(None) for s in self.expand_from)]
            code = (
                f"{xp}.tensor(np.array({_literal(small)}, dtype=np.{self.values.dtype.name}), dtype={dt})"
                f".expand{tuple(self.values.shape)}"
            )
        else:
            code = f"{xp}.tensor({arr}, dtype={dt})"
        if self.requires_grad:
            code += ".detach().requires_grad_()"
        return code

    def describe(self) -> dict:
        """JSON-friendly description for reports (values kept exact)."""
        import shim  # the strides this layout gives (torch gives the same: the suite compares them)

        return {
            "kind": "tensor",
            "dtype": self.dtype,
            "shape": list(self.values.shape),
            "stride": list(self.materialize(shim).stride()),
            "layout": self.layout,
            "requires_grad": self.requires_grad,
            "values": _jsonable(self.values),
        }


def _literal(a: np.ndarray) -> str:
    """A repr of the values that round-trips exactly (nan/inf spelled as float(...))."""

    def fmt(x):
        if isinstance(x, list):
            return "[" + ", ".join(fmt(i) for i in x) + "]"
        if isinstance(x, complex):
            return f"complex({fmt(x.real)}, {fmt(x.imag)})"
        if isinstance(x, float):
            if math.isnan(x):
                return "float('nan')"
            if math.isinf(x):
                return "float('inf')" if x > 0 else "float('-inf')"
            return repr(x)
        return repr(x)

    return fmt(a.tolist())


def _jsonable(a: np.ndarray):
    def conv(x):
        if isinstance(x, list):
            return [conv(i) for i in x]
        if isinstance(x, complex):
            return [conv(x.real), conv(x.imag)]
        if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
            return str(x)
        return x

    return conv(a.tolist())


# -- dtypes and shapes ------------------------------------------------------------------------------
def dtypes(names=ALL) -> st.SearchStrategy:
    names = tuple(names)
    if not names:
        raise ValueError("dtypes() needs at least one dtype name")
    unknown = set(names) - set(ALL)
    if unknown:
        raise ValueError(f"unknown dtype names {sorted(unknown)}")
    return st.sampled_from(names)


def shapes(min_dims=0, max_dims=4, min_side=0, max_side=5) -> st.SearchStrategy:
    """Shapes including 0-d and empty ones (a side of 0)."""
    if min_dims > max_dims:
        raise ValueError("min_dims > max_dims")
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


# -- values ---------------------------------------------------------------------------------------
_NP = {n: np.dtype(n if n != "bool" else np.bool_) for n in ALL}


def _float_elements(np_dtype, regime):
    width = np_dtype.itemsize * 8
    if regime == "exact":
        # values whose sums and products stay exact: small dyadic rationals (and the special values)
        return st.one_of(
            st.integers(-64, 64).map(lambda i: i / 4),
            st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan]),
        )
    if regime == "finite":
        return st.floats(width=width, allow_nan=False, allow_infinity=False, min_value=-1e4, max_value=1e4)
    if regime == "positive":
        return st.floats(width=width, min_value=0.0, exclude_min=True, max_value=1e4, allow_nan=False)
    if regime == "unit":
        return st.floats(width=width, min_value=-1.0, max_value=1.0)
    if regime == "half midpoints":
        return _half_midpoints()
    special = st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5])
    tiny = np.finfo(np_dtype).smallest_subnormal
    edges = st.sampled_from(
        [
            float(tiny),
            -float(tiny),
            float(np.finfo(np_dtype).max),
            float(np.finfo(np_dtype).min),
            float(np.finfo(np_dtype).smallest_normal),
        ]
    )
    ordinary = st.floats(width=width, min_value=-1e3, max_value=1e3, allow_nan=False)
    small_int = st.integers(-10, 10).map(float)
    return st.one_of(ordinary, small_int, special, edges)


def _half_midpoints() -> st.SearchStrategy:
    """Doubles that a Half conversion rounds twice: a midpoint between two neighbouring halves (a float) nudged
    by a quarter of a float's ulp, so that the double is past the midpoint while its float is on it (rounded
    to even).  Correctly rounded, they go the other way: the draw that tells the two conversions apart."""

    def nudged(bits: int, sign: float, up: bool) -> float:
        low = np.uint16(bits).view(np.float16)
        mid = (np.float32(low) + np.float32(np.nextafter(low, np.float16(np.inf)))) / np.float32(2)
        ulp = float(np.spacing(mid))
        return sign * (float(mid) + (ulp if up else -ulp) / 4)

    return st.builds(nudged, st.integers(0, 0x7BFE), st.sampled_from([1.0, -1.0]), st.booleans())


def _elements(dtype: str, regime: str):
    np_dtype = _NP[dtype]
    if dtype == "bool":
        return st.booleans()
    if np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        if regime in ("exact", "finite", "unit", "positive"):
            lo = 1 if regime == "positive" else max(int(info.min), -20)
            return st.integers(lo, min(int(info.max), 20))
        return st.one_of(
            st.integers(-10, 10).filter(lambda v: info.min <= v <= info.max),
            st.sampled_from([int(info.min), int(info.max), 0]),
            st.integers(int(info.min), int(info.max)),
        )
    if np_dtype.kind == "c":
        real = _float_elements(np.dtype(np.float32 if np_dtype == np.complex64 else np.float64), regime)
        return st.builds(complex, real, real)
    return _float_elements(np_dtype, regime)


@st.composite
def tensors(
    draw, dtypes=ALL, shape=None, regime="any", layouts=LAYOUTS, requires_grad=False, min_dims=0, max_dims=4, max_side=5
):
    """A TensorSpec; `dtypes`, `shape`, `regime`, `layouts` and `requires_grad` take values or strategies.

    regime: 'any' (special values included), 'finite', 'positive', 'unit', 'exact' (dyadic, exact sums).
    """
    dtype = draw(
        _as_strategy(dtypes) if isinstance(dtypes, st.SearchStrategy) else st.sampled_from(tuple(dtypes)), label="dtype"
    )
    shp = draw(_as_strategy(shape) if shape is not None else shapes(min_dims, max_dims, 0, max_side), label="shape")
    regime_v = draw(_as_strategy(regime), label="regime")
    values = draw(hnp.arrays(_NP[dtype], shp, elements=_elements(dtype, regime_v)), label="values")
    layout = draw(
        st.sampled_from(tuple(layouts)) if not isinstance(layouts, st.SearchStrategy) else layouts, label="layout"
    )
    expand_from = None
    if layout == "expanded":
        candidates = [i for i, s in enumerate(shp) if s > 1]
        if candidates:
            axis = draw(st.sampled_from(candidates), label="expanded axis")
            expand_from = tuple(1 if i == axis else s for i, s in enumerate(shp))
            values = np.broadcast_to(np.take(values, [0], axis=axis), shp).copy()
        else:
            layout = "contiguous"
    if layout in ("transposed",) and len(shp) < 2:
        layout = "contiguous"
    if layout in ("sliced", "offset") and len(shp) < 1:
        layout = "contiguous"
    rg = draw(_as_strategy(requires_grad), label="requires_grad")
    if rg and dtype not in FLOATS + COMPLEX:
        rg = False
    return TensorSpec(values, dtype, layout, bool(rg), expand_from)


@st.composite
def broadcastable(
    draw, n=2, dtypes=ALL, regime="any", layouts=LAYOUTS, requires_grad=False, same_dtype=None, max_dims=4, max_side=5
):
    """n TensorSpecs whose shapes broadcast together.  same_dtype: all of one dtype (True), each its own
    (False), or either, drawn (None: operands of one dtype, the common case in programs, half the time)."""
    bshapes = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=max_dims, max_side=max_side), label="broadcast shapes"
    )
    dtype_strategy = st.sampled_from(tuple(dtypes)) if not isinstance(dtypes, st.SearchStrategy) else dtypes
    first = draw(dtype_strategy, label="dtype")
    if same_dtype is None:
        same_dtype = draw(st.booleans(), label="same dtype")
    out = []
    for shp in bshapes.input_shapes:
        dt = first if same_dtype else draw(dtype_strategy, label="dtype")
        out.append(draw(tensors(dtypes=(dt,), shape=shp, regime=regime, layouts=layouts, requires_grad=requires_grad)))
    return tuple(out)


@st.composite
def matmul_pairs(draw, dtypes=FLOATS, regime="exact", requires_grad=False, max_batch_dims=2, max_side=4):
    """Operands of every rank combination matmul accepts (1-D..4-D, batch dims broadcasting)."""
    rank_a = draw(st.integers(1, 2 + max_batch_dims), label="rank a")
    rank_b = draw(st.integers(1, 2 + max_batch_dims), label="rank b")
    n, k, m = (draw(st.integers(0, max_side), label=label) for label in ("n", "k", "m"))
    batch = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=max_batch_dims, max_side=3), label="batch"
    ).input_shapes
    shape_a = (k,) if rank_a == 1 else tuple(batch[0][len(batch[0]) - (rank_a - 2) :] if rank_a > 2 else ()) + (n, k)
    shape_b = (k,) if rank_b == 1 else tuple(batch[1][len(batch[1]) - (rank_b - 2) :] if rank_b > 2 else ()) + (k, m)
    dt = draw(st.sampled_from(tuple(dtypes)), label="dtype")
    a = draw(tensors(dtypes=(dt,), shape=shape_a, regime=regime, requires_grad=requires_grad))
    b = draw(tensors(dtypes=(dt,), shape=shape_b, regime=regime, requires_grad=requires_grad))
    return a, b


def scalars(kinds=("bool", "int", "float", "complex"), regime="any") -> st.SearchStrategy:
    """Python scalars of the given kinds."""
    options = []
    for kind in kinds:
        if kind == "bool":
            options.append(st.booleans())
        elif kind == "int":
            options.append(
                st.integers(-20, 20)
                if regime != "any"
                else st.one_of(st.integers(-20, 20), st.sampled_from([2**31 - 1, -(2**31), 2**63 - 1, 255, 256, -129]))
            )
        elif kind == "float":
            options.append(_float_elements(np.dtype(np.float64), "exact" if regime == "exact" else regime))
        elif kind == "complex":
            options.append(st.builds(complex, st.integers(-4, 4).map(float), st.integers(-4, 4).map(float)))
        else:
            raise ValueError(f"unknown scalar kind {kind!r}")
    return st.one_of(*options)


# drawn index markers (kind, items): every kind of index torch's Python indexing accepts, made per backend by
# `realize` (observe.py) and written into repros by the runner, from this one table
KEY_MARKERS = {
    "list": ("xp.tensor({!r}, dtype=xp.int64)", lambda xp, v: xp.tensor(v, dtype=xp.int64)),
    "int32": ("xp.tensor({!r}, dtype=xp.int32)", lambda xp, v: xp.tensor(v, dtype=xp.int32)),
    "pylist": ("{!r}", lambda xp, v: list(v)),
    "range": ("range(*{!r})", lambda xp, v: range(*v)),
    "numpy": ("np.array({!r}, dtype=np.int64)", lambda xp, v: np.array(v, dtype=np.int64)),
    "mask": ("xp.tensor({!r}, dtype=xp.bool)", lambda xp, v: xp.tensor(v, dtype=xp.bool)),
    "uint8": ("xp.tensor({!r}, dtype=xp.uint8)", lambda xp, v: xp.tensor(v, dtype=xp.uint8)),
    "numpy mask": ("np.array({!r}, dtype=np.bool_)", lambda xp, v: np.array(v, dtype=np.bool_)),
    "numpy int": ("np.int64({!r}[0])", lambda xp, v: np.int64(v[0])),
    "0-d tensor": ("xp.tensor({!r}[0])", lambda xp, v: xp.tensor(v[0])),
}
_LIST_KINDS = st.sampled_from(["list", "list", "int32", "pylist", "range", "numpy"])
_MASK_KINDS = st.sampled_from(["mask", "mask", "uint8", "numpy mask"])
_INT_KINDS = st.sampled_from([None, None, None, "numpy int", "0-d tensor"])


def is_key_marker(value) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and value[0] in KEY_MARKERS
        and isinstance(value[1], list)
    )


@st.composite
def index_keys(draw, shape, advanced=True):
    """An indexing key for a tensor of `shape`: ints, slices, None, ..., and (optionally) index lists/masks."""
    parts = []
    dim = 0
    used_ellipsis = False
    n = draw(st.integers(0, len(shape) + 1), label="key length")
    for _ in range(n):
        choices = ["none"]
        if dim < len(shape):
            choices += ["int", "slice", "slice"]
            if advanced:
                choices += ["list", "mask"]
        if not used_ellipsis:
            choices.append("ellipsis")
        kind = draw(st.sampled_from(choices), label="key kind")
        if kind == "none":
            parts.append(None)
        elif kind == "ellipsis":
            parts.append(Ellipsis)
            used_ellipsis = True
            dim = len(shape) - sum(1 for p in parts[:-1] if p is not None and p is not Ellipsis)
        elif kind == "int":
            size = shape[dim]
            i = draw(st.integers(-size - 1, size), label="int index")
            as_kind = draw(_INT_KINDS, label="int kind") if advanced else None
            parts.append(i if as_kind is None else (as_kind, [i]))
            dim += 1
        elif kind == "slice":
            size = shape[dim]
            start = draw(st.none() | st.integers(-size - 1, size + 1), label="start")
            stop = draw(st.none() | st.integers(-size - 1, size + 1), label="stop")
            step = draw(st.none() | st.integers(1, 3), label="step")
            parts.append(slice(start, stop, step))
            dim += 1
        elif kind == "list":
            size = shape[dim]
            as_kind = draw(_LIST_KINDS, label="list kind")
            if as_kind == "range":
                start = draw(st.integers(-size, max(size - 1, 0)), label="range start")
                stop = draw(st.integers(-size - 1, size), label="range stop")
                parts.append(("range", [start, stop, draw(st.sampled_from([1, 1, 2, -1]), label="range step")]))
            else:
                items = draw(st.lists(st.integers(-size, max(size - 1, 0)), max_size=3), label="list")
                parts.append((as_kind, items))
            dim += 1
        elif kind == "mask":
            size = shape[dim]
            mask = draw(st.lists(st.booleans(), min_size=size, max_size=size), label="mask")
            parts.append((draw(_MASK_KINDS, label="mask kind"), mask))
            dim += 1
    return tuple(parts)
