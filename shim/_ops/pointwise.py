"""Elementwise ops: one table row per op, forward kernel and derivative side by side.

Each row gives the numpy kernel, how the result dtype follows from the (promoted) input dtype, the
dtypes torch rejects with its own message, the autograd node name and the derivative formula(s),
written against the array namespace `F` (numpy or shim tensors, see `_autograd.formulas`).
The execution functions below apply the rows; `_registry` generates the Python forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE
from .._autograd.views import record_inplace
from .._dispatch import (
    binary_result_type,
    bump_version,
    check_inplace,
    check_same_device,
    inplace_result_check,
    is_scalar,
    quiet_numpy,
    record,
    scalar_value,
    to_numpy_scalar,
    write_out,
)
from .._dtypes import COMPLEX, FLOAT, INT
from .._errors import not_implemented_for
from .._layout import conform, needs_layout, result_layout
from .._registry import register
from .._tensor import Tensor, make

__all__ = ["UNARY", "BINARY", "unary", "binary", "formula"]

_ndarray = np.ndarray
_asarray = np.asarray


def formula(fn: Callable) -> tuple:
    """A derivative formula with the names of the saved values it reads (its parameters after F and g)."""
    code = fn.__code__
    return (fn, code.co_varnames[2 : code.co_argcount])


def _selector(dtype) -> tuple:
    """The keys an error table may use for `dtype`, most specific first."""
    return (dtype._name, ("bool", "int", "float", "complex")[dtype.category])


def _error(spec_errors: dict, dtype):
    for key in _selector(dtype):
        err = spec_errors.get(key)
        if err is not None:
            if isinstance(err, str):
                return not_implemented_for(err, dtype)
            cls, msg = err
            return cls(msg)
    return None


# Result dtype rules: compute dtype -> result dtype.  float16 computes in float32 as torch's CPU
# kernels do ("opmath"), then rounds once.
_OPMATH = {_dtypes.float16: _dtypes.float32}


def _same(dtype):
    return dtype


def _to_float(dtype):
    return dtype if dtype.category >= FLOAT else None  # None: the default dtype, read at call time


def _to_bool(dtype):
    return _dtypes.bool_


def _to_real(dtype):
    return dtype.to_real()


RULES = {"same": _same, "float": _to_float, "bool": _to_bool, "real": _to_real}


@dataclass(eq=False)
class Pointwise:
    name: str
    kernel: Callable
    rule: str = "same"
    node: str | None = None
    grads: tuple = ()  # per input: formula(...) or None
    errors: dict = field(default_factory=dict)
    opmath: bool = True  # compute float16 in float32
    table: dict = field(default_factory=dict)

    def types(self, dtype):
        """(result dtype, compute dtype) for promoted input dtype, or the exception torch raises."""
        entry = self.table.get(dtype)
        if entry is None:
            entry = _error(self.errors, dtype)
            if entry is None:
                result = RULES[self.rule](dtype)
                compute = dtype if result is None or self.rule != "float" else result
                if self.rule == "float" and result is None:
                    compute = None
                entry = (result, compute)
            self.table[dtype] = entry
        if isinstance(entry, BaseException):
            raise entry.with_traceback(None)
        result, compute = entry
        if result is None:
            result = compute = _dtypes.get_default_dtype()
        if self.opmath:
            compute = _OPMATH.get(compute, compute)
        return result, compute


def _ret(r):
    return r if r.__class__ is _ndarray else _asarray(r)


# -- unary ---------------------------------------------------------------------------------------
def unary(spec: Pointwise, x: Tensor, out=None, inplace=False, extra=None):
    rdt, cdt = spec.types(x._dtype)
    a = x._a if x._dtype is cdt else x._a.astype(cdt.np)
    with quiet_numpy():
        r = _ret(spec.kernel(a) if extra is None else spec.kernel(a, **extra))
        if r.dtype != rdt.np:
            r = r.astype(rdt.np)
    if r.ndim and not x._a.flags.c_contiguous:
        r = conform(r, result_layout(r.shape, (x._a,)))
    if inplace:
        return _write_inplace(spec, x, r, rdt, (x,), extra)
    if out is not None:
        return write_out(spec.name, out, r, rdt, (x,))
    t = make(r, rdt, x._device)
    if x._rg and STATE.grad_enabled and spec.node is not None and rdt.category >= FLOAT:
        saved = {"self": x, "result": t}
        if extra:
            saved.update(extra)
        record(spec.node, (x,), spec.grads, saved, t)
    return t


def _write_inplace(spec, self, r, rdt, inputs, extra, saved_extra=None):
    check_inplace(self)
    inplace_result_check(self, rdt, r.shape)
    grad = spec.node is not None and STATE.grad_enabled and any(t is not None and t._rg for t in inputs)
    if grad:
        saved = {"self": _clone_for_save(self), "result": self}
        for i, t in enumerate(inputs[1:], 1):
            saved[("other", "weight")[min(i - 1, 1)]] = t
        if extra:
            saved.update(extra)
        if saved_extra:
            saved.update(saved_extra)
    with quiet_numpy():
        np.copyto(self._a, r, casting="unsafe")
    bump_version(self)
    if grad:
        record_inplace(self, spec.node, inputs, spec.grads, saved)
    return self


class _LazyClone:
    """The original value of a tensor about to be written in place, copied only if a formula reads it."""

    __slots__ = ()


def _clone_for_save(t: Tensor) -> Tensor:
    c = make(t._a.copy(), t._dtype, t._device)
    return c


_BOOL_NEG = (
    RuntimeError,
    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the "
    "`~` or `logical_not()` operator instead.",
)
_COMPLEX = {"floor": "floor", "ceil": "ceil", "trunc": "trunc"}


def _round_kernel(a, decimals=0):
    if decimals == 0:
        return np.rint(a)
    # torch: neg_flag ? nearbyint(x / 10^-d) * 10^-d : nearbyint(x * 10^d) / 10^d, in the compute dtype
    if decimals > 0:
        ten = a.dtype.type(10.0**decimals)
        return np.rint(a * ten) / ten
    ten = a.dtype.type(10.0 ** (-decimals))
    return np.rint(a / ten) * ten


def _frac(a):
    return a - np.trunc(a)


def _sigmoid(a):
    # 1 / (1 + exp(-x)), the form torch's CPU kernel evaluates
    return 1 / (1 + np.exp(-a))


def _relu(a):
    return np.maximum(a, a.dtype.type(0))


def _nan_to_num(a, nan=None, posinf=None, neginf=None):
    if a.dtype.kind not in "fc":
        return a.copy()
    info = np.finfo(a.dtype)
    return np.nan_to_num(
        a,
        nan=0.0 if nan is None else nan,
        posinf=info.max if posinf is None else posinf,
        neginf=info.min if neginf is None else neginf,
    )


def _rsqrt(a):
    return 1 / np.sqrt(a)


def _zeros(F, g, self):
    return F.zeros_like(g)


_NO_COMPLEX_ROUNDING = {"complex": (NotImplementedError, "{} is not supported for complex inputs")}


def _rounding_errors(name, kernel):
    errors = {"bool": kernel}
    if name in _COMPLEX:
        errors["complex"] = (NotImplementedError, f"{name} is not supported for complex inputs")
    else:
        errors["complex"] = kernel
    return errors


UNARY = {
    s.name: s
    for s in [
        Pointwise("neg", np.negative, "same", "NegBackward0", (formula(lambda F, g: -g),), {"bool": _BOOL_NEG}),
        Pointwise(
            "positive",
            np.positive,
            "same",
            None,
            (),
            {"bool": (RuntimeError, "The `+` operator, on a bool tensor is not supported.")},
        ),
        Pointwise(
            "abs", np.abs, "same", "AbsBackward0", (formula(lambda F, g, self: g * F.sign(self)),), {"bool": "abs_cpu"}
        ),
        Pointwise(
            "sign",
            np.sign,
            "same",
            "SignBackward0",
            (formula(_zeros),),
            {
                "complex": (
                    NotImplementedError,
                    "Unlike NumPy, torch.sign is not intended to support complex "
                    "numbers. Please use torch.sgn instead.",
                )
            },
        ),
        Pointwise("sqrt", np.sqrt, "float", "SqrtBackward0", (formula(lambda F, g, result: g / (2 * result)),)),
        Pointwise(
            "rsqrt",
            _rsqrt,
            "float",
            "RsqrtBackward0",
            (formula(lambda F, g, result: -0.5 * g * (result * result * result)),),
        ),
        Pointwise("exp", np.exp, "float", "ExpBackward0", (formula(lambda F, g, result: g * result),)),
        Pointwise("exp2", np.exp2, "float", "Exp2Backward0", (formula(lambda F, g, result: g * (result * F.LN2)),)),
        Pointwise("expm1", np.expm1, "float", "Expm1Backward0", (formula(lambda F, g, result: g * (result + 1)),)),
        Pointwise("log", np.log, "float", "LogBackward0", (formula(lambda F, g, self: g / self),)),
        Pointwise("log2", np.log2, "float", "Log2Backward0", (formula(lambda F, g, self: g / (self * F.LN2)),)),
        Pointwise("log10", np.log10, "float", "Log10Backward0", (formula(lambda F, g, self: g / (self * F.LN10)),)),
        Pointwise("log1p", np.log1p, "float", "Log1PBackward0", (formula(lambda F, g, self: g / (self + 1)),)),
        Pointwise("sin", np.sin, "float", "SinBackward0", (formula(lambda F, g, self: g * F.cos(self)),)),
        Pointwise("cos", np.cos, "float", "CosBackward0", (formula(lambda F, g, self: g * -F.sin(self)),)),
        Pointwise("tan", np.tan, "float", "TanBackward0", (formula(lambda F, g, result: g * (1 + result * result)),)),
        Pointwise(
            "asin", np.arcsin, "float", "AsinBackward0", (formula(lambda F, g, self: g * F.rsqrt(-self * self + 1)),)
        ),
        Pointwise(
            "acos", np.arccos, "float", "AcosBackward0", (formula(lambda F, g, self: g * -F.rsqrt(-self * self + 1)),)
        ),
        Pointwise("atan", np.arctan, "float", "AtanBackward0", (formula(lambda F, g, self: g / (self * self + 1)),)),
        Pointwise("sinh", np.sinh, "float", "SinhBackward0", (formula(lambda F, g, self: g * F.cosh(self)),)),
        Pointwise("cosh", np.cosh, "float", "CoshBackward0", (formula(lambda F, g, self: g * F.sinh(self)),)),
        Pointwise(
            "tanh", np.tanh, "float", "TanhBackward0", (formula(lambda F, g, result: g * (1 - result * result)),)
        ),
        Pointwise(
            "sigmoid", _sigmoid, "float", "SigmoidBackward0", (formula(lambda F, g, result: g * (1 - result) * result),)
        ),
        Pointwise(
            "relu",
            _relu,
            "same",
            "ReluBackward0",
            (formula(lambda F, g, result: F.where(result > 0, g, 0 * g)),),
            {
                "bool": (RuntimeError, "Boolean inputs not supported for relu"),
                "complex": (NotImplementedError, "clamp is not supported for complex types"),
            },
        ),
        Pointwise(
            "ceil", np.ceil, "same", "CeilBackward0", (formula(_zeros),), _rounding_errors("ceil", "ceil_vml_cpu")
        ),
        Pointwise(
            "floor", np.floor, "same", "FloorBackward0", (formula(_zeros),), _rounding_errors("floor", "floor_vml_cpu")
        ),
        Pointwise(
            "trunc", np.trunc, "same", "TruncBackward0", (formula(_zeros),), _rounding_errors("trunc", "trunc_vml_cpu")
        ),
        Pointwise(
            "round",
            _round_kernel,
            "same",
            "RoundBackward0",
            (formula(_zeros),),
            _rounding_errors("round", "round_vml_cpu"),
        ),
        Pointwise(
            "frac",
            _frac,
            "same",
            "FracBackward0",
            (formula(lambda F, g: g),),
            {"bool": "frac_cpu", "int": "frac_cpu", "complex": "frac_cpu"},
        ),
        Pointwise(
            "reciprocal",
            np.reciprocal,
            "float",
            "ReciprocalBackward0",
            (formula(lambda F, g, result: -g * (result * result)),),
        ),
        Pointwise("square", np.square, "same", "PowBackward0", (formula(lambda F, g, self: g * (2 * self)),)),
        Pointwise(
            "nan_to_num", _nan_to_num, "same", "NanToNumBackward0", (formula(lambda F, g, self: g * F.isfinite(self)),)
        ),
        Pointwise("isnan", np.isnan, "bool"),
        Pointwise("isinf", np.isinf, "bool"),
        Pointwise("isfinite", np.isfinite, "bool"),
        Pointwise("isposinf", np.isposinf, "bool"),
        Pointwise("isneginf", np.isneginf, "bool"),
        Pointwise("logical_not", np.logical_not, "bool"),
        Pointwise(
            "bitwise_not", np.invert, "same", None, (), {"float": "bitwise_not_cpu", "complex": "bitwise_not_cpu"}
        ),
        Pointwise("sgn", np.sign, "same", "SgnBackward0", (formula(_zeros),)),
    ]
}
UNARY["square"].extra_bool_to_int = True


def _unary_method(spec):
    def method(self, out=None, **extra):
        if spec.name == "square" and self._dtype is _dtypes.bool_:
            return unary(UNARY["square"], self.to(_dtypes.int64), out)
        return unary(spec, self, out, extra=extra or None)

    def inplace(self, **extra):
        return unary(spec, self, inplace=True, extra=extra or None)

    method.__name__, inplace.__name__ = spec.name, spec.name + "_"
    return method, inplace


def _round_method(self, decimals=0, out=None):
    if decimals == 0:
        return unary(UNARY["round"], self, out)
    return unary(_ROUND_DECIMALS, self, out, extra={"decimals": decimals})


def _round_inplace(self, decimals=0):
    if decimals == 0:
        return unary(UNARY["round"], self, inplace=True)
    return unary(_ROUND_DECIMALS, self, inplace=True, extra={"decimals": decimals})


_ROUND_DECIMALS = Pointwise(
    "round",
    _round_kernel,
    "same",
    "RoundBackward1",
    (formula(lambda F, g, self: F.zeros_like(g)),),
    {"bool": "round_cpu", "int": "round_cpu", "complex": "round_cpu"},
)

_OPERATOR_OF = {"neg": ("__neg__",), "abs": ("__abs__",), "positive": ("__pos__",)}
_ALIASES = {
    "abs": ("absolute",),
    "neg": ("negative",),
    "sigmoid": (),
    "trunc": ("fix",),
    "asin": ("arcsin",),
    "acos": ("arccos",),
    "atan": ("arctan",),
    "sinh": (),
    "cosh": (),
    "nan_to_num": (),
}

for _spec in UNARY.values():
    if _spec.name == "round":
        register("round", inplace=_round_inplace)(_round_method)
        continue
    _m, _i = _unary_method(_spec)
    _has_inplace = _spec.rule != "bool" or _spec.name == "logical_not"
    if _spec.name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "positive"):
        _has_inplace = False
    register(
        _spec.name,
        operators=_OPERATOR_OF.get(_spec.name, ()),
        inplace=_i if _has_inplace else None,
        aliases=_ALIASES.get(_spec.name, ()),
    )(_m)


def _invert(self):
    if self._dtype.category > INT:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return unary(UNARY["bitwise_not"], self)


Tensor.__invert__ = _invert


# -- binary --------------------------------------------------------------------------------------
def _remainder(a, b):
    """torch's remainder: the sign of the divisor, and fmod's -0 kept (numpy would give +0)."""
    if a.dtype.kind in "fc":
        m = np.fmod(a, b)
        fix = (m != 0) & ((b < 0) != (m < 0))
        return np.where(fix, m + b, m)
    return np.remainder(a, b)


def _check_int_zero(b) -> None:
    if not np.all(b):
        raise RuntimeError("ZeroDivisionError")


def _int_div(kernel):
    def div(a, b):
        if a.dtype.kind in "iub":
            _check_int_zero(b)
        return kernel(a, b)

    return div


def _floor_divide(a, b):
    if a.dtype.kind in "iu":
        _check_int_zero(b)
        return np.floor_divide(a, b)
    # c10::div_floor_floating
    with np.errstate(all="ignore"):
        mod = np.fmod(a, b)
        div = (a - mod) / b
        div = np.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
        floordiv = np.floor(div)
        floordiv = np.where(div - floordiv > 0.5, floordiv + 1, floordiv)
        zero = np.copysign(np.zeros_like(div), a / b)
        return np.where(b == 0, a / b, np.where(div == 0, zero, floordiv))


def _trunc_divide(a, b):
    if a.dtype.kind in "iu":
        _check_int_zero(b)
        q = np.abs(a) // np.abs(b)
        return np.where((a < 0) != (b < 0), -q, q).astype(a.dtype)
    return np.trunc(a / b)


def _pow(a, b):
    if a.dtype.kind in "iu":
        b = _asarray(b)
        if np.any(b < 0):
            neg = b < 0
            safe = np.where(neg, 0, b)
            r = np.power(a, safe)
            one = a == 1
            minus_one = a == -1
            inv = np.where(one, 1, np.where(minus_one, np.where(b % 2 == 0, 1, -1), 0)).astype(a.dtype)
            return np.where(neg, inv, r)
        return np.power(a, b)
    return np.power(a, b)


def _pow_scalar_exponent(a, e):
    """torch's pow(Tensor, Scalar) fast paths: x*x, x*x*x, sqrt, rsqrt, reciprocal."""
    if a.dtype.kind in "fc":
        if e == 2:
            return a * a
        if e == 3:
            return a * a * a
        if e == 0.5:
            return np.sqrt(a)
        if e == -0.5:
            return 1 / np.sqrt(a)
        if e == -1:
            return 1 / a
        if e == -2:
            return 1 / (a * a)
    return _pow(a, e)


