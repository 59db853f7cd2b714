"""The one place that promotes, broadcasts, checks devices, records graph nodes and bumps versions.

Kernels are pure numpy functions; everything torch-specific around them happens here, once:

* operand classification (tensors, Python and numpy scalars) and type promotion (`_dtypes`);
* broadcasting, with torch's error messages;
* numpy's floating-point warnings silenced (torch never warns on overflow or division by zero);
* `out=` and in-place semantics: cast rules, shape rules, leaf checks, version counters;
* graph recording: one `Node` per differentiable op, with the values its formulas need.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from . import _dtypes
from ._autograd.grad_mode import STATE
from ._autograd.graph import _NODE_CLASSES, SavedTensor, grad_accumulator, node_class
from ._cpu.quiet import quiet_call, quiet_numpy
from ._devices import CPU
from ._dtypes import BOOL, COMPLEX, FLOAT, INT, promote_types
from ._errors import TEMPLATES, shape_str, warn_internal
from ._tensor import Tensor, address, storage_root

__all__ = [
    "quiet_numpy",
    "quiet_call",
    "is_scalar",
    "scalar_value",
    "operand_dtype",
    "result_type",
    "broadcast_shapes",
    "to_numpy_scalar",
    "as_compute",
    "record",
    "check_inplace",
    "bump_version",
    "write_out",
    "needs_grad",
    "check_same_device",
    "check_argument_devices",
]

# Python scalars, and numpy scalars that behave like them in torch's promotion.
_PY_SCALARS = (bool, int, float, complex)


def is_scalar(x) -> bool:
    return type(x) in _PY_SCALARS or isinstance(x, (numbers.Number, np.bool_)) and not isinstance(x, Tensor)


def scalar_value(x):
    """A numpy scalar as the Python scalar of its kind (torch treats them alike)."""
    if type(x) in _PY_SCALARS:
        return x
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, (np.complexfloating, complex)):
        return complex(x)
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Real):
        return float(x)
    return complex(x)


def operand_dtype(x):
    return x._dtype if type(x) is Tensor or isinstance(x, Tensor) else _dtypes.scalar_dtype(x)


def result_type(*operands):
    """torch.result_type over tensors and Python scalars (three tiers: dimensioned, 0-d, scalars)."""
    dims, zeros, scalars = [], [], []
    for x in operands:
        if isinstance(x, Tensor):
            (dims if x._a.ndim else zeros).append(x._dtype)
        else:
            scalars.append(_dtypes.scalar_dtype(x))
    return _dtypes.result_type_of(dims, zeros, scalars)


_RESULT_CACHE: dict = {}


def binary_result_type(a: Tensor, b) -> _dtypes.dtype:
    """result_type(a, b) for a tensor and a tensor-or-scalar, cached by the operand kinds."""
    if type(b) is Tensor or isinstance(b, Tensor):
        if a._dtype is b._dtype:
            return a._dtype
        key = (a._dtype, bool(a._a.ndim), b._dtype, bool(b._a.ndim))
    elif type(b) is int and b >= 1 << 63:
        return result_type(a, b)  # a uint64 scalar: not the cached int64 kind
    else:
        key = (a._dtype, bool(a._a.ndim), type(b), None)
    r = _RESULT_CACHE.get(key)
    if r is None:
        r = _RESULT_CACHE[key] = result_type(a, b)
    return r


# -- broadcasting -------------------------------------------------------------------------------
def broadcast_shapes(*shapes) -> tuple:
    """The broadcast shape (torch's infer_size folded over the operands), or torch's error naming the
    last mismatching dimension."""
    result = tuple(shapes[0])
    for other in shapes[1:]:
        result = _infer_size(result, tuple(other))
    return result


def _infer_size(a: tuple, b: tuple) -> tuple:
    if a == b:
        return a
    ndim = max(len(a), len(b))
    out = [0] * ndim
    for i in range(ndim - 1, -1, -1):
        offset = ndim - 1 - i
        size_a = a[len(a) - 1 - offset] if len(a) - 1 - offset >= 0 else 1
        size_b = b[len(b) - 1 - offset] if len(b) - 1 - offset >= 0 else 1
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise RuntimeError(TEMPLATES["broadcast"].format(a=size_a, b=size_b, dim=i))
        out[i] = size_b if size_a == 1 else size_a
    return tuple(out)


# -- scalars -------------------------------------------------------------------------------------
_INT_RANGE = (-(1 << 63), (1 << 64) - 1)


def to_numpy_scalar(value, dtype: _dtypes.dtype):
    """A Python scalar converted to `dtype` as torch converts a wrapped number: integers wrap around."""
    if dtype.category == INT and type(value) is int:
        if not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
            raise OverflowError("int too big to convert")
        bits = dtype.itemsize * 8
        value &= (1 << bits) - 1
        if dtype.is_signed and value >= 1 << (bits - 1):
            value -= 1 << bits
        return dtype.np.type(value)
    if dtype.category == BOOL:
        return np.bool_(value)
    if dtype.category < COMPLEX and type(value) is complex:
        raise RuntimeError(f"value cannot be converted to type {dtype._cpp_name} without overflow")
    if dtype is _dtypes.complex32:  # numpy has no complex32: each part rounded to float, then to half
        value = complex(value)
        half = (np.float32(value.real).astype(np.float16), np.float32(value.imag).astype(np.float16))
        return np.complex64(complex(*half))
    limit = _CAST_QUIETLY_UP_TO.get(dtype.np)
    if limit is not None and (type(value) is float or type(value) is int) and -limit <= value <= limit:
        # (the common case at its cost: x * 0.5, x ** 2)
        return dtype.np.type(value)
    with warnings.catch_warnings():  # (numpy warns where a cast overflows to inf)
        warnings.simplefilter("ignore")
        if dtype is _dtypes.float16:
            value = np.float32(value)  # (Half through float)
        return dtype.np.type(value)


# the numbers whose conversion to these types cannot overflow (NaN fails the comparison: it takes the slow path)
_CAST_QUIETLY_UP_TO = {np.dtype(np.float64): math.inf, np.dtype(np.float32): 3.4e38}

_C_NAMES = {
    "uint8": "uint8_t",
    "int8": "int8_t",
    "int16": "int16_t",
    "int32": "int",
    "int64": "int64_t",
    "float16": "c10::Half",
}
# c10's overflows(): a finite double past the type's largest value (not past what rounds to inf) overflows;
# doubles hold every Python float
_FLOAT_MAX = {
    _dtypes.float16: 65504.0,
    _dtypes.complex32: 65504.0,
    _dtypes.float32: float(np.finfo(np.float32).max),
    _dtypes.complex64: float(np.finfo(np.float32).max),
}


_warned_complex = []


def warn_complex_to_real() -> None:
    if _warned_complex:
        return  # TORCH_WARN_ONCE: once per process
    _warned_complex.append(True)
    warnings.warn(
        "Casting complex values to real discards the imaginary part (Triggered internally at "
        "/__w/pytorch/pytorch/aten/src/ATen/native/Copy.cpp:307.)",
        UserWarning,
        stacklevel=4,
    )


def to_stored_scalar(value, dtype: _dtypes.dtype, setitem: bool = False, half_via_double: bool = False):
    """A Python number converted as Scalar::to<T> converts it when it is stored (fill_, full, x[i] = v),
    with its overflow checks (torch's error names the C++ type).  `x[i] = v` parses v as a long long or a
    double first; it and fill_'s one-element fast path convert a double to Half unchecked (`half_via_double`)."""
    half_via_double = (setitem or half_via_double) and dtype is _dtypes.float16
    if type(value) is int and not -(1 << 63) <= value < (1 << (63 if setitem else 64)):
        raise ValueError("Overflow when unpacking long long") if setitem else OverflowError("int too big to convert")
    name = _C_NAMES.get(dtype._name, dtype._cpp_name)
    if type(value) is complex and dtype.category < _dtypes.COMPLEX and dtype is not _dtypes.bool_:
        if value.imag != 0:
            raise RuntimeError(
                f"value cannot be converted to type {'double' if half_via_double else name} without overflow"
            )
        value = value.real
    limit = None if half_via_double else _FLOAT_MAX.get(dtype)
    if limit is not None and type(value) in (int, float, complex):
        parts = (value.real, value.imag) if type(value) is complex else (value,)
        if any(math.isfinite(p) and abs(p) > limit for p in parts):
            raise RuntimeError(f"value cannot be converted to type {name} without overflow")
    if dtype.category == INT and type(value) in (int, float):
        info = np.iinfo(dtype.np)
        low = -int(info.max) if not dtype.is_signed and type(value) is int else int(info.min)
        if not (np.isfinite(value) and low <= value <= int(info.max)):
            raise RuntimeError(f"value cannot be converted to type {name} without overflow")
        return to_numpy_scalar(int(value), dtype)
    return to_numpy_scalar(value, dtype)


def as_compute(x: Tensor, dtype: _dtypes.dtype) -> np.ndarray:
    a = x._a
    return a if x._dtype is dtype else _dtypes.cast(a, dtype)


# -- devices -------------------------------------------------------------------------------------
def check_same_device(tensors, op_name: str = "") -> object:
    """The common device of the operands, as TensorIterator finds it: the first non-CPU device (else the CPU);
    a 0-d CPU tensor may join any device."""
    device = CPU
    for t in tensors:
        if t._device is not CPU:
            device = t._device
            break
    for t in tensors:
        d = t._device
        if d is not device and not (d is CPU and t._a.ndim == 0):
            raise RuntimeError(
                "Expected all tensors to be on the same device, but found at least two devices, "
                f"{device_str(device)} and {device_str(d)}!"
            )
    return device


def check_argument_devices(method: str, *named) -> None:
    """The check torch's generated CUDA wrappers make before an op that is not a TensorIterator's: the first
    tensor argument's device is the common one, and a later argument elsewhere is named.  `named` alternates
    argument names and tensors (None skipped); `method` is the wrapper's name, without `wrapper_CUDA_`."""
    common = None
    for name, t in zip(named[::2], named[1::2]):
        if t is None:
            continue
        if common is None:
            common = t._device
        elif t._device is not common:
            raise RuntimeError(
                f"Expected all tensors to be on the same device, but got {name} is on {device_str(t._device)}, "
                f"different from other tensors on {device_str(common)} (when checking argument in method "
                f"wrapper_CUDA_{method})"
            )


def device_str(d) -> str:
    return "cuda:0" if d.type == "cuda" else "cpu"


# -- autograd ------------------------------------------------------------------------------------
def needs_grad(*tensors) -> bool:
    if not STATE.grad_enabled:
        return False
    for t in tensors:
        if t is not None and t._rg:
            return True
    return False


_NO_EDGE = (None, 0)


def _edge(t: Tensor) -> tuple:
    if t is None or not t._rg:
        return _NO_EDGE
    fn = t.grad_fn if t._base is not None else t._fn
    if fn is not None:
        return (fn, t._meta.output_nr if t._meta is not None else 0)
    return (grad_accumulator(t), 0)


def save_for_backward(value, is_output: bool = False):
    """A tensor as a SavedTensor holding its current version (other values, and tensors saved earlier, as
    they are)."""
    if not isinstance(value, Tensor):
        return value
    if value._meta is not None and value._meta.inference:
        raise RuntimeError(TEMPLATES["inference_saved"])
    return SavedTensor(value, is_output)


def record(node_name: str, inputs, formulas, saved: dict, outputs, differentiable_outputs=None):
    """Attach a new graph node to `outputs`.

    inputs:   per differentiable input position, the Tensor (or None for a wrapped scalar).
    formulas: per input, (function, argument names) or None where the op has no derivative.
    saved:    every value the formulas may ask for, by name; tensors among the ones actually used are
              saved with their version; `result` is the (first) output.
    """
    edges, active, metas, keep = [], [], [], {}  # per input; the saved values its formula reads
    for t, f in zip(inputs, formulas):
        if t is None or not t._rg:
            edges.append(_NO_EDGE)
            active.append(None)
            metas.append(None)
            continue
        fn = t._fn
        if t._base is not None:
            edges.append(_edge(t))
        elif fn is None:  # (_edge, inline)
            edges.append((grad_accumulator(t), 0))
        else:
            edges.append((fn, t._meta.output_nr if t._meta is not None else 0))
        active.append(f)
        if f is None:
            metas.append(None)
            continue
        metas.append((t._a.shape, t._dtype, t._device))
        for name in f[1]:
            if name not in keep:
                keep[name] = save_for_backward(saved[name], name == "result")
    node = (_NODE_CLASSES.get(node_name) or node_class(node_name))(tuple(edges), tuple(active), keep, tuple(metas))
    if outputs is None:
        return node
    if type(outputs) is Tensor:
        outputs._rg = True
        outputs._fn = node
        if outputs._meta is not None:  # (an in-place op on another node's output k: now this node's output 0)
            outputs._meta.output_nr = 0
        if "result" in keep:
            keep["result"].version = outputs._version_value()
        return node
    for nr, out in enumerate(outputs):
        if out is None or (differentiable_outputs is not None and nr not in differentiable_outputs):
            continue
        out._rg = True
        out._fn = node
        if nr or out._meta is not None:
            out._meta_().output_nr = nr
    return node


def differentiable(dtype) -> bool:
    return dtype.category >= FLOAT


# -- in-place and out= -----------------------------------------------------------------------------
def bump_version(t: Tensor) -> None:
    vc = t._vc
    if vc is None:
        t._vc = [1]
    else:
        vc[0] += 1


def check_inplace(self: Tensor, op_name: str | None = None, overlap: bool = True) -> None:
    """The checks torch makes before writing into `self` (leaf that requires grad, inference tensors)."""
    if self._rg and STATE.grad_enabled:
        if self._base is not None:
            from ._autograd.views import check_view_inplace

            check_view_inplace(self)
        elif self._fn is None:
            raise RuntimeError(TEMPLATES["leaf_inplace"])
    if self._meta is not None and self._meta.inference and not STATE.inference:
        raise RuntimeError(TEMPLATES["inference_inplace"])
    if overlap:
        check_overlap(self)


def check_overlap(self: Tensor) -> None:
    """at::assert_no_internal_overlap: no writing into a tensor whose elements share memory (an expanded one)."""
    if _has_internal_overlap(self._a):
        raise RuntimeError(TEMPLATES["overlap"])


def _has_internal_overlap(a: np.ndarray) -> bool:
    if a.size == 0:
        return False
    for size, stride in zip(a.shape, a.strides):
        if stride == 0 and size > 1:
            return True
    return False


# at::MemOverlapStatus: how the memory a written tensor and an input meet, as torch judges it
NO_OVERLAP, FULL_OVERLAP, PARTIAL_OVERLAP, TOO_HARD = "no", "full", "partial", "too hard"


def overlap_status(a: Tensor, b: Tensor) -> str:
    """at::get_overlap_status: the same tensor, or dense views of one range with one set of strides, overlap
    fully; dense views of one storage whose ranges meet otherwise overlap partly; a view that is not dense
    is too hard to judge (and torch lets it pass)."""
    if a is b:
        return FULL_OVERLAP
    x, y = a._a, b._a
    if not x.size or not y.size or storage_root(a) is not storage_root(b):
        return NO_OVERLAP
    from ._views import is_dense

    if not (is_dense(x) and is_dense(y)):
        return TOO_HARD
    a_begin, b_begin = address(x), address(y)
    a_end, b_end = a_begin + x.nbytes, b_begin + y.nbytes
    if a_begin == b_begin and a_end == b_end:
        return FULL_OVERLAP if a.stride() == b.stride() else PARTIAL_OVERLAP
    return PARTIAL_OVERLAP if a_begin < b_end and b_begin < a_end else NO_OVERLAP


def assert_no_partial_overlap(written: Tensor, *inputs) -> None:
    """at::assert_no_partial_overlap, as TensorIterator applies it to each input: `x.add_(x)` is fine,
    `x[1:].add_(x[:-1])` is not."""
    root = storage_root(written)
    for t in inputs:
        if isinstance(t, Tensor) and storage_root(t) is root and overlap_status(written, t) == PARTIAL_OVERLAP:
            raise RuntimeError(TEMPLATES["overlap_inputs"])


def assert_no_overlap(written: Tensor, *inputs) -> None:
    """at::assert_no_overlap: the scatter- and index-writing kernels refuse an input sharing the written
    tensor's memory, fully or partly."""
    root = storage_root(written)
    for t in inputs:
        if isinstance(t, Tensor) and storage_root(t) is root and overlap_status(written, t) in _REFUSED:
            raise RuntimeError(TEMPLATES["overlap_inputs"])


_REFUSED = (FULL_OVERLAP, PARTIAL_OVERLAP)


def check_iterator_overlaps(written: Tensor, inputs) -> None:
    """TensorIterator's memory checks, made before it looks at shapes: the output's own elements, then each
    input's partial overlap with it."""
    check_overlap(written)
    assert_no_partial_overlap(written, *inputs)


def check_cast(result_dtype, out_dtype) -> None:
    if not _dtypes.can_cast(result_dtype, out_dtype):
        raise RuntimeError(TEMPLATES["cast"].format(src=result_dtype._scalar_name, dst=out_dtype._scalar_name))


def check_out_grad(op_name: str, out, inputs) -> None:
    """torch's autograd refuses out= where anything requires grad, before the kernel runs."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{op_name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if STATE.grad_enabled and (out._rg or any(t._rg for t in inputs if isinstance(t, Tensor))):
        raise RuntimeError(TEMPLATES["out_grad"].format(op=op_name))


# What an op's out= checks of the memory it writes, once out has its shape (ATen's meta functions differ):
# "any" overlap with an input refused, "partial" overlap refused, or only the "internal" overlap of an
# expanded out.  Ops not named check nothing (reductions, mv/matmul, fills write through any aliasing), or
# checked before resizing, as TensorIterator does (the elementwise ops).
_OUT_OVERLAP = {
    **dict.fromkeys(
        "cat stack index_select gather take take_along_dim masked_select kthvalue max min diff linalg_cross "
        "aminmax nonzero index_add scatter scatter_add".split(),
        "any",
    ),
    **dict.fromkeys(
        "cumsum cumprod logcumsumexp sort topk msort addmv addmm addr kron renorm ldexp conj_physical".split(),
        "partial",
    ),
    **dict.fromkeys(
        "mean logsumexp median nanmedian mode softmax log_softmax mm bmm arange range linspace logspace randn rand "
        "randint randperm normal bernoulli diag".split(),
        "internal",
    ),
}


def write_out(op_name: str, out: Tensor, value: np.ndarray, result_dtype, inputs=(), warn_resize=True) -> Tensor:
    """Write a computed result into a user's `out=` tensor, as torch does (cast check, resize warning; a few
    ops, such as bernoulli, resize without the warning; the op's memory checks, table above)."""
    check_out_grad(op_name, out, inputs)
    check_cast(result_dtype, out._dtype)
    if op_name in _RESIZED_BY_NUMEL:  # the range factories keep an out of the right size, whatever its shape
        if out._a.size == value.size:
            value = value.reshape(out._a.shape)
        elif out._a.size and op_name == "arange":
            warn_internal(
                TEMPLATES["arange_resize"].format(shape=shape_str(out._a.shape), old=out._a.size, new=value.size),
                "aten/src/ATen/native/RangeFactories.cpp:199",
            )
        warn_resize = False
    if out._a.shape != value.shape:
        from ._views import empty_preserving

        layout = empty_preserving(value, out._dtype.np)  # the layout the op computes
        _resize_output(out, layout.shape, tuple(st // layout.itemsize for st in layout.strides), warn_resize)
    overlap = _OUT_OVERLAP.get(op_name)
    if overlap is not None:
        check_overlap(out)
        if overlap != "internal":
            (assert_no_overlap if overlap == "any" else assert_no_partial_overlap)(out, *inputs)
    with quiet_numpy():
        _dtypes.cast_into(out._a, value, out._dtype)
    if op_name not in _OUT_UNVERSIONED:
        bump_version(out)
    return out


def copy_out(op_name: str, out: Tensor, result: Tensor, castable: bool = False) -> Tensor:
    """The out= of a composite op torch writes as `resize_output(out); out.copy_(result)` (tensordot,
    inner): the dtypes must match exactly (castable: the result's dtype must cast to out's, as special.ndtr
    checks), and the copy is differentiable (CopyBackwards)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{op_name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if castable:
        check_cast(result._dtype, out._dtype)
    elif out._dtype is not result._dtype:
        raise RuntimeError(
            f"{op_name}: Expected the output tensor to have dtype {result._dtype._scalar_name}, but got an output "
            f"tensor with dtype {out._dtype._scalar_name}"
        )
    shape = result._a.shape
    if out._a.shape != shape:
        if out._rg:
            raise RuntimeError(TEMPLATES["out_requires_grad_resize"].format(op=op_name))
        from ._views import contiguous_strides

        _resize_output(out, shape, contiguous_strides(shape))
    return out.copy_(result)


def _resize_output(out: Tensor, shape: tuple, strides: tuple, warn: bool = True) -> None:
    """at::native::resize_output: resize_ over out's own storage (which grows if it must), with torch's
    deprecation warning where out had elements (attributed to the caller's line, as torch attributes it)."""
    from ._views import resize_in_storage

    if out._a.size and warn:
        warn_internal(
            TEMPLATES["resize_warning"].format(old=shape_str(out._a.shape), new=shape_str(shape)),
            "aten/src/ATen/native/Resize.cpp:30",
        )
    resize_in_storage(out, shape, strides)


_RESIZED_BY_NUMEL = frozenset(("arange", "range", "linspace", "logspace"))
# kron writes its out through an _unsafe_view, which has a version counter of its own: out's stays as it was
_OUT_UNVERSIONED = frozenset(("kron",))


def inplace_result_check(self: Tensor, result_dtype, result_shape) -> None:
    if tuple(result_shape) != self._a.shape:
        raise RuntimeError(
            TEMPLATES["inplace_broadcast"].format(out=shape_str(self._a.shape), shape=shape_str(result_shape))
        )
    check_cast(result_dtype, self._dtype)


def int_or_bool(dtype) -> bool:
    return dtype.category <= INT


__all__ += [
    "warn_complex_to_real",
    "to_stored_scalar",
    "differentiable",
    "inplace_result_check",
    "check_cast",
    "check_out_grad",
    "copy_out",
    "assert_no_overlap",
    "assert_no_partial_overlap",
    "check_iterator_overlaps",
    "overlap_status",
    "binary_result_type",
    "promote_types",
]
