"""torch.nn's normalisation layers: BatchNorm1d/2d/3d (training on the batch's statistics, the running ones
moved by momentum or a cumulative average, eval on the running ones), LayerNorm and GroupNorm, and their
functional forms: reprs, parameters and buffers (state_dict), outputs, nodes, the gradients of input and
parameters, and argument errors.

Tolerance: batch_norm's forward on a contiguous float32 input is torch's arithmetic, compared bit for bit
(batch_norm_float32_bits).  Elsewhere torch's kernels accumulate with vector lanes in an order the shim does
not reproduce (LayerNorm's and GroupNorm's statistics, every backward, float64; the shim sums in double), so
nn_norm compares to ten times torch's tolerance plus 4 ULPs: the input gradient subtracts nearly equal terms
(g - mean(g) - x_hat * mean(g * x_hat)), so both libraries' float32 results carry rounding errors of about
1e-5 there."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case

_FLOAT = ("float32", "float64")

# layer -> input shapes (batch first).  Every group of normalised elements has at least 3: normalising two
# gives +-1 whatever they are, so their gradient is rounding noise in both libraries.
_LAYERS = {
    "BatchNorm1d": [(5, 3), (4, 3, 6), (3, 3, 1)],
    "BatchNorm2d": [(4, 3, 2, 3), (2, 3, 4, 1)],
    "BatchNorm3d": [(2, 3, 2, 2, 3)],
    "LayerNorm": [(4, 3), (2, 5, 3), (3, 2, 3)],
    "GroupNorm": [(4, 6), (2, 6, 5), (3, 6, 2, 2)],
}


@st.composite
def _layer(draw):
    kind = draw(st.sampled_from(sorted(_LAYERS)), label="layer")
    shape = draw(st.sampled_from(_LAYERS[kind]), label="shape")
    if kind.startswith("BatchNorm"):
        options = {
            "momentum": draw(st.sampled_from([0.1, 0.5, None]), label="momentum"),
            "affine": draw(st.booleans(), label="affine"),
            "track_running_stats": draw(st.booleans(), label="track_running_stats"),
            "eps": draw(st.sampled_from([1e-5, 0.1]), label="eps"),
        }
        return kind, (shape[1],), options, shape
    if kind == "LayerNorm":
        dims = draw(st.integers(1, len(shape) - 1), label="normalized dims")
        options = {"elementwise_affine": draw(st.booleans(), label="affine"), "bias": draw(st.booleans(), label="bias")}
        return kind, (shape[len(shape) - dims :],), options, shape
    groups = draw(st.sampled_from([1, 2] if len(shape) == 2 else [1, 2, 3, 6]), label="groups")
    return kind, (groups, 6), {"affine": draw(st.booleans(), label="affine")}, shape


@case(
    covers=(
        "nn.BatchNorm1d",
        "nn.BatchNorm2d",
        "nn.BatchNorm3d",
        "nn.LayerNorm",
        "nn.GroupNorm",
        "nn.functional.batch_norm",
        "nn.functional.layer_norm",
        "nn.functional.group_norm",
    ),  # fmt: skip
    ulps=4,
    scale=10.0,
    seed=st.integers(0, 2**32 - 1),
    layer=_layer(),
    dtype=st.sampled_from(_FLOAT),
    steps=st.integers(1, 3),
)
def nn_norm(xp, seed, layer, dtype, steps):
    """A layer trained for a few forward/backward steps on seeded inputs, then put in eval mode: each step's
    output, node and gradients, and the parameters and buffers (running statistics, num_batches_tracked)."""
    kind, args, options, shape = layer
    xp.manual_seed(seed)
    module = getattr(xp.nn, kind)(*args, **options, dtype=getattr(xp, dtype))
    results = [repr(module)]
    for step in range(steps + 1):
        if step == steps:
            module.eval()
        x = xp.randn(*shape, dtype=getattr(xp, dtype)).mul(1 + step).add(step).requires_grad_()
        y = module(x)
        y.backward((xp.arange(y.numel(), dtype=y.dtype).reshape(y.shape) % 5) / 2 - 1)
        grads = [x.grad] + [p.grad for p in module.parameters()]
        module.zero_grad()
        results.append((y, y.grad_fn.name(), grads, dict(module.state_dict())))
    return results


_NORM_ERRORS = {
    "batch size 1": lambda xp, x: xp.nn.BatchNorm1d(3)(x[:1, :, 0]),
    "batch norm rank": lambda xp, x: xp.nn.BatchNorm2d(3)(x),
    "batch norm 1d rank": lambda xp, x: xp.nn.BatchNorm1d(3)(x.unsqueeze(0)),
    "running mean size": lambda xp, x: xp.nn.functional.batch_norm(x, xp.zeros(2), xp.ones(3)),
    "weight size": lambda xp, x: xp.nn.functional.batch_norm(x, None, None, xp.ones(4), training=True),
    "eval without stats": lambda xp, x: xp.nn.functional.batch_norm(x, None, xp.ones(3)),
    "eps": lambda xp, x: xp.nn.functional.batch_norm(x, None, None, training=True, eps=0.0),
    "layer norm shape": lambda xp, x: xp.nn.functional.layer_norm(x, (3,)),
    "layer norm weight": lambda xp, x: xp.nn.functional.layer_norm(x, (4,), xp.ones(3)),
    "group norm groups": lambda xp, x: xp.nn.functional.group_norm(x, 2),
    "group norm module": lambda xp, x: xp.nn.GroupNorm(2, 3),
    "group norm weight": lambda xp, x: xp.nn.functional.group_norm(x, 3, xp.ones(2)),
    "group norm rank": lambda xp, x: xp.nn.functional.group_norm(x[0, 0], 1),
    "integer input": lambda xp, x: xp.nn.functional.layer_norm(x.long(), (4,)),
}


@case(
    covers=("nn.functional.batch_norm", "nn.functional.layer_norm", "nn.functional.group_norm"),
    ulps=4,
    seed=st.integers(0, 2**32 - 1),
    which=st.sampled_from(sorted(_NORM_ERRORS)),
)
def nn_norm_errors(xp, seed, which):
    """Each argument error with torch's class and message."""
    xp.manual_seed(seed)
    return _NORM_ERRORS[which](xp, xp.randn(2, 3, 4))


