"""torch.distributions: every distribution's samples (from torch's streams), densities, moments, entropy,
cdf/icdf, support enumeration, expand and repr; validation errors; transforms and the constraint registry;
KL divergences.

Parameters are mapped inside the case from one drawn tensor (values in [-1, 1]) into each parameter's
domain with exact arithmetic (abs, scaling, adding), so both backends see identical parameters and the
gradients reach the drawn tensor.  Samples are bit-identical where torch's sampler is (the uniform, normal,
exponential, gamma, Poisson and binomial streams); the formulas on top call exp, log, lgamma, digamma...,
whose float32 kernels differ from torch's in the last bits (see the float-math issue), so values are compared
at 10x torch's tolerances and the report marks which results were bit-identical.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import tensors

_SEEDS = st.integers(0, 2**32 - 1)
_BATCHES = st.sampled_from([(3,), (2, 3), (1, 4), (4,)])
_SCALE = 10


def _real(x):
    return 2 * x


def _positive(x):
    return x.abs() + 0.5


def _unit(x):
    return x.abs() * 0.8 + 0.1


def _count(x):
    return (x.abs() * 12).floor().detach()


def _lower(x):
    """A lower-triangular matrix with a positive diagonal from the vector x (..., n)."""
    outer = x.unsqueeze(-1) * x.unsqueeze(-2) * 0.5
    return outer.tril(-1) + (x.abs() + 1).diag_embed()


# name -> how to build it from the distributions namespace D and the parameter slices p (each shaped like
# the batch; vector families read the batch's last dimension as their event)
FAMILIES = {
    "Normal": lambda D, p: D.Normal(_real(p[0]), _positive(p[1])),
    "Uniform": lambda D, p: D.Uniform(_real(p[0]), _real(p[0]) + _positive(p[1])),
    "Laplace": lambda D, p: D.Laplace(_real(p[0]), _positive(p[1])),
    "Cauchy": lambda D, p: D.Cauchy(_real(p[0]), _positive(p[1])),
    "Exponential": lambda D, p: D.Exponential(_positive(p[0])),
    "Gamma": lambda D, p: D.Gamma(_positive(p[0]) * 4, _positive(p[1])),
    "Chi2": lambda D, p: D.Chi2(_positive(p[0]) * 3),
    "Beta": lambda D, p: D.Beta(_positive(p[0]) * 2, _positive(p[1])),
    "Dirichlet": lambda D, p: D.Dirichlet(_positive(p[0]) * 2),
    "Bernoulli": lambda D, p: D.Bernoulli(_unit(p[0])),
    "Bernoulli(logits)": lambda D, p: D.Bernoulli(logits=_real(p[0])),
    "Binomial": lambda D, p: D.Binomial(_count(p[1]), _unit(p[0])),
    "Binomial(logits)": lambda D, p: D.Binomial(_count(p[1]).amax(), logits=_real(p[0])),
    "Categorical": lambda D, p: D.Categorical(_positive(p[0])),
    "Categorical(logits)": lambda D, p: D.Categorical(logits=_real(p[0])),
    "OneHotCategorical": lambda D, p: D.OneHotCategorical(_positive(p[0])),
    "OneHotCategoricalStraightThrough": lambda D, p: D.OneHotCategoricalStraightThrough(_positive(p[0])),
    "Multinomial": lambda D, p: D.Multinomial(5, _positive(p[0])),
    "Geometric": lambda D, p: D.Geometric(_unit(p[0])),
    "Poisson": lambda D, p: D.Poisson(_positive(p[0]) * 8),
    "NegativeBinomial": lambda D, p: D.NegativeBinomial(_positive(p[1]) * 3, _unit(p[0]) * 0.9),
    "LogNormal": lambda D, p: D.LogNormal(_real(p[0]), _positive(p[1])),
    "HalfNormal": lambda D, p: D.HalfNormal(_positive(p[0])),
    "HalfCauchy": lambda D, p: D.HalfCauchy(_positive(p[0])),
    "Gumbel": lambda D, p: D.Gumbel(_real(p[0]), _positive(p[1])),
    "Weibull": lambda D, p: D.Weibull(_positive(p[0]), _positive(p[1]) * 2),
    "Pareto": lambda D, p: D.Pareto(_positive(p[0]), _positive(p[1]) * 2),
    "LogisticNormal": lambda D, p: D.LogisticNormal(_real(p[0]), _positive(p[1])),
    "Kumaraswamy": lambda D, p: D.Kumaraswamy(_positive(p[0]) * 2, _positive(p[1]) * 2),
    "RelaxedBernoulli": lambda D, p: D.RelaxedBernoulli(_positive(p[1]), _unit(p[0])),
    "RelaxedOneHotCategorical": lambda D, p: D.RelaxedOneHotCategorical(_positive(p[1][..., 0]), _positive(p[0])),
    "StudentT": lambda D, p: D.StudentT(_positive(p[0]) * 4, _real(p[1]), _positive(p[2])),
    "FisherSnedecor": lambda D, p: D.FisherSnedecor(_positive(p[0]) * 4, _positive(p[1]) * 6),
    "InverseGamma": lambda D, p: D.InverseGamma(_positive(p[0]) * 3, _positive(p[1])),
    "MultivariateNormal(scale_tril)": lambda D, p: D.MultivariateNormal(_real(p[0]), scale_tril=_lower(p[1])),
    "MultivariateNormal(covariance)": lambda D, p: D.MultivariateNormal(
        _real(p[0]), covariance_matrix=_lower(p[1]) @ _lower(p[1]).mT
    ),
    "MultivariateNormal(precision)": lambda D, p: D.MultivariateNormal(
        _real(p[0]), precision_matrix=_lower(p[1]) @ _lower(p[1]).mT
    ),
    "Independent": lambda D, p: D.Independent(D.Normal(_real(p[0]), _positive(p[1])), 1),
    "MixtureSameFamily": lambda D, p: D.MixtureSameFamily(
        D.Categorical(_positive(p[2])), D.Normal(_real(p[0]), _positive(p[1]))
    ),
    "TransformedDistribution": lambda D, p: D.TransformedDistribution(
        D.Normal(_real(p[0]), _positive(p[1])), [D.AffineTransform(p[2], 2.0), D.SigmoidTransform()]
    ),
    "Normal(numbers)": lambda D, p: D.Normal(0.5, 2.0),
    "Gamma(numbers)": lambda D, p: D.Gamma(3.0, 2.0),
    "Beta(numbers)": lambda D, p: D.Beta(0.5, 1.5),
    "Bernoulli(numbers)": lambda D, p: D.Bernoulli(0.25),
    "ContinuousBernoulli": lambda D, p: D.ContinuousBernoulli(_unit(p[0])),
    # (a concentration near but not at 0 makes the sample's gradient a cancellation of two 1/c terms: none)
    "GeneralizedPareto": lambda D, p: D.GeneralizedPareto(
        _real(p[0]), _positive(p[1]), p[2] * 0.4 + p[2].sign() * 0.05
    ),
    "GeneralizedPareto(concentration 0)": lambda D, p: D.GeneralizedPareto(_real(p[0]), _positive(p[1]), p[2] * 0),
    "VonMises": lambda D, p: D.VonMises(_real(p[0]), _positive(p[1]) * 3),
    "ContinuousBernoulli(logits)": lambda D, p: D.ContinuousBernoulli(logits=_real(p[0]) * 0.001),  # Taylor region
    "LowRankMultivariateNormal": lambda D, p: D.LowRankMultivariateNormal(
        _real(p[0]), p[1].unsqueeze(-1) * p[2].unsqueeze(-2)[..., :2], _positive(p[2])
    ),
}
_NAMES = sorted({name.split("(")[0] for name in FAMILIES})

METHODS = (
    "sample", "sample((2, 3))", "rsample", "log_prob", "cdf", "icdf", "entropy", "perplexity", "mean", "variance",
    "stddev", "mode", "enumerate_support", "expand", "repr", "shapes", "ExponentialFamily.entropy",
)  # fmt: skip


def _params(xp, p):
    return [p[i] for i in range(p.shape[0])]


def _method(xp, d, method):
    """One observable of the distribution d (methods torch leaves unimplemented raise, as in torch)."""
    if method == "sample":
        return d.sample()
    if method == "sample((2, 3))":
        return d.sample((2, 3))
    if method == "rsample":
        return d.rsample((2,))
    if method in ("log_prob", "cdf"):
        with xp.no_grad():
            value = d.sample((2,))
        return getattr(d, method)(value)
    if method == "icdf":
        return d.icdf(xp.tensor([0.05, 0.3, 0.5, 0.9]).reshape((4,) + (1,) * len(d.batch_shape)))
    if method in ("entropy", "perplexity"):
        return getattr(d, method)()
    if method == "ExponentialFamily.entropy":  # the Bregman form every exponential family could use
        family = xp.distributions.ExponentialFamily
        return family.entropy(d) if isinstance(d, family) else None
    if method == "enumerate_support":
        return d.enumerate_support(), d.enumerate_support(expand=False)
    if method == "expand":
        e = d.expand((2,) + tuple(d.batch_shape))
        return e.sample(), e.batch_shape, e.event_shape, repr(e), e.log_prob(e.sample())
    if method == "repr":
        return repr(d)
    if method == "shapes":
        return (d.batch_shape, d.event_shape, repr(d.support), d.has_rsample, d.has_enumerate_support,
                {k: repr(v) for k, v in d.arg_constraints.items()}, d._extended_shape((5,)))  # fmt: skip
    return getattr(d, method)


@case(
    covers=tuple(f"distributions.{n}" for n in _NAMES)
    + ("distributions.Distribution", "distributions.ExponentialFamily"),
    grad=True,
    scale=_SCALE,
    family=st.sampled_from(sorted(FAMILIES)),
    method=st.sampled_from(METHODS),
    seed=_SEEDS,
    p=tensors(
        dtypes=("float32", "float64"),
        shape=_BATCHES.map(lambda b: (3,) + b),
        regime="unit",
        layouts=("contiguous",),
        requires_grad=st.booleans(),
    ),
)
def distribution_methods(xp, family, method, seed, p):
    """Each distribution's methods on parameters drawn in its domain; samples seeded, their gradients
    (rsample's reparameterisation, log_prob's) reaching the drawn tensor."""
    xp.manual_seed(seed)
    d = FAMILIES[family](xp.distributions, _params(xp, p))
    return _method(xp, d, method)


_INVALID = {
    "Normal(scale <= 0)": lambda D, x: D.Normal(x, x - 2),
    "Normal(nan loc)": lambda D, x: D.Normal(x * float("nan"), 1.0),
    "Bernoulli(probs > 1)": lambda D, x: D.Bernoulli(x.abs() + 1),
    "Bernoulli(both)": lambda D, x: D.Bernoulli(x.abs(), logits=x),
    "Bernoulli(neither)": lambda D, x: D.Bernoulli(),
    "Categorical(0-d)": lambda D, x: D.Categorical(x.sum().abs()),
    "Categorical(negative)": lambda D, x: D.Categorical(x - 2),
    "Dirichlet(0-d)": lambda D, x: D.Dirichlet(x.sum()),
    "Gamma(rate < 0)": lambda D, x: D.Gamma(1.0, -x.abs() - 0.5),
    "Uniform(low >= high)": lambda D, x: D.Uniform(x, x - 1),
    "Binomial(count not integer)": lambda D, x: D.Binomial(x.abs() + 0.5, x.abs() * 0.5),
    "Geometric(probs = 0)": lambda D, x: D.Geometric(x * 0),
    "Independent(too many dims)": lambda D, x: D.Independent(D.Normal(x, 1.0), 3),
    "MultivariateNormal(two matrices)": lambda D, x: D.MultivariateNormal(
        x, covariance_matrix=x.diag_embed(), scale_tril=x.diag_embed()
    ),
    "MultivariateNormal(not positive definite)": lambda D, x: D.MultivariateNormal(
        x, covariance_matrix=-(x.abs() + 1).diag_embed()
    ),
    "Multinomial(tensor count)": lambda D, x: D.Multinomial(x.sum(), x.abs()),
    "MixtureSameFamily(not categorical)": lambda D, x: D.MixtureSameFamily(D.Normal(x, 1.0), D.Normal(x, 1.0)),
}
_BAD_VALUES = {
    "out of support": lambda xp, d: d.log_prob(d.mean * 0 - 5),
    "wrong event shape": lambda xp, d: d.log_prob(xp.zeros(7)),
    "not broadcastable": lambda xp, d: d.log_prob(xp.zeros((5,) + tuple(d.batch_shape) + tuple(d.event_shape))[:, :1]
                                                  .expand((5, 2) + tuple(d.batch_shape)[1:] + tuple(d.event_shape))
                                                  if len(d.batch_shape) and d.batch_shape[0] > 2 else xp.ones(9)),
    "not a tensor": lambda xp, d: d.log_prob(0.5),
}  # fmt: skip


@case(
    covers=("distributions validate_args", "Distribution.set_default_validate_args"),
    expect_error=True,
    which=st.sampled_from(sorted(_INVALID)),
    x=tensors(
        dtypes=("float32", "float64"), shape=st.sampled_from([(3,), (2, 3)]), regime="unit", layouts=("contiguous",)
    ),
)
def distribution_invalid_parameters(xp, which, x):
    """torch's ValueError text for parameters outside their constraint (with the distribution's repr and the
    offending values printed), and for the argument combinations it refuses."""
    return _INVALID[which](xp.distributions, x)


@case(
    covers=("Distribution._validate_sample",),
    expect_error=True,
    family=st.sampled_from(["Normal", "Exponential", "Bernoulli", "Categorical", "Dirichlet", "Beta", "Poisson",
                            "Binomial", "Uniform", "MultivariateNormal(scale_tril)", "Independent"]),
    bad=st.sampled_from(sorted(_BAD_VALUES)),
    validate=st.booleans(),
    p=tensors(dtypes=("float32",), shape=st.sampled_from([(3, 3), (3, 2, 3)]), regime="unit", layouts=("contiguous",)),
)  # fmt: skip
def distribution_invalid_values(xp, family, bad, validate, p):
    """log_prob of a value outside the support or of the wrong shape: torch's ValueError with validation
    on; with validation off, whatever the formula gives."""
    xp.distributions.Distribution.set_default_validate_args(validate)
    try:
        d = FAMILIES[family](xp.distributions, _params(xp, p))
        return _BAD_VALUES[bad](xp, d)
    finally:
        xp.distributions.Distribution.set_default_validate_args(True)


_KL_FAMILIES = (
    "Normal", "Exponential", "Gamma", "Beta", "Dirichlet", "Bernoulli", "Binomial", "Categorical",
    "OneHotCategorical", "Geometric", "Poisson", "Laplace", "Cauchy", "Gumbel", "HalfNormal", "Pareto",
    "Uniform", "MultivariateNormal(scale_tril)", "Independent", "LogNormal", "Chi2", "ContinuousBernoulli",
    "LowRankMultivariateNormal",
)  # fmt: skip


@case(
    covers=("distributions.kl_divergence", "distributions.register_kl"),
    grad=True,
    scale=_SCALE,
    family=st.sampled_from(_KL_FAMILIES),
    other=st.sampled_from(
        ["same", "Normal", "Exponential", "Gamma", "Uniform", "Pareto", "Beta", "Gumbel", "ContinuousBernoulli",
         "MultivariateNormal(scale_tril)", "LowRankMultivariateNormal"]
    ),  # fmt: skip
    p=tensors(dtypes=("float32", "float64"), shape=_BATCHES.map(lambda b: (6,) + b), regime="unit",
              layouts=("contiguous",), requires_grad=st.booleans()),
)  # fmt: skip
def kl_divergences(xp, family, other, p):
    """KL(p || q) for each registered pair of one family (dispatch to the most specific registration), and
    torch's NotImplementedError for pairs it has no formula for."""
    D = xp.distributions
    first, second = _params(xp, p)[:3], _params(xp, p)[3:]
    q_family = family if other == "same" else other
    return D.kl_divergence(FAMILIES[family](D, first), FAMILIES[q_family](D, second))


