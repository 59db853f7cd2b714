"""Module and graph-node hooks: forward pre-hooks and hooks (with and without kwargs, prepended, removed),
full backward hooks and backward pre-hooks on a seeded Sequential of Linear and ReLU layers, hooks that only
record, hooks that replace the values they are given, and hooks that return the wrong number of values;
Node.register_hook and Node.register_prehook on a graph's nodes.  Compared: every hook's call in order with
the module and values it was given, the output, its node, the gradients, torch's warnings and errors.

Tolerance: values pass through Linear's matrix product (the shim's BLAS sums in another order than MKL's), so
they are compared to torch's tolerance; the hooks only scale by 2, exactly."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case

_KINDS = ("forward_pre", "forward_pre_kwargs", "forward", "forward_kwargs", "backward_pre", "backward")
_ACTIONS = ("record", "scale", "wrong count")


def _twice(values: tuple) -> tuple:
    return tuple(None if v is None else v * 2 for v in values)


def _hook(kind: str, action: str, events: list):
    """A hook of `kind` that records its call and, by `action`, returns nothing, its values scaled by 2, or
    one value too many."""
    scale, wrong = action == "scale", action == "wrong count"

    def forward_pre(m, args):
        events.append((kind, type(m).__name__, args))
        return args + args if wrong else _twice(args) if scale else None

    def forward_pre_kwargs(m, args, kwargs):
        events.append((kind, type(m).__name__, args, sorted(kwargs)))
        return (args, kwargs, None) if wrong else (_twice(args), kwargs) if scale else None

    def forward(m, args, result):
        events.append((kind, type(m).__name__, args, result))
        return result * 2 if scale else None

    def forward_kwargs(m, args, kwargs, result):
        events.append((kind, type(m).__name__, args, sorted(kwargs), result))
        return result * 2 if scale else None

    def backward_pre(m, grad_output):
        events.append((kind, type(m).__name__, grad_output))
        return grad_output + grad_output if wrong else _twice(grad_output) if scale else None

    def backward(m, grad_input, grad_output):
        events.append((kind, type(m).__name__, grad_input, grad_output))
        return grad_input + grad_input if wrong else _twice(grad_input) if scale else None

    return locals()[kind]


def _register(module, kind: str, hook, prepend: bool):
    if kind.startswith("forward_pre"):
        return module.register_forward_pre_hook(hook, prepend=prepend, with_kwargs=kind.endswith("kwargs"))
    if kind.startswith("forward"):
        return module.register_forward_hook(hook, prepend=prepend, with_kwargs=kind.endswith("kwargs"))
    if kind == "backward_pre":
        return module.register_full_backward_pre_hook(hook, prepend=prepend)
    return module.register_full_backward_hook(hook, prepend=prepend)


_HOOK = st.tuples(
    st.integers(0, 4),  # which module: the Sequential, or one of its layers
    st.sampled_from(_KINDS),
    st.sampled_from(_ACTIONS),
    st.booleans(),  # prepend
)


@case(
    covers=("nn.Module.register_forward_pre_hook", "nn.Module.register_forward_hook",
            "nn.Module.register_full_backward_hook", "nn.Module.register_full_backward_pre_hook",
            "utils.hooks.RemovableHandle"),
    version=False,
    seed=st.integers(0, 2**32 - 1),
    widths=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
    hooks=st.lists(_HOOK, min_size=1, max_size=4),
    removed=st.sets(st.integers(0, 3), max_size=2),
    input_grad=st.booleans(),
)  # fmt: skip
def nn_module_hooks(xp, seed, widths, hooks, removed, input_grad):
    xp.manual_seed(seed)
    nn = xp.nn
    model = nn.Sequential(nn.Linear(widths[0], widths[1]), nn.ReLU(), nn.Linear(widths[1], widths[2]), nn.ReLU())
    modules = [model, *model]
    events: list = []
    handles = [
        _register(modules[at], kind, _hook(kind, action, events), prepend) for at, kind, action, prepend in hooks
    ]
    for index in sorted(removed):
        if index < len(handles):
            handles[index].remove()
    x = xp.randn(3, widths[0], requires_grad=input_grad)
    y = model(x)
    node = y.grad_fn.name() if y.grad_fn is not None else None
    if y.requires_grad:
        y.backward(xp.randn(*y.shape))
    return events, y, node, [p.grad for p in model.parameters()], x.grad


_NODE_ACTIONS = ("record", "scale", "list", "wrong count", "int", "other dtype", "other size")


def _node_result(action: str, values: tuple):
    """What a node hook returns, by action: nothing, the values scaled, or one of the returns torch refuses."""
    first = values[0]
    return {
        "record": None,
        "scale": _twice(values),
        "list": list(values),
        "wrong count": values + values,
        "int": (1,) + values[1:],
        "other dtype": (None if first is None else first.double(),) + values[1:],
        "other size": (None if first is None else first[:1],) + values[1:],
    }[action]


@case(
    covers=("autograd.graph.Node.register_hook", "autograd.graph.Node.register_prehook"),
    version=False,
    x=st.lists(st.floats(-4, 4, width=32), min_size=2, max_size=5),
    pre=st.sampled_from(_NODE_ACTIONS),
    post=st.sampled_from(_NODE_ACTIONS),
)
def node_hooks(xp, x, pre, post):
    leaf = xp.tensor(x, requires_grad=True)
    y = (leaf * 3).exp()
    events: list = []

    def prehook(grad_outputs):
        events.append(("pre", grad_outputs))
        return _node_result(pre, grad_outputs)

    def posthook(grad_inputs, grad_outputs):
        events.append(("post", grad_inputs, grad_outputs))
        return _node_result(post, grad_inputs)

    mul = y.grad_fn.next_functions[0][0]  # MulBackward0: grad_inputs (self, other=None for the scalar)
    mul.register_prehook(prehook)
    mul.register_hook(posthook)
    y.sum().backward()
    return events, leaf.grad


# layer -> constructor arguments: one of each family whose forward the shim shares between classes
_LAYERS = {
    "ReLU": (), "Tanh": (), "Sigmoid": (), "Hardswish": (), "Softmax": (1,), "Conv1d": (1, 1, 1), "Conv2d": (1, 1, 1),
    "ConvTranspose2d": (1, 1, 1), "MaxPool1d": (1,), "MaxPool2d": (1,), "AvgPool2d": (1,), "AdaptiveAvgPool2d": (1,),
    "AdaptiveMaxPool1d": (1,), "BatchNorm2d": (1,), "ReflectionPad2d": (1,), "ReplicationPad1d": (1,),
    "ConstantPad2d": (1, 0.5), "CircularPad2d": (1,), "Upsample": (None, 2), "UpsamplingNearest2d": (None, 2),
    "UpsamplingBilinear2d": (None, 2),
}  # fmt: skip


@case(
    covers=tuple(f"nn.{name}" for name in _LAYERS),
    ulps=4,
    name_=st.sampled_from(sorted(_LAYERS)),
    extra=st.booleans(),
)
def nn_layer_calls(xp, name_, extra):
    """Each layer called on a 1x1x3x3 input, or with one argument too many: torch's TypeError names the class
    whose forward ran (ReLU.forward, _BatchNorm.forward), and the deprecated upsampling layers do not warn."""
    xp.manual_seed(0)
    layer = getattr(xp.nn, name_)(*_LAYERS[name_])
    x = xp.arange(9.0).reshape(1, 1, 3, 3)
    x = x.reshape(1, 1, 9) if name_.endswith("1d") else x
    return layer(x, x) if extra else layer(x)