def _maximum(a, b):
    return np.maximum(a, b)


def _minimum(a, b):
    return np.minimum(a, b)


_BOOL_SUB_TWO = (
    RuntimeError,
    "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
    "operator instead.",
)
_BOOL_SUB_ONE = (
    RuntimeError,
    "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use "
    "the `~` or `logical_not()` operator instead.",
)


@dataclass(eq=False)
class BinarySpec(Pointwise):
    scalar_node: str | None = None  # node of the (Tensor, Scalar) overload when the scalar is not wrapped
    scalar_grads: tuple = ()
    rscalar_node: str | None = None  # node of the (Scalar, Tensor) overload
    rscalar_grads: tuple = ()
    alpha: bool = False  # the op takes alpha (add/sub)


def _mul_self(F, g, other):
    return g * F.conj(other)


def _mul_other(F, g, self):
    return g * F.conj(self)


BINARY = {
    s.name: s
    for s in [
        BinarySpec(
            "add",
            np.add,
            "same",
            "AddBackward0",
            (formula(lambda F, g: g), formula(lambda F, g, alpha: g * alpha if alpha != 1 else g)),
            alpha=True,
        ),
        BinarySpec(
            "sub",
            np.add,
            "same",
            "SubBackward0",
            (formula(lambda F, g: g), formula(lambda F, g, alpha: -g * alpha if alpha != 1 else -g)),
            alpha=True,
        ),
        BinarySpec("mul", np.multiply, "same", "MulBackward0", (formula(_mul_self), formula(_mul_other))),
        BinarySpec(
            "div",
            np.true_divide,
            "float",
            "DivBackward0",
            (formula(lambda F, g, other: g / other), formula(lambda F, g, self, other: -g * ((self / other) / other))),
        ),
        BinarySpec(
            "floor_divide",
            _floor_divide,
            "same",
            "NotImplemented",
            (None, None),
            {"bool": "div_floor_cpu", "complex": "div_floor_cpu"},
        ),
        BinarySpec(
            "remainder",
            _int_div(_remainder),
            "same",
            "RemainderBackward1",
            (formula(lambda F, g: g), formula(lambda F, g, self, other: -g * F.floor_divide(self, other))),
            {"bool": "remainder_cpu", "complex": "remainder_cpu"},
            scalar_node="RemainderBackward0",
            scalar_grads=(formula(lambda F, g: g),),
            rscalar_node="NotImplemented",
            rscalar_grads=(None,),
        ),
        BinarySpec(
            "fmod",
            _int_div(np.fmod),
            "same",
            "FmodBackward1",
            (formula(lambda F, g: g), formula(lambda F, g, self, other: -g * F.trunc_divide(self, other))),
            {"bool": "fmod_cpu", "complex": "fmod_cpu"},
            scalar_node="FmodBackward0",
            scalar_grads=(formula(lambda F, g: g),),
        ),
        BinarySpec(
            "pow",
            _pow,
            "same",
            "PowBackward1",
            (
                formula(lambda F, g, self, other: F.where(other == 0, 0 * g, g * (other * F.pow(self, other - 1)))),
                formula(
                    lambda F, g, self, other, result: F.where(
                        (self == 0) & (other >= 0), 0 * g, g * (result * F.log(self))
                    )
                ),
            ),
            {"bool": "pow"},
            scalar_node="PowBackward0",
            scalar_grads=(
                formula(lambda F, g, self, other: 0 * g if other == 0 else g * (other * F.pow(self, other - 1))),
            ),
            rscalar_node="PowBackward2",
            rscalar_grads=(
                formula(
                    lambda F, g, self, result: F.where(
                        (self == 0) & (0 * result >= 0), 0 * g, g * (result * np.log(self))
                    )
                ),
            ),
        ),
        BinarySpec(
            "atan2",
            np.arctan2,
            "float",
            "Atan2Backward0",
            (
                formula(lambda F, g, self, other: g * other / (self * self + other * other)),
                formula(lambda F, g, self, other: g * -self / (self * self + other * other)),
            ),
            {"complex": "atan2_cpu"},
        ),
        BinarySpec(
            "maximum",
            _maximum,
            "same",
            "MaximumBackward0",
            (
                formula(lambda F, g, self, other: F.where(self == other, g / 2, F.where(self < other, 0 * g, g))),
                formula(lambda F, g, self, other: F.where(self == other, g / 2, F.where(self > other, 0 * g, g))),
            ),
            {"complex": (RuntimeError, "maximum not implemented for complex tensors.")},
        ),
        BinarySpec(
            "minimum",
            _minimum,
            "same",
            "MinimumBackward0",
            (
                formula(lambda F, g, self, other: F.where(self == other, g / 2, F.where(self > other, 0 * g, g))),
                formula(lambda F, g, self, other: F.where(self == other, g / 2, F.where(self < other, 0 * g, g))),
            ),
            {"complex": (RuntimeError, "minimum not implemented for complex tensors.")},
        ),
        BinarySpec("eq", np.equal, "bool", opmath=False),
        BinarySpec("ne", np.not_equal, "bool", opmath=False),
        BinarySpec("lt", np.less, "bool", errors={"complex": "lt_cpu"}, opmath=False),
        BinarySpec("le", np.less_equal, "bool", errors={"complex": "le_cpu"}, opmath=False),
        BinarySpec("gt", np.greater, "bool", errors={"complex": "gt_cpu"}, opmath=False),
        BinarySpec("ge", np.greater_equal, "bool", errors={"complex": "ge_cpu"}, opmath=False),
        BinarySpec("logical_and", np.logical_and, "bool", opmath=False),
        BinarySpec("logical_or", np.logical_or, "bool", opmath=False),
        BinarySpec("logical_xor", np.logical_xor, "bool", opmath=False),
        BinarySpec(
            "bitwise_and", np.bitwise_and, "same", errors={"float": "bitwise_and_cpu", "complex": "bitwise_and_cpu"}
        ),
        BinarySpec(
            "bitwise_or", np.bitwise_or, "same", errors={"float": "bitwise_or_cpu", "complex": "bitwise_or_cpu"}
        ),
        BinarySpec(
            "bitwise_xor", np.bitwise_xor, "same", errors={"float": "bitwise_xor_cpu", "complex": "bitwise_xor_cpu"}
        ),
    ]
}
# Ops whose Python-number operand becomes a wrapped 0-d tensor input (an extra (None, 0) edge).
_WRAPS_SCALARS = {
    "add",
    "sub",
    "mul",
    "div",
    "maximum",
    "minimum",
    "atan2",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "logical_and",
    "logical_or",
    "logical_xor",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "floor_divide",
}
# Ops that take a Tensor `other` only (a Python number raises TypeError).
_TENSOR_OTHER = {"maximum", "minimum", "atan2", "logical_and", "logical_or", "logical_xor"}


