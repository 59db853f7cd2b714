"""The forms of the core ops that their own families call in one form only: every reduction, scan and view
as a method and a function; the aliases (divide, multiply, subtract, greater, ...); the in-place
comparisons and logical ops (eq_, logical_and_, ...); the module-level in-place functions (torch.sin_, ...);
and the tensor attributes.  A form that diverges from the others, or a keyword one form ignores
(`x.sum(dim, keepdim=True)`), shows here."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import available, call, covers
from ..registry import case
from ..strategies import ALL, FLOATS, LAYOUTS, REAL, UNEXPANDED, broadcastable, tensors

_X = tensors(dtypes=ALL, requires_grad=st.booleans())

# -- reductions and scans: function and method, with dim and keepdim --------------------------------------
REDUCTIONS = {
    # name: (dtypes, exact?, takes keepdim?, needs a dim?)
    "sum": (ALL, True, True, False),
    "nansum": (REAL, True, True, False),
    "mean": (FLOATS, False, True, False),
    "prod": (ALL, True, True, False),
    "std": (FLOATS, False, True, False),
    "var": (FLOATS, False, True, False),
    "amax": (REAL, True, True, False),
    "amin": (REAL, True, True, False),
    "argmax": (REAL, True, True, False),
    "argmin": (REAL, True, True, False),
    "all": (ALL, True, True, False),
    "any": (ALL, True, True, False),
    "logsumexp": (FLOATS, False, True, True),
    "count_nonzero": (ALL, True, False, False),
    "norm": (FLOATS, False, True, False),
    "max": (REAL, True, True, False),
    "min": (REAL, True, True, False),
    "median": (REAL, True, True, False),
    "cumsum": (ALL, True, False, True),
    "cumprod": (ALL, True, False, True),
}


@st.composite
def _reduction(draw):
    op = draw(st.sampled_from(sorted(REDUCTIONS)), label="op")
    dtypes, _, keepdim_ok, needs_dim = REDUCTIONS[op]
    layouts = UNEXPANDED if op == "median" else LAYOUTS  # (torch's median of an expanded dim: see UNEXPANDED)
    x = draw(tensors(dtypes=dtypes, layouts=layouts, regime="exact", requires_grad=st.booleans()))
    nd = len(x.shape)
    single = op in ("argmax", "argmin", "max", "min", "median", "cumsum", "cumprod")
    dim = draw(
        st.integers(-max(nd, 1), max(nd - 1, 0))
        if (single or needs_dim)
        else st.none() | st.integers(-nd, max(nd - 1, 0))
    )
    keepdim = draw(st.booleans()) if keepdim_ok else None
    form = draw(st.sampled_from([f for f in ("function", "method") if f in available(op)]))
    return op, x, dim, keepdim, form


@case(
    covers=tuple(c for op in REDUCTIONS for c in covers(op, without=("out", "inplace", "torch_inplace"))),
    grad=True,
    ulps=2,
    args=_reduction(),
)
def reduction_forms(xp, args):
    op, x, dim, keepdim, form = args
    kwargs = {} if keepdim is None else {"keepdim": keepdim}
    if dim is None:
        return call(xp, form, op, x, **kwargs) if kwargs else call(xp, form, op, x)
    return call(xp, form, op, x, dim, **kwargs)


@case(
    covers=covers("cumsum", "cumprod", without=("function", "method", "out")),
    exact=True,
    op=st.sampled_from(["cumsum", "cumprod"]),
    x=tensors(dtypes=ALL, regime="exact"),
)
def cumulative_inplace(xp, op, x):
    return call(xp, "inplace", op, x, 0)


# -- aliases and in-place comparisons ------------------------------------------------------------------------
ALIASES = {
    "divide": "div",
    "multiply": "mul",
    "subtract": "sub",
    "greater": "gt",
    "greater_equal": "ge",
    "less": "lt",
    "less_equal": "le",
    "not_equal": "ne",
    "true_divide": "div",
}
INPLACE_BINARY = ("eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "true_divide")


@case(
    covers=tuple(c for op in ALIASES for c in covers(op)),
    grad=True,
    ulps=2,
    op=st.sampled_from(sorted(ALIASES)),
    form=st.sampled_from(["function", "method", "inplace", "out"]),
    pair=broadcastable(2, dtypes=ALL, regime="exact", requires_grad=st.booleans()),
)
def binary_aliases(xp, op, form, pair):
    a, b = pair
    if form not in available(op):
        form = "function"
    return call(xp, form, op, a, b)


@case(
    covers=tuple(f"{op}_" for op in INPLACE_BINARY),
    exact=True,
    op=st.sampled_from(INPLACE_BINARY),
    pair=broadcastable(2, dtypes=ALL, regime="exact"),
)
def binary_inplace_comparisons(xp, op, pair):
    a, b = pair
    return call(xp, "inplace", op, a, b)


# -- the module-level in-place functions --------------------------------------------------------------------
_MODULE_INPLACE = sorted(
    op
    for op in (
        "abs acos asin atan ceil cos cosh exp exp2 expm1 floor frac log log10 log1p log2 neg reciprocal relu round "
        "rsqrt sigmoid sin sinh sqrt square tan tanh trunc nan_to_num zero detach fill conj_physical clamp clip "
        "clamp_min clamp_max"
    ).split()
)
_ARGS = {"fill": (1.5,), "clamp": (-1, 1), "clip": (-1, 1), "clamp_min": (0,), "clamp_max": (0,)}


@case(
    covers=tuple(f"torch.{op}_" for op in _MODULE_INPLACE),
    exact=False,  # cos, exp, ...: not yet torch's bits (issue #20); compared with torch's tolerance
    op=st.sampled_from(_MODULE_INPLACE),
    x=tensors(dtypes=ALL, regime="exact", layouts=("contiguous", "transposed", "sliced")),
)
def module_inplace(xp, op, x):
    return call(xp, "torch_inplace", op, x, *_ARGS.get(op, ()))


# -- views and shape ops as methods -------------------------------------------------------------------------
@st.composite
def _view_call(draw):
    x = draw(_X)
    nd = len(x.shape)
    d0 = draw(st.integers(-max(nd, 1), max(nd - 1, 0)), label="dim")
    d1 = draw(st.integers(-max(nd, 1), max(nd - 1, 0)), label="dim")
    op = draw(
        st.sampled_from(
            [
                "flatten",
                "flip",
                "permute",
                "roll",
                "select",
                "split",
                "squeeze",
                "swapaxes",
                "swapdims",
                "t",
                "transpose",
                "unbind",
                "unsqueeze",
                "chunk",
                "narrow",
                "moveaxis",
                "movedim",
                "unflatten",
                "clone",
                "detach",
                "argwhere",
                "nonzero",
                "isneginf",
                "isposinf",
                "nan_to_num",
                "broadcast_to",
                "atleast_1d",
                "atleast_2d",
            ]
        ),
        label="op",
    )
    form = draw(st.sampled_from([f for f in ("function", "method") if f in available(op)]), label="form")
    return op, x, d0, d1, form


_VIEW_ARGS = {
    "flatten": lambda x, a, b: (),
    "flip": lambda x, a, b: ((a,),),
    "permute": lambda x, a, b: (tuple(reversed(range(x.dim()))),),
    "roll": lambda x, a, b: (1, a),
    "select": lambda x, a, b: (a, 0),
    "split": lambda x, a, b: (1, a),
    "squeeze": lambda x, a, b: (a,),
    "swapaxes": lambda x, a, b: (a, b),
    "swapdims": lambda x, a, b: (a, b),
    "transpose": lambda x, a, b: (a, b),
    "unsqueeze": lambda x, a, b: (a,),
    "chunk": lambda x, a, b: (2, a),
    "narrow": lambda x, a, b: (a, 0, 1),
    "moveaxis": lambda x, a, b: (a, b),
    "movedim": lambda x, a, b: (a, b),
    "unflatten": lambda x, a, b: (a, (1, -1)),
    "broadcast_to": lambda x, a, b: ((2,) + tuple(x.shape),),
}
_VIEW_COVERS = (
    "flatten flip permute roll select split squeeze swapaxes swapdims t transpose unbind unsqueeze chunk narrow "
    "moveaxis movedim unflatten clone detach argwhere nonzero isneginf isposinf nan_to_num broadcast_to "
    "atleast_1d atleast_2d"
).split()


@case(
    covers=tuple(c for op in _VIEW_COVERS for c in covers(op, without=("out", "inplace", "torch_inplace"))),
    grad=True,
    exact=True,
    args=_view_call(),
)
def view_forms(xp, args):
    op, x, a, b, form = args
    extra = _VIEW_ARGS.get(op, lambda x, a, b: ())(x, a, b)
    return call(xp, form, op, x, *extra)


@case(
    covers=("Tensor.swapaxes_", "Tensor.swapdims_", "Tensor.squeeze_", "Tensor.unsqueeze_", "Tensor.nan_to_num_"),
    exact=True,
    op=st.sampled_from(["swapaxes", "swapdims", "squeeze", "unsqueeze", "nan_to_num"]),
    x=tensors(dtypes=ALL, min_dims=1),
)
def view_inplace_forms(xp, op, x):
    extra = {"swapaxes": (0, -1), "swapdims": (0, -1), "squeeze": (0,), "unsqueeze": (0,), "nan_to_num": ()}[op]
    return call(xp, "inplace", op, x, *extra)


# -- attributes and predicates ----------------------------------------------------------------------------------
_ATTRIBUTES = (
    "byte char cdouble is_complex is_floating_point is_signed itemsize layout nbytes ndimension nelement numel "
    "output_nr requires_grad get_device is_cpu is_meta is_inference real imag"
).split()


@case(
    covers=tuple(f"Tensor.{a}" for a in _ATTRIBUTES)
    + (
        "is_tensor",
        "is_signed",
        "get_device",
        "is_inference",
        "numel",
        "is_complex",
        "is_floating_point",
        "real",
        "imag",
        "conj",
        "conj_physical",
        "count_nonzero",
    ),
    exact=True,
    x=_X,
)
def attributes_everywhere(xp, x):
    out = {}
    for name in _ATTRIBUTES:
        try:
            value = getattr(x, name)
            out[name] = value() if callable(value) else value
        except Exception as e:
            out[name] = f"{type(e).__name__}: {e}"
    for name in (
        "is_tensor",
        "is_signed",
        "get_device",
        "is_inference",
        "numel",
        "is_complex",
        "is_floating_point",
        "real",
        "imag",
        "conj",
        "conj_physical",
        "count_nonzero",
    ):
        try:
            out["torch." + name] = getattr(xp, name)(x)
        except Exception as e:
            out["torch." + name] = f"{type(e).__name__}: {e}"
    return [(k, str(v) if k == "layout" else v) for k, v in out.items()]


@case(
    covers=(
        "clamp_max",
        "clamp_min",
        "complex",
        "concatenate",
        "ger",
        "index_add",
        "index_put",
        "torch.index_put_",  # (the module-level function: a bare "index_put_" names the method)
        "detach",
        "broadcast_shapes",
    ),
    grad=True,
    exact=True,
    op=st.sampled_from(
        [
            "clamp_max",
            "clamp_min",
            "complex",
            "concatenate",
            "ger",
            "index_add",
            "index_put",
            "index_put_",
            "detach",
            "broadcast_shapes",
        ]
    ),
    x=tensors(dtypes=("float32", "float64"), regime="exact", min_dims=1, requires_grad=st.booleans()),
)
def function_forms(xp, op, x):
    """The function forms of ops whose families call them as methods (or under another name)."""
    if op in ("clamp_max", "clamp_min"):
        return getattr(xp, op)(x, 0.5)
    if op == "complex":
        return xp.complex(x, x * 2)
    if op == "concatenate":
        return xp.concatenate([x, x], axis=0)
    if op == "ger":
        return xp.ger(x.flatten(), x.flatten()[:2])
    if op == "detach":
        return xp.detach(x)
    if op == "broadcast_shapes":
        return xp.broadcast_shapes(x.shape, (1,) * x.dim(), 1)
    idx = xp.tensor([0])
    if op == "index_add":
        return xp.index_add(x, 0, idx, x[:1] * 2)
    target = x.detach().clone()
    return (getattr(xp, op)(target, (idx,), xp.tensor(3.0, dtype=x.dtype)), target)


def _inplace_on_copy(op: str, *args):
    """`op` in place on a copy of x (a leaf that requires grad refuses in-place ops: the copy's graph is tested)."""

    def run(xp, x):
        y = x.clone()
        r = getattr(y, op)(*args)
        return r, r is y

    return run


# each method whose families call it as a function only: its call on a drawn x (its dtype may refuse it: the
# error is compared too)
_METHODS = {
    "allclose": lambda xp, x: (x.allclose(x * 1.0000001), x.allclose(x + 1, atol=0.5, equal_nan=True)),
    "isclose": lambda xp, x: x.isclose(x + 1e-6, rtol=0.0, atol=1e-6),
    "equal": lambda xp, x: (x.equal(x.clone()), x.equal(x + 1), x.equal(x[:1])),
    "clamp_max": lambda xp, x: x.clamp_max(0.5),
    "clamp_min": lambda xp, x: x.clamp_min(xp.tensor(-0.5)),
    "clamp_max_": _inplace_on_copy("clamp_max_", 0.25),
    "clamp_min_": _inplace_on_copy("clamp_min_", -0.25),
    "conj": lambda xp, x: (x * (1 + 2j)).conj() * 2,
    "conj_physical": lambda xp, x: (x * (1 + 2j)).conj_physical(),
    "conj_physical_": lambda xp, x: _inplace_on_copy("conj_physical_")(xp, x * (1 - 1j)),
    "expand_as": lambda xp, x: x[:1].expand_as(x),
    "type_as": lambda xp, x: (x.type_as(xp.zeros(1, dtype=xp.float16)), x.type_as(x)),
    "histogram": lambda xp, x: x.detach().histogram(bins=4),
    "index_put": lambda xp, x: x.index_put((xp.tensor([0]),), x[:1] * 2, accumulate=True),
    "bernoulli": lambda xp, x: (xp.manual_seed(1), x.detach().abs().clamp(0, 1).bernoulli())[1],
    "multinomial": lambda xp, x: (xp.manual_seed(2), (x.detach().abs().flatten() + 0.1).multinomial(2))[1],
    "name": lambda xp, x: x.name,
}


@case(
    covers=tuple(f"Tensor.{op}" for op in _METHODS),
    grad=True,
    exact=True,
    op=st.sampled_from(sorted(_METHODS)),
    x=tensors(dtypes=("float32", "float64"), regime="exact", min_dims=1, requires_grad=st.booleans()),
)
def method_forms(xp, op, x):
    """The method forms of ops whose families call them as functions (or the function under another name)."""
    return _METHODS[op](xp, x)
