"""Seeded random streams: output bytes and the generator state after every call must equal torch's."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from ..registry import case

_SEEDS = st.one_of(st.integers(0, 2**32), st.sampled_from([-1, -(2**63), 2**64 - 1, 2**32 + 5, 67280421310721]))
# numel around the vectorised normal path's 16-element blocks, and beyond one of the shim's chunks of them
_SHAPES = st.sampled_from(
    [(), (0,), (1,), (3,), (15,), (16,), (17,), (4, 4), (5, 7), (31,), (33,), (2, 3, 5), (1000,), (70001,)]
)
_FLOAT = st.sampled_from(["float32", "float64", "float16", "complex64", "complex128"])
_LAYOUTS = st.sampled_from(["contiguous", "transposed", "strided"])


def _target(xp, shape, dtype, layout):
    """An uninitialised tensor of `shape` in the given memory layout (torch fills in memory order)."""
    if layout == "transposed" and len(shape) >= 2:
        return xp.empty(shape[::-1], dtype=dtype).permute(*reversed(range(len(shape))))
    if layout == "strided" and len(shape) >= 1:
        return xp.empty(shape[:-1] + (shape[-1] * 2,), dtype=dtype)[..., ::2]
    return xp.empty(shape, dtype=dtype)


@case(
    exact=True,
    covers=("manual_seed", "rand", "randn", "randint", "randperm", "get_rng_state", "initial_seed"),
    seed=_SEEDS,
    op=st.sampled_from(["rand", "randn", "randint", "randint_low", "randperm"]),
    shape=_SHAPES,
    dtype=_FLOAT,
)
def seeded_factory(xp, seed, op, shape, dtype):
    xp.manual_seed(seed)
    if op == "rand":
        out = xp.rand(shape, dtype=getattr(xp, dtype))
    elif op == "randn":
        out = xp.randn(*shape, dtype=getattr(xp, dtype))
    elif op == "randint":
        out = xp.randint(10, shape)
    elif op == "randint_low":
        out = xp.randint(-(2**40), 2**41, shape)
    else:
        out = xp.randperm(sum(shape) * 7)
    return out, xp.get_rng_state(), xp.initial_seed()


@case(
    exact=True,
    covers=("rand_like", "randn_like", "randint_like", "generator="),
    seed=_SEEDS,
    op=st.sampled_from(["rand_like", "randn_like", "randint_like"]),
    shape=st.sampled_from([(4, 5), (5, 7), (2, 3, 4), (20,)]),
    dtype=_FLOAT,
    layout=_LAYOUTS,
)
def seeded_like(xp, seed, op, shape, dtype, layout):
    g = xp.Generator().manual_seed(seed)
    like = _target(xp, shape, getattr(xp, dtype), layout)
    if op == "randint_like":
        out = xp.randint_like(like, 3, 100, generator=g)
    else:
        out = getattr(xp, op)(like, generator=g)
    return out, out.stride(), g.get_state()


@case(
    exact=True,
    covers=("normal_", "uniform_", "random_", "bernoulli_", "bernoulli"),
    seed=_SEEDS,
    op=st.sampled_from(["normal_", "uniform_", "random_", "random_to", "random_from_to", "bernoulli_", "bernoulli"]),
    shape=_SHAPES,
    dtype=st.sampled_from(["float32", "float64", "float16", "complex64", "int64", "int32", "uint8", "bool"]),
    layout=_LAYOUTS,
    a=st.sampled_from([0.0, 0.5, -2.0, 1.0, 3.0, -1e30]),
    b=st.sampled_from([1.0, 7.0, 0.25, 3.0, 2.0**30, -0.5]),
)
def seeded_inplace(xp, seed, op, shape, dtype, layout, a, b):
    xp.manual_seed(seed)
    t = _target(xp, shape, getattr(xp, dtype), layout)
    if op == "normal_":
        t.normal_(a, b)
    elif op == "uniform_":
        t.uniform_(a, b)
    elif op == "random_":
        t.random_()
    elif op == "random_to":
        t.random_(int(b))
    elif op == "random_from_to":
        t.random_(int(a), int(b))
    elif op == "bernoulli_":
        t.bernoulli_(min(abs(a) / 4, 1.0))
    else:
        t = xp.bernoulli(xp.full(shape, min(b / 8, 1.0), dtype=getattr(xp, dtype)))
    return t, xp.get_rng_state()


_CALLS = st.sampled_from(
    [
        "randn3",
        "randn20",
        "rand5_f64",
        "randint",
        "normal_scalar",
        "uniform_16",
        "randperm",
        "bernoulli",
        "g_randn",
        "save_state",
        "restore_state",
        "seed_again",
    ]
)


@case(
    exact=True,
    covers=("set_rng_state", "Generator", "Generator.get_state", "Generator.set_state", "cached normal sample"),
    seed=_SEEDS,
    calls=st.lists(_CALLS, min_size=1, max_size=12),
)
def interleaved_streams(xp, seed, calls):
    """Calls in any order share the default generator (and its cached Box-Muller sample); a separate
    Generator object never disturbs it.  States are saved and restored mid-stream."""
    xp.manual_seed(seed)
    g = xp.Generator().manual_seed(seed + 1)
    saved = xp.get_rng_state()
    out = []
    for call in calls:
        if call == "randn3":
            out.append(xp.randn(3))
        elif call == "randn20":
            out.append(xp.randn(20))
        elif call == "rand5_f64":
            out.append(xp.rand(5, dtype=xp.float64))
        elif call == "randint":
            out.append(xp.randint(-5, 2**30, (7,)))
        elif call == "normal_scalar":
            out.append(xp.empty(1, dtype=xp.float64).normal_(1.5, 0.25))
        elif call == "uniform_16":
            out.append(xp.empty(16).uniform_(-1, 1))
        elif call == "randperm":
            out.append(xp.randperm(9))
        elif call == "bernoulli":
            out.append(xp.bernoulli(xp.full((6,), 0.4)))
        elif call == "g_randn":
            out.append(xp.randn(5, generator=g))
        elif call == "save_state":
            saved = xp.get_rng_state()
        elif call == "restore_state":
            xp.set_rng_state(saved)
        else:
            xp.manual_seed(seed)
        out.append(xp.get_rng_state())
    return out, g.get_state(), g.initial_seed()


@case(
    expect_error=True,
    covers=("seed range", "bad bounds", "bad sizes", "bad states"),
    probe=st.sampled_from(
        [
            "seed_big",
            "seed_small",
            "seed_float",
            "state_short",
            "state_zeros",
            "state_dtype",
            "state_list",
            "randint_empty_range",
            "randint_float_range",
            "randint_no_size",
            "randperm_negative",
            "rand_int_dtype",
            "randn_negative_size",
            "normal_negative_std",
            "uniform_reversed",
            "random_uint8_range",
            "bernoulli_p",
            "generator_seed_big",
        ]
    ),
)
def rng_errors(xp, probe):
    if probe == "seed_big":
        return xp.manual_seed(2**64)
    if probe == "seed_small":
        return xp.manual_seed(-(2**63) - 1)
    if probe == "seed_float":
        return xp.manual_seed(1.5)
    if probe == "state_short":
        return xp.set_rng_state(xp.zeros(100, dtype=xp.uint8))
    if probe == "state_zeros":
        return xp.Generator().set_state(xp.zeros(5056, dtype=xp.uint8))
    if probe == "state_dtype":
        return xp.set_rng_state(xp.zeros(5056, dtype=xp.int64))
    if probe == "state_list":
        return xp.set_rng_state([0] * 5056)
    if probe == "randint_empty_range":
        return xp.randint(5, 5, (3,))
    if probe == "randint_float_range":
        return xp.randint(0, 2**30, (3,), dtype=xp.float16)
    if probe == "randint_no_size":
        return xp.randint(5)
    if probe == "randperm_negative":
        return xp.randperm(-3)
    if probe == "rand_int_dtype":
        return xp.rand(3, dtype=xp.int64)
    if probe == "randn_negative_size":
        return xp.randn(2, -1)
    if probe == "normal_negative_std":
        return xp.empty(3).normal_(0, -1)
    if probe == "uniform_reversed":
        return xp.empty(3).uniform_(2, 1)
    if probe == "random_uint8_range":
        return xp.empty(3, dtype=xp.uint8).random_(0, 300)
    if probe == "bernoulli_p":
        return xp.empty(3).bernoulli_(1.5)
    return xp.Generator().manual_seed(2**64)


@case(covers=("seed",), generator=st.booleans())
def nondeterministic_seed(xp, generator):
    """seed() draws a fresh non-deterministic seed: only its type, range and bookkeeping are comparable."""
    g = xp.Generator() if generator else xp
    s = g.seed()
    return type(s).__name__, 0 <= s < 2**64, g.initial_seed() == s


@case(
    exact=True,
    covers=("multinomial", "multinomial(out=)"),
    seed=_SEEDS,
    rows=st.sampled_from([None, 1, 3]),
    categories=st.integers(1, 12),
    num_samples=st.integers(2, 70),
    dtype=st.sampled_from(["float32", "float64"]),
    form=st.sampled_from(["function", "method", "out"]),
    weights=st.sampled_from(["random", "one-hot", "zeros", "negative"]),
)
def multinomial_with_replacement(xp, seed, rows, categories, num_samples, dtype, form, weights):
    """multinomial with replacement in each form: torch's cumulative sums, 53-bit uniforms and binary search
    give the same indices; bad weights give torch's error.  (Without replacement, or one sample, torch
    draws through exponential_, whose MKL stream the shim does not reproduce: it raises NotImplementedError,
    so this case does not draw those.)"""
    xp.manual_seed(seed)
    shape = (categories,) if rows is None else (rows, categories)
    w = xp.rand(shape, dtype=getattr(xp, dtype))
    if weights == "one-hot":
        w = xp.zeros(shape, dtype=w.dtype).index_fill_(-1, xp.tensor([categories - 1]), 1.0)
    elif weights == "zeros":
        w = xp.zeros(shape, dtype=w.dtype)
    elif weights == "negative":
        w = w - 0.5
    if form == "function":
        drawn = xp.multinomial(w, num_samples, True)
    elif form == "method":
        drawn = w.multinomial(num_samples, replacement=True)
    else:
        drawn = xp.empty(0, dtype=xp.int64)
        xp.multinomial(w, num_samples, True, out=drawn)
    return drawn, xp.rand(2)


_NORMAL_SHAPES = st.sampled_from([(), (1,), (3,), (17,), (2, 1), (1, 3), (2, 3)])


@case(
    exact=True,
    grad=True,
    covers=("normal",),
    seed=st.integers(0, 2**32),
    kinds=st.sampled_from(["tensor, tensor", "tensor, float", "float, tensor", "float, float"]),
    mean_shape=_NORMAL_SHAPES,
    std_shape=_NORMAL_SHAPES,
    dtype=_FLOAT,
    std=st.sampled_from([0.0, 0.01, 1.0, 2.5, -1.0]),
    requires_grad=st.booleans(),
    generator=st.booleans(),
    out=st.booleans(),
)
def normal_overloads(xp, seed, kinds, mean_shape, std_shape, dtype, std, requires_grad, generator, out):
    """torch.normal's four overloads from one stream: standard or std-scaled draws into the (broadcast)
    result, then times std, plus mean, in the result's dtype; zero gradients for mean and std; generator=,
    out=, dtype= and requires_grad= (the sized overload)."""
    xp.manual_seed(seed)
    gen = xp.Generator().manual_seed(seed + 1) if generator else None
    dt = getattr(xp, dtype)
    mean_t = (xp.arange(max(1, math.prod(mean_shape)), dtype=xp.float64).reshape(mean_shape) * 0.5).to(dt)
    std_t = (xp.arange(max(1, math.prod(std_shape)), dtype=xp.float64).reshape(std_shape) * 0.25 + std).to(dt)
    if dt.is_complex or not requires_grad:
        mean_t, std_t = mean_t.detach(), std_t.detach()
    else:
        mean_t.requires_grad_(), std_t.requires_grad_()
    kw = {"generator": gen} if generator else {}
    if out:
        kw["out"] = xp.empty(0, dtype=dt)
    if kinds == "float, float":
        return xp.normal(1.5, std, size=mean_shape, dtype=dt, requires_grad=requires_grad and not out, **kw)
    mean = mean_t if kinds.startswith("tensor") else 1.5
    sd = std_t if kinds.endswith("tensor") else std
    return xp.normal(mean, sd, **kw), xp.get_rng_state()


# Poisson's two algorithms meet at rate 10; gamma boosts alpha below 1
_RATES = st.sampled_from([0.0, 0.05, 0.5, 1.0, 3.0, 9.99, 10.0, 25.0, 400.0, -1.0])
_KERNEL_SHAPES = st.sampled_from([(), (0,), (3,), (17,), (4, 5), (2, 3, 4)])


@case(
    exact=True,
    covers=("exponential_", "cauchy_", "geometric_", "log_normal_", "Tensor.new"),
    seed=_SEEDS,
    op=st.sampled_from(["exponential_", "cauchy_", "geometric_", "log_normal_"]),
    shape=_KERNEL_SHAPES,
    dtype=st.sampled_from(["float32", "float64", "float16", "int64", "int32", "bool", "complex64"]),
    layout=_LAYOUTS,
    a=st.sampled_from([1.0, 0.3, 2.5, -1.0, 0.0, 1e-3, 0.999]),
    b=st.sampled_from([1.0, 0.5, 3.0, 0.0, -2.0]),
)
def seeded_serial_kernels(xp, seed, op, shape, dtype, layout, a, b):
    """The samplers torch runs as serial scalar kernels (one double uniform or normal per element, in memory
    order): bytes and the generator state after, or torch's parameter and dtype errors."""
    xp.manual_seed(seed)
    t = _target(xp, shape, getattr(xp, dtype), layout)
    args = {"exponential_": (a,), "cauchy_": (b, a), "geometric_": (a,), "log_normal_": (b, a)}[op]
    getattr(t, op)(*args)
    fresh = t.new(shape) if t.is_floating_point() else None  # the legacy constructor of t's type
    return t, xp.get_rng_state(), None if fresh is None else (fresh.shape, fresh.dtype)


