"""Autograd: graph structure, backward and autograd.grad, accumulation, hooks, grad modes, detaching,
in-place safety and custom Functions — each scenario observed step by step."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import FLOATS, tensors

_X = tensors(dtypes=("float32", "float64"), shape=st.sampled_from([(2,), (3,), (2, 2), ()]), regime="finite")
_SAFE = tensors(dtypes=("float32", "float64"), shape=st.sampled_from([(2,), (3,), (2, 2)]), regime="positive")

# expressions of the reference table (node names along next_functions)
EXPRESSIONS = {
    "x + 1": lambda xp, x, w: x + 1,
    "1 + x": lambda xp, x, w: 1 + x,
    "x + w": lambda xp, x, w: x + w,
    "x - 1": lambda xp, x, w: x - 1,
    "1 - x": lambda xp, x, w: 1 - x,
    "x * 2": lambda xp, x, w: x * 2,
    "x * w": lambda xp, x, w: x * w,
    "x / 2": lambda xp, x, w: x / 2,
    "2 / x": lambda xp, x, w: 2 / x,
    "x ** 2": lambda xp, x, w: x**2,
    "2 ** x": lambda xp, x, w: 2**x,
    "x ** w": lambda xp, x, w: x**w,
    "-x": lambda xp, x, w: -x,
    "x // 2": lambda xp, x, w: x // 2,
    "x.exp()": lambda xp, x, w: x.exp(),
    "x.sum()": lambda xp, x, w: x.sum(),
    "x.sum(0)": lambda xp, x, w: x.sum(0),
    "x.mean()": lambda xp, x, w: x.mean(),
    "x.max()": lambda xp, x, w: x.max(),
    "x.max(0)[0]": lambda xp, x, w: x.max(0)[0],
    "x.norm()": lambda xp, x, w: x.norm(),
    "x.view(-1)": lambda xp, x, w: x.view(-1),
    "x.t().reshape(-1)": lambda xp, x, w: x.t().reshape(-1) if x.dim() <= 2 else x,
    "x[0]": lambda xp, x, w: x[0] if x.dim() else x,
    "x[0:1]": lambda xp, x, w: x[0:1] if x.dim() else x,
    "x.T": lambda xp, x, w: x.T if x.dim() in (0, 2) else x,
    "x.t()": lambda xp, x, w: x.t(),
    "x.double()": lambda xp, x, w: x.double(),
    "x.float()": lambda xp, x, w: x.float(),
    "x.clone()": lambda xp, x, w: x.clone(),
    "x.detach()": lambda xp, x, w: x.detach(),
    "x.contiguous()": lambda xp, x, w: x.contiguous(),
    "torch.cat([x, w])": lambda xp, x, w: xp.cat([x, w]) if x.dim() else x,
    "torch.stack([x, w])": lambda xp, x, w: xp.stack([x, w]),
    "x @ w": lambda xp, x, w: x @ w if x.dim() else x,
    "x.relu()": lambda xp, x, w: x.relu(),
    "x.sigmoid().tanh()": lambda xp, x, w: x.sigmoid().tanh(),
    "torch.where(x > 0, x, w)": lambda xp, x, w: xp.where(x > 0, x, w),
    "x.clamp(0, 1)": lambda xp, x, w: x.clamp(0, 1),
    "x.abs().log()": lambda xp, x, w: x.abs().log(),
    "x.expand(2, *x.shape)": lambda xp, x, w: x.expand(2, *x.shape),
    "x.unsqueeze(0).squeeze()": lambda xp, x, w: x.unsqueeze(0).squeeze(),
}


def _names(fn, depth=3):
    """The node names along next_functions, depth-limited, as nested lists."""
    if fn is None or depth == 0:
        return None if fn is None else type(fn).__name__
    return [type(fn).__name__, [(_names(n, depth - 1), nr) for n, nr in fn.next_functions]]


@case(
    version=False,
    covers=("grad_fn", "next_functions", "AccumulateGrad", "is_leaf"),
    grad=True,
    expr=st.sampled_from(sorted(EXPRESSIONS)),
    x=_X,
    w_grad=st.booleans(),
)
def graph_structure(xp, expr, x, w_grad):
    x = x.detach().requires_grad_()
    w = (x.detach() * 0 + 1.5).requires_grad_(w_grad)
    y = EXPRESSIONS[expr](xp, x, w)
    return y, _names(y.grad_fn), y.is_leaf, y.requires_grad


@case(
    version=False,
    covers=("backward(retain_graph=)", "backward twice"),
    expr=st.sampled_from(sorted(EXPRESSIONS)),
    x=_SAFE,
    retain=st.booleans(),
)
def backward_twice(xp, expr, x, retain):
    x = x.detach().requires_grad_()
    w = (x.detach() * 0 + 1.5).requires_grad_()
    y = EXPRESSIONS[expr](xp, x, w)
    if not y.requires_grad:
        return "no grad"
    loss = y.sum()
    loss.backward(retain_graph=retain)
    out = [x.grad.clone()]
    try:
        loss.backward()
        out.append(x.grad)
    except RuntimeError as e:
        out.append(str(e))
    return out


@case(
    version=False,
    covers=("backward(gradient=)", "grad can be implicitly created"),
    x=_X,
    gradient=st.sampled_from(["none", "ones", "wrong_shape", "float64", "list"]),
)
def backward_gradient_arg(xp, x, gradient):
    x = x.detach().requires_grad_()
    y = x * 2
    g = {
        "none": None,
        "ones": xp.ones_like(y),
        "wrong_shape": xp.ones(5),
        "float64": xp.ones(y.shape, dtype=xp.float64),
        "list": [1.0] * y.numel(),
    }[gradient]
    y.backward(g)
    return x.grad


@case(
    version=False,
    covers=("autograd.grad", "allow_unused", "create_graph"),
    x=_SAFE,
    allow_unused=st.booleans(),
    create_graph=st.booleans(),
    use_unused=st.booleans(),
)
def autograd_grad(xp, x, allow_unused, create_graph, use_unused):
    x = x.detach().requires_grad_()
    z = xp.ones(2, requires_grad=True)
    y = (x**3).sum()
    inputs = (x, z) if use_unused else (x,)
    grads = xp.autograd.grad(y, inputs, create_graph=create_graph, allow_unused=allow_unused)
    out = [grads, x.grad]
    if create_graph:
        grads[0].sum().backward()
        out.append(x.grad)
    return out


@case(version=False, covers=("gradient accumulation", ".grad", "zero_"), x=_X, n=st.integers(1, 3))
def accumulation(xp, x, n):
    x = x.detach().requires_grad_()
    grads = []
    g = None
    for i in range(n):
        (x * (i + 1)).sum().backward()
        if g is None:
            g = x.grad
        grads.append(x.grad.clone())
    same = g is x.grad
    x.grad.zero_()
    return grads, same, x.grad


@case(version=False, covers=("retain_grad", "retains_grad", "non-leaf .grad warning"), x=_X)
def retain_grad_case(xp, x):
    x = x.detach().requires_grad_()
    y = x * 3
    z = x * 2
    y.retain_grad()
    (y.sum() + z.sum()).backward()
    out = [y.grad, y.retains_grad, x.retains_grad, z.grad]
    try:
        xp.ones(2).retain_grad()
    except RuntimeError as e:
        out.append(str(e))
    return out


@case(version=False, covers=("register_hook",), x=_X, factor=st.sampled_from([None, 2.0, -1.0]))
def tensor_hooks(xp, x, factor):
    x = x.detach().requires_grad_()
    seen = []
    x.register_hook(lambda g: seen.append(g.clone()) or (None if factor is None else g * factor))
    y = x * 3
    y.register_hook(lambda g: g + 1)
    y.sum().backward()
    return x.grad, seen


@case(
    version=False,
    covers=("no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode"),
    x=_X,
    mode=st.sampled_from(
        [
            "no_grad",
            "enable_in_no_grad",
            "set_false",
            "set_fn",
            "decorator",
            "inference",
            "factory_in_no_grad",
            "view_in_no_grad",
            "inplace_in_no_grad",
        ]
    ),
)
def grad_modes(xp, x, mode):
    x = x.detach().requires_grad_()
    if mode == "no_grad":
        with xp.no_grad():
            y = x * 2
        return y, y.requires_grad, y.is_leaf, xp.is_grad_enabled()
    if mode == "enable_in_no_grad":
        with xp.no_grad():
            with xp.enable_grad():
                y = x * 2
            inner = xp.is_grad_enabled()
        return y, inner
    if mode == "set_false":
        with xp.set_grad_enabled(False):
            y = x * 2
        return y.requires_grad, xp.is_grad_enabled()
    if mode == "set_fn":
        xp.set_grad_enabled(False)
        y = x * 2
        xp.set_grad_enabled(True)
        return y.requires_grad, xp.is_grad_enabled()
    if mode == "decorator":
        return xp.no_grad()(lambda t: t * 2)(x).requires_grad
    if mode == "inference":
        with xp.inference_mode():
            y = x * 2
        out = [y.requires_grad, y.is_inference()]
        try:
            (y * x).sum().backward()
        except RuntimeError as e:
            out.append(str(e))
        return out
    if mode == "factory_in_no_grad":
        with xp.no_grad():
            n = xp.ones(2, requires_grad=True)
            k = xp.ones(2).requires_grad_()
            kk = k * 2
        return n.requires_grad, n.is_leaf, k.requires_grad, kk.requires_grad
    if mode == "view_in_no_grad":
        with xp.no_grad():
            v = x.view(-1)
        return v.requires_grad, v.grad_fn, v.is_leaf, repr(v), (v * 2).grad_fn is not None
    with xp.no_grad():
        x.add_(1)
    return x, x._version


@case(version=False, covers=("detach", "detach_", "data", "_version"), x=_X)
def detach_and_data(xp, x):
    x = x.detach().requires_grad_()
    d = x.detach()
    dd = x.data
    d.add_(1)
    v1 = (x._version, d._version, dd._version)
    dd.add_(1)
    v2 = (x._version, d._version, dd._version)
    y = x * x
    x.data.mul_(2)
    y.sum().backward()
    out = [v1, v2, x.grad, d.requires_grad, d.is_leaf]
    z = x * x
    x.detach().zero_()
    try:
        z.sum().backward()
    except RuntimeError as e:
        out.append(str(e))
    return out


INPLACE_ERRORS = [
    "leaf_add_",
    "leaf_iadd",
    "leaf_setitem",
    "leaf_view_mul_",
    "saved_sigmoid",
    "saved_mul_input",
    "saved_setitem",
    "saved_leaf_no_grad",
    "exp_output_ok",
    "split_view",
    "unbind_view",
    "no_grad_view",
    "requires_grad_int_factory",
    "requires_grad_int_method",
    "requires_grad_int_setter",
    "nonleaf_requires_grad_false",
    "grad_wrong_shape",
    "grad_wrong_dtype",
    "grad_list",
    "numpy_requires_grad",
    "item_2",
    "float_requires_grad",
    "data_int",
]


@case(
    version=False,
    covers=("in-place checks", "version counter error", "leaf errors", ".grad assignment"),
    which=st.sampled_from(INPLACE_ERRORS),
    dtype=st.sampled_from(FLOATS[1:]),
)
def autograd_errors(xp, which, dtype):
    dt = getattr(xp, dtype)
    x = xp.tensor([1.0, 2.0], dtype=dt, requires_grad=True)
    if which == "leaf_add_":
        return x.add_(1)
    if which == "leaf_iadd":
        x += 1
        return x
    if which == "leaf_setitem":
        x[0] = 5
        return x
    if which == "leaf_view_mul_":
        return x[1:].mul_(1)
    if which == "saved_sigmoid":
        s = x.sigmoid()
        s.mul_(2)
        s.sum().backward()
        return x.grad
    if which == "saved_mul_input":
        m = x * 1
        p = m * m
        m.add_(1)
        p.sum().backward()
        return x.grad
    if which == "saved_setitem":
        m = x * 1
        p = m * m
        m[0] = 0
        p.sum().backward()
        return x.grad
    if which == "saved_leaf_no_grad":
        w = xp.tensor([3.0, 4.0], dtype=dt, requires_grad=True)
        q = x * w
        with xp.no_grad():
            w.add_(1)
        q.sum().backward()
        return x.grad
    if which == "exp_output_ok":
        b = x * 1
        c = b.exp()
        b.add_(1)
        c.sum().backward()
        return x.grad
    if which == "split_view":
        return (x * 1).split(1)[1].add_(1)
    if which == "unbind_view":
        return (x * 1).unbind()[0].mul_(2)
    if which == "no_grad_view":
        y = x * 1
        with xp.no_grad():
            v = y[:1]
        return v.mul_(2)
    if which == "requires_grad_int_factory":
        return xp.tensor([1, 2], requires_grad=True)
    if which == "requires_grad_int_method":
        return xp.tensor([1, 2]).requires_grad_()
    if which == "requires_grad_int_setter":
        t = xp.tensor([1, 2])
        t.requires_grad = True
        return t
    if which == "nonleaf_requires_grad_false":
        return (x * 2).requires_grad_(False)
    if which == "grad_wrong_shape":
        x.grad = xp.ones(3, dtype=dt)
        return x.grad
    if which == "grad_wrong_dtype":
        x.grad = xp.ones(2, dtype=xp.float16)
        return x.grad
    if which == "grad_list":
        x.grad = [1, 2]
        return x.grad
    if which == "numpy_requires_grad":
        return x.numpy()
    if which == "item_2":
        return x.item()
    if which == "float_requires_grad":
        return float(x[:1])
    x.data = xp.tensor([1, 2])
    return x


class _Cube:
    """A custom autograd.Function, defined for either backend."""

    @staticmethod
    def define(xp):
        class Cube(xp.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                ctx.save_for_backward(x)
                ctx.k = k
                return x**3 * k

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * 3 * x**2 * ctx.k, None

        return Cube


@case(
    version=False,
    covers=("autograd.Function", "save_for_backward", "saved_tensors", "needs_input_grad", "apply"),
    x=_X,
    k=st.sampled_from([1.0, -2.0]),
    modify=st.booleans(),
)
def custom_function(xp, x, k, modify):
    cube = _Cube.define(xp)
    x = x.detach().requires_grad_()
    y = cube.apply(x, k)
    out = [y, type(y.grad_fn).__name__, y.requires_grad]
    if modify:
        with xp.no_grad():
            x.mul_(1)
    try:
        y.sum().backward()
        out.append(x.grad)
    except RuntimeError as e:
        out.append(str(e))
    return out


def _split_function(xp):
    """A custom Function with a second output (the positive-entry mask) marked non-differentiable."""

    class PositivePart(xp.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            mask = x > 0
            ctx.mark_non_differentiable(mask)
            ctx.save_for_backward(mask)
            return x * mask, mask

        @staticmethod
        def backward(ctx, g, g_mask):
            (mask,) = ctx.saved_tensors
            return g * mask

    return PositivePart


@case(version=False, covers=("mark_non_differentiable",), x=tensors(dtypes=("float32", "float64"), shape=st.just((4,))))
def non_differentiable_outputs(xp, x):
    x = x.detach().requires_grad_()
    values, idx = _split_function(xp).apply(x)
    out = [values.requires_grad, idx.requires_grad, idx.grad_fn is None, idx.dtype]
    (values * xp.arange(1, 5, dtype=x.dtype)).sum().backward()
    return out + [x.grad]


@case(
    version=False,
    covers=("autograd.backward",),
    x=_X,
    form=st.sampled_from(["one", "two", "inputs", "grad_tensors_missing", "scalar_grad"]),
)
def autograd_backward_function(xp, x, form):
    """torch.autograd.backward over several roots, with grad_tensors and inputs=."""
    x = x.detach().requires_grad_()
    w = (x * 3).detach().requires_grad_()
    a, b = (x * w).sum(), (x * x).sum()
    if form == "one":
        xp.autograd.backward(a)
    elif form == "two":
        xp.autograd.backward([a, b], [xp.tensor(1.0, dtype=x.dtype), xp.tensor(2.0, dtype=x.dtype)])
    elif form == "inputs":
        xp.autograd.backward([a, b], inputs=[w])
    elif form == "grad_tensors_missing":
        xp.autograd.backward([a, b], [xp.tensor(1.0, dtype=x.dtype)])
    else:
        xp.autograd.backward(x * 2, 1.0)
    return x.grad, w.grad


@case(covers=("unsafe_chunk", "mul_", "sigmoid_"), x=_SAFE)
def inplace_on_split_pieces(xp, x):
    """In-place ops on the pieces of one multi-output node (GRUCell's way with unsafe_chunk): each piece's
    new grad_fn is that op's, output 0, and backward reaches every piece."""
    whole = xp.cat([x.reshape(-1)] * 3).requires_grad_()
    first, second, third = (whole * 1).unsafe_chunk(3, 0)
    gate = first.sigmoid_()
    mixed = second.mul_(gate).add_(third)
    mixed.sum().backward()
    return mixed, [(type(fn).__name__, nr) for fn, nr in mixed.grad_fn.next_functions], whole.grad
