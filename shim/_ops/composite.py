"""Ops torch writes as compositions of other ops (ldexp, float_power) or with several outputs (frexp): the
values come from the registered ops, the graph node and its derivative are torch's own."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import no_grad
from .._dispatch import (
    broadcast_shapes,
    check_inplace,
    check_out_grad,
    check_overlap,
    check_same_device,
    inplace_result_check,
    needs_grad,
    quiet_numpy,
    record,
    result_type,
    scalar_value,
    write_out,
)
from .._dtypes import FLOAT
from .._layout import conform, result_layout
from .._registry import register
from .._tensor import Tensor, make
from ..return_types import make_return_type
from .elementwise import formula, write_inplace

__all__ = ["ldexp", "frexp", "float_power"]

_LN2 = float(np.log(2.0))
_LDEXP = (
    formula(lambda F, g, other: g * F.pow(2.0, other)),
    formula(lambda F, g, self, other: g * self * F.pow(2.0, other) * _LN2),
)


def _ldexp_dtype(self, other):
    dtype = result_type(self, other)
    return dtype if dtype.category >= _dtypes.FLOAT else _dtypes.get_default_dtype()


def ldexp(self, other, *, out=None):
    """self * 2 ** other as torch 2.13 computes it: for a floating self and an integral exponent, C's ldexp
    (exact, so ldexp(inf, -n) stays inf) written into a tensor of self's dtype and shape (resized, with
    torch's warning, where other broadcasts it); otherwise self * pow(2, other) in the promoted dtype (the
    default dtype for integers), so inf * 2 ** -200 is NaN there."""
    from .._creation import empty_like

    if not isinstance(other, Tensor):
        raise TypeError(f"ldexp(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    dtype = _ldexp_dtype(self, other)
    if out is not None:
        check_out_grad("ldexp", out, (self, other))
        _check_ldexp_cast(dtype, out)
    broadcast_shapes(self._a.shape, other._a.shape)
    value, into_self = _ldexp_value(self, other, dtype)
    target = (out if out is not None else empty_like(self)) if into_self else out
    if target is not None:
        inputs = (self, other) if out is not None else ()  # (an internal result: no out= checks)
        r = write_out("ldexp", target, value, self._dtype if into_self else dtype, inputs)
        if out is not None:
            return r
        r._vc = None  # torch's result was written by its own kernel: version 0
    else:
        r = make(value, dtype, check_same_device((self, other)))  # (laid out as the mul lays it out)
    if needs_grad(self, other):
        record("LdexpBackward0", (self, other), _LDEXP, {"self": self, "other": other}, r)
    return r


def _ldexp_value(self, other, dtype) -> tuple:
    """The values, and whether they are written into a tensor of self's dtype (C's ldexp) or not."""
    into_self = self._dtype.category == _dtypes.FLOAT and other._dtype.category < _dtypes.FLOAT
    if not into_self:
        # torch 2.13 multiplies self by pow(2, other), whose base is a 0-d tensor of self's dtype, except for a
        # float or integral self, where it is the number 2.0 (measured with torch's profiler): so a 0-d half
        # other's 2 ** 16 is 65536 beside a double self (computed in double) and inf beside a float one
        from .._creation import full
        from .binary import _pow, run

        two = (
            2.0 if self._dtype is _dtypes.float32 or self._dtype.category < FLOAT else full((), 2.0, dtype=self._dtype)
        )
        with no_grad():
            return run("mul", self, _pow(two, other))._a, False
    with quiet_numpy():
        a = self._a.astype(np.float32 if self._dtype is _dtypes.float16 else self._dtype.np)
        value = np.ldexp(a, other._a.astype(np.int32))  # C converts the exponent to int, wrapping
        value = conform(value, result_layout(value.shape, (self._a, other._a)))  # the iterator's layout
        return value.astype(self._dtype.np), True


def _check_ldexp_cast(dtype, out) -> None:
    if not _dtypes.can_cast(dtype, out._dtype):
        raise RuntimeError(f"ldexp can't be cast to the desired output type {out._dtype._scalar_name}")


def _ldexp_(self, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"ldexp_(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    check_inplace(self, overlap=False)
    dtype = _ldexp_dtype(self, other)
    _check_ldexp_cast(dtype, self)  # torch's ldexp_ is ldexp(out=self)
    check_overlap(self)
    inplace_result_check(self, self._dtype, broadcast_shapes(self._a.shape, other._a.shape))
    value, _ = _ldexp_value(self, other, dtype)
    return write_inplace("LdexpBackward0", _LDEXP, self, value, (self, other))


register("ldexp", inplace=_ldexp_)(ldexp)

_frexp_type = make_return_type("frexp", ("mantissa", "exponent"))
_frexp_out_type = make_return_type("frexp_out", ("mantissa", "exponent"))
# grad / exponent.exp2(): exp2 of the int32 exponent is in the default dtype, float32, so 2^128 is inf there
_FREXP = (formula(lambda F, g, exponent: g / F.pow(2.0, F.to_dtype(exponent, _dtypes.get_default_dtype()))),)


def frexp(self, *, out=None):
    if self._dtype.category < _dtypes.FLOAT or self._dtype.category == _dtypes.COMPLEX:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    with quiet_numpy():
        mantissa, exponent = np.frexp(self._a)
    layout = result_layout(self._a.shape, (self._a,))  # (both outputs laid out as the input is)
    m = make(conform(np.asarray(mantissa, self._dtype.np), layout), self._dtype, self._device)
    e = make(conform(np.asarray(exponent, np.int32), layout), _dtypes.int32, self._device)
    if out is not None:
        mantissa_out, exponent_out = out
        if mantissa_out._dtype is not self._dtype:
            raise RuntimeError(
                f"torch.frexp() expects mantissa to have dtype {self._dtype._cpp_name} but got "
                f"{mantissa_out._dtype._cpp_name}"
            )
        if exponent_out._dtype is not _dtypes.int32:
            raise RuntimeError(
                f"torch.frexp() expects exponent to have int dtype but got {exponent_out._dtype._cpp_name}"
            )
        write_out("frexp", mantissa_out, m._a, self._dtype, (self,))
        write_out("frexp", exponent_out, e._a, _dtypes.int32, (self,))
        return _frexp_out_type(out)
    if needs_grad(self):
        record("FrexpBackward0", (self,), _FREXP, {"exponent": e}, m)
    return _frexp_type((m, e))


register("frexp")(frexp)


def _float_power_dtype(base, exponent):
    complex_ = any(
        (x._dtype.category == _dtypes.COMPLEX) if isinstance(x, Tensor) else type(scalar_value(x)) is complex
        for x in (base, exponent)
    )
    return _dtypes.complex128 if complex_ else _dtypes.float64


def float_power(self, exponent, *, out=None):
    """pow in double (or complex double): both operands are converted first."""
    from .binary import _pow

    if not isinstance(self, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError("float_power() received an invalid combination of arguments")
    dtype = _float_power_dtype(self, exponent)
    if out is not None and out._dtype is not dtype:
        raise RuntimeError(
            f"the output given to float_power has dtype {out._dtype._scalar_name} but the operation's result "
            f"requires dtype {dtype._scalar_name}"
        )
    base = self.to(dtype) if isinstance(self, Tensor) else _as(self, dtype)
    exp = exponent.to(dtype) if isinstance(exponent, Tensor) else _as(exponent, dtype)
    return _pow(base, exp, out=out)


def _as(value, dtype):
    value = scalar_value(value)
    return complex(value) if dtype is _dtypes.complex128 else float(value)


def _float_power_(self, exponent):
    dtype = _float_power_dtype(self, exponent)
    if self._dtype is not dtype:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {self._dtype._scalar_name} but the operation's result "
            f"requires dtype {dtype._scalar_name}"
        )
    exp = exponent.to(dtype) if isinstance(exponent, Tensor) else _as(exponent, dtype)
    return self.pow_(exp)


register("float_power", inplace=_float_power_, scalar_input=True)(float_power)