def _operand(spec, other, pos=2):
    if isinstance(other, Tensor):
        return other
    if is_scalar(other):
        if spec.name in _TENSOR_OTHER:
            raise TypeError(
                f"{spec.name}(): argument 'other' (position {pos}) must be Tensor, not {type(other).__name__}"
            )
        return scalar_value(other)
    raise TypeError(f"{spec.name}(): argument 'other' (position {pos}) must be Tensor, not {type(other).__name__}")


def _check_bool_sub(a, b, name):
    a_bool = a._dtype is _dtypes.bool_
    b_bool = (b._dtype is _dtypes.bool_) if isinstance(b, Tensor) else type(b) is bool
    if a_bool and b_bool:
        raise RuntimeError(_BOOL_SUB_TWO[1])
    if a_bool or b_bool:
        raise RuntimeError(_BOOL_SUB_ONE[1])


def _check_alpha(alpha, dtype):
    if type(alpha) is complex and dtype.category < COMPLEX:
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")
    if type(alpha) is float and dtype.category < FLOAT:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if type(alpha) is bool and dtype is not _dtypes.bool_ and alpha is True and False:
        pass
    if isinstance(alpha, bool) and dtype is not _dtypes.bool_:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")


def binary(spec: BinarySpec, a, b, out=None, alpha=1, inplace=False, reflected=False):
    """Run a binary op. `a` is a Tensor; `b` a Tensor or Python scalar. `reflected`: the scalar is the
    first operand (as in ``2 ** x``)."""
    if type(b) is not Tensor:
        b = _operand(spec, b)
    promoted = binary_result_type(a, b)
    if spec.name == "sub":
        _check_bool_sub(a, b, spec.name)
    if alpha != 1:
        _check_alpha(alpha, promoted)
    rdt, cdt = spec.types(promoted)
    x = a._a if a._dtype is cdt else a._a.astype(cdt.np)
    if type(b) is Tensor:
        scalar = False
        y = b._a if b._dtype is cdt else b._a.astype(cdt.np)
        device = a._device if a._device is b._device else check_same_device((a, b))
    else:
        scalar = True
        y = to_numpy_scalar(b, cdt)
        device = a._device
    if reflected:
        x, y = y, x
    with quiet_numpy():
        if spec.alpha and (alpha != 1 or spec.name == "sub" or cdt.category == COMPLEX):
            # torch's add kernel computes self + alpha * other (sub: alpha negated), even for alpha=1
            y = y * to_numpy_scalar(-alpha if spec.name == "sub" else alpha, cdt)
        try:
            r = spec.kernel(x, y)
        except ValueError:
            from .._dispatch import broadcast_shapes

            broadcast_shapes(a._a.shape, b._a.shape)
            raise
        if r.__class__ is not _ndarray:
            r = _asarray(r)
        if r.dtype != rdt.np:
            r = r.astype(rdt.np)
    if r.ndim and not inplace and (scalar or needs_layout((a._a, b._a))) and not (scalar and a._a.flags.c_contiguous):
        r = conform(r, result_layout(r.shape, (a._a,) if scalar else (a._a, b._a)))
    if inplace:
        wrapped = b if not scalar else None
        inputs = (a, wrapped) if not scalar or spec.name in _WRAPS_SCALARS else (a,)
        grads = spec.grads if not scalar or spec.name in _WRAPS_SCALARS else spec.scalar_grads
        node = spec.node if not scalar or spec.name in _WRAPS_SCALARS else spec.scalar_node
        view = _NodeView(spec, node, grads)
        return _write_inplace(view, a, r, rdt, inputs, None, {"other": b if not scalar else y, "alpha": alpha})
    if out is not None:
        return write_out(spec.name, out, r, rdt, (a, b) if not scalar else (a,))
    t = make(r, rdt, device)
    if STATE.grad_enabled and rdt.category >= FLOAT and (a._rg or (not scalar and b._rg)):
        _record_binary(spec, a, b, scalar, reflected, y, t, alpha)
    return t