@case(
    exact=True,
    covers=("poisson", "binomial", "_standard_gamma", "_sample_dirichlet", "multinomial(replacement=False)"),
    seed=_SEEDS,
    shape=st.sampled_from([(0,), (4,), (2, 4), (5, 1)]),
    dtype=st.sampled_from(["float32", "float64", "float16", "int64"]),
    rates=st.lists(_RATES, min_size=24, max_size=24),
    probs=st.lists(st.sampled_from([0.0, 0.01, 0.3, 0.5, 0.51, 0.9, 1.0]), min_size=24, max_size=24),
    draws=st.integers(1, 3),
)
def seeded_rejection_samplers(xp, seed, shape, dtype, rates, probs, draws):
    """The rejection samplers (gamma, Poisson, binomial) draw a varying number of uniforms per element: each
    sampler runs in turn on one stream, and every sample (or torch's dtype error) and the generator state
    after must match; multinomial without replacement (or of one sample) goes through exponential_."""
    xp.manual_seed(seed)
    n = math.prod(shape)
    # every tensor starts with both sides of gamma's alpha = 1 boost and of Poisson's rate-10 switch
    rate = xp.tensor(([0.5, 25.0, 0.05, 3.0] + rates)[:n], dtype=getattr(xp, dtype)).reshape(shape)
    samplers = {
        "poisson": lambda: xp.poisson(rate),
        "binomial": lambda: xp.binomial(rate.floor().abs(), xp.tensor(probs[:n], dtype=rate.dtype).reshape(shape)),
        "_standard_gamma": lambda: xp._standard_gamma(rate),
        "_sample_dirichlet": lambda: xp._sample_dirichlet(rate.abs()),
        "multinomial": lambda: xp.multinomial(
            rate.abs() + (rate.dtype == xp.int64), min(draws, shape[-1]), replacement=False
        ),
    }
    out = {}
    for name, sample in samplers.items():
        try:
            out[name] = sample()
        except (RuntimeError, NotImplementedError, ValueError) as e:  # (compared as text, the others still run)
            out[name] = f"{type(e).__name__}: {e}"
    return out, xp.get_rng_state()
