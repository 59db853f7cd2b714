"""Factories: `tensor` with torch's dtype inference, the numpy bridge, and the sized factories."""

from __future__ import annotations

import math
import operator
import warnings

import numpy as np

from . import _dtypes
from ._cpu.fma import fma32, fma64
from ._cpu.threads import parallel_chunks
from ._devices import CPU, check_pin_memory, mark_pinned, tensor_device
from ._dispatch import quiet_numpy, scalar_value, write_out
from ._dtypes import BOOL, COMPLEX, FLOAT, INT
from ._errors import TEMPLATES, not_implemented_for, warn_internal
from ._tensor import Size, Tensor, make
from ._views import empty_preserving, parse_shape

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "arange", "linspace", "eye"]

_NUMPY_TYPES = (
    "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, "
    "uint16, uint8, and bool"
)


# -- dtype inference -------------------------------------------------------------------------------
def _infer(data, dtype=None):
    """(shape, dtype) of nested Python data, as torch's compute_sizes and infer_scalar_type find them (the
    dtype inferred only where none is given, as torch infers it)."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    return _sizes_of(data), (dtype or _scalar_type(data))


def _sizes_of(data) -> tuple:
    """compute_sizes: the lengths along the first items; a tensor is not a sequence there (it is one scalar),
    a numpy array is (and a 0-d one has no length)."""
    if isinstance(data, np.ndarray):
        if data.ndim == 0:
            raise TypeError("len() of unsized object")
        return data.shape
    if isinstance(data, str):  # (a sequence of one-character strings, without end: past torch's dimension limit)
        if data:
            raise ValueError("too many dimensions 'str'")
        return (0,)
    if isinstance(data, (list, tuple, range)):
        return (len(data),) + (_sizes_of(data[0]) if len(data) else ())
    return ()


def _scalar_type(data):
    """infer_scalar_type: the promoted dtype of every item (a tensor's or array's own dtype)."""
    if isinstance(data, Tensor):
        return data._dtype
    if isinstance(data, (np.ndarray, np.generic)):
        return _numpy_dtype(data.dtype)
    kind = type(data)
    if kind is bool:
        return _dtypes.bool_
    if kind is int:
        return _dtypes.int64
    if kind is float:
        return _dtypes.get_default_dtype()
    if kind is complex:
        return _dtypes.default_complex_dtype()
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{kind.__name__}'")
    if isinstance(data, (list, tuple, range)):
        dtype = None
        for item in data:
            d = _scalar_type(item)
            dtype = d if dtype is None else _dtypes.promote_types(dtype, d)
        return dtype if dtype is not None else _dtypes.get_default_dtype()
    if isinstance(data, (int, float, complex)):  # subclasses of Python numbers
        return _scalar_type(scalar_value(data))
    raise RuntimeError(f"Could not infer dtype of {kind.__name__}")


def _numpy_dtype(np_dtype) -> _dtypes.dtype:
    d = _dtypes.from_numpy_dtype(np_dtype)
    if d is None:
        kind = np.dtype(np_dtype).type
        raise TypeError(
            f"can't convert np.ndarray of type {kind.__module__}.{kind.__name__}. The only supported types are: "
            f"{_NUMPY_TYPES}."
        )
    return d


def _flatten(data, shape, dim, out, dtype):
    """Collect the scalars of nested `data` in row-major order, checking torch's shape rules (recursive_store:
    storing reaches the items in order, so an error in one stops it before the next)."""
    if isinstance(data, np.ndarray):
        warn_internal(
            "Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider converting the list "
            "to a single numpy.ndarray with numpy.array() before converting to a tensor.",
            "torch/csrc/utils/tensor_new.cpp:252",
            once=True,
        )
    if dim == len(shape):
        if isinstance(data, (Tensor, np.ndarray)):  # (read as torch's store_scalar reads any number-like object)
            data = _AS_NUMBER[dtype.category](data)
        elif (
            isinstance(data, np.generic)
            and dtype.category in (BOOL, INT)
            and not isinstance(data, float)
            and not (dtype.category == BOOL and isinstance(data, complex))
        ):
            # an integer result reads a numpy scalar by __index__ (np.float64 is a Python float, and a bool
            # result takes np.complex128, a Python complex, and numpy's bool)
            data = bool(data) if dtype.category == BOOL and isinstance(data, np.bool_) else operator.index(data)
        if not isinstance(data, (bool, int, float, complex, np.generic)):
            try:  # (any object with __index__, __float__ or __complex__, as CPython's unpacking reads it)
                if isinstance(data, (str, bytes)):
                    raise TypeError
                data = _AS_NUMBER[dtype.category](data)
            except TypeError:
                if dtype.category in (BOOL, INT):
                    raise TypeError(f"'{type(data).__name__}' object cannot be interpreted as an integer") from None
                raise TypeError(f"must be real number, not {type(data).__name__}") from None
        _check_value(data, dtype)  # torch converts (and checks) each number as it stores it
        out.append(data)
        return
    # (below the top, arrays and tensors are sequences too: of numpy scalars, of sub-tensors)
    if not isinstance(data, (list, tuple, range)) and not (isinstance(data, (np.ndarray, Tensor)) and data.ndim):
        raise TypeError("not a sequence")
    if len(data) != shape[dim]:
        raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {len(data)})")
    if 0 in shape[dim + 1 :]:
        return  # torch never visits the items of an empty sub-shape
    for item in data:
        _flatten(item, shape, dim + 1, out, dtype)


# how store_scalar unpacks a tensor or array where a number belongs, for each kind of result: integers and bools
# by __index__ (so a float tensor is refused), floats by __float__, complex numbers by __complex__
_AS_NUMBER = {BOOL: lambda t: bool(operator.index(t)), INT: operator.index, FLOAT: float, COMPLEX: complex}


def _check_value(v, dtype) -> None:
    """torch's checked conversion of one Python number to `dtype`."""
    if isinstance(v, (Tensor, bool)) or (isinstance(v, np.generic) and not isinstance(v, float)):
        return  # (np.float64 is a Python float: unpackIntegral converts it with checked_convert, as a float)
    if dtype.category == FLOAT and isinstance(v, complex):
        raise TypeError("must be real number, not complex")
    if dtype.category != INT:
        return
    info = np.iinfo(dtype.np)
    if isinstance(v, int):
        if not -(1 << 63) <= v < (1 << 63):
            raise ValueError("Overflow when unpacking long long")
        low = -info.max if not dtype.is_signed else info.min
        if v > info.max or v < low:
            raise RuntimeError(f"value cannot be converted to type {dtype._name} without overflow")
    elif isinstance(v, float):
        if not (info.min <= v <= info.max) or math.isnan(v):
            raise RuntimeError(f"value cannot be converted to type {dtype._name} without overflow")
    elif isinstance(v, complex):
        raise TypeError("'complex' object cannot be interpreted as an integer")


