"""Elementwise ops with more than two operands or their own argument rules: clamp/clip, lerp, isclose,
allclose, equal."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE
from .._cpu.fma import fma32, fma64
from .._cpu.simd import simd_mask
from .._dispatch import (
    broadcast_shapes,
    check_inplace,
    check_iterator_overlaps,
    check_same_device,
    inplace_result_check,
    needs_grad,
    quiet_numpy,
    record,
    result_type,
    scalar_value,
    to_stored_scalar,
    write_out,
)
from .._dtypes import COMPLEX, FLOAT, INT
from .._errors import not_implemented_for
from .._layout import conform, needs_layout, result_layout
from .._registry import register
from .._tensor import Tensor, make
from .elementwise import _iterated_strides, _output_strides, formula, write_inplace

__all__ = ["clamp", "lerp", "isclose", "allclose", "equal"]


def _clamp_self_back(F, g, self, min, max):
    """torch's clamp_backward: the gradient where self lies within the bounds, else 0 (masked, so that an inf
    or NaN gradient does not leak into clamped elements)."""
    inside = self >= min if min is not None else None
    if max is not None:
        inside = self <= max if inside is None else inside & (self <= max)
    return F.where(inside, g, 0)


def _clamp_min_back(F, g, self, min, max):
    take = self < min
    if max is not None:
        take = take & (min < max)  # (min == max: neither bound takes the gradient, as in torch)
    return F.where(take, g, 0)


def _clamp_max_back(F, g, self, min, max):
    take = self > max
    if min is not None:
        take = take | (max < min)
    return F.where(take, g, 0)


_CLAMP_SCALARS = (formula(_clamp_self_back),)
_CLAMP_TENSORS = (formula(_clamp_self_back), formula(_clamp_min_back), formula(_clamp_max_back))


def _clamp_vectorized(a, lo, hi):
    """vec::maximum/vec::minimum, which answer the bound where it equals the value (0.0 against -0.0);
    the scalar loop's std::max/std::min answer the value."""
    nan = np.isnan(a)
    if lo is not None:
        nan = nan | np.isnan(lo)
        a = np.where(a > lo, a, lo)
    if hi is not None:
        nan = nan | np.isnan(hi)
        a = np.where(a < hi, a, hi)
    return np.where(nan, np.nan, a)


def _clamp_kernel(a, lo, hi):
    """The scalar loop's std::min(std::max(a, lo), hi): a NaN value passes, a NaN bound wins, a tie keeps a."""
    for bound, beyond in ((lo, np.less), (hi, np.greater)):
        if bound is not None:
            outside = beyond(a, bound)
            if a.dtype.kind == "f" and (np.ndim(bound) or bound != bound):  # (a NaN bound, looked for once)
                outside |= np.isnan(bound)
            a = np.where(outside, bound, a)
    return a


def clamp(self, min=None, max=None, *, out=None, _inplace=False):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    tensors = isinstance(min, Tensor) or isinstance(max, Tensor)
    if tensors and not all(x is None or isinstance(x, Tensor) for x in (min, max)):
        kinds = ", ".join(type(x).__name__ for x in (self, min, max))
        raise TypeError(
            f"clamp() received an invalid combination of arguments - got ({kinds}), but expected one of:\n"
            " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
            " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n"
        )
    if _inplace:
        check_inplace(self, overlap=False)  # TensorIterator checks the cast before the overlap
    bounds = [x if x is None or isinstance(x, Tensor) else scalar_value(x) for x in (min, max)]
    dtype = result_type(self, *[x for x in bounds if x is not None])
    if dtype.category == COMPLEX:
        raise NotImplementedError("clamp is not supported for complex types")
    if _inplace and not _dtypes.can_cast(dtype, self._dtype):
        raise RuntimeError(
            f"result type {dtype._scalar_name} can't be cast to the desired output type {self._dtype._cpp_name}"
        )
    tensor_bounds = [x for x in bounds if isinstance(x, Tensor)]
    if _inplace:
        check_iterator_overlaps(self, tensor_bounds)
    elif isinstance(out, Tensor):
        check_iterator_overlaps(out, [self, *tensor_bounds])
    if tensors:
        shape = broadcast_shapes(self._a.shape, *[x._a.shape for x in tensor_bounds])
        if _inplace and shape != self._a.shape:
            inplace_result_check(self, dtype, shape)
    if dtype is _dtypes.bool_ and (not tensors or (min is not None and max is not None)):
        kernel = (
            "clamp_cpu"
            if tensors
            else (
                "clamp_scalar_cpu"
                if min is not None and max is not None
                else "clamp_min_scalar_cpu"
                if min is not None
                else "clamp_max_scalar_cpu"
            )
        )
        raise not_implemented_for(kernel, dtype)
    with quiet_numpy():
        a = _dtypes.cast(self._a, dtype)
        if not tensors and None not in bounds and any(x != x for x in bounds):
            # clamp_out fills NaN before it converts either bound (which could overflow)
            lo = hi = np.array(np.nan, dtype.np)[()]
        else:
            lo, hi = (
                None
                if x is None
                else (_dtypes.cast(x._a, dtype) if isinstance(x, Tensor) else to_stored_scalar(x, dtype))
                for x in bounds
            )
        value = np.asarray(_clamp_kernel(a, lo, hi)).astype(dtype.np, copy=False)
        if tensors and dtype.category == FLOAT and value.ndim:
            target = self if _inplace else out if isinstance(out, Tensor) and out._dtype is dtype else None
            inputs = [_iterated_strides(x._a, value.shape, dtype) for x in (self, *tensor_bounds)]
            mask = simd_mask(value.shape, _output_strides(value, target), inputs, dtype.itemsize)
            if mask is not None:  # the elements torch's SIMD loop computes
                value = value.copy()
                np.copyto(value, _clamp_vectorized(a, lo, hi).astype(dtype.np), where=mask)
    arrays = (self._a,) + tuple(x._a for x in bounds if isinstance(x, Tensor))
    if value.ndim and needs_layout(arrays):
        value = conform(value, result_layout(value.shape, arrays))
    if _inplace:
        inputs = (self,) + (tuple(bounds) if tensors else ())
        return write_inplace(
            "ClampBackward0" if tensors else "ClampBackward1",
            _CLAMP_TENSORS if tensors else _CLAMP_SCALARS,
            self,
            value,
            inputs,
            None,
            {"min": lo if not tensors else bounds[0], "max": hi if not tensors else bounds[1]},
        )
    if out is not None:
        return write_out("clamp", out, value, dtype, (self,))
    inputs = (self,) + (tuple(bounds) if tensors else ())
    r = make(value, dtype, check_same_device([t for t in inputs if t is not None]))
    if STATE.grad_enabled and dtype.category >= FLOAT and any(t is not None and t._rg for t in inputs):
        if tensors:
            record("ClampBackward0", inputs, _CLAMP_TENSORS, {"self": self, "min": bounds[0], "max": bounds[1]}, r)
        else:
            record("ClampBackward1", inputs, _CLAMP_SCALARS, {"self": self, "min": lo, "max": hi}, r)
    return r