class _NodeView:
    __slots__ = ("name", "node", "grads")

    def __init__(self, spec, node, grads):
        self.name, self.node, self.grads = spec.name, node, grads


def _record_binary(spec, a, b, scalar, reflected, y, t, alpha):
    if not scalar:
        record(spec.node, (a, b), spec.grads, {"self": a, "other": b, "result": t, "alpha": alpha}, t)
    elif spec.name in _WRAPS_SCALARS:
        record(spec.node, (a, None), spec.grads, {"self": a, "other": y, "result": t, "alpha": alpha}, t)
    elif reflected:
        record(spec.rscalar_node, (a,), spec.rscalar_grads, {"self": y, "other": a, "result": t}, t)
    else:
        record(spec.scalar_node, (a,), spec.scalar_grads, {"self": a, "other": y, "result": t}, t)


# -- Python forms of the binary ops ----------------------------------------------------------------
def _binary_forms(spec):
    def method(self, other, *, out=None):
        return binary(spec, self, other, out)

    def inplace(self, other):
        return binary(spec, self, other, inplace=True)

    method.__name__, inplace.__name__ = spec.name, spec.name + "_"
    return method, inplace


_OPS_DUNDERS = {
    "mul": (("__mul__",), ("__rmul__",), ("__imul__",)),
    "eq": (("__eq__",), (), ()),
    "ne": (("__ne__",), (), ()),
    "lt": (("__lt__",), (), ()),
    "le": (("__le__",), (), ()),
    "gt": (("__gt__",), (), ()),
    "ge": (("__ge__",), (), ()),
    "bitwise_and": (("__and__",), ("__rand__",), ("__iand__",)),
    "bitwise_or": (("__or__",), ("__ror__",), ("__ior__",)),
    "bitwise_xor": (("__xor__",), ("__rxor__",), ("__ixor__",)),
}
_BINARY_ALIASES = {
    "mul": ("multiply",),
    "ne": ("not_equal",),
    "lt": ("less",),
    "le": ("less_equal",),
    "gt": ("greater",),
    "ge": ("greater_equal",),
}
_NO_INPLACE = {"logical_and", "logical_or", "logical_xor"}