def _from_data(data, dtype, copy_numpy=True) -> tuple:
    """(ndarray, dtype) for torch.tensor-style data; numpy arrays keep their dtype unless told."""
    if isinstance(data, np.ndarray):
        src = _check_numpy(data)
        target = dtype or src
        copy = empty_preserving(data, target.np)
        with quiet_numpy(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy's ComplexWarning: torch drops imaginary parts silently here
            _dtypes.cast_into(copy, data, target)
        return copy, target
    if isinstance(data, np.generic):
        src = _numpy_dtype(data.dtype)
        target = dtype or src
        with quiet_numpy():
            return _dtypes.cast(np.asarray(data), target), target
    shape, inferred = _infer(data, dtype)
    target = inferred or _dtypes.get_default_dtype()
    values: list = []
    if shape == () and not isinstance(data, (bool, int, float, complex, Tensor)):  # (store_scalar's own errors)
        _flatten(data, shape, 0, values, target)
    elif shape == ():
        value = data.item() if isinstance(data, Tensor) else scalar_value(data)
        _check_value(value, target)
        values.append(value)
    else:
        _flatten(data, shape, 0, values, target)
    if target is _dtypes.bool_:
        values = [bool(v) for v in values]
    with quiet_numpy(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if target.category == INT and target is not _dtypes.int64:
            arr = np.array([_wrap_int(v, target) for v in values], dtype=target.np)
        elif target in (_dtypes.float32, _dtypes.float16, _dtypes.complex32):  # (from doubles, as c10 converts)
            arr = _dtypes.cast(
                np.array(values, dtype=np.complex128 if target.category == COMPLEX else np.float64), target
            )
        else:
            arr = np.array(values, dtype=target.np)
    return arr.reshape(shape), target


def _wrap_int(v, dtype):
    if isinstance(v, float):
        v = int(v)
    v = int(v)
    bits = dtype.itemsize * 8
    v &= (1 << bits) - 1
    if dtype.is_signed and v >= 1 << (bits - 1):
        v -= 1 << bits
    return v


def _check_numpy(a: np.ndarray) -> _dtypes.dtype:
    """The dtype of a numpy array torch can read, checked in torch's order: dtype, strides, byte order."""
    dtype = _numpy_dtype(a.dtype.newbyteorder("=") if a.dtype.kind in "biufc" else a.dtype)
    if any(s < 0 for s in a.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative strides are not "
            "currently supported. (You can probably work around this by making a copy of your array  with "
            "array.copy().) "
        )
    if not a.dtype.isnative:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. Conversion between byte orders "
            "is currently not supported."
        )
    return dtype


def _dtype_arg(dtype, fn="tensor"):
    if dtype is None or isinstance(dtype, _dtypes.dtype):
        return dtype
    if dtype is float:
        return _dtypes.float64
    if dtype is int:
        return _dtypes.int64
    if dtype is bool:
        return _dtypes.bool_
    if dtype is complex:
        return _dtypes.complex128
    raise TypeError(f"{fn}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")


def _finish(a: np.ndarray, dtype, device, requires_grad, pin_memory=False) -> Tensor:
    pinned = check_pin_memory(pin_memory, device)
    t = make(a, dtype, tensor_device(device))
    if requires_grad:
        if dtype.category < FLOAT:
            raise RuntimeError(TEMPLATES["int_requires_grad"])
        t._rg = True
    return mark_pinned(t) if pinned else t


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    dtype = _dtype_arg(dtype)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
            "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        return _copy_construct(data, dtype, device, requires_grad, pin_memory)
    a, target = _from_data(data, dtype)
    return _finish(a, target, device, requires_grad, pin_memory)


def _copy_construct(data: Tensor, dtype, device, requires_grad, pin_memory=False) -> Tensor:
    target = dtype or data._dtype
    with quiet_numpy():
        a = data._a.astype(target.np, copy=True)
    return _finish(a, target, device if device is not None else data._device, requires_grad, pin_memory)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    dtype = _dtype_arg(dtype, "as_tensor")
    if isinstance(data, Tensor):
        if (dtype is None or dtype is data._dtype) and (device is None or tensor_device(device) is data._device):
            return data
        return data.to(dtype=dtype, device=device)
    if isinstance(data, np.ndarray):
        src = _check_numpy(data)
        if (dtype is None or dtype is src) and tensor_device(device) is CPU:
            return from_numpy(data)
    a, target = _from_data(data, dtype)
    return _finish(a, target, device, False)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    t = as_tensor(obj, dtype, device) if not copy else tensor(obj, dtype=dtype, device=device)
    if requires_grad:
        t.requires_grad_()
    return t


_warned_readonly: list = []


def from_numpy(a) -> Tensor:
    if not isinstance(a, np.ndarray):
        got = type(a)
        name = f"{got.__module__}.{got.__name__}" if got.__module__ not in ("builtins",) else got.__name__
        raise TypeError(f"expected np.ndarray (got {name})")
    dtype = _check_numpy(a)
    if not a.flags.writeable and not _warned_readonly:
        _warned_readonly.append(True)  # torch warns once per program
        warnings.warn(
            "The given NumPy array is not writable, and PyTorch does not support non-writable tensors. This means "
            "writing to this tensor will result in undefined behavior. You may want to copy the array to protect its "
            "data or make it writable before converting it to a tensor. This type of warning will be suppressed for "
            "the rest of this program. (Triggered internally at "
            "/__w/pytorch/pytorch/torch/csrc/utils/tensor_numpy.cpp:213.)",
            UserWarning,
            stacklevel=2,
        )
    return make(a.view(), dtype, CPU)


# -- sized factories -----------------------------------------------------------------------------------
# c10::SymInt holds a value below -2**62 as a symbolic one, which the dispatcher's registration for the op
# (named in torch's message) refuses to turn back into an int
_SYMBOLIC_SIZE_SITES = {
    "empty": "RegisterCPU_1.cpp:2398",
    "new": "RegisterCPU_1.cpp:2398",  # the legacy constructors (torch.Tensor(n)) and new_empty
    "ones": "RegisterCompositeExplicitAutograd_0.cpp:8236",
    "full": "RegisterCompositeExplicitAutograd_0.cpp:5179",
    "rand": "RegisterCompositeExplicitAutograd_0.cpp:8781",
    "randn": "RegisterCompositeExplicitAutograd_0.cpp:9454",
    "randint": "RegisterCompositeExplicitAutograd_0.cpp:8948",
    "new_zeros": "RegisterCompositeExplicitAutograd_0.cpp:4600",
    "new_ones": "RegisterCompositeExplicitAutograd_0.cpp:4653",
    "new_full": "RegisterCompositeExplicitAutograd_0.cpp:4547",
}


def _sizes(args, name, op=None) -> tuple:
    """The sizes of a factory named `name` in argument errors (`op` names it in torch's dispatcher)."""
    shape = parse_shape(args, name)
    if name == "zeros" and any(d < 0 for d in shape):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    if any(d < -(1 << 62) for d in shape):
        site = _SYMBOLIC_SIZE_SITES[op or name]
        raise RuntimeError(
            f"/__w/pytorch/pytorch/build/aten/src/ATen/{site}: "
            "SymIntArrayRef expected to contain only concrete integers"
        )
    for d in shape:
        if d < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {d}: {list(shape)}")
    return shape


def size_args(name: str, args: tuple, size) -> tuple:
    """A sized factory's size: its varargs (a tuple, list or Size among them), or size=."""
    if size is not None:
        if args:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        return (size,)
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    return args


def _allocate(fill, shape: tuple, dtype: _dtypes.dtype) -> np.ndarray:
    """fill(shape, dtype) (np.empty, np.zeros, ...), with c10's errors for a size it cannot hold."""
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes >= 1 << 63:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)}")
    try:
        return fill(shape, dtype.np)
    except MemoryError:
        raise RuntimeError(
            "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried "
            f"to allocate {nbytes} bytes. Error code 12 (Cannot allocate memory)"
        ) from None


