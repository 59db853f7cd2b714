"""How an elementwise op runs: its spec (a table row) and the unary/binary executors.

A `Pointwise` spec names the numpy kernel, how the result dtype follows from the promoted input dtype
(`rule`), which dtypes torch rejects and with what message (`errors`), what `out=` accepts, the autograd
node and the derivative formula of each input.  The executors apply torch's order of checks (output
shape, output dtype, then the kernel's dtype support), compute in torch's "opmath" dtype (float16 in
float32, inputs rounded to the common dtype first) and hand the result to the dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import _dtypes
from .._autograd.formulas import COMPLEX_ON_OPS
from .._autograd.grad_mode import STATE
from .._autograd.views import record_inplace
from .._cpu import parallel
from .._cpu.fma import fma32, fma64
from .._cpu.parallel import PARALLEL_FROM
from .._cpu.quiet import quiet_off, quiet_on
from .._cpu.simd import simd_mask, tail_mask, vector_bytes
from .._dispatch import (
    binary_result_type,
    broadcast_shapes,
    bump_version,
    check_cast,
    check_inplace,
    check_iterator_overlaps,
    check_out_grad,
    check_overlap,
    check_same_device,
    inplace_result_check,
    quiet_call,
    quiet_numpy,
    record,
    save_for_backward,
    to_numpy_scalar,
    to_stored_scalar,
    write_out,
)
from .._dtypes import COMPLEX, FLOAT
from .._errors import not_implemented_for
from .._layout import conform, needs_layout, result_layout
from .._tensor import Tensor, make
from .._views import contiguous_strides, empty_preserving

__all__ = ["Pointwise", "formula", "unary", "binary", "binary_plain", "write_inplace", "CATEGORY_NAMES"]

_ndarray = np.ndarray
_ufunc = np.ufunc
_UNKNOWN = object()  # a dtype whose plain kernel is not yet looked up
# kernels that read a CPU scalar operand at full opmath precision (iter.original_scalar_value)
_ORIGINAL_SCALAR = {"mul", "div", "floor_divide"}
_FMA = {np.float32: fma32, np.float64: fma64}
_ALPHA_SIGN = {"add": 1, "sub": -1, "rsub": -1}  # ops computing x + sign * alpha * y (rsub: on the tensor)
_PLAIN_ALPHA_KERNEL = {"add": np.add, "sub": np.subtract}  # x + y and x - y: what alpha=1 comes to
_COMPLEX_TO_FLOAT_OUT = {"abs"}  # unary_op_impl_with_complex_to_float_out (angle, too, has no out= here)
_COMPLEX_TO_FLOAT_CONTIGUOUS = {"angle"}  # computed into a fresh contiguous tensor from complex input
_COMPARISON_NODES = {
    "eq": "EqBackward",
    "ne": "NeBackward",
    "lt": "LtBackward",
    "le": "LeBackward",
    "gt": "GtBackward",
    "ge": "GeBackward",
}  # eq_(Tensor): EqBackward1, eq_(Scalar): EqBackward0
# results contiguous whatever the input: composites summing over a new last dim (mvlgamma), and ops whose
# structured kernel allocates its outputs plainly (log_sigmoid_forward's output and buffer)
_CONTIGUOUS = {"mvlgamma", "log_sigmoid"}
_asarray = np.asarray
CATEGORY_NAMES = ("bool", "int", "float", "complex")


def formula(fn: Callable) -> tuple:
    """A derivative formula with the names of the saved values it reads (its parameters after F and g)."""
    code = fn.__code__
    return (fn, code.co_varnames[2 : code.co_argcount])


_ZERO_GRAD = formula(lambda F, g: F.zeros_like(g))


def not_implemented_formula(aten: str) -> tuple:
    """The derivative of an op torch does not differentiate: its node raises when backward reaches it."""

    def back(F, g):
        raise RuntimeError(f"derivative for aten::{aten} is not implemented")

    return formula(back)


# result dtype from the promoted input dtype; None stands for "the default dtype" (read at call time)
RULES = {
    "same": lambda d: d,
    "float": lambda d: d if d.category >= FLOAT else None,
    "bool": lambda d: _dtypes.bool_,
    "real": lambda d: d.to_real(),
    "real float": lambda d: d.to_real() if d.category >= FLOAT else None,
}
_OPMATH = {_dtypes.float16: _dtypes.float32, _dtypes.complex32: _dtypes.complex64}
# ops torch implements for complex32 on the CPU; the rest raise "... not implemented for 'ComplexHalf'"
_COMPLEX32_OPS = {
    "add",
    "sub",
    "rsub",
    "mul",
    "neg",
    "conj",
    "abs",
    "eq",
    "ne",
    "positive",
    "isnan",
    "isinf",
    "isfinite",
    "logical_not",
    "logical_and",
    "logical_or",
    "logical_xor",
}


@dataclass(eq=False)
class Pointwise:
    name: str
    kernel: Callable
    rule: str = "same"
    node: str | None = None
    grads: tuple = ()  # per input: formula(...) or None
    errors: dict = field(default_factory=dict)  # "bool"/"int"/"float"/"complex" or a dtype name -> error
    out: str = "cast"  # out= accepts: "cast" (any castable dtype), "same" (only the result dtype), "none"
    opmath: bool = True
    kernel_name: str | None = None  # the ATen kernel named in "not implemented for" messages
    # dtype or category name -> fix(r, where, *args): rewrites `r`, the scalar loop's result, where torch's
    # vectorized loop computes the element (`where`) and answers differently (see _simd)
    simd: dict = field(default_factory=dict)
    avx512: bool = False  # the kernel is also built for AVX512 (64-byte vectors on such CPUs)
    checks_first: bool = False  # a composite op: its own checks come before the in-place (autograd) ones
    # without opmath, except that a CPU scalar second operand (its original value) makes half compute in float
    scalar_opmath: bool = False
    complex32: bool = False  # computes ComplexHalf though its name is not among _COMPLEX32_OPS (pow's fill/copy)
    real_kernel: Callable | None = None  # the kernel for real dtypes, where `kernel` also dispatches on complex
    table: dict = field(default_factory=dict, repr=False)
    plain_dtypes: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.node is not None:
            COMPLEX_ON_OPS.add(self.node)

    def plain(self, dtype) -> Callable | None:
        """The kernel alone, when two operands of this dtype need nothing else: no error, no conversion,
        no opmath, no alpha multiply-add.  Where alpha is 1 that is plain addition or subtraction, but not
        for complex (whose product by alpha may change the signs of zeros), bool sub (an error) or rsub."""
        if dtype in self.plain_dtypes:
            return self.plain_dtypes[dtype]
        plain = self.resolve(dtype) == (dtype, dtype, dtype, None) and self.simd_kernel(dtype) is None
        real = dtype.category != COMPLEX and self.real_kernel is not None
        kernel = (self.real_kernel if real else self.kernel) if plain else None
        if self.name in _ALPHA_SIGN:
            alpha_free = dtype.category != COMPLEX and self.name != "rsub" and dtype is not _dtypes.bool_
            kernel = _PLAIN_ALPHA_KERNEL[self.name] if kernel is not None and alpha_free else None
        self.plain_dtypes[dtype] = kernel
        return kernel

    def simd_kernel(self, dtype) -> Callable | None:
        """The fix for torch's vectorized loop at this common dtype, if its answers differ."""
        if not self.simd:
            return None
        return self.simd.get(dtype._name) or self.simd.get(CATEGORY_NAMES[dtype.category])

    def resolve(self, dtype):
        """(result, common, compute, error) for the promoted input dtype; error is the exception torch
        raises for this dtype (raised by the caller after the output checks), or None."""
        entry = self.table.get(dtype)
        if entry is None:
            entry = self.table[dtype] = self._resolve(dtype)
        result, compute, error = entry
        if result is None:
            result = compute = _dtypes.get_default_dtype()
        common = result if self.rule == "float" or (self.rule == "real float" and dtype.category < FLOAT) else dtype
        if self.opmath:
            compute = _OPMATH.get(compute, compute)
        return result, common, compute, error

    def early_error(self, dtype) -> bool:
        """Errors given as (class, message) are the op's own checks, made before any output check; errors
        given as a kernel name come from the kernel's dtype dispatch, after them."""
        for key in (dtype._name, CATEGORY_NAMES[dtype.category]):
            spec = self.errors.get(key)
            if spec is not None:
                return not isinstance(spec, str)
        return False

    def _resolve(self, dtype):
        error = None
        for key in (dtype._name, CATEGORY_NAMES[dtype.category]):
            spec = self.errors.get(key)
            if spec is not None:
                error = not_implemented_for(spec, dtype) if isinstance(spec, str) else spec[0](spec[1])
                break
        if error is None and dtype is _dtypes.complex32 and not (self.complex32 or self.name in _COMPLEX32_OPS):
            error = not_implemented_for(self.kernel_name or f"{self.name}_cpu", dtype)
        if error is None and dtype in _dtypes.BARELY_SUPPORTED:
            error = not_implemented_for(self.kernel_name or f"{self.name}_cpu", dtype)
        result = RULES[self.rule](dtype)
        promotes = self.rule == "float" or (self.rule == "real float" and dtype.category < FLOAT)
        return result, result if promotes else dtype, error


