"""The op registry: each op is defined once and every Python form of it is generated here.

An op module declares an op with `@register(...)` on one implementation function
`impl(self, *args, **kwargs)` (the method form); the registry then derives

* the function form   ``shim.add(input, other, ...)``  (with torch's check that `input` is a Tensor),
* the method form     ``Tensor.add(self, other, ...)``,
* operators           ``__add__`` and the reflected ``__radd__`` (returning NotImplemented for
                      operands torch does not accept, so Python raises its own TypeError),
* the in-place form   ``Tensor.add_`` and the in-place operator ``__iadd__``, from an in-place
                      implementation passed as `inplace=`.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["register", "OPS", "attach", "Op", "TORCH_INPLACE"]

# the in-place methods torch also exposes as module-level functions (torch.sin_(x) is x.sin_())
TORCH_INPLACE = (
    "abs_ acos_ acosh_ addmv_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ as_strided_ asin_ asinh_ atan_ "
    "atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ conj_physical_ cos_ cosh_ deg2rad_ detach_ erf_ erfc_ exp2_ "
    "exp_ expm1_ fill_ fix_ floor_ frac_ gcd_ i0_ index_put_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ "
    "nan_to_num_ neg_ negative_ rad2deg_ reciprocal_ relu_ resize_as_ round_ rsqrt_ sigmoid_ sin_ sinc_ sinh_ "
    "sqrt_ square_ tan_ tanh_ trunc_ xlogy_ zero_"
).split()


@dataclass
class Op:
    name: str
    impl: Callable
    function: str | None = None
    method: str | None = None
    operators: tuple = ()
    reflected: tuple = ()
    inplace: Callable | None = None
    inplace_name: str | None = None
    ioperators: tuple = ()
    aliases: tuple = ()
    input_types: tuple = ("Tensor",)
    extra: dict = field(default_factory=dict)


OPS: dict[str, Op] = {}


def register(
    name: str,
    *,
    function: bool | str = True,
    method: bool | str = True,
    operators: tuple = (),
    reflected: tuple = (),
    inplace: Callable | None = None,
    ioperators: tuple = (),
    aliases: tuple = (),
    scalar_input: bool | str = False,
    plain: Callable | None = None,
):
    """Declare op `name` from its method-form implementation.  `scalar_input`: the function also takes a
    Number first (torch's Scalar-self overload; "without out" where that overload has no out=).  `plain`:
    `plain(self, other, inplace)`, the op's result for two plain tensors or None, which the operators and the
    methods called with one tensor (x.add(y), x.add_(y)) try first (what the implementation itself would try
    first, without its frames and the argument parser's guard)."""

    def deco(impl):
        op = Op(
            name=name,
            impl=impl,
            function=(name if function is True else function) or None,
            method=(name if method is True else method) or None,
            operators=operators,
            reflected=reflected,
            inplace=inplace,
            inplace_name=name + "_" if inplace is not None else None,
            ioperators=ioperators,
            aliases=aliases,
            extra={"scalar_input": scalar_input, "plain": plain},
        )
        OPS[name] = op
        return impl

    return deco


def _operator(impl, plain=None, inplace=False):
    from ._tensor import Tensor

    if plain is None:

        def operator(self, other):
            if not isinstance(other, (Tensor, numbers.Number, np.bool_)):
                return NotImplemented
            return impl(self, other)

        return operator

    def plain_operator(self, other):
        if other.__class__ is Tensor:
            result = plain(self, other, inplace)
            if result is not None:
                return result
        elif not isinstance(other, (Tensor, numbers.Number, np.bool_)):
            return NotImplemented
        return impl(self, other)

    return plain_operator


def _reflected(impl):
    from ._tensor import Tensor

    def reflected(self, other):
        if not isinstance(other, (Tensor, numbers.Number, np.bool_)):
            return NotImplemented
        return impl(self, other)

    return reflected


def _function(op: Op, name: str | None = None):
    """The function form `torch.op(input, ...)` (or an alias of it: `name`)."""
    from ._dispatch import is_scalar
    from ._tensor import Tensor

    impl = op.impl
    name = name or op.function
    scalar_input = op.extra.get("scalar_input")

    def function(input, *args, **kwargs):
        if type(input) is not Tensor and not isinstance(input, Tensor):
            if scalar_input and is_scalar(input):
                if scalar_input == "without out" and "out" in kwargs:  # (the argument parser's error follows)
                    raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
                return impl(input, *args, **kwargs)
            got = type(input).__name__
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {got}")
        try:
            return impl(input, *args, **kwargs)
        except TypeError as e:
            _as_called(e, op.name, name, shift=1)
            raise

    function.__name__ = function.__qualname__ = name
    function.__doc__ = impl.__doc__
    return function


_POSITION = re.compile(r"\(position (\d+)\)")


def _as_called(error: TypeError, impl_name: str, name: str, shift: int) -> None:
    """An argument error as the form the user called reports it.  The implementations name the op and
    number its arguments as the method form does (`x.op(a)`: a is position 1); a function form counts the
    input first (shift 1), an alias gives its own name."""
    message = error.args[0] if error.args else None
    if isinstance(message, str) and message.startswith(f"{impl_name}(): argument '"):
        message = name + message[len(impl_name) :]
        if shift:
            message = _POSITION.sub(lambda m: f"(position {int(m.group(1)) + shift})", message, count=1)
        error.args = (message,)


def _module_inplace(name: str, method: Callable) -> Callable:
    from ._tensor import Tensor

    def function(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
        try:
            return method(input, *args, **kwargs)
        except TypeError as e:
            _as_called(e, name, name, shift=1)
            raise

    function.__name__ = function.__qualname__ = name
    return function


def _alias(method: Callable, impl_name: str, name: str) -> Callable:
    """A method alias (`x.arctan2`): the method, reporting argument errors under the alias's name."""

    @functools.wraps(method)
    def alias(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except TypeError as e:
            _as_called(e, impl_name, name, shift=0)
            raise

    alias.__name__ = alias.__qualname__ = name
    return alias


def _method(op: Op) -> Callable:
    """The method form: the implementation itself, except that torch's methods take no out= (the Python
    arg parser refuses it before anything runs)."""
    impl = op.impl
    try:
        parameters = inspect.signature(impl).parameters
    except (TypeError, ValueError):
        return impl
    if "out" not in parameters:
        return impl
    others = [p for p in list(parameters.values())[1:] if p.name != "out" and p.kind is not p.VAR_KEYWORD]
    refusal = (
        f"Tensor.{op.method}() takes no keyword arguments"
        if not others
        else f"{op.method}() got an unexpected keyword argument 'out'"
    )

    @functools.wraps(impl)
    def method(self, *args, **kwargs):
        if "out" in kwargs:
            raise TypeError(refusal)
        return impl(self, *args, **kwargs)

    return method


def attach(namespace: dict, tensor_cls: type) -> None:
    """Install every registered op into the public namespace and onto Tensor, then the module-level in-place
    functions torch has for the in-place methods."""
    for op in OPS.values():
        if op.function:
            namespace[op.function] = _function(op)
            for alias in op.aliases:
                namespace[alias] = _function(op, alias)
        plain = op.extra["plain"]
        if op.method:
            method = _method(op)
            if plain is not None:  # (for _argparse.install, which puts the guard behind it)
                method.plain_first = (plain, False)
            setattr(tensor_cls, op.method, method)
            for alias in op.aliases:
                setattr(tensor_cls, alias, _alias(method, op.name, alias))
        for dunder in op.operators:
            unary = dunder in ("__neg__", "__abs__", "__pos__", "__invert__")
            setattr(tensor_cls, dunder, op.impl if unary else _operator(op.impl, op.extra["plain"]))
        for dunder in op.reflected:
            setattr(tensor_cls, dunder, _reflected(op.extra.get("reflected_impl", op.impl)))
        if op.inplace is not None:
            if plain is not None:
                op.inplace.plain_first = (plain, True)
            setattr(tensor_cls, op.inplace_name, op.inplace)
            for alias in op.aliases:
                setattr(tensor_cls, alias + "_", _alias(op.inplace, op.inplace_name, alias + "_"))
            for dunder in op.ioperators:
                setattr(tensor_cls, dunder, _operator(op.inplace, op.extra["plain"], inplace=True))
    for name in TORCH_INPLACE:
        method = getattr(tensor_cls, name, None)
        if method is not None and name not in namespace:
            namespace[name] = _module_inplace(name, method)