register("clamp", inplace=lambda self, min=None, max=None: clamp(self, min, max, _inplace=True), aliases=("clip",))(
    clamp
)


def _one_sided(r: Tensor, side: str, bound) -> Tensor:
    """clamp_min/clamp_max are ops of their own in torch: their nodes are ClampMin/ClampMax."""
    if r._fn is not None:
        from .binary import _rename_node

        _rename_node(r, f"Clamp{side}Backward{1 if isinstance(bound, Tensor) else 0}")
    return r


def _clamp_min(self, min):
    return _one_sided(clamp(self, min=min), "Min", min)


def _clamp_max(self, max):
    return _one_sided(clamp(self, max=max), "Max", max)


register("clamp_min", inplace=lambda self, min: _one_sided(clamp(self, min=min, _inplace=True), "Min", min))(_clamp_min)
register("clamp_max", inplace=lambda self, max: _one_sided(clamp(self, max=max, _inplace=True), "Max", max))(_clamp_max)


# -- lerp ---------------------------------------------------------------------------------------------
def lerp_kernel(start, end, weight):
    """torch's scalar lerp: |weight| < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight),
    which GCC fuses for real types: fma(weight, diff, start) and fma(-diff, 1 - weight, end).  (The
    vectorised loop, over contiguous runs of two vectors and more, computes fma(weight - 1, diff, end): the
    same values but for the sign of a zero result.)"""
    diff = end - start
    small = np.abs(weight) < 0.5
    fused = _FMA.get(diff.dtype.type)
    if not fused:
        return np.where(small, start + weight * diff, end - diff * (1 - weight))
    if np.ndim(weight) == 0:  # one branch for every element (an optimizer's lerp_(grad, 1 - beta))
        return (fused(weight, diff, start) if small else fused(1 - weight, -diff, end)).astype(diff.dtype, copy=False)
    coeff, factor, base = np.where(small, weight, 1 - weight), np.where(small, diff, -diff), np.where(small, start, end)
    return fused(coeff, factor, base).astype(diff.dtype, copy=False)


_FMA = {np.float32: fma32, np.float64: fma64}


def lerp_vectorized(start, end, weight):
    """torch's lerp_vec: fma(weight, diff, start) for |weight| < 0.5, else fma(weight - 1, diff, end) (in
    float for half, as its loop converts)."""
    diff = end - start
    small = np.abs(weight) < 0.5
    coeff, base = np.where(small, weight, weight - 1), np.where(small, start, end)
    return _FMA[diff.dtype.type](coeff.astype(diff.dtype), diff, base.astype(diff.dtype))