def _as_compute(t: Tensor, common, compute) -> np.ndarray:
    """An operand as the kernel sees it: converted to the common dtype, then to the opmath dtype."""
    a = t._a
    if t._dtype is not common:
        a = _dtypes.cast(a, common)
    if common is not compute:
        a = a.astype(compute.np)
    return a


def _round_complex32(a: np.ndarray) -> np.ndarray:
    out = np.empty(a.shape, np.complex64)
    out.real = a.real.astype(np.float16)
    out.imag = a.imag.astype(np.float16)
    return out


def _finish(r, rdt) -> np.ndarray:
    """The kernel's output as an ndarray of the result dtype (numpy returns scalars for 0-d inputs)."""
    if r.__class__ is not _ndarray:
        r = _asarray(r)
    if r.dtype != rdt.np:
        r = r.astype(rdt.np)
    if rdt is _dtypes.complex32:
        r = _round_complex32(r)
    return r


# -- unary ----------------------------------------------------------------------------------------
def _iterated_strides(a, shape: tuple, common) -> tuple:
    """An input's element strides as TensorIterator iterates it over `shape`: 0 along broadcast dims, and
    those of its converted copy (.to(common)) where its dtype is not the common one."""
    if not isinstance(a, _ndarray) or a.ndim == 0:
        return (0,) * len(shape)
    if a.dtype != common.np:
        a = empty_preserving(a, common.np)
    lead = len(shape) - a.ndim
    own = [
        0 if size == 1 and shape[lead + i] != 1 else s // a.itemsize
        for i, (size, s) in enumerate(zip(a.shape, a.strides))
    ]
    return (0,) * lead + tuple(own)


