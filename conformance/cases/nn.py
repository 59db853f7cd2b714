"""torch.nn: modules built under one seed in both libraries (parameters bit for bit, reprs, state_dicts,
forward values, grad_fn names, gradients), the activations and losses in their functional and module forms,
nn.init, the module system's bookkeeping and errors, and a few steps of training an MLP.

Tolerances: initialisation, reprs and the module system are compared exactly (`exact=True` cases).  Results
that pass through a matrix product (Linear) are compared to torch's tolerance: the shim's BLAS sums in
another order than MKL's sgemm.  Activations whose kernels call exp/tanh/erf/log1p are compared with 4 ULPs
more than torch's tolerance (numpy's libm where torch's vectorised loops use Sleef)."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import available, call, covers
from ..registry import case
from ..strategies import tensors

_FLOAT = ("float32", "float64")


def _params(**choices) -> st.SearchStrategy:
    """Keyword arguments, each drawn from its list of values."""
    return st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})


_SEED = st.integers(0, 2**32 - 1)

# name -> (functional name, module class name, keyword arguments drawn for both, in-place form)
_ACTIVATIONS = {
    "relu": ("relu", "ReLU", st.just({}), True),
    "relu6": ("relu6", "ReLU6", st.just({}), True),
    "leaky_relu": ("leaky_relu", "LeakyReLU", _params(negative_slope=[0.01, 0.2, -0.5]), True),
    "elu": ("elu", "ELU", _params(alpha=[1.0, 0.5, 2.0]), True),
    "selu": ("selu", "SELU", st.just({}), True),
    "celu": ("celu", "CELU", _params(alpha=[1.0, 0.5, 3.0]), True),
    "gelu": ("gelu", "GELU", _params(approximate=["none", "tanh"]), False),
    "silu": ("silu", "SiLU", st.just({}), True),
    "mish": ("mish", "Mish", st.just({}), True),
    "softplus": ("softplus", "Softplus", _params(beta=[1.0, 2.0, 0.5], threshold=[20.0, 1.0]), False),
    "softsign": ("softsign", "Softsign", st.just({}), False),
    "hardtanh": ("hardtanh", "Hardtanh", _params(min_val=[-1.0, -2.0], max_val=[1.0, 0.5]), True),
    "hardsigmoid": ("hardsigmoid", "Hardsigmoid", st.just({}), True),
    "hardswish": ("hardswish", "Hardswish", st.just({}), True),
    "sigmoid": ("sigmoid", "Sigmoid", st.just({}), False),
    "logsigmoid": ("logsigmoid", "LogSigmoid", st.just({}), False),
    "tanh": ("tanh", "Tanh", st.just({}), False),
    "tanhshrink": ("tanhshrink", "Tanhshrink", st.just({}), False),
    "threshold": ("threshold", "Threshold", _params(threshold=[0.0, 0.5, -1.0], value=[0.0, 20.0]), True),
    "hardshrink": ("hardshrink", "Hardshrink", _params(lambd=[0.5, 0.0, 1.5]), False),
    "softshrink": ("softshrink", "Softshrink", _params(lambd=[0.5, 0.0, 1.5]), False),
    "softmax": ("softmax", "Softmax", _params(dim=[0, -1]), False),
    "log_softmax": ("log_softmax", "LogSoftmax", _params(dim=[0, -1]), False),
    "softmin": ("softmin", "Softmin", _params(dim=[0, -1]), False),
}  # fmt: skip


@st.composite
def _activation(draw):
    name = draw(st.sampled_from(sorted(_ACTIVATIONS)), label="activation")
    functional, module, params, inplace = _ACTIVATIONS[name]
    forms = ["functional", "module"] + (["inplace"] if inplace else [])
    return name, draw(params, label="params"), draw(st.sampled_from(forms), label="form")


@case(
    covers=tuple(f"nn.functional.{f}" for f, *_ in _ACTIVATIONS.values())
    + tuple(f"nn.{m}" for _, m, *_ in _ACTIVATIONS.values()),
    grad=True,
    ulps=4,
    spec=_activation(),
    x=tensors(dtypes=_FLOAT + ("float16",), regime="finite", requires_grad=True, min_dims=1),
)
def nn_activations(xp, spec, x):
    name, params, form = spec
    functional, module, _, _ = _ACTIVATIONS[name]
    if form == "module":
        layer = getattr(xp.nn, module)(**params)
        return layer(x), repr(layer)
    if form == "inplace":
        return getattr(xp.nn.functional, functional)(x * 1, inplace=True, **params)
    return getattr(xp.nn.functional, functional)(x, **params)


@case(
    covers=("nn.Linear", "nn.functional.linear", "nn.init.kaiming_uniform_", "nn.Parameter"),
    ulps=4,
    seed=_SEED,
    features=st.tuples(st.integers(0, 6), st.integers(1, 6)),
    bias=st.booleans(),
    batch=st.sampled_from([(), (0,), (1,), (3,), (2, 3), (4, 1, 2)]),
    dtype=st.sampled_from(_FLOAT),
    contiguous=st.booleans(),
)
def nn_linear(xp, seed, features, bias, batch, dtype, contiguous):
    in_features, out_features = features
    xp.manual_seed(seed)
    layer = xp.nn.Linear(in_features, out_features, bias=bias, dtype=getattr(xp, dtype))
    x = xp.randn(*batch, in_features + (0 if contiguous else 1), dtype=getattr(xp, dtype))
    x = x if contiguous else x[..., 1:]
    y = layer(x)
    y.backward(xp.arange(y.numel(), dtype=y.dtype).reshape(y.shape) % 3 - 1.5)  # (no zero: BLAS zero signs)
    # (a zero-size gradient's version is not compared: numpy zeroes the strides of empty arrays, so the shim
    # cannot tell whether torch's AccumulateGrad found its layout matching the weight's and kept it)
    grads = [p.grad if p.numel() else p.grad.shape for p in layer.parameters()]
    return repr(layer), layer.weight, layer.bias, y, y.grad_fn.name() if y.grad_fn else None, grads


@case(
    covers=("nn.Linear", "mat1 and mat2 shapes cannot be multiplied"),
    seed=_SEED,
    sizes=st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)),
)
def nn_linear_shape_error(xp, seed, sizes):
    xp.manual_seed(seed)
    a, b, c = sizes
    return xp.nn.Linear(a, b)(xp.randn(c, a + 1))


_NONLINEARITIES = ["leaky_relu", "relu", "tanh", "selu", "linear", "sigmoid"]


@case(
    exact=True,
    covers=("nn.Embedding", "nn.functional.embedding"),
    seed=_SEED,
    sizes=st.tuples(st.integers(1, 6), st.integers(1, 4)),
    index_shape=st.sampled_from([(), (0,), (3,), (2, 3)]),
    padding_idx=st.sampled_from([None, 0, -1, 2]),
    dtype=st.sampled_from(_FLOAT),
)
def nn_embedding(xp, seed, sizes, index_shape, padding_idx, dtype):
    """Lookups and their gradient (upstream rows added into weight rows in index order: exact sums of
    dyadic values), the padding row zeroed and left without gradient; an out-of-range index raises."""
    rows, dim = sizes
    xp.manual_seed(seed)
    layer = xp.nn.Embedding(rows, dim, padding_idx=padding_idx if padding_idx is None or padding_idx < rows else None,
                            dtype=getattr(xp, dtype))  # fmt: skip
    indices = xp.randint(0, rows + (1 if seed % 5 == 0 else 0), index_shape)
    out = layer(indices)
    out.backward(xp.arange(out.numel(), dtype=out.dtype).reshape(out.shape) / 4)
    return repr(layer), layer.weight, out, out.grad_fn.name(), layer.weight.grad


_INITS = {
    "uniform_": _params(a=[0.0, -2.0], b=[1.0, 3.0]),
    "normal_": _params(mean=[0.0, 1.5], std=[1.0, 0.02]),
    "trunc_normal_": _params(std=[1.0, 0.02, 3.0], a=[-2.0, 0.5], b=[2.0, 1.0]),
    "constant_": _params(val=[0.5, -3.0]),
    "ones_": st.just({}),
    "zeros_": st.just({}),
    "eye_": st.just({}),
    "dirac_": st.just({}),
    "xavier_uniform_": _params(gain=[1.0, 5 / 3]),
    "xavier_normal_": _params(gain=[1.0, 2.0]),
    "kaiming_uniform_": _params(a=[0, 5**0.5], mode=["fan_in", "fan_out"], nonlinearity=_NONLINEARITIES),
    "kaiming_normal_": _params(a=[0, 0.2], mode=["fan_in", "fan_out"], nonlinearity=["leaky_relu", "relu"]),
    "sparse_": _params(sparsity=[0.1, 0.5]),
}  # fmt: skip


@st.composite
def _init(draw):
    name = draw(st.sampled_from(sorted(_INITS)), label="init")
    return name, draw(_INITS[name], label="params")


@case(
    exact=True,
    covers=tuple(f"nn.init.{n}" for n in _INITS)
    + tuple(f"nn.init.{n[:-1]}" for n in _INITS if n not in ("ones_", "zeros_", "trunc_normal_"))
    + ("nn.init.calculate_gain",),
    seed=_SEED,
    spec=_init(),
    shape=st.sampled_from([(3, 4), (5, 2), (2, 3, 3), (4, 2, 3, 3), (16, 8), (0, 3), (7,)]),
    dtype=st.sampled_from(_FLOAT),
    old_name=st.booleans(),
)
def nn_init(xp, seed, spec, shape, dtype, old_name):
    name, params = spec
    xp.manual_seed(seed)
    t = xp.empty(shape, dtype=getattr(xp, dtype))
    if old_name and hasattr(xp.nn.init, name[:-1]):  # the deprecated name: the same, with a FutureWarning
        name = name[:-1]
    out = getattr(xp.nn.init, name)(t, **params)
    return out is t, t, xp.randn(2), xp.nn.init.calculate_gain("leaky_relu", 0.2)


@case(
    covers=("nn.init.orthogonal_", "nn.init.orthogonal"),
    scale=10,
    seed=_SEED,
    shape=st.sampled_from([(3, 4), (5, 2), (2, 3, 3), (4, 4), (1, 5), (6, 1), (0, 3), (7,)]),
    gain=st.sampled_from([1.0, 2.0]),
    dtype=st.sampled_from(_FLOAT),
    old_name=st.booleans(),
)
def nn_init_orthogonal(xp, seed, shape, gain, dtype, old_name):
    """orthogonal_: a normal matrix drawn from the seeded stream, its QR factor with R's diagonal made positive.
    To 10x torch's tolerance: LAPACK's Householder steps (numpy's against torch's) round differently."""
    xp.manual_seed(seed)
    t = xp.empty(shape, dtype=getattr(xp, dtype))
    out = (xp.nn.init.orthogonal if old_name else xp.nn.init.orthogonal_)(t, gain=gain)
    return out is t, t, xp.randn(2)


@st.composite
def _model(draw):
    """A small nested module: Sequential / ModuleList / ModuleDict of Linear, activations, Dropout."""
    widths = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4), label="widths")
    kind = draw(st.sampled_from(["sequential", "ordered", "list", "dict", "nested"]), label="container")
    return widths, kind


def _build(xp, widths, kind):
    nn = xp.nn
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    layers.append(nn.Dropout(0.25))
    if kind == "sequential":
        return nn.Sequential(*layers)
    if kind == "ordered":
        from collections import OrderedDict

        return nn.Sequential(OrderedDict((f"layer{i}", m) for i, m in enumerate(layers)))
    if kind == "list":
        return nn.ModuleList(layers)
    if kind == "dict":
        return nn.ModuleDict({f"m{i}": m for i, m in enumerate(layers)})
    outer = nn.Sequential(nn.Sequential(*layers[:2]), nn.ModuleList(layers[2:]))
    outer.register_buffer("steps", xp.zeros(2, dtype=xp.int64))
    outer.register_buffer("scratch", xp.ones(1), persistent=False)
    outer.scale = nn.Parameter(xp.tensor(0.5))
    return outer


@case(
    exact=True,
    covers=("nn.Module", "nn.Sequential", "nn.ModuleList", "nn.ModuleDict", "nn.Module.state_dict",
            "nn.Module.named_parameters", "nn.Module.named_modules", "nn.Module.train", "nn.Module.eval",
            "nn.Module.zero_grad", "nn.Module.to", "nn.Module.apply", "nn.Module.requires_grad_"),
    seed=_SEED,
    model=_model(),
)  # fmt: skip
def nn_module_system(xp, seed, model):
    xp.manual_seed(seed)
    m = _build(xp, *model)
    names = [n for n, _ in m.named_parameters()]
    modules = [(n, type(c).__name__) for n, c in m.named_modules()]
    state = dict(m.state_dict())
    m.eval()
    flags = [c.training for c in m.modules()]
    m.train()
    m.requires_grad_(False)
    frozen = [p.requires_grad for p in m.parameters()]
    m.double()
    dtypes = [str(p.dtype) for p in m.parameters()] + [str(b.dtype) for b in m.buffers()]
    visited = []
    m.apply(lambda c: visited.append(type(c).__name__))
    return repr(m), names, modules, state, flags, frozen, dtypes, visited, len(list(m.children()))


@case(
    covers=("nn.Module.load_state_dict", "Missing key(s) in state_dict", "size mismatch for"),
    seed=_SEED,
    model=_model(),
    change=st.sampled_from(["none", "drop", "extra", "resize", "not a tensor"]),
    strict=st.booleans(),
)
def nn_load_state_dict(xp, seed, model, change, strict):
    xp.manual_seed(seed)
    source, target = _build(xp, *model), _build(xp, *model)
    state = source.state_dict()
    keys = list(state)
    if change == "drop" and keys:
        del state[keys[0]]
    elif change == "extra":
        state["unexpected.weight"] = xp.zeros(1)
    elif change == "resize" and keys:
        state[keys[-1]] = xp.zeros(7, 7)
    elif change == "not a tensor" and keys:
        state[keys[0]] = [1.0]
    result = target.load_state_dict(state, strict=strict)
    return repr(result), result.missing_keys, result.unexpected_keys, dict(target.state_dict())


_LOSSES = ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss", "BCELoss",
           "BCEWithLogitsLoss", "KLDivLoss")  # fmt: skip


@st.composite
def _loss(draw):
    name = draw(st.sampled_from(_LOSSES), label="loss")
    reduction = draw(st.sampled_from(["mean", "sum", "none"]), label="reduction")
    params = {}
    if name == "SmoothL1Loss":
        params["beta"] = draw(st.sampled_from([1.0, 0.5, 0.0]))
    if name == "HuberLoss":
        params["delta"] = draw(st.sampled_from([1.0, 0.3]))
    if name == "CrossEntropyLoss":
        params["label_smoothing"] = draw(st.sampled_from([0.0, 0.1]))
    if name in ("CrossEntropyLoss", "NLLLoss"):
        params["ignore_index"] = draw(st.sampled_from([-100, 1]))
    return name, reduction, params, draw(st.sampled_from(["module", "functional"]), label="form")


_FUNCTIONAL = {"MSELoss": "mse_loss", "L1Loss": "l1_loss", "SmoothL1Loss": "smooth_l1_loss", "HuberLoss": "huber_loss",
               "CrossEntropyLoss": "cross_entropy", "NLLLoss": "nll_loss", "BCELoss": "binary_cross_entropy",
               "BCEWithLogitsLoss": "binary_cross_entropy_with_logits", "KLDivLoss": "kl_div"}  # fmt: skip


@case(
    covers=tuple(f"nn.{n}" for n in _LOSSES) + tuple(f"nn.functional.{f}" for f in _FUNCTIONAL.values()),
    grad=True,
    ulps=4,
    spec=_loss(),
    seed=_SEED,
    batch=st.integers(0, 5),
    classes=st.integers(1, 5),
    dtype=st.sampled_from(_FLOAT),
)
def nn_losses(xp, spec, seed, batch, classes, dtype):
    name, reduction, params, form = spec
    g = xp.Generator().manual_seed(seed)
    dt = getattr(xp, dtype)
    x = xp.randn(batch, classes, generator=g, dtype=dt).requires_grad_()
    if name in ("CrossEntropyLoss", "NLLLoss"):
        target = xp.randint(0, classes, (batch,), generator=g)
        source = x.log_softmax(1) if name == "NLLLoss" else x
    elif name == "BCELoss":
        target = xp.rand(batch, classes, generator=g, dtype=dt)
        source = x.sigmoid()
    elif name == "KLDivLoss":
        target = xp.rand(batch, classes, generator=g, dtype=dt).softmax(1)
        source = x.log_softmax(1)
    else:
        target = xp.randn(batch, classes, generator=g, dtype=dt)
        source = x
    if form == "module":
        loss = getattr(xp.nn, name)(reduction=reduction, **params)(source, target)
    else:
        loss = getattr(xp.nn.functional, _FUNCTIONAL[name])(source, target, reduction=reduction, **params)
    return loss, loss.grad_fn.name() if loss.grad_fn else None, x


@case(
    covers=("nn.Sequential", "nn.CrossEntropyLoss", "nn.Module.zero_grad"),
    scale=10,
    seed=_SEED,
    hidden=st.integers(1, 8),
    steps=st.integers(1, 4),
)
def nn_mlp_training(xp, seed, hidden, steps):
    """A few steps of plain SGD on an MLP classifier: the losses and final weights, to 10x torch's tolerance
    (each step's matrix products round in BLAS order)."""
    xp.manual_seed(seed)
    model = xp.nn.Sequential(xp.nn.Linear(4, hidden), xp.nn.Tanh(), xp.nn.Linear(hidden, 3))
    x = xp.randn(16, 4)
    y = xp.randint(0, 3, (16,))
    loss_fn = xp.nn.CrossEntropyLoss()
    losses = []
    for _ in range(steps):
        loss = loss_fn(model(x), y)
        model.zero_grad()
        loss.backward()
        with xp.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
        losses.append(loss.detach())
    return losses, dict(model.state_dict())


_PAIR_LOSSES = {"MarginRankingLoss": "margin_ranking_loss", "CosineEmbeddingLoss": "cosine_embedding_loss",
                "TripletMarginLoss": "triplet_margin_loss"}  # fmt: skip


@st.composite
def _pair_loss(draw):
    name = draw(st.sampled_from(sorted(_PAIR_LOSSES)), label="loss")
    params = {"reduction": draw(st.sampled_from(["mean", "sum", "none"]), label="reduction")}
    params["margin"] = draw(st.sampled_from([0.0, 0.5, 1.0, -0.2] if name != "TripletMarginLoss" else [1.0, 0.3, 0.0]))
    if name == "TripletMarginLoss":
        params.update(draw(_params(p=[2.0, 1.0, 3.0], swap=[False, True], eps=[1e-6, 0.0])))
    return name, params, draw(st.sampled_from(["module", "functional"]), label="form")


@case(
    covers=tuple(f"nn.{n}" for n in _PAIR_LOSSES) + tuple(f"nn.functional.{f}" for f in _PAIR_LOSSES.values()),
    grad=True,
    ulps=4,
    spec=_pair_loss(),
    seed=_SEED,
    batch=st.integers(0, 4),
    features=st.integers(1, 5),
    unbatched=st.booleans(),
    dtype=st.sampled_from(_FLOAT),
)
def nn_pair_losses(xp, spec, seed, batch, features, unbatched, dtype):
    """The losses of pairs and triplets: margin ranking on scores, cosine embedding and triplet margin on
    embeddings (2-d, or 1-d with a 0-d target), with ±1 targets; torch's dimension checks on bad shapes."""
    name, params, form = spec
    g = xp.Generator().manual_seed(seed)
    dt = getattr(xp, dtype)
    shape = (features,) if unbatched else (batch, features)
    first, second, third = (xp.randn(*shape, generator=g, dtype=dt).requires_grad_() for _ in range(3))
    target = xp.randint(0, 2, shape[:-1] if name == "CosineEmbeddingLoss" else shape, generator=g).to(dt) * 2 - 1
    if name == "TripletMarginLoss":
        args = (first, second, third)
    elif name == "CosineEmbeddingLoss" and batch == 3:  # a target of the wrong rank
        args = (first, second, target.unsqueeze(-1))
    else:
        args = (first, second, target)
    if form == "module":
        loss = getattr(xp.nn, name)(**params)(*args)
    else:
        loss = getattr(xp.nn.functional, _PAIR_LOSSES[name])(*args, **params)
    return loss, loss.grad_fn.name() if loss.grad_fn else None, first, second


def _clip_model(xp, seed, dtypes):
    xp.manual_seed(seed)
    model = xp.nn.Sequential(xp.nn.Linear(3, 4), xp.nn.Tanh(), xp.nn.Linear(4, 2))
    for p, dtype in zip(model.parameters(), dtypes):
        p.data = p.data.to(getattr(xp, dtype))
    for p in model.parameters():
        p.grad = xp.randn(p.shape, dtype=p.dtype) * 3
    return model


@case(
    covers=("nn.utils.clip_grad_norm_", "nn.utils.clip_grad_norm", "nn.utils.clip_grad_value_",
            "nn.utils.get_total_norm", "nn.utils.clip_grads_with_norm_", "nn.utils.parameters_to_vector",
            "nn.utils.vector_to_parameters"),
    seed=_SEED,
    dtypes=st.lists(st.sampled_from(_FLOAT), min_size=4, max_size=4),
    max_norm=st.sampled_from([0.5, 1.0, 100.0]),
    norm_type=st.sampled_from([2.0, 1.0, float("inf"), 3.0, 0.0]),
    clip=st.sampled_from(["norm", "deprecated", "value", "with norm", "nonfinite", "vector"]),
    foreach=st.sampled_from([None, True, False]),
)  # fmt: skip
def nn_utils_grads(xp, seed, dtypes, max_norm, norm_type, clip, foreach):
    """Gradient clipping on a seeded MLP's random gradients (of mixed dtypes: torch takes the norms group by
    group), the NaN that error_if_nonfinite refuses, and parameters flattened to one vector and back."""
    model = _clip_model(xp, seed, dtypes)
    utils = xp.nn.utils
    params = list(model.parameters())
    if clip == "norm":
        result = utils.clip_grad_norm_(model.parameters(), max_norm, norm_type, foreach=foreach)
    elif clip == "deprecated":
        result = utils.clip_grad_norm(params, max_norm, norm_type)
    elif clip == "value":
        result = utils.clip_grad_value_(model.parameters(), max_norm, foreach=foreach)
    elif clip == "with norm":
        result = utils.get_total_norm([p.grad for p in params], norm_type, foreach=foreach)
        utils.clip_grads_with_norm_(params, max_norm, result * 2, foreach=foreach)
    elif clip == "nonfinite":
        params[1].grad[0] = float("nan")
        result = utils.clip_grad_norm_(params, max_norm, norm_type, error_if_nonfinite=True)
    else:
        model.double()
        result = utils.parameters_to_vector(model.parameters())
        utils.vector_to_parameters(result * 2, model.parameters())
        return result, [p.detach() for p in params]
    return result, [p.grad for p in params]


@case(
    covers=covers("prelu") + ("nn.functional.prelu",),
    grad=True,
    form=st.sampled_from(available("prelu") + ("nn.functional",)),
    x=tensors(dtypes=_FLOAT + ("float16", "int64"), requires_grad=True),
    channels=st.integers(1, 3),
    slope=st.sampled_from([0.25, -1.5, 0.0]),
)
def prelu_forms(xp, form, x, channels, slope):
    """prelu in each of its forms (torch.prelu, Tensor.prelu, F.prelu): a slope, or one per channel (dim 1), of
    x's dtype; torch's checks on a weight that fits no channel count, a 0-d input, an integral dtype."""
    weight = xp.linspace(slope, 1.0, channels).to(x.dtype)
    if form == "nn.functional":
        return xp.nn.functional.prelu(x, weight)
    return call(xp, form, "prelu", x, weight)


_BAD_CALLS = {
    "celu alpha 0": lambda xp, x: xp.nn.functional.celu(x, alpha=0.0),
    "gelu approximate": lambda xp, x: xp.nn.functional.gelu(x, approximate="x"),
    "softshrink negative": lambda xp, x: xp.nn.functional.softshrink(x, -1.5),
    "hardtanh bounds": lambda xp, x: xp.nn.functional.hardtanh(x, 2.0, 1.0),
    "glu odd": lambda xp, x: xp.nn.functional.glu(x[..., :3] if x.dim() else x),
    "one_hot float": lambda xp, x: xp.nn.functional.one_hot(x),
    "dropout p": lambda xp, x: xp.nn.functional.dropout(x, 1.5),
    "huber delta": lambda xp, x: xp.nn.functional.huber_loss(x, x, delta=-1.0),
    "smooth_l1 beta": lambda xp, x: xp.nn.functional.smooth_l1_loss(x, x, beta=-1.0),
    "reduction name": lambda xp, x: xp.nn.functional.mse_loss(x, x, reduction="bad"),
    "nll 0-d": lambda xp, x: xp.nn.functional.nll_loss(x.sum(), xp.tensor(0)),
    "nll float target": lambda xp, x: xp.nn.functional.nll_loss(x.reshape(1, -1), xp.zeros(1)),
    "bce range": lambda xp, x: xp.nn.functional.binary_cross_entropy(x.abs() + 2, x.abs() * 0),
    "embedding float indices": lambda xp, x: xp.nn.functional.embedding(x, xp.zeros(3, 2)),
}


@case(
    covers=("nn.functional errors",),
    expect_error=True,
    call=st.sampled_from(sorted(_BAD_CALLS)),
    x=tensors(dtypes=_FLOAT + ("float16",), regime="finite", min_dims=1),
)
def nn_functional_errors(xp, call, x):
    """Bad arguments get torch's exception class and message."""
    return _BAD_CALLS[call](xp, x)


_MORE = {
    "dropout": lambda xp, x: xp.nn.functional.dropout(x, 0.3),
    "Dropout": lambda xp, x: (xp.nn.Dropout(0.3)(x), repr(xp.nn.Dropout(0.3))),
    "alpha_dropout": lambda xp, x: xp.nn.functional.alpha_dropout(x, 0.2, training=True),
    "AlphaDropout": lambda xp, x: (xp.nn.AlphaDropout(0.2)(x), repr(xp.nn.AlphaDropout(0.2))),
    "dropout1d": lambda xp, x: xp.nn.functional.dropout1d(x, 0.4),
    "dropout2d": lambda xp, x: xp.nn.functional.dropout2d(x, 0.4),
    "dropout3d": lambda xp, x: xp.nn.functional.dropout3d(x, 0.4),
    "Dropout1d": lambda xp, x: (xp.nn.Dropout1d(0.5)(x), repr(xp.nn.Dropout1d(0.5, inplace=True))),
    "Dropout2d": lambda xp, x: (xp.nn.Dropout2d(0.5)(x), repr(xp.nn.Dropout2d(0.5))),
    "Dropout3d": lambda xp, x: (xp.nn.Dropout3d(0.5)(x), repr(xp.nn.Dropout3d(0.5))),
    "relu_": lambda xp, x: xp.nn.functional.relu_(x * 1),
    "elu_": lambda xp, x: xp.nn.functional.elu_(x * 1),
    "selu_": lambda xp, x: xp.nn.functional.selu_(x * 1),
    "celu_": lambda xp, x: xp.nn.functional.celu_(x * 1, 2.0),
    "leaky_relu_": lambda xp, x: xp.nn.functional.leaky_relu_(x * 1, 0.2),
    "hardtanh_": lambda xp, x: xp.nn.functional.hardtanh_(x * 1, -0.5, 0.5),
    "threshold_": lambda xp, x: xp.nn.functional.threshold_(x * 1, 0.1, 20.0),
    "Identity": lambda xp, x: (xp.nn.Identity(3, k=1)(x), repr(xp.nn.Identity())),
    "Flatten": lambda xp, x: (xp.nn.Flatten(0)(x), repr(xp.nn.Flatten())),
    "Unflatten": lambda xp, x: (xp.nn.Unflatten(-1, (1, x.shape[-1]))(x), repr(xp.nn.Unflatten(1, (2, 3)))),
    "one_hot": lambda xp, x: xp.nn.functional.one_hot((x.detach().abs() * 3).long() % 4),
    "ParameterList": lambda xp, x: repr(xp.nn.ParameterList([xp.nn.Parameter(x.detach()), x.detach()])),
    "ParameterDict": lambda xp, x: repr(xp.nn.ParameterDict({"a": xp.nn.Parameter(x.detach())})),
    "Buffer": lambda xp, x: list(_with_buffer(xp, x).state_dict()),
    "LazyLinear": lambda xp, x: _lazy_linear(xp, x),
    "Bilinear": lambda xp, x: _bilinear(xp, x),
    "PReLU": lambda xp, x: _prelu(xp, x),
    "prelu": lambda xp, x: xp.nn.functional.prelu(x, xp.tensor([-0.5], dtype=x.dtype)),
    "normalize": lambda xp, x: (xp.nn.functional.normalize(x, dim=-1), xp.nn.functional.normalize(x, 1.0, 0)),
    "cosine_similarity": lambda xp, x: xp.nn.functional.cosine_similarity(x, x.flip(-1) + 1, dim=-1),
    "pairwise_distance": lambda xp, x: xp.nn.functional.pairwise_distance(x, x.flip(-1), keepdim=True),
}


def _bilinear(xp, x):
    """A seeded Bilinear layer (weight and bias drawn as torch draws them) on tanh(x) and its reverse: the
    products are summed in another order than torch's (so to its tolerance), and bounded inputs keep a sum
    that cancels to near zero within it."""
    layer = xp.nn.Bilinear(x.shape[-1], x.shape[-1], 2)
    x = x.tanh()
    out = layer(x, x.flip(-1))
    return repr(layer), layer.weight, layer.bias, out, out.grad_fn.name()


def _prelu(xp, x):
    """PReLU with one slope, and (on a batch) one slope per channel, each given its own value."""
    single = xp.nn.PReLU(init=0.1)
    per_channel = xp.nn.PReLU(x.shape[1] if x.dim() > 1 else 1)
    with xp.no_grad():
        per_channel.weight.copy_(xp.linspace(-1, 1, per_channel.weight.numel()))
    single, per_channel = single.to(x.dtype), per_channel.to(x.dtype)
    return repr(per_channel), single(x), per_channel(x)


def _lazy_linear(xp, x):
    """Before its first call: the repr, the parameters' repr and state_dict keys; after: a seeded Linear, on
    tanh(x) as Bilinear: its products are summed in BLAS's order, not torch's (so to torch's tolerance), which
    a cancelling sum of large inputs can pass (default run 2222: 8554s giving 92.0692 in torch, 92.0694)."""
    layer = xp.nn.LazyLinear(3)
    before = repr(layer), repr(layer.weight), list(layer.state_dict())
    if x.shape[-1] == 0:  # (in_features 0: reset_parameters draws nothing, the weights stay uninitialised memory)
        return before
    return before, layer(x.tanh()), repr(layer), type(layer).__name__, layer.weight


def _with_buffer(xp, x):
    m = xp.nn.Module()
    m.kept = xp.nn.Buffer(x.detach())
    m.scratch = xp.nn.Buffer(x.detach(), persistent=False)
    return m


@case(
    covers=tuple(f"nn.functional.{n}" if n[0].islower() else f"nn.{n}" for n in _MORE),
    grad=True,
    ulps=4,
    name_=st.sampled_from(sorted(_MORE)),
    seed=_SEED,
    x=tensors(dtypes=_FLOAT, regime="finite", requires_grad=True, min_dims=1),
)
def nn_more(xp, name_, seed, x):
    """The remaining layers and functions: dropout masks from the seeded generator, the in-place functional
    names, containers of parameters, buffers."""
    xp.manual_seed(seed)
    return _MORE[name_](xp, x)
