"""Every Python form torch offers for an op, drawn as one dimension of a case.

An op may be reached as the function `torch.op(x, ...)`, the method `x.op(...)`, the in-place method
`x.op_(...)`, the module-level in-place function `torch.op_(x, ...)` and the function with `out=`.  A case
draws the form (`forms("op")`), runs it with `call`, and declares what it covers with `covers("op")`, so a
form whose code diverges from the others is caught and the coverage meter counts each form torch has.
Which forms torch has is read from the meter's record of torch's names.
"""

from __future__ import annotations

from functools import cache

from hypothesis import strategies as st

from .meter import load_names

__all__ = ["FORMS", "available", "forms", "covers", "call"]

FORMS = ("function", "method", "inplace", "torch_inplace", "out")
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
    has = {
        "function": name in functions,
        "method": name in methods,
        "inplace": name + "_" in methods,
        "torch_inplace": name + "_" in functions,
        "out": name in outs,
    }
    found = tuple(f for f in FORMS if has[f] and f not in without)
    if not found:
        raise ValueError(f"torch has no form of {name!r} (or all were left out)")
    return found


def forms(name: str, without: tuple = ()) -> st.SearchStrategy:
    return st.sampled_from(available(name, without))


def covers(*names: str, without: tuple = ()) -> tuple[str, ...]:
    """The `covers` strings of every form of each name (for @case)."""
    return tuple(_COVER[f].format(n) for n in names for f in available(n, without))


def _empty_like(xp, result):
    if isinstance(result, xp.Tensor):
        return xp.empty(0, dtype=result.dtype)
    if isinstance(result, (tuple, list)):
        return tuple(_empty_like(xp, r) for r in result)
    raise TypeError(f"no out= form for a result of type {type(result).__name__}")


def call(xp, form: str, name: str, x, *args, **kwargs):
    """Run op `name` on `x` (and the other arguments) in `form`.  In-place forms and out= also return
    whether the result is the tensor written into."""
    if form == "function":
        return getattr(xp, name)(x, *args, **kwargs)
    if form == "method":
        return getattr(x, name)(*args, **kwargs)
    if form == "inplace":
        r = getattr(x, name + "_")(*args, **kwargs)
        return r, r is x
    if form == "torch_inplace":
        r = getattr(xp, name + "_")(x, *args, **kwargs)
        return r, r is x
    if form == "out":
        # out= tensors of the result's dtypes, empty: torch resizes them (without a warning); where the
        # function raises, so does its out= form, with the same error
        out = _empty_like(xp, getattr(xp, name)(x, *args, **kwargs))
        r = getattr(xp, name)(x, *args, out=out, **kwargs)
        same = all(a is b for a, b in zip(r, out)) if isinstance(out, tuple) else r is out
        return r, same
    raise ValueError(f"unknown form {form!r}")