for _spec in BINARY.values():
    if _spec.name in ("add", "sub", "div", "pow", "floor_divide", "remainder"):
        continue  # richer signatures, below
    _m, _i = _binary_forms(_spec)
    _ops, _refl, _iops = _OPS_DUNDERS.get(_spec.name, ((), (), ()))
    register(
        _spec.name,
        operators=_ops,
        reflected=_refl,
        inplace=_i,
        ioperators=_iops,
        aliases=_BINARY_ALIASES.get(_spec.name, ()),
    )(_m)
for _name in _NO_INPLACE:
    pass


def _add(self, other, *, alpha=1, out=None):
    return binary(BINARY["add"], self, other, out, alpha)


def _add_(self, other, *, alpha=1):
    return binary(BINARY["add"], self, other, alpha=alpha, inplace=True)


def _sub(self, other, *, alpha=1, out=None):
    return binary(BINARY["sub"], self, other, out, alpha)


def _sub_(self, other, *, alpha=1):
    return binary(BINARY["sub"], self, other, alpha=alpha, inplace=True)


register("add", operators=("__add__",), reflected=("__radd__",), inplace=_add_, ioperators=("__iadd__",))(_add)
register("sub", operators=("__sub__",), inplace=_sub_, ioperators=("__isub__",), aliases=("subtract",))(_sub)