def _factory(name, fill):
    def factory(
        *args,
        size=None,
        out=None,
        dtype=None,
        layout=None,
        device=None,
        requires_grad=False,
        pin_memory=False,
        memory_format=None,
    ):
        shape = _sizes(size_args(name, args, size), name)
        dtype = _dtype_arg(dtype, name) or (out._dtype if out is not None else _dtypes.get_default_dtype())
        a = _allocate(fill, shape, dtype)
        if out is not None:
            return write_out(name, out, a, dtype)
        return _finish(a, dtype, device, requires_grad, pin_memory)

    factory.__name__ = name
    return factory


zeros = _factory("zeros", np.zeros)
ones = _factory("ones", np.ones)
empty = _factory("empty", np.empty)


def full(
    size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    if not isinstance(size, (tuple, list)):  # full's size is one argument, never varargs
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    shape = _sizes((tuple(size),), "full")
    if dtype is None and isinstance(fill_value, Tensor):
        dtype = fill_value._dtype
    elif dtype is None:  # any int infers Long, 2**63 and up too (which then overflow it)
        value = scalar_value(fill_value)
        dtype = _dtypes.int64 if type(value) is int else _dtypes.scalar_dtype(value)
    dtype = _dtype_arg(dtype, "full")
    from ._dispatch import to_stored_scalar

    v = (
        fill_value._a
        if isinstance(fill_value, Tensor)
        else to_stored_scalar(scalar_value(fill_value), dtype, half_via_double=math.prod(shape) == 1)
    )  # (full is empty + fill_: unchecked through fill_'s one-element fast path only)
    a = _allocate(lambda shape, np_dtype: np.full(shape, v, np_dtype), shape, dtype)
    if out is not None:
        return write_out("full", out, a, dtype)
    return _finish(a, dtype, device, requires_grad, pin_memory)


def _like(name, fill):
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None, pin_memory=False):
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
        dtype = _dtype_arg(dtype, name) or input._dtype
        a = empty_preserving(input._a, dtype.np)
        fill(a)
        return _finish(a, dtype, device if device is not None else input._device, requires_grad, pin_memory)

    like.__name__ = name
    return like