_TRANSFORMS = {
    "ExpTransform": lambda T, x: T.ExpTransform(),
    "ExpTransform().inv": lambda T, x: T.ExpTransform().inv,
    "AffineTransform": lambda T, x: T.AffineTransform(x[0], x[1].abs() + 0.5),
    "AffineTransform(numbers)": lambda T, x: T.AffineTransform(1.5, -2.0),
    "AffineTransform(event_dim=1)": lambda T, x: T.AffineTransform(x[0], x[1] - 2, event_dim=1),
    "PowerTransform": lambda T, x: T.PowerTransform(x[1].abs() + 0.5),
    "SigmoidTransform": lambda T, x: T.SigmoidTransform(),
    "TanhTransform": lambda T, x: T.TanhTransform(),
    "SoftplusTransform": lambda T, x: T.SoftplusTransform(),
    "AbsTransform": lambda T, x: T.AbsTransform(),
    "SoftmaxTransform": lambda T, x: T.SoftmaxTransform(),
    "StickBreakingTransform": lambda T, x: T.StickBreakingTransform(),
    "LowerCholeskyTransform": lambda T, x: T.LowerCholeskyTransform(),
    "PositiveDefiniteTransform": lambda T, x: T.PositiveDefiniteTransform(),
    "CorrCholeskyTransform": lambda T, x: T.CorrCholeskyTransform(),
    "ComposeTransform": lambda T, x: T.ComposeTransform([T.AffineTransform(0.5, 2.0), T.ExpTransform()]),
    "identity_transform": lambda T, x: T.identity_transform,
    "IndependentTransform": lambda T, x: T.IndependentTransform(T.ExpTransform(), 1),
    "ReshapeTransform": lambda T, x: T.ReshapeTransform((x.shape[-1],), (1, x.shape[-1])),
    "CatTransform": lambda T, x: T.CatTransform([T.ExpTransform(), T.AffineTransform(1.0, 3.0)], -1,
                                                [1, x.shape[-1] - 1]),
    "StackTransform": lambda T, x: T.StackTransform([T.ExpTransform(), T.SigmoidTransform(), T.TanhTransform()], 0),
    "CumulativeDistributionTransform": lambda T, x: T.CumulativeDistributionTransform(T.Normal(x[0], x[1].abs() + 1)),
}  # fmt: skip
_INPUT_FOR = {  # transforms whose domain is not all of the reals, or that need matrices
    "ExpTransform().inv": lambda x: x.abs() + 0.1,
    "PowerTransform": lambda x: x.abs() + 0.1,
    "LowerCholeskyTransform": lambda x: x.unsqueeze(-1) * x.unsqueeze(-2) + x.diag_embed(),
    "PositiveDefiniteTransform": lambda x: x.unsqueeze(-1) * x.unsqueeze(-2) + x.diag_embed(),
}


