"""Random factories and in-place samplers on top of the torch-compatible generator."""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE
from .._autograd.views import record_inplace
from .._cpu import distributions as _samplers
from .._creation import _allocate, _dtype_arg, _finish, _sizes, size_args
from .._devices import check_pin_memory
from .._dispatch import broadcast_shapes, bump_version, check_inplace, check_out_grad, check_overlap, record, write_out
from .._errors import invalid_arguments, not_implemented_for, warn_internal
from .._random import (
    _gen,
    fill_bernoulli,
    fill_cauchy,
    fill_exponential,
    fill_geometric,
    fill_log_normal,
    fill_normal,
    fill_randint,
    fill_random,
    fill_uniform,
    randperm_values,
)
from .._registry import register
from .._tensor import Size, Tensor, make
from .._views import empty_preserving
from .elementwise import formula, not_implemented_formula
from .shape import expand

__all__ = ["rand", "randn", "randint", "randperm", "multinomial"]


def _real_view(a: np.ndarray) -> np.ndarray:
    """A complex array as its real parts, shape (..., 2) (torch's view_as_real), or the array itself."""
    if a.dtype.kind != "c":
        return a
    return np.lib.stride_tricks.as_strided(a.real, a.shape + (2,), a.strides + (a.itemsize // 2,), writeable=True)


def _cpp_double(v: float) -> str:
    return f"{v:g}"  # how C++'s ostream prints a double in torch's messages


@functools.cache
def _largest(np_type) -> float:
    return float(np.finfo(np_type).max)


def uniform_into(a: np.ndarray, gen, low=0.0, high=1.0) -> None:
    """torch's uniform_impl_: bound checks (even when empty, except for complex), then the kernel; complex
    fills both parts."""
    if a.dtype.kind == "c" and not a.size:
        return
    a = _real_view(a)
    dtype = _dtypes.from_numpy_dtype(a.dtype)
    if dtype.category != _dtypes.FLOAT:
        raise not_implemented_for("check_uniform_bounds", dtype)
    low, high = float(low), float(high)
    limit = _largest(a.dtype.type)
    for value, name in ((low, "from"), (high, "to")):
        if not -limit <= value <= limit:
            raise RuntimeError(f"{name} is out of bounds for {dtype._cpp_name}")
    if low > high:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={_cpp_double(low)} > to={_cpp_double(high)}"
        )
    if high - low > limit:
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{dtype._scalar_name}>::max(), but found "
            f"to={_cpp_double(high)} and from={_cpp_double(low)} which result in to-from to exceed the limit"
        )
    if a.size:
        fill_uniform(a, gen, low, high)


def normal_into(a: np.ndarray, gen, mean=0.0, std=1.0) -> None:
    """torch's normal_impl_: a complex tensor's parts each get std / sqrt(2)."""
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_cpp_double(std)}")
    if a.dtype.kind == "c":
        a, std = _real_view(a), std / math.sqrt(2)
    if not a.size:
        return
    dtype = _dtypes.from_numpy_dtype(a.dtype)
    if dtype.category != _dtypes.FLOAT:
        raise not_implemented_for("normal_kernel_cpu", dtype)
    fill_normal(a, gen, mean, std)


_TAIL = (  # the keywords of the sized random factories' signatures, as torch's parser lists them
    "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
    "bool pin_memory = False, bool requires_grad = False"
)
_SIZED_SIGNATURES = tuple(f"tuple of ints size, *, {gen}{_TAIL}" for gen in ("torch.Generator generator, ", ""))


def _random_size(name: str, args: tuple, size, keywords: tuple) -> tuple:
    if not args and size is None and not any(keywords):  # nothing at all: no overload matches
        raise invalid_arguments(name, (), {}, _SIZED_SIGNATURES)
    return _sizes(size_args(name, args, size), name)