_ROUNDING = (None, "trunc", "floor")


def _div_spec(rounding_mode):
    if rounding_mode is None:
        return BINARY["div"]
    if rounding_mode == "floor":
        return _DIV_FLOOR
    if rounding_mode == "trunc":
        return _DIV_TRUNC
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


_DIV_FLOOR = BinarySpec(
    "div",
    _floor_divide,
    "same",
    "DivBackward2",
    (formula(lambda F, g: 0 * g), formula(lambda F, g: 0 * g)),
    {"bool": "div_floor_cpu", "complex": "div_floor_cpu"},
)
_DIV_TRUNC = BinarySpec(
    "div",
    _trunc_divide,
    "same",
    "DivBackward2",
    (formula(lambda F, g: 0 * g), formula(lambda F, g: 0 * g)),
    {"bool": "div_trunc_cpu", "complex": "div_trunc_cpu"},
)


def _div(self, other, *, rounding_mode=None, out=None):
    return binary(_div_spec(rounding_mode), self, other, out)


def _div_(self, other, *, rounding_mode=None):
    return binary(_div_spec(rounding_mode), self, other, inplace=True)


def _rtruediv(self, other):
    # torch: Tensor.__rdiv__ is `self.reciprocal() * other`
    return binary(BINARY["mul"], unary(UNARY["reciprocal"], self), other)


