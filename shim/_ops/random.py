"""Random factories and in-place samplers on top of the torch-compatible generator."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._creation import _dtype_arg, _finish, _sizes
from .._dispatch import bump_version, check_inplace, write_out
from .._random import _gen, fill_normal, fill_randint, fill_uniform, randperm_values
from .._registry import register
from .._views import empty_preserving

__all__ = ["rand", "randn", "randint", "randperm"]


def _float_dtype(dtype, name):
    dtype = _dtype_arg(dtype, name) or _dtypes.get_default_dtype()
    if dtype.category < _dtypes.FLOAT:
        kernel = "check_uniform_bounds" if name == "rand" else "normal_kernel_cpu"
        raise RuntimeError(f"\"{kernel}\" not implemented for '{dtype._scalar_name}'")
    return dtype


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    shape = _sizes(size, "rand")
    dtype = _float_dtype(dtype, "rand")
    a = np.empty(shape, dtype.np)
    fill_uniform(a, _gen(generator))
    if out is not None:
        return write_out("rand", out, a, dtype)
    return _finish(a, dtype, device, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    shape = _sizes(size, "randn")
    dtype = _float_dtype(dtype, "randn")
    a = np.empty(shape, dtype.np)
    fill_normal(a, _gen(generator))
    if out is not None:
        return write_out("randn", out, a, dtype)
    return _finish(a, dtype, device, requires_grad)


def randint(
    *args,
    size=None,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    args = list(args)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if size is None:
        raise TypeError('randint() missing 1 required positional arguments: "size"')
    if len(args) == 1:
        low, high = 0, args[0]
    elif len(args) == 2:
        low, high = args
    else:
        raise TypeError("randint() received an invalid combination of arguments")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    shape = _sizes((tuple(size),), "randint")
    dtype = _dtype_arg(dtype, "randint") or _dtypes.int64
    a = np.empty(shape, dtype.np)
    fill_randint(a, _gen(generator), int(low), int(high))
    if out is not None:
        return write_out("randint", out, a, dtype)
    return _finish(a, dtype, device, requires_grad)


def randperm(
    n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    dtype = _dtype_arg(dtype, "randperm") or _dtypes.int64
    a = randperm_values(_gen(generator), n).astype(dtype.np)
    if out is not None:
        return write_out("randperm", out, a, dtype)
    return _finish(a, dtype, device, requires_grad)


def _like(fill, name, float_only=True):
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None, generator=None):
        dtype = _dtype_arg(dtype, name) or input._dtype
        if float_only:
            dtype = _float_dtype(dtype, name.removesuffix("_like"))
        a = empty_preserving(input._a, dtype.np)
        fill(a, _gen(generator))
        return _finish(a, dtype, device if device is not None else input._device, requires_grad)

    like.__name__ = name
    return like


rand_like = _like(fill_uniform, "rand_like")
randn_like = _like(fill_normal, "randn_like")


def randint_like(
    input,
    low=0,
    high=None,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    generator=None,
):
    if high is None:
        low, high = 0, low
    dtype = _dtype_arg(dtype, "randint_like") or input._dtype
    a = empty_preserving(input._a, dtype.np)
    fill_randint(a, _gen(generator), int(low), int(high))
    return _finish(a, dtype, device if device is not None else input._device, requires_grad)


def _inplace(fill):
    def method(self, *args, generator=None, **kwargs):
        check_inplace(self)
        fill(self._a, _gen(generator), *args, **kwargs)
        bump_version(self)
        return self

    return method


register("uniform_", function=False)(_inplace(lambda a, g, from_=0.0, to=1.0: fill_uniform(a, g, from_, to)))
register("normal_", function=False)(_inplace(lambda a, g, mean=0.0, std=1.0: fill_normal(a, g, mean, std)))


def _random_(a, g, from_=None, to=None):
    if from_ is None:
        fill_randint(
            a,
            g,
            0,
            1 << 24
            if a.dtype == np.float32
            else (1 << 53 if a.dtype == np.float64 else int(np.iinfo(a.dtype).max) + 1),
        )
    elif to is None:
        fill_randint(a, g, 0, from_)
    else:
        fill_randint(a, g, from_, to)


register("random_", function=False)(_inplace(_random_))

FUNCTIONS = {
    "rand": rand,
    "randn": randn,
    "randint": randint,
    "randperm": randperm,
    "rand_like": rand_like,
    "randn_like": randn_like,
    "randint_like": randint_like,
}