@case(
    covers=tuple(f"distributions.{n.split('(')[0].split('.')[0]}" for n in _TRANSFORMS) + ("distributions.Transform",),
    grad=True,
    scale=_SCALE,
    transform=st.sampled_from(sorted(_TRANSFORMS)),
    part=st.sampled_from(["call", "inverse", "log_abs_det_jacobian", "metadata", "cache"]),
    x=tensors(dtypes=("float32", "float64"), shape=st.sampled_from([(3, 3), (3, 6)]), regime="unit",
              layouts=("contiguous",), requires_grad=st.booleans()),
)  # fmt: skip
def distribution_transforms(xp, transform, part, x):
    """Each transform forward, inverse (round trip), log |det J|, shapes, repr, sign, domain and codomain;
    with_cache returning the very input tensor on inversion."""
    T = xp.distributions
    # (the round trip t.inv(t(v)) does not depend on t's parameters: their gradient cancels to zeros whose
    # signs the last bits of pow, log, ... decide, so there the parameters are constants)
    t = _TRANSFORMS[transform](T, x.detach() if part == "inverse" else x)
    value = _INPUT_FOR.get(transform, lambda v: v)(x)
    if part == "call":
        return t(value)
    if part == "inverse":
        return t.inv(t(value))
    if part == "log_abs_det_jacobian":
        return t.log_abs_det_jacobian(value, t(value))
    if part == "metadata":
        sign = getattr(t, "sign", None) if transform not in ("AbsTransform", "SoftmaxTransform") else None
        return (repr(t), repr(t.domain), repr(t.codomain), t.bijective, sign, t.forward_shape(value.shape),
                t.inverse_shape(t(value).shape), t == _TRANSFORMS[transform](T, x))  # fmt: skip
    cached = t.with_cache(1)
    y = cached(value)
    return cached.inv(y) is value, cached(value) is y, repr(cached)