def _random_factory(name: str, fill_into):
    """rand and randn: a sized factory filled from a generator."""

    def factory(
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
        shape = _random_size(name, args, size, (generator, out, dtype, layout, device, requires_grad, pin_memory))
        dtype = _dtype_arg(dtype, name) or _dtypes.get_default_dtype()
        a = _allocate(np.empty, shape, dtype)
        check_pin_memory(pin_memory, device)
        fill_into(a, _gen(generator, device))
        if out is not None:
            return write_out(name, out, a, dtype)
        return _finish(a, dtype, device, requires_grad, pin_memory)

    factory.__name__ = name
    return factory


rand = _random_factory("rand", uniform_into)
randn = _random_factory("randn", normal_into)


_RANDINT_SIGNATURES = tuple(
    f"{head}, *, {gen}{_TAIL}"
    for head in ("int high, tuple of ints size", "int low, int high, tuple of ints size")
    for gen in ("torch.Generator generator, ", "")
)


def randint(
    *args,
    low=None,
    high=None,
    size=None,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    given, size_keyword = list(args), size
    if size is None and given and isinstance(given[-1], (tuple, list, Size)):
        size = given.pop()
    given = ([low] if low is not None else []) + given + ([high] if high is not None else [])  # (keywords)
    if size is None or len(given) not in (1, 2):
        passed = {
            k: v for k, v in (("size", size_keyword), ("generator", generator), ("dtype", dtype)) if v is not None
        }
        raise invalid_arguments("randint", args, passed, _RANDINT_SIGNATURES)
    for position, (arg, value) in enumerate(zip(("low", "high") if len(given) == 2 else ("high",), given), 1):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeError(
                f"randint(): argument '{arg}' (position {position}) must be int, not {type(value).__name__}"
            )
    low, high = (0, given[0]) if len(given) == 1 else given
    shape = _sizes((tuple(size),), "randint")
    dtype = _dtype_arg(dtype, "randint") or _dtypes.int64
    a = _allocate(np.empty, shape, dtype)
    check_pin_memory(pin_memory, device)
    random_from_to(a, _gen(generator, device), low, high)
    if out is not None:
        return write_out("randint", out, a, dtype)
    return _finish(a, dtype, device, requires_grad, pin_memory)


def randperm(
    n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype = _dtype_arg(dtype, "randperm") or _dtypes.int64
    check_pin_memory(pin_memory, device)
    a = randperm_values(_gen(generator, device), n).astype(dtype.np)
    if out is not None:
        return write_out("randperm", out, a, dtype)
    return _finish(a, dtype, device, requires_grad, pin_memory)


@register("multinomial")
def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator=None, out=None) -> Tensor:
    """Indices drawn from each row's weights.  With replacement, torch's CPU kernel: the row's cumulative
    sums (in the input's type) normalised by their total, then per sample one 53-bit uniform double and a
    binary search for the first bin whose cumulative weight is not below it."""
    a = input._a
    if a.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if input._dtype.category != _dtypes.FLOAT:
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: {input._dtype._scalar_name}"
        )
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_categories = a.shape[-1]
    if not replacement and num_samples > n_categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if not replacement or num_samples == 1:
        return _multinomial_by_exponential(input, num_samples, generator, out)
    rows = a.reshape(-1, n_categories)
    gen = _gen(generator)
    result = np.empty((rows.shape[0], num_samples), np.int64)
    for r, row in enumerate(rows):
        bad = np.flatnonzero(~(row >= 0) | ~np.isfinite(row))  # torch stops at the first bad entry
        if bad.size:
            what = "< 0" if not row[bad[0]] >= 0 else "= infinity or NaN"
            raise RuntimeError(f"invalid multinomial distribution (encountering probability entry {what})")
        cumulative = np.cumsum(row, dtype=row.dtype)
        total = cumulative[-1]
        if total <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cumulative = cumulative / total
        uniform = (gen._raw64(num_samples) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53
        # np.searchsorted(left) finds the first bin with cumulative >= the sample: torch's binary search
        result[r] = np.searchsorted(cumulative.astype(np.float64), uniform, side="left")
    value = result.reshape(a.shape[:-1] + (num_samples,))
    if out is not None:
        return write_out("multinomial", out, value, _dtypes.int64)
    return make(value, _dtypes.int64, input._device)


def _multinomial_by_exponential(input: Tensor, num_samples: int, generator, out) -> Tensor:
    """torch's fast path (no replacement, or one sample): the top num_samples of p / q with q ~ Exp(1), which
    is the Gumbel-max trick with the exp taken."""
    a = input._a
    if not (a.max(initial=-np.inf) < np.inf and a.min(initial=np.inf) >= 0):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (a.sum(-1) == 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    q = empty_preserving(a, a.dtype)  # (torch's empty_like: contiguous for an expanded input)
    fill_exponential(q, _gen(generator), 1.0)
    ratio = make(a / q, input._dtype)
    index = ratio.argmax(-1, True) if num_samples == 1 else ratio.topk(num_samples)[1]
    if out is not None:
        return write_out("multinomial", out, index._a, _dtypes.int64)
    return make(index._a, _dtypes.int64, input._device)


# -- integers in [from, to): torch's random_from_to_impl ---------------------------------------------------
_DIGITS = {np.dtype(np.float16): 11, np.dtype(np.float32): 24, np.dtype(np.float64): 53}
_WARN_LINE = {"from": 110, "to - 1": 111}


def _round_to_digits(v: int, digits: int) -> int:
    """int64 -> floating type -> int64: v rounded to `digits` significant bits, ties to even."""
    n = abs(v).bit_length() - digits
    if n <= 0:
        return v
    q, r = divmod(abs(v), 1 << n)
    if r > (1 << (n - 1)) or (r == (1 << (n - 1)) and q & 1):
        q += 1
    return (q << n) * (1 if v >= 0 else -1)


def _update_from(v: int, digits: int) -> int:
    """A `from` that rounds up when cast is nudged to the next representable value above it."""
    plus_1 = _round_to_digits(v + 1, digits)
    if plus_1 < v:
        plus_1 += 1 << (abs(v + 1).bit_length() - 1 - digits + 1)
        return plus_1
    return v


def _update_to(v: int, digits: int) -> int:
    minus_1 = _round_to_digits(v - 1, digits)
    if minus_1 >= v:
        return minus_1 - (1 << (abs(v - 1).bit_length() - 1 - digits + 1))
    return v


def _check_in_range(a: np.ndarray, low: int, to_inc: int) -> None:
    dtype = _dtypes.from_numpy_dtype(a.dtype)
    if a.dtype.kind == "f":
        info = np.finfo(a.dtype)
        bounds = (float(info.min), float(info.max))
    else:
        info = np.iinfo(a.dtype) if a.dtype != np.bool_ else None
        bounds = (int(info.min), int(info.max)) if info else (0, 1)
    for value, name in ((low, "from"), (to_inc, "to - 1")):
        if not bounds[0] <= value <= bounds[1]:
            raise RuntimeError(f"{name} is out of bounds for {dtype._cpp_name}")
    digits = _DIGITS.get(a.dtype)
    for value, name in ((low, "from"), (to_inc, "to - 1")) if digits else ():
        if not -(1 << digits) <= value <= 1 << digits:
            warn_internal(
                f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
                f"{dtype._cpp_name} can support discrete uniform distribution only within this range. This warning "
                "will become an error in version 1.7 release, please fix the code in advance",
                f"aten/src/ATen/native/DistributionTemplates.h:{_WARN_LINE[name]}",
            )


def random_from_to(a: np.ndarray, gen, low, high) -> None:
    low, high = _as_int64(low), _as_int64(high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if a.dtype.kind == "c":
        raise RuntimeError("check_random_bounds handles only integral, floating-point and boolean types")
    digits = _DIGITS.get(a.dtype)
    if digits:
        low, high = _update_from(low, digits), _update_to(high, digits)
        if low >= high:
            raise RuntimeError(
                "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got "
                f"from={low} >= to={high}"
            )
    _check_in_range(a, low, high - 1)
    if a.size:
        fill_randint(a, gen, (high - low) & ((1 << 64) - 1), low)


def _as_int64(v) -> int:
    v = int(v)
    if not -(1 << 63) <= v < 1 << 63:
        raise ValueError("Overflow when unpacking long long")
    return v


def _like(fill, name):
    def like(
        input,
        *,
        dtype=None,
        layout=None,
        device=None,
        requires_grad=False,
        memory_format=None,
        generator=None,
        pin_memory=False,
    ):
        dtype = _dtype_arg(dtype, name) or input._dtype
        device = device if device is not None else input._device
        a = empty_preserving(input._a, dtype.np)
        check_pin_memory(pin_memory, device)
        fill(a, _gen(generator))
        return _finish(a, dtype, device, requires_grad, pin_memory)

    like.__name__ = name
    return like


rand_like = _like(uniform_into, "rand_like")
randn_like = _like(normal_into, "randn_like")


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
    pin_memory=False,
):
    if high is None:
        low, high = 0, low
    if isinstance(high, Tensor) and high._a.ndim:  # (the Tensor-high overload)
        raise RuntimeError("high must be a scalar tensor and on CPU")
    dtype = _dtype_arg(dtype, "randint_like") or input._dtype
    device = device if device is not None else input._device
    a = empty_preserving(input._a, dtype.np)
    check_pin_memory(pin_memory, device)
    random_from_to(a, _gen(generator), low, high)
    return _finish(a, dtype, device, requires_grad, pin_memory)


def _inplace(fill):
    def method(self, *args, generator=None, **kwargs):
        check_inplace(self)
        fill(self._a, _gen(generator), *args, **kwargs)
        bump_version(self)
        return self

    return method


register("uniform_", function=False)(_inplace(uniform_into))
register("normal_", function=False)(_inplace(normal_into))


def _random_(a, g, from_=None, to=None):
    if from_ is None and to is not None:  # random_(to=n): torch's (int to) overload by keyword
        from_, to = to, None
    if from_ is None:
        if not a.size:
            return
        if a.dtype.kind == "c":
            raise not_implemented_for("random_kernel_cpu", _dtypes.from_numpy_dtype(a.dtype))
        fill_random(a, g)
    elif to is None:
        random_from_to(a, g, 0, from_)
    else:
        random_from_to(a, g, from_, to)


register("random_", function=False)(_inplace(_random_))


# -- the serial-kernel samplers: exponential_, cauchy_, geometric_, log_normal_ -------------------------------
def _continuous(kind: str, a: np.ndarray, name_of) -> None:
    dtype = _dtypes.from_numpy_dtype(a.dtype)
    if dtype.category != _dtypes.FLOAT:
        raise RuntimeError(
            f"{kind} distribution is a continuous probability distribution. dtype must be a floating point but "
            f"you specified {name_of(dtype)}"
        )


def _exponential(a, g, lambd=1.0):
    lambd = float(lambd)
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_cpp_double(lambd)}")
    if a.size:  # (an empty tensor skips the kernel and its dtype check)
        _continuous("Exponential", a, lambda d: d._scalar_name)
        fill_exponential(a, g, lambd)


def _cauchy(a, g, median=0.0, sigma=1.0):
    sigma = float(sigma)
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_cpp_double(sigma)}")
    _continuous("Cauchy", a, lambda d: d._cpp_name)
    fill_cauchy(a, g, float(median), sigma)


def _geometric(a, g, p):
    p = float(p)
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_cpp_double(p)}")
    dtype = _dtypes.from_numpy_dtype(a.dtype)
    if a.size and dtype.category in (_dtypes.BOOL, _dtypes.COMPLEX):
        raise not_implemented_for("geometric_cpu", dtype)
    fill_geometric(a, g, p)


