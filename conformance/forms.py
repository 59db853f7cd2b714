"""Every Python form torch offers for an op, drawn as one dimension of a case.

An op may be reached as the function `torch.op(x, ...)`, the method `x.op(...)`, the in-place method
`x.op_(...)`, the module-level in-place function `torch.op_(x, ...)`, the function with `out=`, and for
the ops Python spells with a symbol, the operator `x + y`, the reflected operator `y + x` (`__radd__` where
y is a number) and the in-place operator `x += y`.  A case draws the form (`forms("op")`), runs it with
`call`, and declares what it covers with `covers("op")`, so a form whose code diverges from the others is
caught and the coverage meter counts each form torch has.  Which forms torch has is read from the meter's
record of torch's names; the operators are Python's (torch.Tensor defines each dunder below).

The out= form passes an empty tensor of the function's result dtype; `out:<dtype>` one of that dtype
(torch casts into it, or refuses the cast).
"""

from __future__ import annotations

import functools
import operator
from functools import cache

from hypothesis import strategies as st

from .meter import load_names

__all__ = ["FORMS", "OPERATORS", "available", "forms", "covers", "call", "op_and_form", "each_form"]

FORMS = ("function", "method", "inplace", "torch_inplace", "out", "operator", "reflected", "ioperator")
# op: (symbol, operator function, in-place operator function or None); unary ops take one operand
OPERATORS = {
    "add": ("+", operator.add, operator.iadd),
    "sub": ("-", operator.sub, operator.isub),
    "mul": ("*", operator.mul, operator.imul),
    "div": ("/", operator.truediv, operator.itruediv),
    "floor_divide": ("//", operator.floordiv, operator.ifloordiv),
    "remainder": ("%", operator.mod, operator.imod),
    "pow": ("**", operator.pow, operator.ipow),
    "matmul": ("@", operator.matmul, None),  # torch.Tensor has no __imatmul__
    "eq": ("==", operator.eq, None),
    "ne": ("!=", operator.ne, None),
    "lt": ("<", operator.lt, None),
    "le": ("<=", operator.le, None),
    "gt": (">", operator.gt, None),
    "ge": (">=", operator.ge, None),
    "bitwise_and": ("&", operator.and_, operator.iand),
    "bitwise_or": ("|", operator.or_, operator.ior),
    "bitwise_xor": ("^", operator.xor, operator.ixor),
    "bitwise_left_shift": ("<<", operator.lshift, operator.ilshift),
    "bitwise_right_shift": (">>", operator.rshift, operator.irshift),
    "neg": ("unary -", operator.neg, None),
    "positive": ("unary +", operator.pos, None),
    "abs": ("abs()", abs, None),
    "bitwise_not": ("~", operator.invert, None),
}
_UNARY_OPERATORS = {"neg", "positive", "abs", "bitwise_not"}
_COVER = {
    "function": "{}",
    "method": "Tensor.{}",
    "inplace": "{}_",
    "torch_inplace": "torch.{}_",
    "out": "{}(out=)",
}


@cache
def _names() -> tuple[frozenset, frozenset, frozenset]:
    data = load_names()["namespaces"]
    return frozenset(data["torch"]["names"]), frozenset(data["Tensor"]["names"]), frozenset(data["torch"]["out"])


def available(name: str, without: tuple = ()) -> tuple[str, ...]:
    """The forms torch 2.13 offers for `name` (less those in `without`)."""
    functions, methods, outs = _names()
    symbol = OPERATORS.get(name)
    has = {
        "function": name in functions,
        "method": name in methods,
        "inplace": name + "_" in methods,
        "torch_inplace": name + "_" in functions,
        "out": name in outs,
        "operator": symbol is not None,
        "reflected": symbol is not None and name not in _UNARY_OPERATORS and name != "matmul",
        "ioperator": symbol is not None and symbol[2] is not None,
    }
    found = tuple(f for f in FORMS if has[f] and f not in without)
    if not found:
        raise ValueError(f"torch has no form of {name!r} (or all were left out)")
    return found