def _fill_zero(a):
    a[...] = 0


def _fill_one(a):
    a[...] = 1


def _fill_none(a):
    pass


zeros_like = _like("zeros_like", _fill_zero)
ones_like = _like("ones_like", _fill_one)
empty_like = _like("empty_like", _fill_none)


def full_like(
    input,
    fill_value,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    pin_memory=False,
):
    dtype = _dtype_arg(dtype, "full_like") or input._dtype
    a = empty_preserving(input._a, dtype.np)
    from ._dispatch import to_stored_scalar

    with quiet_numpy():
        a[...] = to_stored_scalar(scalar_value(fill_value), dtype, half_via_double=a.size == 1)
    return _finish(a, dtype, device if device is not None else input._device, requires_grad, pin_memory)


def _number(x, name):
    if isinstance(x, Tensor):
        return x.item()
    if isinstance(x, (bool, int, float, np.number)):
        return scalar_value(x)
    raise TypeError(f"arange() received an invalid combination of arguments - got ({type(x).__name__}, ...)")


def arange(
    start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    if end is None:
        start, end = 0, start
    start, end, step = (_number(v, "arange") for v in (start, end, step))
    if dtype is None:
        dtype = _dtypes.get_default_dtype() if any(isinstance(v, float) for v in (start, end, step)) else _dtypes.int64
    dtype = _dtype_arg(dtype, "arange")
    if dtype.category in (BOOL, _dtypes.COMPLEX):  # the kernel's dtype dispatch comes before its checks
        raise not_implemented_for("arange_cpu", dtype)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    for v in (start, end):
        if isinstance(v, float) and not math.isfinite(v):
            raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is _dtypes.int64:  # torch sizes int64 ranges from the truncated bounds, in integers
        xstart, xend, xstep = int(start), int(end), int(step)
        if xstep == 0:
            raise ValueError("step must be nonzero")
        span = xend - xstart + xstep - (1 if xstep > 0 else -1)
        n = abs(span) // abs(xstep) * (1 if (span >= 0) == (xstep > 0) else -1)  # C division
    else:
        n = math.ceil((end - start) / step)
    if not 0 <= n < 2**63:
        raise RuntimeError("invalid size, possible overflow?")
    a = _arange_kernel(start, step, n, dtype)
    if out is not None:
        return write_out("arange", out, a, dtype)
    return _finish(a, dtype, device, requires_grad, pin_memory)


def _ramp(n: int, dtype: _dtypes.dtype, acc, fma, step, scalar_at, base_at) -> np.ndarray:
    """The values of a cpu_serial_kernel_vec ramp (arange, linspace) in torch's order.

    torch splits the n outputs into its threads' chunks (past 32768 of them); in each chunk, every pair
    of 32-byte vectors (the AVX2 copy) is `Vectorized::arange(base, step)`: base, from the vector's first
    index, rounded to the element type, then `base + k * step`; the chunk's tail takes the scalar
    formula.  GCC fuses each multiply-add (`fma`, in the accumulate type `acc`)."""
    lanes = _VECTOR_BYTES // dtype.itemsize
    out = np.empty(n, acc)
    with quiet_numpy():
        for begin, end in parallel_chunks(n):
            i = np.arange(begin, end, dtype=acc)
            vectorised = (end - begin) - (end - begin) % (2 * lanes)
            k = (i[:vectorised] - begin) % lanes
            base = base_at(i[:vectorised] - k).astype(dtype.np).astype(acc)
            out[begin : begin + vectorised] = fma(k, step, base)
            out[begin + vectorised : end] = scalar_at(i[vectorised:])
        return out.astype(dtype.np)


def _arange_kernel(start, step, n: int, dtype: _dtypes.dtype) -> np.ndarray:
    """torch's arange_kernel: `start + step * i` in the accumulate type (int64, double, or float for
    half), as a vectorised ramp (arange has no AVX512 copy)."""
    if dtype.category == INT:
        return (int(start) + int(step) * np.arange(n, dtype=np.int64)).astype(dtype.np)
    acc, fma = (np.float32, fma32) if dtype.np.type is np.float16 else (np.float64, fma64)
    start, step = acc(start), acc(step)

    def formula(i):
        return fma(step, i, start)

    return _ramp(n, dtype, acc, fma, step, formula, formula)


def _linspace_kernel(start, end, steps: int, dtype: _dtypes.dtype) -> np.ndarray:
    """torch's linspace_kernel for float, double and the integer types: the step (end - start) / (steps - 1)
    in the element type (double for integers, from start and end made integers first); indices below
    steps // 2 count up from start, the rest down from end, each multiply-add fused (element by element:
    unlike arange, its vectors compute every lane the scalar way), an integer result truncated."""
    acc, fma = (np.float32, fma32) if dtype.np.type is np.float32 else (np.float64, fma64)
    if dtype.category == INT:
        start, end = int(start), int(end)
    start, end = acc(start), acc(end)
    step = (end - start) / acc(steps - 1)
    i = np.arange(steps, dtype=acc)
    with quiet_numpy():
        return np.where(i < steps // 2, fma(step, i, start), fma(-step, acc(steps - 1) - i, end)).astype(dtype.np)


_VECTOR_BYTES = 32


def check_zero_dim_bounds(name: str, start, end) -> None:
    """linspace/logspace take tensors for start and end only with 0 dims (the message names each tensor)."""
    dims = [(label, v._a.ndim) for label, v in (("start", start), ("end", end)) if isinstance(v, Tensor)]
    if any(d for _, d in dims):
        got = " and ".join(f"{label} with {d} dimension(s)" for label, d in dims)
        raise RuntimeError(f"{name} only supports 0-dimensional start and end tensors, but got {got}.")


def linspace(
    start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    check_zero_dim_bounds("linspace", start, end)
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = _number(start, "linspace"), _number(end, "linspace")
    dtype = _dtype_arg(dtype, "linspace") or _dtypes.get_default_dtype()
    compute = dtype.np.type if dtype.category >= FLOAT else np.float64
    s, e = (compute(np.float32(v)) if compute is np.float16 else compute(v) for v in (start, end))  # (Half: via float)
    if steps == 0:
        a = np.empty(0, dtype.np)
    elif steps == 1:
        a = np.asarray([s], dtype=dtype.np)
    elif dtype.np.type in (np.float32, np.float64) or dtype.category == INT:
        a = _linspace_kernel(start, end, steps, dtype)
    else:
        with quiet_numpy():
            step = (e - s) / compute(steps - 1) if dtype.category >= FLOAT else (float(e) - float(s)) / (steps - 1)
            idx = np.arange(steps)
            halfway = steps // 2
            lo = s + step * idx[:halfway].astype(compute)
            hi = e - step * (steps - idx[halfway:] - 1).astype(compute)
            a = np.concatenate([lo, hi]).astype(dtype.np)
    if out is not None:
        return write_out("linspace", out, a, dtype)
    return _finish(a, dtype, device, requires_grad, pin_memory)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    dtype = _dtype_arg(dtype, "eye") or _dtypes.get_default_dtype()
    a = np.eye(n, n if m is None else m, dtype=dtype.np)
    if out is not None:
        return write_out("eye", out, a, dtype)
    return _finish(a, dtype, device, requires_grad, pin_memory)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    dtype = dtype or _dtypes.get_default_dtype()
    return _finish(_dtypes.cast(np.asarray(s), dtype), dtype, device, requires_grad, pin_memory)


# -- the legacy constructors: torch.Tensor(...), torch.FloatTensor(...) --------------------------------
def legacy_tensor_constructor(dtype, args, kwargs):
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"new() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if not args:
        return _finish(np.empty(0, dtype.np), dtype, device, False)
    if len(args) == 1 and isinstance(args[0], Tensor):
        src = args[0]
        if src._dtype is not dtype and dtype is not _dtypes.float32:
            raise TypeError(f"expected {dtype._legacy} (got {src._dtype._legacy})")
        return src if dtype is _dtypes.float32 or src._dtype is dtype else src
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)) and not isinstance(args[0], Size):
        a, _ = _from_data(args[0], dtype)
        return _finish(a, dtype, device, False)
    if len(args) == 1 and isinstance(args[0], (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(args[0]).__name__}'")
    if len(args) == 1 and isinstance(args[0], (bool, float, complex, type(None))):
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    return _finish(_allocate(np.empty, _sizes(args, "new"), dtype), dtype, device, False)


def _new(self, *args, **kwargs):
    """Tensor.new: the legacy constructor of self's type, on self's device (`size=` and `data=` by keyword name
    torch's overloads, which a positional tuple could not tell apart)."""
    if not args and "size" in kwargs:
        args = (Size(kwargs.pop("size")),)
    elif not args and "data" in kwargs:
        args = (kwargs.pop("data"),)
    kwargs.setdefault("device", self._device)
    return legacy_tensor_constructor(self._dtype, args, kwargs)


Tensor.new = _new


def _legacy_class(name, dtype):
    class Meta(type):
        def __instancecheck__(cls, obj):
            return isinstance(obj, Tensor) and obj._dtype is dtype

    def __new__(cls, *args, **kwargs):
        return legacy_tensor_constructor(dtype, args, dict(kwargs))

    cls = Meta(name, (), {"__new__": __new__, "_legacy_dtype": dtype})
    cls.__module__ = "torch"
    return cls


LEGACY = {
    d._legacy.removeprefix("torch."): _legacy_class(d._legacy.removeprefix("torch."), d)
    for d in _dtypes.DTYPES.values()
}


# -- Tensor.new_* ------------------------------------------------------------------------------------
def _new_method(fill, name):
    def method(self, *args, size=None, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
        shape = _sizes(size_args(name, args, size), "new", "new" if name == "new_empty" else name)
        dtype = dtype or self._dtype
        a = _allocate(fill, shape, dtype)
        return _finish(a, dtype, device if device is not None else self._device, requires_grad, pin_memory)

    return method


Tensor.new_zeros = _new_method(np.zeros, "new_zeros")
Tensor.new_ones = _new_method(np.ones, "new_ones")
Tensor.new_empty = _new_method(np.empty, "new_empty")


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    if isinstance(size, (tuple, list)):
        _sizes((tuple(size),), "new_full")
    return full(
        size,
        fill_value,
        dtype=dtype or self._dtype,
        device=device if device is not None else self._device,
        requires_grad=requires_grad,
        pin_memory=pin_memory,
    )


def _new_tensor(self, data, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
            "sourceTensor.detach().clone().requires_grad_(True), rather than tensor.new_tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        device = device if device is not None else self._device
        return _copy_construct(data, _dtype_arg(dtype) or self._dtype, device, requires_grad)
    return tensor(
        data,
        dtype=dtype or self._dtype,
        device=device if device is not None else self._device,
        requires_grad=requires_grad,
    )


Tensor.new_full = _new_full
Tensor.new_tensor = _new_tensor