def _log_normal(a, g, mean=1.0, std=2.0):
    std = float(std)
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_cpp_double(std)}")
    dtype = _dtypes.from_numpy_dtype(a.dtype)
    if a.size and dtype.category != _dtypes.FLOAT:
        raise not_implemented_for("log_normal_cpu", dtype)
    fill_log_normal(a, g, float(mean), std)


for _name, _fill in (
    ("exponential_", _exponential),
    ("cauchy_", _cauchy),
    ("geometric_", _geometric),
    ("log_normal_", _log_normal),
):
    register(_name, function=False)(_inplace(_fill))


# -- the rejection samplers: _standard_gamma, _sample_dirichlet, poisson, binomial ----------------------------
def _float_kernel(name: str, t: Tensor, half: bool = False) -> type:
    """The scalar type a float kernel computes in; float16 only where torch's kernel dispatches it."""
    if t._dtype.category != _dtypes.FLOAT or (t._dtype is _dtypes.float16 and not half):
        raise not_implemented_for(name, t._dtype)
    return t._a.dtype.type


def _each(values: np.ndarray, T: type, draw) -> np.ndarray:
    """The serial kernel over a fresh contiguous output: `draw` per element in C order."""
    flat = np.ascontiguousarray(values).reshape(-1)
    return np.array([draw(v) for v in flat], dtype=T).reshape(values.shape)