def forms(name: str, without: tuple = (), out_dtypes: tuple = ()) -> st.SearchStrategy:
    """The forms of `name` to draw; out_dtypes adds out= into an empty tensor of each of those dtypes."""
    found = available(name, without)
    if not out_dtypes or "out" not in found:
        return st.sampled_from(found)
    out_forms = st.sampled_from(("out",) + tuple(f"out:{d}" for d in out_dtypes))
    return st.sampled_from(found).flatmap(lambda f: out_forms if f == "out" else st.just(f))


def op_and_form(names, without: tuple = ()) -> st.SearchStrategy:
    """One of the (op, form) pairs of `names`, drawn from the flat list (each pair alike, rather than an op
    and then one of its forms)."""
    return st.sampled_from([(n, f) for n in sorted(names) for f in available(n, without)])


def covers(*names: str, without: tuple = ()) -> tuple[str, ...]:
    """The `covers` strings of every form of each name (for @case)."""
    out = []
    for n in names:
        for f in available(n, without):
            if f in _COVER:
                out.append(_COVER[f].format(n))
            else:
                symbol, _, _ = OPERATORS[n]
                out.append({"operator": symbol, "reflected": f"reflected {symbol}", "ioperator": symbol + "="}[f])
    return tuple(out)


def _empty_like(xp, result, dtype=None):
    if isinstance(result, xp.Tensor):
        return xp.empty(0, dtype=dtype or result.dtype)
    if isinstance(result, (tuple, list)):
        return tuple(_empty_like(xp, r) for r in result)
    raise TypeError(f"no out= form for a result of type {type(result).__name__}")


def _function(xp, name: str):
    """torch.<name>, where name may reach into a namespace ("special.erf", "fft.rfft")."""
    return functools.reduce(getattr, name.split("."), xp)


def call(xp, form: str, name: str, x, *args, **kwargs):
    """Run op `name` on `x` (and the other arguments) in `form`.  In-place forms and out= also return
    whether the result is the tensor written into.  The reflected form puts the other operand first.  A
    function in a namespace ("special.erf") has the function and out= forms."""
    if form == "function":
        return _function(xp, name)(x, *args, **kwargs)
    if form == "method":
        return getattr(x, name)(*args, **kwargs)
    if form == "inplace":
        r = getattr(x, name + "_")(*args, **kwargs)
        return r, r is x
    if form == "torch_inplace":
        r = getattr(xp, name + "_")(x, *args, **kwargs)
        return r, r is x
    if form == "operator":
        return OPERATORS[name][1](x, *args)
    if form == "reflected":
        (other,) = args
        return OPERATORS[name][1](other, x)
    if form == "ioperator":
        r = OPERATORS[name][2](x, *args)
        return r, r is x
    if form == "out" or form.startswith("out:"):
        # out= tensors of the result's dtypes (or the one named), empty: torch resizes them without a
        # warning; where the function raises, so does its out= form, with the same error
        dtype = getattr(xp, form[4:]) if form.startswith("out:") else None
        out = _empty_like(xp, _function(xp, name)(x, *args, **kwargs), dtype)
        r = _function(xp, name)(x, *args, out=out, **kwargs)
        same = all(a is b for a, b in zip(r, out)) if isinstance(out, tuple) else r is out
        return r, same
    raise ValueError(f"unknown form {form!r}")


_WRITES = ("inplace", "torch_inplace", "ioperator")


def each_form(xp, name: str, x, *args, without: tuple = ("reflected",), **kwargs) -> dict:
    """Op `name` on the same arguments in every form torch offers: form -> result, or the error as text.
    The writing forms work on a clone of x.  Drawing the form leaves some forms few examples (Hypothesis
    draws unevenly); this compares them all on each example."""
    results = {}
    for form in available(name, without):
        target = x.clone() if form in _WRITES else x
        try:
            results[form] = call(xp, form, name, target, *args, **kwargs)
        except Exception as e:  # noqa: BLE001 (each form's error is compared, as a result)
            results[form] = f"{type(e).__name__}: {e}"
    return results