def _output_strides(r: np.ndarray, target: Tensor | None) -> tuple:
    """The strides of the tensor the kernel writes: `target` (in place, out=) where it keeps its shape,
    else the result as laid out."""
    if target is not None and target._a.shape == r.shape:
        return target.stride()
    return tuple(s // r.itemsize for s in r.strides) if r.size else contiguous_strides(r.shape)


def _with_simd_loop(
    spec: Pointwise,
    r: np.ndarray,
    args: tuple,
    inputs: tuple,
    out_strides: tuple,
    common,
    extra=None,
    deferred=None,
    inplace: bool = False,
):
    """`r` from the kernel of torch's scalar loop, fixed where torch's vectorized loop computes an element
    and the op's two loops differ (spec.simd); `extra`: the op's keyword arguments, passed on to the fix.
    deferred: the scalar loop's kernel, not run yet (r holds the fix's approximation): it runs now on the
    elements outside the vector loop only.  inplace: the output is the first input (fix.tails may have a
    rule of its own for that)."""
    fix = spec.simd_kernel(common)
    mask = tails = None
    rule = getattr(fix, "tails", None)  # ScalarLoopRule: part of the rows' remainders computed another way
    width = vector_bytes(spec.avx512)
    long = fix is not None and r.size * common.itemsize >= 2 * width  # (at least one block of two vectors)
    if long or (rule is not None and r.size):
        strides = [_iterated_strides(a, r.shape, common) for a in inputs]
        mask = simd_mask(r.shape, out_strides, strides, common.itemsize, width) if long else None
        if rule:
            tails = tail_mask(r.shape, out_strides, strides, common.itemsize, width, *rule.runs(inplace))
    if mask is None and deferred is None and tails is None:
        return r
    if not r.flags.owndata:
        r = r.copy(order="K")  # (keeps the layout)
    with quiet_numpy():
        if mask is not None:
            _fix_in_parts(fix, r, mask, args, extra or {})
        if tails is not None:
            rule.fix(r, tails, *args, **(extra or {}))
        if deferred is not None:
            rest = ... if mask is None else ~mask
            r[rest] = deferred(*(np.broadcast_to(a, r.shape)[rest] for a in args), **(extra or {}))
    return r


def _fix_in_parts(fix: Callable, r: np.ndarray, mask: np.ndarray, args: tuple, extra: dict) -> None:
    """fix(r, mask, *args, **extra), split between torch's threads (the fixes are elementwise: each element
    from its own arguments, where the mask says) where r is long and every array C-contiguous of r's shape
    (arguments of another shape, or numbers, go whole to every part)."""
    if r.size < 2 * PARALLEL_FROM:  # (one part: the commonest, tested first)
        fix(r, mask, *args, **extra)
        return
    arrays = [a for a in (r, mask, *args) if isinstance(a, np.ndarray) and a.ndim]
    if not all(a.shape == r.shape and a.flags.c_contiguous for a in arrays):
        fix(r, mask, *args, **extra)
        return
    flat = [a.reshape(-1) if isinstance(a, np.ndarray) and a.ndim else a for a in (r, mask, *args)]

    def work(part: slice) -> None:
        fix(*(a[part] if isinstance(a, np.ndarray) and a.ndim else a for a in flat), **extra)

    parallel.in_parts(r.size, work)


def _defers(fix: Callable, extra: dict | None) -> bool:
    """Whether a vector-loop fix lets its scalar loop run apart from it for these keyword arguments (its
    `defers`, where it has one: a scalar kernel that reads the input's layout cannot run on a gather)."""
    defers = getattr(fix, "defers", None)
    return defers is None or defers(**(extra or {}))


def _deferred_scalar_loop(spec: Pointwise, common, size: int, extra=None):
    """For a result of _DEFER_FROM elements or more whose vector-loop fix offers an `approximate` kernel and
    the slow exact `scalar_loop` (glibc's functions called element by element), and takes this call
    (`defers`, given the op's keyword arguments, if the fix has one): (approximate, scalar_loop), so the
    scalar loop runs on the elements outside the vector loop only; else None."""
    if size < _DEFER_FROM or not spec.simd:  # (first: this runs on every small op's call)
        return None
    fix = spec.simd_kernel(common)
    if getattr(fix, "scalar_loop", None) is None:
        return None
    if not _defers(fix, extra):
        return None
    return fix.approximate, fix.scalar_loop


_SPLIT_FROM = 64  # (measured: the split pays from rows of about 100 elements: sigmoid of 8192 177 -> 115 us)
# (the C library called element by element costs ~0.3 us an element; the vector loop's mask, computed anyway,
# and the gather of the elements outside it, a few us)
_DEFER_FROM = 64


@dataclass(frozen=True)
class ScalarLoopRule:
    """A vector-loop fix's rule for the scalar loop's runs, where GCC's own vectorized copy of the scalar loop
    computes some elements another way: marks(count, broadcast) says which of the `count` elements a
    contiguous row leaves after its blocks (`broadcast`: one input a scalar along the row), strided(count,
    broadcast) which of a strided row's (None: none), fix(r, where, *args) computes them.  In place (the
    output the first input) `in_place` marks every run where given; else the remainders keep `marks` and
    strided rows have none (GCC's copy runs only where the pointers do not alias)."""

    marks: Callable
    fix: Callable
    strided: Callable | None = None
    in_place: Callable | None = None

    def runs(self, inplace: bool) -> tuple:
        """(the remainders' rule, the strided rows' rule) for tail_mask."""
        if inplace:
            return (self.in_place, self.in_place) if self.in_place else (self.marks, None)
        return self.marks, self.strided


def vector_formula(fix: Callable) -> Callable:
    """Marks a vector-loop fix that writes the vector loop's whole answer on its lanes (not a patch of the
    scalar loop's result there, as sinh's overflow or softshrink's zero sign): a long contiguous result may
    run it alone on the lanes (_split_by_loop)."""
    fix.whole = True
    return fix


def _split_by_loop(spec: Pointwise, a: np.ndarray, x: np.ndarray, common, rdt, extra=None) -> np.ndarray | None:
    """A contiguous unary result computed once per element: torch's vector loop's formula (spec.simd) where
    it runs, the scalar loop's kernel on the rest only (not the whole kernel, then the fix over it: the
    vector loop is most of a long row).  None where the fix only patches the scalar loop's result (not a
    vector_formula), where the layouts ask for the general path, for results below _SPLIT_FROM elements,
    where the masks' gathers cost more than the kernel they save, and where the fix's `defers` refuses the
    op's keyword arguments `extra` (a scalar kernel that reads the layout a gather loses)."""
    fix = spec.simd_kernel(common)
    if not getattr(fix, "whole", False) or not x.flags.c_contiguous or a.size < _SPLIT_FROM or rdt is _dtypes.complex32:
        return None
    if not _defers(fix, extra):
        return None
    extra = extra or {}
    strides = contiguous_strides(a.shape)
    mask = simd_mask(a.shape, strides, [strides], common.itemsize, vector_bytes(spec.avx512))
    if mask is None:
        return None
    r = np.empty(a.shape, rdt.np)  # (the result dtype, as the fix expects: half, or abs's real)
    _fix_in_parts(fix, r, mask, (a,), extra)
    scalar = ~mask
    if scalar.any():
        r[scalar] = spec.kernel(a[scalar], **extra)
    return r


def unary(spec: Pointwise, x: Tensor, out=None, inplace=False, extra=None) -> Tensor:
    if out is not None and spec.out == "none":
        raise TypeError(f"{spec.name}() got an unexpected keyword argument 'out'")
    rdt, common, cdt, error = spec.resolve(x._dtype)
    early = error is not None and spec.early_error(x._dtype)
    if early and spec.checks_first:
        raise error
    if inplace:
        check_inplace(x, overlap=False)
    if out is not None and spec.node is not None:
        check_out_grad(spec.name, out, (x,))
    if early:
        raise error  # the op's own argument checks come before the output checks
    if inplace:
        check_overlap(x)
    elif isinstance(out, Tensor):
        check_iterator_overlaps(out, (x,))
    if out is not None:
        _check_unary_out(spec, x._dtype, rdt, out)
    elif inplace:
        inplace_result_check(x, rdt, x._a.shape)
    if error is not None:
        raise error
    with quiet_numpy():
        a = _as_compute(x, common, cdt)
        r = _split_by_loop(spec, a, x._a, common, rdt, extra) if spec.simd and out is None else None
        simd_done = r is not None
        deferred = None if simd_done else _deferred_scalar_loop(spec, common, a.size, extra)
        if simd_done:
            pass
        elif deferred is not None:
            r = deferred[0](a, **(extra or {}))
        else:
            r = spec.kernel(a) if extra is None else spec.kernel(a, **extra)
        r = _finish(r, rdt)
    if r.ndim and not x._a.flags.c_contiguous:
        if spec.name in _CONTIGUOUS or (spec.name in _COMPLEX_TO_FLOAT_CONTIGUOUS and x._dtype.category == COMPLEX):
            r = np.ascontiguousarray(r)
        else:
            r = conform(r, result_layout(r.shape, (x._a,)))
    if spec.simd and not simd_done:
        target = x if inplace else out if out is not None and out._dtype is rdt else None
        r = _with_simd_loop(spec, r, (a,), (x._a,), _output_strides(r, target), common, extra, deferred and deferred[1])
    if inplace:
        return write_inplace(spec.node, spec.grads, x, r, (x,), extra)
    if out is not None:
        if spec.name in _COMPLEX_TO_FLOAT_OUT and x._dtype.category == COMPLEX and out._a.shape != r.shape:
            r = conform(r, None)  # computed into a temporary, then out is resized (contiguous) and copied
        return write_out(spec.name, out, r, rdt, (x,) if spec.node is not None else ())
    t = make(r, rdt, x._device)
    if x._rg and STATE.grad_enabled and spec.node is not None and rdt.category >= FLOAT:
        saved = {"self": x, "result": t}
        if extra:
            saved.update(extra)
        record(spec.node, (x,), spec.grads, saved, t)
    return t


def _check_unary_out(spec, dtype, rdt, out) -> None:
    if not isinstance(out, Tensor):
        raise TypeError(f"{spec.name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    # 'same' ops need out of the result dtype (abs of complex, a different kernel, casts like the float ops)
    if spec.out == "same" and out._dtype is not rdt and not (spec.rule == "real" and dtype.category == COMPLEX):
        raise RuntimeError(f"Found dtype {out._dtype._scalar_name} but expected {rdt._scalar_name}")
    check_cast(rdt, out._dtype)


def write_inplace(node, grads, self: Tensor, r: np.ndarray, inputs, extra=None, saved_extra=None) -> Tensor:
    """Write a computed result into `self` and record the in-place op on its history (the caller has
    made torch's in-place checks first)."""
    grad = node is not None and STATE.grad_enabled and any(t is not None and t._rg for t in inputs)
    if grad:
        saved = {"self": _snapshot(self), "result": self}
        if len(inputs) > 1:
            saved["other"] = inputs[1]
        if extra:
            saved.update(extra)
        if saved_extra:
            saved.update(saved_extra)
        # saved before the write: an operand that aliases self (y.mul_(y)) keeps the version it had, so that
        # backward sees the write and refuses, as torch does
        saved = {k: v if k in ("self", "result") else save_for_backward(v) for k, v in saved.items()}
    with quiet_numpy():
        _dtypes.cast_into(self._a, r, self._dtype)
    bump_version(self)
    if grad:
        record_inplace(self, node, inputs, grads, saved)
    return self


def _snapshot(t: Tensor) -> Tensor:
    """The value `t` had before an in-place write (torch saves self.clone() when a formula reads it)."""
    return make(t._a.copy(), t._dtype, t._device)


# -- binary ----------------------------------------------------------------------------------------
_UNIT_ALPHAS: dict = {}  # (op, common, compute) -> the kernel's alpha for the default alpha=1


def _alpha_scalar(name: str, alpha, common, cdt):
    """alpha (negated for sub and rsub) converted to the common dtype, as the kernel receives it."""
    unit = type(alpha) is int and alpha == 1
    value = _UNIT_ALPHAS.get((name, common, cdt)) if unit else None
    if value is None:
        value = cdt.np.type(to_stored_scalar(_ALPHA_SIGN[name] * alpha, common))
        if unit:
            _UNIT_ALPHAS[name, common, cdt] = value
    return value


def binary_plain(spec: Pointwise, a: Tensor, b: Tensor, inplace: bool = False) -> Tensor | None:
    """The common case at its cost: two tensors of one dtype and device, of one shape or one of them 0-d
    (not the one written in place), C-contiguous without size-1 dims (numpy's result then has torch's
    layout), no out=, alpha or scalar; in place, not recorded (neither in a graph, or grad mode off) and
    not an inference tensor.  None otherwise: `binary` does the rest."""
    x, y, dtype = a._a, b._a, a._dtype
    if dtype is not b._dtype or a._device is not b._device:
        return None
    if inplace and (
        ((a._rg or b._rg) and STATE.grad_enabled)
        or (a._meta is not None and a._meta.inference)
        # (memory shared with another operand: overlap checks; storage_root, inline.  x.add_(x) overlaps fully)
        or (b is not a and (x if a._storage is None else a._storage) is (y if b._storage is None else b._storage))
    ):
        return None
    shape = x.shape
    if shape != y.shape:
        if not (y.ndim == 0 or (x.ndim == 0 and not inplace)):
            return None
        if not shape:
            shape = y.shape
    # needs_layout((x, y)) for one shape, inline: it is most of this function's cost
    if (len(shape) > 1 and 1 in shape) or not (x.flags.c_contiguous and y.flags.c_contiguous):
        return None
    kernel = spec.plain_dtypes.get(dtype, _UNKNOWN)
    if kernel is _UNKNOWN:
        kernel = spec.plain(dtype)
    if kernel is None:
        return None
    token = quiet_on()
    try:
        if inplace:
            if kernel.__class__ is _ufunc:
                kernel(x, y, x)  # (out, positionally: cheaper to parse)
            else:
                np.copyto(x, kernel(x, y))
        else:
            r = kernel(x, y)
    finally:
        quiet_off(token)
    if inplace:
        vc = a._vc  # (bump_version, inline)
        if vc is None:
            a._vc = [1]
        else:
            vc[0] += 1
        return a
    if r.__class__ is not _ndarray or r.dtype is not dtype.np or dtype is _dtypes.complex32:  # (0-d: a scalar)
        r = quiet_call(_finish, r, dtype)  # (a cast past the dtype makes inf silently)
    t = make(r, dtype, a._device)
    if (a._rg or b._rg) and STATE.grad_enabled and spec.node is not None and dtype.category >= FLOAT:
        record(spec.node, (a, b), spec.grads, {"self": a, "other": b, "exponent": b, "result": t, "alpha": 1}, t)
    return t


def binary_plain_scalar(spec: Pointwise, a: Tensor, b: float | int, scalar_node: tuple | None = None) -> Tensor | None:
    """binary_plain for a Python number operand of an op whose (Tensor, Scalar) overload is its plain kernel
    (the caller knows): a floating tensor whose kernel is plain at its dtype (spec.plain), C-contiguous
    without size-1 dims, not in a graph unless the overload's node and formulas are given (`scalar_node`: it
    saves the number itself, as pow's does).  The number is converted to the tensor's dtype, as torch
    converts a wrapped number."""
    x, dtype = a._a, a._dtype
    recorded = a._rg and STATE.grad_enabled
    if (recorded and scalar_node is None) or (len(x.shape) > 1 and 1 in x.shape) or not x.flags.c_contiguous:
        return None
    kernel = spec.plain(dtype) if dtype.category == FLOAT else None
    if kernel is None:
        return None
    token = quiet_on()
    try:
        r = kernel(x, to_numpy_scalar(b, dtype))
    finally:
        quiet_off(token)
    if r.__class__ is not _ndarray or r.dtype is not dtype.np:  # (0-d: a scalar)
        r = quiet_call(_finish, r, dtype)
    t = make(r, dtype, a._device)
    if recorded:
        name, grads = scalar_node
        record(name, (a,), grads, {"self": a, "other": b, "exponent": b, "result": t, "alpha": None}, t)
    return t


def _original_scalar(spec: Pointwise, b: Tensor) -> bool:
    """Whether the kernel reads the one-element tensor operand b at its own value (a CPU scalar)."""
    return b._a.size == 1 and spec.name in _ORIGINAL_SCALAR


def binary(
    spec: Pointwise,
    a: Tensor,
    b,
    out=None,
    alpha=1,
    inplace=False,
    reflected=False,
    scalar_node=None,
    scalar_grads=None,
    wraps_scalar=True,
    raw_scalar=False,
    contiguous=False,
    kernel_error: Exception | None = None,
) -> Tensor:
    """Run a binary op on a tensor `a` and a tensor or Python scalar `b` (the first operand when
    `reflected`).  A scalar either becomes a wrapped 0-d input of the node (`wraps_scalar`, as for add)
    or a plain argument of the (Tensor, Scalar) overload's node (`scalar_node`, as for pow).  A
    `kernel_error` (the kernel's own conversion of a scalar) is raised once the output checks pass."""
    scalar = type(b) is not Tensor and not isinstance(b, Tensor)
    promoted = binary_result_type(a, b)
    rdt, common, cdt, error = spec.resolve(promoted)
    if spec.scalar_opmath and cdt is _dtypes.float16 and not reflected and (scalar or _original_scalar(spec, b)):
        cdt = _dtypes.float32  # (iter.original_scalar_value<opmath_t>: the kernel computes in float)
    if inplace:
        check_inplace(a, overlap=False)
    if error is not None and spec.early_error(promoted):
        raise error  # the op's own argument checks come before the output checks
    if inplace:
        check_iterator_overlaps(a, () if scalar else (b,))
        shape = a._a.shape if scalar else broadcast_shapes(a._a.shape, b._a.shape)
        inplace_result_check(a, rdt, shape)
    elif out is not None:
        if spec.node == "NotImplemented":  # an undifferentiated op's out= is refused only for an out needing grad
            check_out_grad(f"aten::{spec.name}", out, ())
        elif spec.node is not None:  # autograd's check, for differentiable ops only
            check_out_grad(spec.name, out, (a, b))
        check_iterator_overlaps(out, (a,) if scalar else (a, b))
        if out is a or out is b:  # an output that is also an input is not resized
            inplace_result_check(out, rdt, a._a.shape if scalar else broadcast_shapes(a._a.shape, b._a.shape))
        check_cast(rdt, out._dtype)
    error = error or kernel_error
    if error is not None:
        if not scalar:
            broadcast_shapes(a._a.shape, b._a.shape)
        raise error
    simd_args = None
    with quiet_numpy():
        x = _as_compute(a, common, cdt)
        if scalar and raw_scalar:
            y = b  # the kernel reads the Python number itself (pow's exponent)
            device = a._device
        elif scalar:
            if common is not cdt and (reflected or common is _dtypes.complex32 or spec.name not in _ORIGINAL_SCALAR):
                y = cdt.np.type(to_numpy_scalar(b, common))  # rounded to the common dtype first
            else:
                y = to_numpy_scalar(b, cdt)
            device = a._device
        else:
            if common is _dtypes.float16 and _original_scalar(spec, b) and not reflected:
                # a second operand constant over the iteration (is_scalar(2)) is read at its own value, not
                # rounded to half first (original_scalar_value)
                y = b._a.astype(cdt.np)
            else:
                y = _as_compute(b, common, cdt)
            device = a._device if a._device is b._device else check_same_device((a, b))
        s = y  # the other operand as the kernel sees it (a numpy scalar for a Python number)
        if reflected:
            x, y = y, x
        if (
            alpha is not None
            and spec.name in _ALPHA_SIGN
            and (alpha != 1 or spec.name != "add" or cdt.category == COMPLEX)
        ):
            # torch's add kernel computes self + alpha * other (sub: alpha negated), even for alpha=1, with
            # alpha rounded to the operands' dtype.  float and double fuse the multiply-add (vec::fmadd, and
            # GCC's contraction in the scalar loop), so alpha * other may even pass the float range.  Half's
            # scalar loop rounds the product to half; its vectorised loop fuses in float (_half_fmadd).
            alpha_s = _alpha_scalar(spec.name, alpha, common, cdt)
            simd_args = (x, y, alpha_s)
            fused = _FMA.get(cdt.np.type) if common is cdt else None
            if fused is None or alpha_s == 1 or alpha_s == -1:  # an exact product: fusing changes nothing
                fused = None
                y = y * alpha_s
                if common is _dtypes.float16:
                    y = y.astype(np.float16).astype(np.float32)
                elif common is _dtypes.complex32:  # c10::complex<Half>'s product, each part rounded to half
                    y = _round_complex32(y)
        else:
            fused = None
        deferred = None if fused else _deferred_scalar_loop(spec, common, max(np.size(x), np.size(y)))
        try:
            r = fused(y, alpha_s, x) if fused else (deferred[0] if deferred else spec.kernel)(x, y)
        except ValueError:
            broadcast_shapes(a._a.shape, () if scalar else b._a.shape)
            raise
        r = _finish(r, rdt)
    if r.ndim and not inplace and (contiguous or needs_layout((a._a,) if scalar else (a._a, b._a))):
        operands = (a._a,) if scalar else (a._a, b._a)
        r = conform(r, None if contiguous else result_layout(r.shape, operands, common.np))
    if spec.simd and (r.ndim or getattr(spec.simd_kernel(common), "tails", None)):  # (a 0-d one: a lone element)
        target = a if inplace else out if out is not None and out._dtype is rdt else None
        inputs = (a._a, None if scalar else b._a)
        r = _with_simd_loop(
            spec,
            r,
            simd_args or (x, y),
            inputs,
            _output_strides(r, target),
            common,
            None,
            deferred and deferred[1],
            inplace,
        )
    wrapped = scalar and wraps_scalar
    if wrapped or not scalar:
        node, grads, inputs = spec.node, spec.grads, (a, None if scalar else b)
    else:
        node, grads, inputs = scalar_node, scalar_grads, (a,)
    other = s if scalar else b
    if wrapped and a._rg and STATE.grad_enabled:
        # torch saves a wrapped number as a 0-d tensor, freed after backward like any saved tensor
        other = make(_asarray(s), _dtypes.from_numpy_dtype(_asarray(s).dtype))
    if inplace:
        if node is None and spec.name in _COMPARISON_NODES:  # differentiable in place only, with zero gradients
            node = _COMPARISON_NODES[spec.name] + ("0" if scalar else "1")  # (the Scalar overload: self only)
            inputs = (a,) if scalar else inputs
            grads = (_ZERO_GRAD,) * len(inputs)
        elif node == "NotImplemented":  # the node names the in-place op
            grads = (not_implemented_formula(spec.name + "_"),) * len(grads)
        return write_inplace(node, grads, a, r, inputs, None, {"other": other, "exponent": other, "alpha": alpha})
    if out is not None:  # (a differentiable op refused inputs needing grad: only NotImplemented is recorded)
        refuses_grad = spec.node not in (None, "NotImplemented")
        t = write_out(spec.name, out, r, rdt, ((a,) if scalar else (a, b)) if refuses_grad else ())
    else:
        t = make(r, rdt, device)
    if STATE.grad_enabled and rdt.category >= FLOAT and node is not None and (a._rg or (not scalar and b._rg)):
        if reflected and not wrapped:
            # (base: the Scalar itself, as torch's formula for a Scalar first operand reads it, not rounded)
            saved = {"self": s, "base": b, "other": a, "exponent": a, "result": t, "alpha": alpha}
        else:
            saved = {"self": a, "other": other, "exponent": other, "result": t, "alpha": alpha}
        record(node, inputs, grads, saved, t)
    return t