register("div", operators=("__truediv__",), inplace=_div_, ioperators=("__itruediv__",), aliases=("divide",))(_div)
register("true_divide", inplace=lambda self, other: binary(BINARY["div"], self, other, inplace=True))(
    lambda self, other, *, out=None: binary(BINARY["div"], self, other, out)
)
Tensor.__rtruediv__ = lambda self, other: _rtruediv(self, other) if is_scalar(other) else NotImplemented


def _floor_divide_method(self, other, *, out=None):
    return binary(BINARY["floor_divide"], self, other, out)


register(
    "floor_divide",
    operators=("__floordiv__",),
    inplace=lambda self, other: binary(BINARY["floor_divide"], self, other, inplace=True),
    ioperators=("__ifloordiv__",),
)(_floor_divide_method)
Tensor.__rfloordiv__ = lambda self, other: (
    binary(BINARY["floor_divide"], self, other, reflected=True) if is_scalar(other) else NotImplemented
)


def _remainder_method(self, other, *, out=None):
    return binary(BINARY["remainder"], self, other, out)


register(
    "remainder",
    operators=("__mod__",),
    inplace=lambda self, other: binary(BINARY["remainder"], self, other, inplace=True),
    ioperators=("__imod__",),
    scalar_input=True,
)(
    lambda self, other, *, out=None: (
        _rremainder(other, self) if not isinstance(self, Tensor) else _remainder_method(self, other, out=out)
    )
)