@case(
    covers=("nn.BatchNorm1d", "nn.BatchNorm2d", "nn.functional.batch_norm"),
    exact=True,
    seed=st.integers(0, 2**32 - 1),
    shape=st.one_of(
        # one value per channel and row: the row-buffer kernel (up to and past one AVX512 vector of channels)
        st.tuples(st.integers(2, 12), st.integers(1, 40)),
        st.tuples(st.integers(1, 4), st.integers(1, 5), st.integers(1, 5), st.integers(2, 6)),
    ),
    affine=st.booleans(),
    momentum=st.floats(0.0, 1.0),
    eps=st.sampled_from([1e-5, 1e-3, 0.1]),
    threads=st.integers(1, 3),
)
def batch_norm_float32_bits(xp, seed, shape, affine, momentum, eps, threads):
    """batch_norm on float32, bit for bit: a training step's output, running statistics and gradients (torch's
    float statistics summed in double, split between threads by rows where each channel has one value per
    row, its vector sums per plane in the backward, and its fused multiply-adds), then the output and
    gradients in eval mode from those running statistics."""
    xp.manual_seed(seed)
    previous = xp.get_num_threads()
    xp.set_num_threads(threads)
    try:
        channels = shape[1]
        x = (xp.randn(*shape) * 3 + 1).requires_grad_()
        weight, bias = (
            (xp.randn(channels).requires_grad_(), xp.randn(channels).requires_grad_()) if affine else (None, None)
        )
        mean, var = xp.randn(channels), xp.rand(channels) + 0.5
        F = xp.nn.functional
        trained = F.batch_norm(x, mean, var, weight, bias, training=True, momentum=momentum, eps=eps)
        trained.backward(xp.randn(*shape))
        grads = (x.grad, weight.grad, bias.grad) if affine else (x.grad,)
        # eval mode on fresh leaves: its own gradients (the kernel's invstd from the running variance)
        x, weight, bias = (t.detach().requires_grad_() if t is not None else None for t in (x, weight, bias))
        evaluated = F.batch_norm(x, mean, var, weight, bias, training=False, eps=eps)
        evaluated.backward(xp.randn(*shape))
        eval_grads = (x.grad, weight.grad, bias.grad) if affine else (x.grad,)
        return trained.detach(), mean, var, evaluated.detach(), grads, eval_grads
    finally:
        xp.set_num_threads(previous)


@case(
    covers=("nn.LayerNorm", "nn.GroupNorm", "nn.functional.layer_norm", "nn.functional.group_norm"),
    exact=True,
    seed=st.integers(0, 2**32 - 1),
    which=st.sampled_from(["layer_norm", "group_norm"]),
    rows=st.integers(1, 4),
    groups=st.integers(1, 3),
    size=st.one_of(st.integers(1, 40), st.integers(120, 700)),  # a scalar tail only; chunks of vectors
    params=st.sampled_from(["none", "weight", "both"]),
    eps=st.sampled_from([1e-5, 1e-3, 0.1]),
    magnitude=st.sampled_from([1e-3, 1.0, 1e3]),
)
def norm_float32_bits(xp, seed, which, rows, groups, size, params, eps, magnitude):
    """layer_norm's and group_norm's forward on float32, bit for bit: torch's RowwiseMoments (Welford over
    vectors of 8, chunks of 16 vectors cascaded, the lanes merged with the scalar tail) and its fused
    affine transform; and layer_norm's gradients (its backward kernel's vector sums, thread buffers and
    contractions)."""
    xp.manual_seed(seed)
    F = xp.nn.functional
    if which == "layer_norm":
        x = (xp.randn(rows, size) * magnitude + 1).requires_grad_()
        weight = xp.randn(size).requires_grad_() if params != "none" else None
        bias = xp.randn(size).requires_grad_() if params == "both" else None
        y = F.layer_norm(x, (size,), weight, bias, eps)
        y.backward(xp.randn(rows, size))
        return y.detach(), [t.grad for t in (x, weight, bias) if t is not None]
    x = xp.randn(rows + 1, groups * 2, size) * magnitude + 1
    weight = xp.randn(groups * 2) if params != "none" else None
    bias = xp.randn(groups * 2) if params == "both" else None
    return F.group_norm(x, groups, weight, bias, eps)
