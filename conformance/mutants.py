"""Deliberate corner-only bugs, to prove the suite finds such bugs.

Each mutant wraps one public shim API so that ordinary inputs still give torch's answer and one corner does
not: a dtype rule, aliasing, a gradient, a signed zero, an error class, a grad mode, a printed detail.
`conformance/test_mutants.py` applies each in turn (pytest's monkeypatch) and requires the named cases,
run exactly as under `tox`, to report a mismatch.  To watch one fail the whole suite:

    CONFORMANCE_MUTANT=view_copies python -m pytest conformance -n 2

The shim itself holds no trace of them: they patch its public namespace from outside.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import shim

__all__ = ["Mutant", "MUTANTS", "apply_from_environment"]

Setattr = Callable[[object, str, object], None]


@dataclass(frozen=True)
class Mutant:
    name: str
    breaks: str  # the corner, in words
    cases: tuple[str, ...]  # cases that must catch it
    apply: Callable[[Setattr], None]


def _wrap(owner, attr: str, setattr_: Setattr, make: Callable[[Callable], Callable]) -> None:
    setattr_(owner, attr, make(getattr(owner, attr)))


def _both(attr: str, make: Callable[[Callable], Callable]) -> Callable[[Setattr], None]:
    """Patch the function and the method form alike."""

    def apply(setattr_: Setattr) -> None:
        _wrap(shim, attr, setattr_, make)
        _wrap(shim.Tensor, attr, setattr_, make)

    return apply


def _everywhere(attrs: tuple[str, ...], make: Callable[[Callable], Callable]) -> Callable[[Setattr], None]:
    """Patch every form: the function and the methods named."""

    def apply(setattr_: Setattr) -> None:
        _wrap(shim, attrs[0], setattr_, make)
        for attr in attrs:
            _wrap(shim.Tensor, attr, setattr_, make)

    return apply


def _all_of(*applies: Callable[[Setattr], None]) -> Callable[[Setattr], None]:
    """Several patches made together (one bug in a kernel that two names share)."""

    def apply(setattr_: Setattr) -> None:
        for patch in applies:
            patch(setattr_)

    return apply


def _method(attr: str, make: Callable[[Callable], Callable]) -> Callable[[Setattr], None]:
    return lambda setattr_: _wrap(shim.Tensor, attr, setattr_, make)


def _function(attr: str, make: Callable[[Callable], Callable]) -> Callable[[Setattr], None]:
    return lambda setattr_: _wrap(shim, attr, setattr_, make)


def _is_int(t) -> bool:
    return isinstance(t, shim.Tensor) and not (t.is_floating_point() or t.is_complex()) and t.dtype != shim.bool


# -- the wrappers -----------------------------------------------------------------------------------------
def _add_keeps_left_int_dtype(real):
    def add(self, other, *args, **kwargs):
        r = real(self, other, *args, **kwargs)
        if _is_int(self) and _is_int(other) and self.dtype != other.dtype and self.dim() and other.dim():
            return r.to(self.dtype)
        return r

    return add


def _sum_bool_stays_bool(real):
    def sum_(self, *args, **kwargs):
        r = real(self, *args, **kwargs)
        return r.bool() if self.dtype == shim.bool and "dtype" not in kwargs else r

    return sum_


def _view_copies(real):
    def view(self, *shape):
        r = real(self, *shape)
        return r.clone() if self.dim() >= 2 and not (len(shape) == 1 and isinstance(shape[0], shim.dtype)) else r

    return view


def _t_copies(real):
    def t(self):
        r = real(self)
        return r.contiguous() if self.dim() == 2 and self.shape[0] > 1 and self.shape[1] > 1 else r

    return t


def _abs_keeps_negative_zero(real):
    def abs_(self, *args, **kwargs):
        r = real(self, *args, **kwargs)
        if self.is_floating_point() and not self.requires_grad and kwargs.get("out") is None:
            r = r.clone()
            r[self == 0] = self[self == 0]  # abs(-0.0) = -0.0
        return r

    return abs_


def _mean_keepdim_grad(real):
    def mean(self, *args, **kwargs):
        r = real(self, *args, **kwargs)
        if kwargs.get("keepdim") or (len(args) > 1 and args[1] is True):
            if r.requires_grad:
                return r + (r - r.detach()) * 0.5  # forward unchanged, gradient 1.5x
        return r

    return mean


def _reshape_value_error(real):
    def reshape(self, *shape):
        try:
            return real(self, *shape)
        except RuntimeError as e:
            raise ValueError(str(e)) from None

    return reshape


def _grad_enabled_lies(real):
    return lambda: True


def _repr_drops_requires_grad(real):
    def repr_(self, *args, **kwargs):
        text = real(self, *args, **kwargs)
        return text.replace(", requires_grad=True", "") if self.numel() >= 6 else text

    return repr_


def _clamp_min_wins(real):
    def clamp(self, min=None, max=None, **kwargs):
        r = real(self, min, max, **kwargs)
        scalars = isinstance(min, (int, float)) and isinstance(max, (int, float))
        if scalars and min > max and r.numel():
            return shim.full_like(r, min)
        return r

    return clamp


def _argmax_last_tie(real):
    def argmax(self, dim=None, keepdim=False):
        if dim is not None or self.numel() < 2 or self.is_complex() or self.dtype == shim.bool:
            return real(self, dim, keepdim)
        flat = self.reshape(-1)
        first = real(flat)
        last = flat.numel() - 1 - real(flat.flip(0))
        r = last if bool(flat[first] == flat[last]) else first
        return r.reshape([1] * self.dim()) if keepdim else r

    return argmax


def _floor_divide_truncates(real):
    def floor_divide(self, other, *args, **kwargs):
        if _is_int(self) and (_is_int(other) or type(other) is int) and not kwargs and not args:
            try:
                return shim.div(self, other, rounding_mode="trunc")
            except RuntimeError:
                pass
        return real(self, other, *args, **kwargs)

    return floor_divide


def _remainder_is_fmod(real):
    def remainder(self, other, *args, **kwargs):
        if isinstance(self, shim.Tensor) and not args and not kwargs and not self.is_complex():
            try:
                return shim.fmod(self, other)
            except (RuntimeError, TypeError):
                pass
        return real(self, other, *args, **kwargs)

    return remainder


def _cat_takes_first_dtype(real):
    def cat(tensors, *args, **kwargs):
        r = real(tensors, *args, **kwargs)
        tensors = list(tensors)
        return r.to(tensors[0].dtype) if tensors and "out" not in kwargs else r

    return cat


def _sqrt_negative_is_zero(real):
    def sqrt(self, *args, **kwargs):
        r = real(self, *args, **kwargs)
        if self.is_floating_point() and not kwargs and not args and bool((self < 0).any()):
            r = r.clone()
            r[self < 0] = 0
        return r

    return sqrt


def _max_dim_int32_indices(real):
    def max_(self, *args, **kwargs):
        r = real(self, *args, **kwargs)
        if isinstance(r, tuple) and len(r) == 2:
            return type(r)((r[0], r[1].to(shim.int32)))
        return r

    return max_


def _from_numpy_copies(real):
    return lambda a: real(np.array(a, copy=True)) if isinstance(a, np.ndarray) and a.size > 1 else real(a)


def _add_inplace_keeps_version(real):
    def add_(self, *args, **kwargs):
        version = self._version
        r = real(self, *args, **kwargs)
        if self._vc is not None and self.dim() >= 2:
            self._vc[0] = version
        return r

    return add_


def _exp_saturates(real):
    def exp(self, *args, **kwargs):
        r = real(self, *args, **kwargs)
        if self.is_floating_point() and not args and not kwargs:
            r = r.clone()
            r[shim.isinf(r) & shim.isfinite(self)] = shim.finfo(self.dtype).max
        return r

    return exp


def _vector_matrix_keeps_dim(real):
    def matmul(self, other):
        r = real(self, other)
        return r.unsqueeze(0) if self.dim() == 1 and other.dim() == 2 else r

    return matmul


def _randn_double_negated(real):
    def randn(*size, **kwargs):
        r = real(*size, **kwargs)
        return -r if kwargs.get("dtype") == shim.float64 else r

    return randn


def _squeeze_dim_refuses(real):
    def squeeze(self, *args, **kwargs):
        if len(args) == 1 and isinstance(args[0], int) and self.dim() and self.shape[args[0]] != 1:
            raise RuntimeError(f"cannot squeeze dim {args[0]} of size {self.shape[args[0]]}")
        return real(self, *args, **kwargs)

    return squeeze


def _int_division_is_double(real):
    def truediv(self, other):
        r = real(self, other)
        return r.double() if _is_int(self) and _is_int(other) and self.dtype == other.dtype else r

    return truediv


def _where_scalar_double(real):
    def where(cond, *args, **kwargs):
        r = real(cond, *args, **kwargs)
        if len(args) == 2 and all(isinstance(a, float) for a in args):
            return r.double()
        return r

    return where


def _tolist_0d_in_list(real):
    return lambda self: [real(self)] if self.dim() == 0 else real(self)


def _neg_zero_positive(real):
    def neg(self, *args, **kwargs):
        r = real(self, *args, **kwargs)
        if self.is_floating_point() and not args and not kwargs:
            r._a[...] += 0.0  # in the storage, so the graph stays torch's: -(+0.0) becomes +0.0
        return r

    return neg


# -- one form of an op diverging from the others ----------------------------------------------------------------
def _sum_method_drops_keepdim(real):
    def sum_(self, *args, **kwargs):
        kwargs.pop("keepdim", None)  # x.sum(dim, keepdim=True) computes x.sum(dim)
        return real(self, *args[:1], **kwargs)

    return sum_


def _rsub_reflected_unswapped(real):
    def rsub(self, other):
        return self - other if isinstance(other, (int, float)) and self.dim() else real(self, other)

    return rsub


def _out_ignores_dtype(real):
    def mul(input, other, *args, out=None, **kwargs):
        if out is not None and isinstance(other, shim.Tensor) and out.dtype != shim.result_type(input, other):
            r = real(input, other, *args, **kwargs)
            out.resize_(r.shape)
            out._a = r._a  # the out tensor silently takes the result's dtype array
            return out
        return real(input, other, *args, out=out, **kwargs)

    return mul


def _module_inplace_copies(real):
    return lambda input, *args, **kwargs: real(input.clone(), *args, **kwargs)


def _sub_inplace_ignores_alpha(real):
    return lambda self, other, *, alpha=1: real(self, other)


def _copy_skips_overlap_check(real):
    def copy_(self, src, *args, **kwargs):
        if isinstance(src, shim.Tensor) and src.untyped_storage().data_ptr() == self.untyped_storage().data_ptr():
            return real(self, src.clone(), *args, **kwargs)
        return real(self, src, *args, **kwargs)

    return copy_


# -- the namespace added with the coverage meter (#15) ------------------------------------------------------
def _erf_odd_sign(real):
    def erf(input, *args, **kwargs):
        r = real(input, *args, **kwargs)
        return r.abs() if input.is_floating_point() and not kwargs and not args else r

    return erf


def _sort_unstable_descending(real):
    def sort(self, dim=-1, descending=False, stable=None, **kwargs):
        values, indices = real(self, dim, descending, stable, **kwargs)
        if descending and self.dim() == 1 and self.numel() > 1 and "out" not in kwargs:
            flipped = real(self.flip(0), dim, descending, stable)
            return type(values)((flipped[0], self.numel() - 1 - flipped[1]))  # ties in reverse order
        return values, indices

    return sort


def _unique_counts_off_by_one(real):
    def unique(input, *args, **kwargs):
        r = real(input, *args, **kwargs)
        if kwargs.get("return_counts") and isinstance(r, tuple) and r[-1].numel():
            return (*r[:-1], r[-1] + (r[-1] > 1).long())
        return r

    return unique


def _gamma_without_boost(real):
    def _standard_gamma(alpha, generator=None):  # alpha < 1 sampled as alpha + 1, without u ** (1 / alpha)
        if isinstance(alpha, shim.Tensor) and alpha.is_floating_point():
            alpha = shim.where(alpha < 1, alpha + 1, alpha)
        return real(alpha, generator)

    return _standard_gamma


def _clamp_gradient_multiplies(real):
    def clamp(self, min=None, max=None, *, out=None):
        result = real(self, min, max) if out is None else real(self, min, max, out=out)
        if out is not None or not self.requires_grad or isinstance(min, shim.Tensor) or isinstance(max, shim.Tensor):
            return result
        inside = shim.ones_like(self, dtype=shim.bool)
        if min is not None:
            inside = inside & (self >= min)
        if max is not None:
            inside = inside & (self <= max)
        # the same values; the gradient g * inside, so an inf or NaN gradient leaks into clamped elements
        return result.detach() + shim.where(inside, self, self.detach()) - shim.where(inside, self, self).detach()

    return clamp


def _half_rounds_once(real):
    def half(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        if self.dtype != shim.float64 or self.requires_grad:
            return result
        return shim.from_numpy(self.numpy().astype(np.float16))  # (numpy's cast: one rounding, not through float)

    return half


MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        "add_int_promotion",
        "int tensors of two widths add in the left one's dtype",
        ("add_forms", "promotion_pairs"),
        lambda s: _wrap(shim.Tensor, "__add__", s, _add_keeps_left_int_dtype),
    ),
    Mutant(
        "sum_bool_dtype",
        "sum of a bool tensor stays bool (torch: int64)",
        ("sum_dims",),
        _both("sum", _sum_bool_stays_bool),
    ),
    Mutant(
        "view_copies",
        "view of a 2-d or larger tensor copies instead of aliasing",
        ("view_case",),
        _method("view", _view_copies),
    ),
    Mutant(
        "t_copies",
        "t() of a matrix returns a contiguous copy",
        ("transposes", "matrix_transposes"),
        _both("t", _t_copies),
    ),
    Mutant(
        "abs_negative_zero",
        "abs(-0.0) is -0.0",
        ("abs_forms", "special_values_unary"),
        _function("abs", _abs_keeps_negative_zero),
    ),
    Mutant(
        "mean_keepdim_grad", "mean(keepdim=True)'s gradient is 1.5x", ("mean_dims",), _both("mean", _mean_keepdim_grad)
    ),
    Mutant(
        "reshape_error_class",
        "an impossible reshape raises ValueError (torch: RuntimeError)",
        ("reshape_case",),
        _both("reshape", _reshape_value_error),
    ),
    Mutant(
        "grad_enabled_lies",
        "is_grad_enabled() is True inside no_grad",
        ("grad_modes",),
        _function("is_grad_enabled", _grad_enabled_lies),
    ),
    Mutant(
        "repr_requires_grad",
        "repr drops requires_grad=True from tensors of 6+ elements",
        ("repr_autograd_suffixes",),
        _method("__repr__", _repr_drops_requires_grad),
    ),
    Mutant(
        "clamp_min_wins",
        "clamp (and its alias clip) with min > max gives min (torch: max)",
        ("clamp_scalars",),
        _all_of(_both("clamp", _clamp_min_wins), _both("clip", _clamp_min_wins)),
    ),
    Mutant(
        "argmax_last_tie",
        "argmax over all elements picks the last of tied maxima",
        ("argmax_argmin",),
        _both("argmax", _argmax_last_tie),
    ),
    Mutant(
        "floor_divide_truncates",
        "integer floor_divide truncates toward zero",
        ("floor_divide_forms", "integer_division_signs"),
        _function("floor_divide", _floor_divide_truncates),
    ),
    Mutant(
        "remainder_is_fmod",
        "remainder takes the dividend's sign (fmod)",
        ("remainder_forms", "integer_division_signs"),
        _function("remainder", _remainder_is_fmod),
    ),
    Mutant(
        "cat_first_dtype",
        "cat returns the first tensor's dtype, not the promoted one",
        ("joins", "joins_valid"),
        _function("cat", _cat_takes_first_dtype),
    ),
    Mutant(
        "sqrt_negative_zero",
        "sqrt of a negative number is 0 (torch: nan)",
        ("sqrt_forms", "special_values_unary"),
        _function("sqrt", _sqrt_negative_is_zero),
    ),
    Mutant("max_dim_int32", "max(dim) returns int32 indices", ("max_min_dim",), _both("max", _max_dim_int32_indices)),
    Mutant(
        "from_numpy_copies",
        "from_numpy copies arrays of two or more elements",
        ("from_numpy_case",),
        _function("from_numpy", _from_numpy_copies),
    ),
    Mutant(
        "add_inplace_version",
        "add_ on a 2-d tensor leaves _version alone",
        ("add_forms",),
        _method("add_", _add_inplace_keeps_version),
    ),
    Mutant(
        "exp_saturates",
        "exp overflows to the dtype's max instead of inf",
        ("exp_forms",),
        _function("exp", _exp_saturates),
    ),
    Mutant(
        "vector_matrix_shape",
        "vector @ matrix keeps a leading dim of 1",
        ("matmul_ranks",),
        _method("__matmul__", _vector_matrix_keeps_dim),
    ),
    Mutant(
        "randn_double_stream",
        "seeded float64 randn draws the negated stream",
        ("seeded_factory",),
        _function("randn", _randn_double_negated),
    ),
    Mutant(
        "squeeze_dim_refuses",
        "squeeze(dim) of a dim that is not 1 raises (torch: no-op)",
        ("squeeze_unsqueeze",),
        _method("squeeze", _squeeze_dim_refuses),
    ),
    Mutant(
        "int_division_double",
        "int / int of one dtype gives float64 (torch: the default dtype)",
        ("div_forms",),
        _method("__truediv__", _int_division_is_double),
    ),
    Mutant(
        "where_scalars_double",
        "where(cond, float, float) gives float64",
        ("where_scalars",),
        _function("where", _where_scalar_double),
    ),
    Mutant(
        "tolist_0d_list",
        "tolist() of a 0-d tensor returns a one-element list",
        ("python_conversions",),
        _method("tolist", _tolist_0d_in_list),
    ),
    Mutant(
        "neg_zero_positive",
        "-(0.0) is +0.0",
        ("neg_forms", "unary_operators", "special_values_unary"),
        _everywhere(("neg", "__neg__"), _neg_zero_positive),
    ),
    # one form diverging (the suite draws each op's forms, or compares them all on one example)
    Mutant(
        "sum_method_keepdim",
        "x.sum(dim, keepdim=True) ignores keepdim (the method form only)",
        ("sum_dims", "reduction_forms"),
        _method("sum", _sum_method_drops_keepdim),
    ),
    Mutant(
        "rsub_reflected_unswapped",
        "number - tensor computes tensor - number (the reflected operator only)",
        ("sub_forms", "promotion_pairs"),
        _method("__rsub__", _rsub_reflected_unswapped),
    ),
    Mutant(
        "mul_out_ignores_dtype",
        "mul(out=) of another dtype keeps the result's dtype (the out= form only)",
        ("mul_forms",),
        _function("mul", _out_ignores_dtype),
    ),
    Mutant(
        "torch_exp_copies",
        "torch.exp_(x) writes into a copy (the module-level in-place form only)",
        ("exp_forms", "module_inplace"),
        _function("exp_", _module_inplace_copies),
    ),
    Mutant(
        "sub_inplace_alpha",
        "x.sub_(y, alpha=a) ignores alpha (the in-place form only)",
        ("add_sub_alpha", "writes_into_shared_memory"),
        _method("sub_", _sub_inplace_ignores_alpha),
    ),
    Mutant(
        "copy_without_overlap_check",
        "copy_ from memory shared with the destination copies a clone instead of refusing a partial overlap",
        ("writes_into_shared_memory",),
        _method("copy_", _copy_skips_overlap_check),
    ),
    # the namespace the coverage meter brought in (#15)
    Mutant("erf_even", "erf(-x) = erf(x)", ("erf_forms",), _function("erf", _erf_odd_sign)),
    Mutant(
        "sort_descending_ties_reversed",
        "sort(descending=True) of a 1-d tensor orders tied values' indices last to first",
        ("sort_case",),
        _both("sort", _sort_unstable_descending),
    ),
    Mutant(
        "unique_counts_off_by_one",
        "unique(return_counts=True) counts a repeated value once more",
        ("unique_case",),
        _both("unique", _unique_counts_off_by_one),
    ),
    Mutant(
        "gamma_without_boost",
        "_standard_gamma samples alpha < 1 as alpha + 1, skipping torch's boost (one uniform, u ** (1 / alpha))",
        ("seeded_rejection_samplers",),
        _function("_standard_gamma", _gamma_without_boost),
    ),
    Mutant(
        "clamp_gradient_multiplies",
        "clamp's gradient multiplies by the in-bounds mask instead of masking (inf/NaN upstream leaks)",
        ("unary_gradient_edges",),
        _both("clamp", _clamp_gradient_multiplies),
    ),
    Mutant(
        "half_rounds_once",
        "x.half() of a double rounds it once (correctly), not through float as c10::Half converts",
        ("doubles_to_half",),
        _method("half", _half_rounds_once),
    ),
)


def apply_from_environment() -> str | None:
    """Apply the mutant named by CONFORMANCE_MUTANT (for whole-suite runs); return its name."""
    name = os.environ.get("CONFORMANCE_MUTANT")
    if not name:
        return None
    by_name = {m.name: m for m in MUTANTS}
    if name not in by_name:
        raise ValueError(f"CONFORMANCE_MUTANT={name!r} is not one of {sorted(by_name)}")
    by_name[name].apply(setattr)
    return name