def _rremainder(scalar, tensor):
    return binary(BINARY["remainder"], tensor, scalar, reflected=True)


Tensor.__rmod__ = lambda self, other: _rremainder(other, self) if is_scalar(other) else NotImplemented


def _pow_method(self, exponent, *, out=None):
    if not isinstance(self, Tensor):
        if isinstance(exponent, Tensor):
            return _rpow(exponent, self, out)
        raise TypeError(
            f"pow() received an invalid combination of arguments - got ({type(self).__name__}, "
            f"{type(exponent).__name__})"
        )
    if not isinstance(exponent, Tensor):
        return _pow_scalar(self, exponent, out)
    return binary(BINARY["pow"], self, exponent, out)


_POW_SCALAR = BinarySpec(
    "pow", _pow_scalar_exponent, "same", "PowBackward0", BINARY["pow"].scalar_grads, {"bool": "pow"}
)


def _pow_scalar(self, exponent, out=None, inplace=False):
    if not is_scalar(exponent):
        raise TypeError(f"pow(): argument 'exponent' must be Number, not {type(exponent).__name__}")
    exponent = scalar_value(exponent)
    promoted = binary_result_type(self, exponent)
    if promoted.category <= INT and type(exponent) is int and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    rdt, cdt = _POW_SCALAR.types(promoted)
    x = self._a if self._dtype is cdt else self._a.astype(cdt.np)
    e = exponent if cdt.category >= FLOAT else to_numpy_scalar(exponent, cdt)
    with quiet_numpy():
        r = _ret(_pow_scalar_exponent(x, e))
    if r.dtype != rdt.np:
        r = r.astype(rdt.np)
    if inplace:
        return _write_inplace(_POW_SCALAR, self, r, rdt, (self,), None, {"other": exponent})
    if out is not None:
        return write_out("pow", out, r, rdt, (self,))
    t = make(r, rdt, self._device)
    if self._rg and STATE.grad_enabled and rdt.category >= FLOAT:
        record("PowBackward0", (self,), _POW_SCALAR.grads, {"self": self, "other": exponent, "result": t}, t)
    return t


def _rpow(self, base, out=None):
    """base ** self for a Python-number base (PowBackward2)."""
    if not is_scalar(base):
        return NotImplemented
    return binary(BINARY["pow"], self, scalar_value(base), out, reflected=True)


def _pow_(self, exponent):
    if not isinstance(exponent, Tensor):
        return _pow_scalar(self, exponent, inplace=True)
    return binary(BINARY["pow"], self, exponent, inplace=True)


register("pow", operators=("__pow__",), inplace=_pow_, ioperators=("__ipow__",), scalar_input=True)(_pow_method)
Tensor.__rpow__ = lambda self, other: _rpow(self, other)


def _rsub(self, other, *, alpha=1):
    """rsub(self, other) = other - alpha * self."""
    if isinstance(other, Tensor):
        r = binary(BINARY["sub"], other, self, alpha=alpha)
        if r._fn is not None:
            _rename(r, "RsubBackward0", swap=True)
        return r
    _check_bool_sub(self, other, "rsub")
    return _rsub_scalar(self, scalar_value(other), alpha)


_RSUB_SCALAR = BinarySpec(
    "rsub", np.subtract, "same", "RsubBackward1", (formula(lambda F, g, alpha: -g * alpha if alpha != 1 else -g),)
)


def _rsub_scalar(self, other, alpha=1):
    promoted = binary_result_type(self, other)
    rdt, cdt = _RSUB_SCALAR.types(promoted)
    x = self._a if self._dtype is cdt else self._a.astype(cdt.np)
    if alpha != 1:
        x = x * to_numpy_scalar(alpha, cdt)
    with quiet_numpy():
        r = _ret(np.subtract(to_numpy_scalar(other, cdt), x))
    if r.dtype != rdt.np:
        r = r.astype(rdt.np)
    t = make(r, rdt, self._device)
    if self._rg and STATE.grad_enabled and rdt.category >= FLOAT:
        record("RsubBackward1", (self,), _RSUB_SCALAR.grads, {"alpha": alpha}, t)
    return t


def _rename(t, name, swap=False):
    from .._autograd.graph import node_class

    node = t._fn
    new = node_class(name).__new__(node_class(name))
    new.next_functions = node.next_functions[::-1] if swap else node.next_functions
    new._formulas = node._formulas[::-1] if swap else node._formulas
    new._inputs = node._inputs[::-1] if swap else node._inputs
    new._saved, new._released, new._seq = node._saved, False, node._seq
    new._hooks = new._pre_hooks = new._extra = None
    t._fn = new


register("rsub")(_rsub)
Tensor.__rsub__ = lambda self, other: _rsub(self, other) if is_scalar(other) else NotImplemented


__all__ += ["binary_forms"]
binary_forms = _binary_forms
