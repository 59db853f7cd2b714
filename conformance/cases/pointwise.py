"""Elementwise math in every form torch offers: function, method, operator, reflected operator,
in-place and out=, over every dtype, broadcast shapes, layouts and special values."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import available, call, covers, each_form, forms, op_and_form
from ..registry import case
from ..strategies import ALL, FLOATS, LAYOUTS, REAL, broadcastable, scalars, tensors
from .float_math import MODELLED

# name: (value regime, ulps of slack for transcendental kernels that round differently)
UNARY = {
    "neg": ("any", 0),
    "abs": ("any", 0),
    "sign": ("any", 0),
    "sqrt": ("any", 0 if MODELLED else 1),
    "rsqrt": ("any", 2),
    "exp": ("any", 0 if MODELLED else 2),
    "exp2": ("any", 2),
    "expm1": ("any", 2),
    "log": ("any", 0 if MODELLED else 2),
    "log2": ("any", 2),
    "log10": ("any", 2),
    "log1p": ("any", 2),
    "sin": ("any", 2),
    "cos": ("any", 2),
    "tan": ("any", 2),
    "asin": ("any", 2),
    "acos": ("any", 2),
    "atan": ("any", 2),
    "sinh": ("any", 2),
    "cosh": ("any", 2),
    "tanh": ("any", 2),
    "sigmoid": ("any", 2),
    "relu": ("any", 0),
    "ceil": ("any", 0),
    "floor": ("any", 0),
    "round": ("any", 0),
    "trunc": ("any", 0),
    "frac": ("any", 0),
    "reciprocal": ("any", 0),
    "square": ("any", 0),
    "isnan": ("any", 0),
    "isinf": ("any", 0),
    "isfinite": ("any", 0),
    "logical_not": ("any", 0),
    "bitwise_not": ("any", 0),
    "positive": ("any", 0),
}
EXACT_UNARY = {
    "neg",
    "sign",
    "relu",
    "ceil",
    "floor",
    "round",
    "trunc",
    "frac",
    "square",
    "isnan",
    "isinf",
    "isfinite",
    "logical_not",
    "bitwise_not",
    "positive",
    "reciprocal",
    *(("sqrt", "exp", "log") if MODELLED else ()),
}
_UNARY_OUT_DTYPES = ("float32", "float16", "int64", "bool")
_SMALL_LAYOUTS = ("contiguous", "transposed", "sliced")  # an expanded tensor refuses every in-place write


@st.composite
def _unary_call(draw, op, regime):
    form = draw(forms(op, out_dtypes=_UNARY_OUT_DTYPES), label="form")
    writes = form in ("inplace", "torch_inplace")
    graded = form in ("function", "method", "operator")
    x = draw(
        tensors(
            dtypes=ALL,
            regime=regime,
            layouts=_SMALL_LAYOUTS if writes else LAYOUTS,
            requires_grad=st.booleans() if graded else False,
        )
    )
    return form, x


def unary_forms(xp, op, call_):
    form, x = call_
    return call(xp, form, op, x)


for _op, (_regime, _ulps) in UNARY.items():
    case(
        name=f"{_op}_forms",
        covers=covers(_op),
        grad=True,
        exact=_op in EXACT_UNARY,
        ulps=_ulps,
        forms=len(available(_op)),
        op=_op,
        call_=_unary_call(_op, _regime),
    )(unary_forms)


# ops whose vector loop answers differently from their scalar loop, on rows long enough (16k+ elements) that
# the shim computes each loop's elements apart: op -> (dtypes, where it is bit-exact)
_LONG_ROWS = {
    "sigmoid": (("float32", "float16", "float64"), True),
    "nn.functional.silu": (("float32", "float16", "float64"), True),
    "neg": (("complex64", "complex128"), True),
    "abs": (("complex128",), True),
    "rsqrt": (("float16",), True),
    "sinh": (("float32",), False),  # (glibc's sinhf: within an ulp)
    "cosh": (("float32",), False),
}


@st.composite
def _long_row(draw, exact):
    op = draw(st.sampled_from(sorted(o for o, (_, e) in _LONG_ROWS.items() if e == exact)), label="op")
    dtype = draw(st.sampled_from(_LONG_ROWS[op][0]), label="dtype")
    values = draw(st.lists(st.floats(-120, 120, width=16) | st.sampled_from([0.0, -0.0]), min_size=1, max_size=12))
    size = draw(st.integers(1 << 14, 40000), label="size")
    return op, dtype, values, size


def long_rows(xp, row):
    """A long contiguous row (the values repeated; complex: with the values reversed as imaginary parts),
    whose vector lanes and scalar tail torch computes with different formulas."""
    op, dtype, values, size = row
    x = xp.tensor((values * (size // len(values) + 1))[:size], dtype=xp.float64)
    if dtype.startswith("complex"):
        x = xp.complex(x, x.flip(0))
    fn = xp.nn.functional.silu if op == "nn.functional.silu" else getattr(xp, op)
    return fn(x.to(getattr(xp, dtype)))


for _exact in (True, False):
    case(
        name="long_rows_exact" if _exact else "long_rows",
        covers=tuple(o for o, (_, e) in _LONG_ROWS.items() if e == _exact),
        exact=_exact,
        ulps=0 if _exact else 1,
        max_examples=20,
        row=_long_row(_exact),
    )(long_rows)


@case(covers=("round(decimals=)",), exact=False, ulps=1, x=tensors(dtypes=ALL), decimals=st.integers(-3, 4))
def round_decimals(xp, x, decimals):
    return xp.round(x, decimals=decimals), x.round(decimals=decimals)


@case(
    covers=("nan_to_num",),
    exact=True,
    x=tensors(dtypes=ALL),
    nan=st.none() | st.floats(-10, 10),
    posinf=st.none() | st.floats(-1e3, 1e3),
    neginf=st.none() | st.floats(-1e3, 1e3),
)
def nan_to_num_args(xp, x, nan, posinf, neginf):
    return xp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


_SPECIALS = [0.0, -0.0, 1.5, -2.0, float("inf"), float("-inf"), float("nan"), 5e-45]


@case(covers=tuple(c for op in UNARY for c in covers(op)), ulps=2, forms=2, op=st.sampled_from(sorted(UNARY)))
def special_values_unary(xp, op):
    """Every special value at once (signed zeros, infinities, NaN, a subnormal) through a unary op in each of
    its forms and each floating dtype: random tensors meet +0.0 or -inf only now and then."""
    results = []
    for dtype in FLOATS + ("complex64",):
        x = xp.tensor(_SPECIALS, dtype=getattr(xp, dtype))
        results.append(each_form(xp, op, x, without=()))
    return results


@case(covers=("abs()", "unary -", "~"), exact=True, x=tensors(dtypes=ALL))
def unary_operators(xp, x):
    out = []
    for fn in (abs, lambda t: -t, lambda t: ~t, lambda t: +t):
        try:
            out.append(fn(x))
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


# -- binary --------------------------------------------------------------------------------------------
BINARY = {  # name: exact?
    "add": True,
    "sub": True,
    "mul": True,
    "div": False,
    "true_divide": False,
    "floor_divide": True,
    "remainder": True,
    "fmod": True,
    "pow": False,
    "atan2": False,
    "maximum": True,
    "minimum": True,
    "eq": True,
    "ne": True,
    "lt": True,
    "le": True,
    "gt": True,
    "ge": True,
    "logical_and": True,
    "logical_or": True,
    "logical_xor": True,
    "bitwise_and": True,
    "bitwise_or": True,
    "bitwise_xor": True,
}
_BINARY_OUT_DTYPES = ("float32", "float64", "int64", "bool")


@st.composite
def _binary_call(draw, op):
    """(form, a, b): b a tensor broadcasting with a, or a Python number (always, for the reflected form)."""
    form = draw(forms(op, out_dtypes=_BINARY_OUT_DTYPES), label="form")
    graded = form in ("function", "method", "operator", "reflected")
    rg = st.booleans() if graded else False
    if form == "reflected" or draw(st.integers(0, 3), label="a number for the second operand") == 0:
        a = draw(tensors(dtypes=ALL, requires_grad=rg))
        return form, a, draw(scalars(), label="number")
    a, b = draw(broadcastable(2, dtypes=ALL, requires_grad=rg))
    return form, a, b


def binary_forms(xp, op, call_):
    form, a, b = call_
    return call(xp, form, op, a, b)


for _op, _exact in BINARY.items():
    case(
        name=f"{_op}_forms",
        covers=covers(_op),
        grad=True,
        forms=len(available(_op)),
        op=_op,
        call_=_binary_call(_op),
        **(dict(exact=True) if _exact else dict(ulps=2)),
    )(binary_forms)


@case(
    covers=tuple(c for op in BINARY for c in covers(op)),
    ulps=2,  # atan2, pow
    forms=2,
    op=st.sampled_from(sorted(BINARY)),
)
def promotion_pairs(xp, op):
    """Every pair of dtypes through a binary op in each of its forms at once: the result dtype (and the
    in-place and out= cast rules) of operands of two dtypes, which random pairs draw unevenly, and a form
    that promotes differently from the others."""
    results = []
    for left in ALL:
        a = xp.tensor([3, 1, 0], dtype=getattr(xp, left))
        for right in ALL:
            b = xp.tensor([[1], [2]], dtype=getattr(xp, right))
            results.append(each_form(xp, op, a, b))
    return results


_SYMBOLS = ("operator", "reflected", "ioperator")  # no alpha= there


@case(
    covers=("sub(alpha=)", "add(alpha=)"),
    grad=True,
    exact=True,
    pair=broadcastable(2, dtypes=ALL, regime="exact", requires_grad=st.booleans()),
    alpha=st.sampled_from([1, 2, -1, 0, 0.5, True, False, 1j]),
    op=st.sampled_from(["add", "sub"]),
)
def add_sub_alpha(xp, pair, alpha, op):
    a, b = pair
    return getattr(xp, op)(a, b, alpha=alpha), each_form(xp, op, a, b, without=_SYMBOLS, alpha=alpha)


@case(
    covers=("rsub",),
    grad=True,
    exact=True,
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    other=scalars(("int", "float", "bool")),
    alpha=st.sampled_from([1, 2]),
)
def rsub_scalar(xp, x, other, alpha):
    return xp.rsub(x, other, alpha=alpha)


@case(
    covers=("div(rounding_mode=)",),
    grad=True,
    exact=True,
    pair=broadcastable(2, dtypes=ALL),
    mode=st.sampled_from([None, "trunc", "floor", "round"]),
)
def div_rounding(xp, pair, mode):
    a, b = pair
    dt = xp.result_type(a, b)
    if mode == "trunc" and dt in (xp.int32, xp.int64):
        # torch's trunc division of INT_MIN by -1 traps (SIGFPE kills the process): no behaviour to compare,
        # so that divisor becomes 1
        b = xp.where((a == xp.iinfo(dt).min) & (b == -1), xp.ones_like(b), b)
    return xp.div(a, b, rounding_mode=mode)


@case(
    covers=("pow",),
    grad=True,
    ulps=2,
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    e=st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, -0.5, 2.5, True, 1j]),
)
def pow_scalar_exponent(xp, x, e):
    return xp.pow(x, e), x**e


@case(
    covers=("pow", "reflected **"),
    grad=True,
    ulps=2,
    x=tensors(dtypes=ALL, requires_grad=st.booleans()),
    base=st.sampled_from([2, 0, -2, 1.5, 0.0, True]),
)
def pow_scalar_base(xp, x, base):
    return xp.pow(base, x), base**x


def _clamp_bounds() -> st.SearchStrategy:
    """(min, max): each a number or None, and half the time two numbers with min > max where they differ
    (torch's clamp then answers max everywhere: a corner independent draws seldom reach)."""
    number = scalars(("int", "float"))
    return st.one_of(
        st.tuples(st.none() | number, st.none() | number),
        st.tuples(number, number).map(lambda pair: (max(pair), min(pair))),
    )


@case(
    covers=covers("clamp", "clip"),
    forms=2,
    grad=True,
    exact=True,
    x=tensors(dtypes=REAL, requires_grad=st.booleans()),
    bounds=_clamp_bounds(),
    op_form=op_and_form(["clamp", "clip"]),
)
def clamp_scalars(xp, x, bounds, op_form):
    lo, hi = bounds
    op, form = op_form
    y = x.clone() if x.requires_grad and form in ("inplace", "torch_inplace") else x
    return call(xp, form, op, y, lo, hi)


@case(
    covers=("clamp(min=,max=)",),
    grad=True,
    exact=True,
    triple=broadcastable(3, dtypes=REAL, requires_grad=st.booleans()),
    which=st.sampled_from(["both", "min", "max"]),
)
def clamp_tensors(xp, triple, which):
    x, lo, hi = triple
    if which == "min":
        return xp.clamp(x, min=lo)
    if which == "max":
        return xp.clamp(x, max=hi)
    return xp.clamp(x, lo, hi)


@case(covers=("clamp_",), exact=True, x=tensors(dtypes=REAL), lo=scalars(("int", "float")))
def clamp_inplace(xp, x, lo):
    return x.clamp_(min=lo)


@case(
    covers=covers("lerp"),
    forms=2,
    grad=True,
    ulps=2,
    triple=broadcastable(3, dtypes=FLOATS, same_dtype=True, requires_grad=st.booleans()),
    scalar_weight=st.none() | st.floats(-2, 2),
    form=forms("lerp"),
)
def lerp_case(xp, triple, scalar_weight, form):
    start, end, weight = triple
    start = start.clone() if start.requires_grad and form in ("inplace", "torch_inplace") else start
    return call(xp, form, "lerp", start, end, weight if scalar_weight is None else scalar_weight)


@case(covers=("where",), grad=True, exact=True, triple=broadcastable(3, dtypes=ALL, requires_grad=st.booleans()))
def where_case(xp, triple):
    cond, a, b = triple
    return xp.where(cond > 0 if cond.dtype != xp.bool else cond, a, b)


@case(covers=("where",), exact=True, x=tensors(dtypes=ALL), s1=scalars(), s2=scalars())
def where_scalars(xp, x, s1, s2):
    cond = x != 0
    return xp.where(cond, s1, s2), xp.where(cond, x, s2), xp.where(cond, s1, x)


@case(
    covers=("isclose", "allclose", "equal"),
    exact=True,
    pair=broadcastable(2, dtypes=ALL),
    rtol=st.sampled_from([1e-5, 0.0, 0.1]),
    atol=st.sampled_from([1e-8, 0.0, 1.0]),
    equal_nan=st.booleans(),
)
def closeness(xp, pair, rtol, atol, equal_nan):
    a, b = pair
    return (
        xp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan),
        xp.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan),
        xp.equal(a, b),
    )