def lerp(self, end, weight, *, out=None, _inplace=False):
    if _inplace:
        check_inplace(self, overlap=False)
    if not isinstance(end, Tensor):
        raise TypeError(f"lerp(): argument 'end' (position 2) must be Tensor, not {type(end).__name__}")
    if end._dtype is not self._dtype:
        raise RuntimeError(f"expected dtype {self._dtype._cpp_name} for `end` but got dtype {end._dtype._cpp_name}")
    tensor_weight = isinstance(weight, Tensor)
    if tensor_weight and weight._a.ndim and weight._dtype is not self._dtype:
        raise RuntimeError(
            f"expected dtype {self._dtype._cpp_name} for `weight` but got dtype {weight._dtype._cpp_name}"
        )
    inputs = (self, end, weight) if tensor_weight else (self, end)
    if _inplace or isinstance(out, Tensor):
        check_iterator_overlaps(self if _inplace else out, inputs)
    shape = broadcast_shapes(*[t._a.shape for t in inputs])
    if _inplace:
        inplace_result_check(self, self._dtype, shape)
    if self._dtype.category < FLOAT:
        raise not_implemented_for("lerp_kernel_tensor" if tensor_weight else "lerp_kernel_scalar", self._dtype)
    dt = self._dtype
    compute = np.float32 if dt is _dtypes.float16 else dt.np.type
    with quiet_numpy():
        w = weight._a.astype(dt.np).astype(compute) if tensor_weight else compute(scalar_value(weight))
        start_c, end_c = self._a.astype(compute), end._a.astype(compute)
        value = np.asarray(lerp_kernel(start_c, end_c, w)).astype(dt.np)
    arrays = (self._a, end._a) + ((weight._a,) if tensor_weight else ())
    if value.ndim and needs_layout(arrays):
        value = conform(value, result_layout(value.shape, arrays))
    if value.ndim and dt.category == FLOAT:
        target = self if _inplace else out if isinstance(out, Tensor) and out._dtype is dt else None
        strides = [_iterated_strides(a, value.shape, dt) for a in arrays]
        mask = simd_mask(value.shape, _output_strides(value, target), strides, dt.itemsize)
        if mask is not None:  # the elements torch's SIMD loop computes (lerp_vec)
            value = value.copy(order="K")
            with quiet_numpy():
                np.copyto(value, lerp_vectorized(start_c, end_c, w).astype(dt.np), where=mask)
    node = "LerpBackward1" if tensor_weight else "LerpBackward0"
    grads = (
        formula(lambda F, g, weight: g * (1 - weight)),
        formula(lambda F, g, weight: g * weight),
        formula(lambda F, g, self, end: g * (end - self)),
    )[: len(inputs)]
    saved = {"self": self, "end": end, "weight": weight if tensor_weight else scalar_value(weight)}
    if _inplace:
        return write_inplace(node, grads, self, value, inputs, None, saved)
    if out is not None:
        return write_out("lerp", out, value, dt, inputs)
    r = make(value, dt, check_same_device([t for t in inputs]))
    if needs_grad(*inputs):
        record(node, inputs, grads, saved, r)
    return r


register("lerp", inplace=lambda self, end, weight: lerp(self, end, weight, _inplace=True))(lerp)


# -- closeness ------------------------------------------------------------------------------------------
def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """torch's isclose, step for step (its in-place `|=` steps show in the result's version counter)."""
    from .._dispatch import bump_version

    if not isinstance(other, Tensor):
        raise TypeError(f"isclose(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    if self._dtype is not other._dtype:
        raise RuntimeError(f"{self._dtype._scalar_name} did not match {other._dtype._scalar_name}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    broadcast_shapes(self._a.shape, other._a.shape)
    a, b = self._a, other._a
    equal = np.asarray(a == b)
    if equal.ndim and needs_layout((a, b)):  # `self == other` laid out by its iterator, then updated in place
        equal = conform(equal, result_layout(equal.shape, (a, b)))
    close = make(equal, _dtypes.bool_, self._device)
    with quiet_numpy():
        if equal_nan and self._dtype.category >= FLOAT:  # a complex value is NaN where either part is
            np.logical_or(close._a, np.isnan(a) & np.isnan(b), out=close._a)
            bump_version(close)
        if rtol == 0 and atol == 0:
            return close
        if self._dtype.category <= INT:  # torch compares integers in the default floating dtype
            a = a.astype(_dtypes.get_default_dtype().np)
            b = b.astype(a.dtype)
        # torch: atol + (rtol * other).abs() in the floating dtype (the default for integers);
        # (self - other).abs() in the input dtype, wrapping for integers
        fdt = a.dtype.type if a.dtype.kind in "fc" else _dtypes.get_default_dtype().np.type
        real = np.float32 if fdt in (np.float32, np.complex64) else (np.float16 if fdt is np.float16 else np.float64)
        allowed = real(atol) + np.abs(np.asarray(fdt(rtol) * b.astype(fdt)))
        actual = np.abs(np.asarray(a - b))
        np.logical_or(close._a, np.isfinite(actual) & (actual <= allowed), out=close._a)
    bump_version(close)
    return close


def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(isclose(self, other, rtol, atol, equal_nan)._a.all())


def equal(self, other) -> bool:
    if not isinstance(other, Tensor):
        raise TypeError(f"equal(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    if self._a.shape != other._a.shape:
        return False
    dtype = _dtypes.promote_types(self._dtype, other._dtype)
    with quiet_numpy():
        return bool(np.array_equal(self._a.astype(dtype.np), other._a.astype(dtype.np)))


register("isclose")(isclose)
register("allclose")(allclose)
register("equal")(equal)