def _sampled(values: np.ndarray, like: Tensor) -> Tensor:
    return make(values, like._dtype, like._device)


def _standard_gamma(input: Tensor, generator=None) -> Tensor:
    T = _float_kernel("gamma_cpu", input)
    gen = _gen(generator)
    result = _sampled(
        _each(input._a, T, lambda a: _samplers.at_least_tiny(_samplers.sample_gamma(a, T, gen), T)), input
    )
    if STATE.grad_enabled and input._rg:
        record("StandardGammaBackward0", (input,), (_GAMMA_GRAD,), {"self": input, "result": result}, result)
    return result


_GAMMA_GRAD = formula(lambda F, g, self, result: g * F.standard_gamma_grad(self, result))


def standard_gamma_grad_values(alpha: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """d(sample)/d(alpha) of standard Gamma samples, per element in double, rounded to the dtype."""
    pairs = zip(np.asarray(alpha, np.float64).reshape(-1).tolist(), np.asarray(sample, np.float64).reshape(-1).tolist())
    values = np.array([_samplers.standard_gamma_grad_one(a, x) for a, x in pairs], dtype=np.float64)
    return values.astype(np.asarray(alpha).dtype).reshape(np.shape(alpha))


def _standard_gamma_grad(self: Tensor, output: Tensor) -> Tensor:
    _float_kernel("_standard_gamma_grad_cpu", self)
    return make(standard_gamma_grad_values(self._a, output._a), self._dtype, self._device)


def _dirichlet_grad(x: Tensor, alpha: Tensor, total: Tensor) -> Tensor:
    T = _float_kernel("_dirichlet_grad_cpu", x)
    triples = np.broadcast_arrays(x._a, alpha._a, total._a)
    flat = zip(*(np.asarray(a, T).reshape(-1).tolist() for a in triples))
    values = np.array([_samplers.dirichlet_grad_one(*v, T) for v in flat], dtype=T)
    return make(values.reshape(triples[0].shape), x._dtype, x._device)


def _sample_dirichlet(input: Tensor, generator=None) -> Tensor:
    """Gamma draws in double, normalised by their sum over the last dim, kept inside (0, 1) in the dtype."""
    T = _float_kernel("dirichlet", input)
    gen = _gen(generator)
    f64 = np.float64
    gamma = make(
        _each(input._a, f64, lambda a: _samplers.at_least_tiny(_samplers.sample_gamma(a, f64, gen), f64)),
        _dtypes.float64,
    )
    ratio = (gamma._a / gamma.sum(-1, True)._a).astype(T)
    top = np.nextafter(T(1), T(0))
    return _sampled(np.minimum(top, np.maximum(np.finfo(T).tiny, ratio)), input)


def poisson(input: Tensor, generator=None) -> Tensor:
    T = _float_kernel("poisson_cpu", input, half=True)
    gen = _gen(generator)
    return _sampled(_each(input._a, T, lambda lam: _samplers.sample_poisson(float(lam), gen)), input)


def binomial(count: Tensor, prob: Tensor, generator=None) -> Tensor:
    if count._dtype.category != _dtypes.FLOAT:
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: {count._dtype._scalar_name}")
    T = _float_kernel("binomial_cpu", count)
    if prob._dtype is not count._dtype:
        raise RuntimeError(f"Found dtype {prob._dtype._scalar_name} but expected {count._dtype._scalar_name}")
    gen = _gen(generator)
    pairs = np.stack(np.broadcast_arrays(count._a, prob._a.astype(T)), -1)
    flat = pairs.reshape(-1, 2)
    out = np.array([_samplers.sample_binomial(c, p, T, gen) for c, p in flat], dtype=T)
    return _sampled(out.reshape(pairs.shape[:-1]), count)


# -- bernoulli ------------------------------------------------------------------------------------------------
_P_RANGE = (
    "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, "
    "please report an enhancement request to PyTorch.)"
)
_ZERO_GRAD = formula(lambda F, g: F.zeros_like(g))


def _bernoulli_into(out: Tensor, p, generator) -> str:
    """Fill `out` with Bernoulli(p) draws; the autograd node name of the variant torch ran."""
    gen = _gen(generator)
    if not out._a.size:
        return "BernoulliBackward1" if isinstance(p, Tensor) else "BernoulliBackward2"
    if out._dtype.category == _dtypes.COMPLEX:
        kernel = "bernoulli_tensor_cpu_self_" if isinstance(p, Tensor) else "bernoulli_scalar_cpu_"
        raise not_implemented_for(kernel, out._dtype)
    if isinstance(p, Tensor):
        if p._dtype.category != _dtypes.FLOAT:
            raise not_implemented_for("bernoulli_tensor_cpu_p_", p._dtype)
        values = p._a
        if values.size and not ((values >= 0) & (values <= 1)).all():
            raise RuntimeError(_P_RANGE)
        expand(p, out.shape)  # torch's expand_inplace, with its message
        fill_bernoulli(out._a, gen, values)
        return "BernoulliBackward1"
    p = float(p)
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")  # C++ ostream's default format
    fill_bernoulli(out._a, gen, p)
    return "BernoulliBackward2"


@register("bernoulli_", function=False)
def bernoulli_(self: Tensor, p=0.5, *, generator=None) -> Tensor:
    check_inplace(self)
    node = _bernoulli_into(self, p, generator)
    bump_version(self)
    if STATE.grad_enabled and (self._rg or (isinstance(p, Tensor) and p._rg)):
        inputs = (self, p) if isinstance(p, Tensor) else (self,)
        record_inplace(self, node, inputs, (_ZERO_GRAD,) * len(inputs), {})
    return self


@register("bernoulli")
def bernoulli(input: Tensor, p=None, *, generator=None, out=None) -> Tensor:
    if out is not None and out._a.shape == input._a.shape:  # drawn straight into `out`, whatever its dtype
        check_overlap(out)
        _bernoulli_into(out, input if p is None else p, generator)
        bump_version(out)
        return out
    dtype = input._dtype if out is None else out._dtype
    result = make(np.empty(input._a.shape, dtype.np), dtype, input._device)
    _bernoulli_into(result, input if p is None else p, generator)
    if out is not None:  # resized, as torch resizes it
        return write_out("bernoulli", out, result._a, dtype, (input,), warn_resize=False)
    if STATE.grad_enabled and input._rg:
        if p is None:
            record("BernoulliBackward0", (input,), (_ZERO_GRAD,), {}, result)
        else:
            record("NotImplemented", (input,), (not_implemented_formula("bernoulli.p"),), {}, result)
    return result


_NORMAL_SIGNATURES = (
    "Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
    "Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None",
    "float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
    "float mean, float std, tuple of ints size, *, torch.Generator generator = None, " + _TAIL,
)
# torch's nodes for the three tensor overloads (their derivatives are zeros of each input's shape)
_NORMAL_NODES = {(True, False): "NormalBackward1", (False, True): "NormalBackward2", (True, True): "NormalBackward3"}
_ZEROS_OF = (
    formula(lambda F, g, mean_shape: F.new_zeros(tuple(mean_shape), g)),
    formula(lambda F, g, std_shape: F.new_zeros(tuple(std_shape), g)),
)


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           pin_memory=False, requires_grad=False):  # fmt: skip
    """torch.normal, as Distributions.cpp computes it: with numbers for mean and std, a sized result filled by
    normal_(mean, std); with a tensor mean and a number std, draws scaled by std into a tensor like mean, plus
    mean; with a tensor std, standard draws into the broadcast result, times std, plus mean (in the result's
    dtype, in place).  The draws are not differentiable: mean and std get zero gradients."""
    from .. import _creation
    from .._autograd.grad_mode import no_grad

    gen = _gen(generator)
    tensors = (isinstance(mean, Tensor), isinstance(std, Tensor))
    if out is not None:
        check_out_grad("normal", out, (mean, std))
    if tensors == (False, False):
        if size is None:
            given = {"size": size} if size is not None else {}
            raise invalid_arguments("normal", (mean, std), given, _NORMAL_SIGNATURES)
        dtype = _dtype_arg(dtype, "normal") or _dtypes.get_default_dtype()
        a = _allocate(np.empty, _sizes(size_args("normal", (), size), "normal"), dtype)
        check_pin_memory(pin_memory, device)
        normal_into(a, gen, mean, std)
        if out is not None:
            return write_out("normal", out, a, dtype)
        return _finish(a, dtype, device, requires_grad, pin_memory)
    if tensors[1] and std.is_complex():
        raise RuntimeError("normal expects standard deviation to be non-complex")
    if tensors[1] and std._a.size and not (std._a >= 0).all():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    with no_grad():
        if tensors == (True, False):
            if not float(std) >= 0.0:  # (checked before the result is sized)
                raise RuntimeError(f"normal expects std >= 0.0, but found std {_cpp_double(float(std))}")
            if out is not None:  # (torch 2.13 broadcasts mean with an empty_like(out): an empty out stays empty)
                shape = broadcast_shapes(mean._a.shape, out._a.shape)
                result = make(np.empty(shape, mean._dtype.np), mean._dtype, mean._device)
            else:
                result = _creation.empty_like(mean, memory_format=_contiguous())
            normal_into(result._a, gen, 0.0, std)
            result.add_(mean)
        else:
            like = mean if tensors[0] else std
            shape = broadcast_shapes(mean._a.shape, std._a.shape) if tensors[0] else std._a.shape
            result = make(np.empty(shape, like._dtype.np), like._dtype, like._device)
            normal_into(result._a, gen, 0.0, 1.0)
            result.mul_(std).add_(mean)
    result = make(result._a, result._dtype, result._device)  # (ATen's own in-place steps count no versions)
    pairs = [(t, f) for t, f, is_tensor in zip((mean, std), _ZEROS_OF, tensors) if is_tensor]
    if STATE.grad_enabled and any(t._rg for t, _ in pairs):
        saved = {"mean_shape": getattr(mean, "shape", None), "std_shape": getattr(std, "shape", None)}
        record(_NORMAL_NODES[tensors], tuple(t for t, _ in pairs), tuple(f for _, f in pairs), saved, result)
    return write_out("normal", out, result._a, result._dtype) if out is not None else result


def _contiguous():
    from .. import contiguous_format

    return contiguous_format


FUNCTIONS = {
    "normal": normal,
    "_standard_gamma": _standard_gamma,
    "_sample_dirichlet": _sample_dirichlet,
    "_standard_gamma_grad": _standard_gamma_grad,
    "_dirichlet_grad": _dirichlet_grad,
    "binomial": binomial,
    "poisson": poisson,
    "rand": rand,
    "randn": randn,
    "randint": randint,
    "randperm": randperm,
    "rand_like": rand_like,
    "randn_like": randn_like,
    "randint_like": randint_like,
}