@case(
    covers=("floor_divide", "remainder", "fmod", "div(rounding_mode=)", "//", "%"),
    exact=True,
    dtype=st.sampled_from(("int8", "int16", "int32", "int64")),
    op=st.sampled_from(["floor_divide", "remainder", "fmod", "trunc", "floor", "//", "%"]),
)
def integer_division_signs(xp, dtype, op):
    """Every sign combination of integer division at once, inexact and exact quotients and the extremes:
    random pairs meet a negative, inexact quotient only now and then."""
    values = [7, -7, 6, -6, 1, -1, 0, int(xp.iinfo(getattr(xp, dtype)).max), int(xp.iinfo(getattr(xp, dtype)).min)]
    a = xp.tensor([[v] * 6 for v in values], dtype=getattr(xp, dtype))
    b = xp.tensor([[2, -2, 3, -3, 7, 1]], dtype=getattr(xp, dtype))
    forms = {
        "floor_divide": lambda: xp.floor_divide(a, b),
        "remainder": lambda: xp.remainder(a, b),
        "fmod": lambda: xp.fmod(a, b),
        "trunc": lambda: xp.div(a, b, rounding_mode="trunc"),
        "floor": lambda: xp.div(a, b, rounding_mode="floor"),
        "//": lambda: a // b,
        "%": lambda: a % b,
    }
    return forms[op]()