_CONSTRAINTS = {
    "real": lambda C, x: C.real,
    "positive": lambda C, x: C.positive,
    "nonnegative": lambda C, x: C.nonnegative,
    "greater_than": lambda C, x: C.greater_than(x[0]),
    "greater_than_eq": lambda C, x: C.greater_than_eq(1.5),
    "less_than": lambda C, x: C.less_than(-2.0),
    "interval": lambda C, x: C.interval(x[0], x[0] + 2),
    "unit_interval": lambda C, x: C.unit_interval,
    "half_open_interval": lambda C, x: C.half_open_interval(-1.0, 3.0),
    "simplex": lambda C, x: C.simplex,
    "real_vector": lambda C, x: C.real_vector,
    "independent(positive, 1)": lambda C, x: C.independent(C.positive, 1),
    "lower_cholesky": lambda C, x: C.lower_cholesky,
    "positive_definite": lambda C, x: C.positive_definite,
    "corr_cholesky": lambda C, x: C.corr_cholesky,
    "cat": lambda C, x: C.cat([C.positive, C.real], 0, [1, 2]),
    "stack": lambda C, x: C.stack([C.positive, C.unit_interval, C.real], 0),
    "boolean": lambda C, x: C.boolean,
}


@case(
    covers=("distributions.biject_to", "distributions.transform_to", "distributions.constraints"),
    grad=True,
    scale=_SCALE,
    constraint=st.sampled_from(sorted(_CONSTRAINTS)),
    registry=st.sampled_from(["biject_to", "transform_to"]),
    x=tensors(dtypes=("float32", "float64"), shape=st.sampled_from([(3, 3), (3, 6)]), regime="unit",
              layouts=("contiguous",), requires_grad=st.booleans()),
)  # fmt: skip
def constraint_registry(xp, constraint, registry, x):
    """The transform each registry gives for a constraint (or its NotImplementedError), its image of an
    unconstrained tensor, and the constraint's check and repr."""
    D = xp.distributions
    c = _CONSTRAINTS[constraint](D.constraints, x)
    t = getattr(D, registry)(c)
    y = t(x if constraint != "positive_definite" else x[:, :3])
    return y, repr(t), repr(c), c.check(y), c.event_dim, c.is_discrete
