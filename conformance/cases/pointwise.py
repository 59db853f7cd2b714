"""Elementwise math in every form torch offers: function, method, operator, reflected operator,
in-place and out=, over every dtype, broadcast shapes, layouts and special values."""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import ALL, FLOATS, NUMERIC, REAL, broadcastable, scalars, tensors

# name: (value regime, ulps of slack for transcendental kernels that round differently)
UNARY = {
    "neg": ("any", 0),
    "abs": ("any", 0),
    "sign": ("any", 0),
    "sqrt": ("any", 1),
    "rsqrt": ("any", 2),
    "exp": ("any", 2),
    "exp2": ("any", 2),
    "expm1": ("any", 2),
    "log": ("any", 2),
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
    "sqrt",
}
NO_INPLACE = {"isnan", "isinf", "isfinite", "positive"}


def unary_function(xp, op, x):
    return getattr(xp, op)(x)


def unary_method(xp, op, x):
    return getattr(x, op)()


def unary_inplace(xp, op, x):
    r = getattr(x, op + "_")()
    return r, r is x


def unary_out(xp, op, x, out_dtype):
    out = xp.empty(0, dtype=getattr(xp, out_dtype))
    r = getattr(xp, op)(x, out=out)
    return r, r is out


for _op, (_regime, _ulps) in UNARY.items():
    _exact = _op in EXACT_UNARY
    _x = tensors(dtypes=ALL, regime=_regime, requires_grad=st.booleans())
    case(name=f"{_op}_function", covers=(_op,), grad=True, exact=_exact, ulps=_ulps, op=_op, x=_x)(unary_function)
    case(
        name=f"{_op}_method",
        covers=(f"Tensor.{_op}",),
        exact=_exact,
        ulps=_ulps,
        op=_op,
        x=tensors(dtypes=ALL, regime=_regime),
    )(unary_method)
    if _op not in NO_INPLACE:
        case(
            name=f"{_op}_inplace",
            covers=(f"{_op}_",),
            exact=_exact,
            ulps=_ulps,
            op=_op,
            x=tensors(dtypes=ALL, regime=_regime, layouts=("contiguous", "transposed", "sliced")),
        )(unary_inplace)
    case(
        name=f"{_op}_out",
        covers=(f"{_op}(out=)",),
        exact=_exact,
        ulps=_ulps,
        op=_op,
        x=tensors(dtypes=ALL, regime=_regime),
        out_dtype=st.sampled_from(["float32", "float16", "int64", "bool"]),
    )(unary_out)


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


@case(
    covers=("neg", "abs", "sign", "unary -", "abs()"),
    exact=True,
    dtype=st.sampled_from(FLOATS + ("complex64",)),
    op=st.sampled_from(["neg", "neg_method", "-x", "abs", "abs()", "sign"]),
)
def special_values_unary(xp, dtype, op):
    """Every special value at once (signed zeros, infinities, NaN, a subnormal) through the sign-sensitive
    unary ops: random tensors meet +0.0 in a float dtype only now and then."""
    x = xp.tensor(_SPECIALS, dtype=getattr(xp, dtype))
    forms = {
        "neg": xp.neg,
        "neg_method": lambda t: t.neg(),
        "-x": lambda t: -t,
        "abs": xp.abs,
        "abs()": abs,
        "sign": lambda t: xp.sgn(t) if t.is_complex() else xp.sign(t),
    }
    return forms[op](x)


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
BINARY = {
    # name: (operator, reflected, in-place operator, exact?)
    "add": ("+", True, "+=", True),
    "sub": ("-", True, "-=", True),
    "mul": ("*", True, "*=", True),
    "div": ("/", True, "/=", False),
    "true_divide": (None, False, None, False),
    "floor_divide": ("//", True, "//=", True),
    "remainder": ("%", True, "%=", True),
    "fmod": (None, False, None, True),
    "pow": ("**", True, "**=", False),
    "atan2": (None, False, None, False),
    "maximum": (None, False, None, True),
    "minimum": (None, False, None, True),
    "eq": ("==", True, None, True),
    "ne": ("!=", True, None, True),
    "lt": ("<", True, None, True),
    "le": ("<=", True, None, True),
    "gt": (">", True, None, True),
    "ge": (">=", True, None, True),
    "logical_and": (None, False, None, True),
    "logical_or": (None, False, None, True),
    "logical_xor": (None, False, None, True),
    "bitwise_and": ("&", True, "&=", True),
    "bitwise_or": ("|", True, "|=", True),
    "bitwise_xor": ("^", True, "^=", True),
}
_OPERATOR = {
    "+": "__add__",
    "-": "__sub__",
    "*": "__mul__",
    "/": "__truediv__",
    "//": "__floordiv__",
    "%": "__mod__",
    "**": "__pow__",
    "==": "__eq__",
    "!=": "__ne__",
    "<": "__lt__",
    "<=": "__le__",
    ">": "__gt__",
    ">=": "__ge__",
    "&": "__and__",
    "|": "__or__",
    "^": "__xor__",
}
_ALL_BINARY_DTYPES = ALL


def binary_function(xp, op, pair):
    a, b = pair
    return getattr(xp, op)(a, b)


def binary_method(xp, op, pair):
    a, b = pair
    return getattr(a, op)(b)


def binary_operator(xp, op, pair):
    import operator

    a, b = pair
    fn = {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "//": operator.floordiv,
        "%": operator.mod,
        "**": operator.pow,
        "==": operator.eq,
        "!=": operator.ne,
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        ">=": operator.ge,
        "&": operator.and_,
        "|": operator.or_,
        "^": operator.xor,
    }[op]
    return fn(a, b)


def binary_scalar_both_sides(xp, op, x, s):
    import operator

    fn = {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "//": operator.floordiv,
        "%": operator.mod,
        "**": operator.pow,
        "==": operator.eq,
        "!=": operator.ne,
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        ">=": operator.ge,
        "&": operator.and_,
        "|": operator.or_,
        "^": operator.xor,
    }[op]
    out = []
    for left, right in ((x, s), (s, x)):
        try:
            out.append(fn(left, right))
        except Exception as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


def binary_inplace(xp, op, pair):
    a, b = pair
    r = getattr(a, op + "_")(b)
    return r, r is a


def binary_ioperator(xp, op, pair):
    a, b = pair
    c = a
    if op == "+=":
        c += b
    elif op == "-=":
        c -= b
    elif op == "*=":
        c *= b
    elif op == "/=":
        c /= b
    elif op == "//=":
        c //= b
    elif op == "%=":
        c %= b
    elif op == "**=":
        c **= b
    elif op == "&=":
        c &= b
    elif op == "|=":
        c |= b
    elif op == "^=":
        c ^= b
    return c, c is a


def binary_out(xp, op, pair, out_dtype):
    a, b = pair
    out = xp.empty(0, dtype=getattr(xp, out_dtype))
    r = getattr(xp, op)(a, b, out=out)
    return r, r is out


for _op, (_sym, _refl, _isym, _exact) in BINARY.items():
    _tol = dict(exact=_exact) if _exact else dict(ulps=2)
    _pairs = broadcastable(2, dtypes=_ALL_BINARY_DTYPES, requires_grad=st.booleans())
    case(name=f"{_op}_function", covers=(_op,), grad=True, op=_op, pair=_pairs, **_tol)(binary_function)
    case(
        name=f"{_op}_method",
        covers=(f"Tensor.{_op}",),
        op=_op,
        pair=broadcastable(2, dtypes=_ALL_BINARY_DTYPES),
        **_tol,
    )(binary_method)
    if _sym:
        case(name=f"{_op}_operator", covers=(_sym,), grad=True, op=_sym, pair=_pairs, **_tol)(binary_operator)
        case(
            name=f"{_op}_operator_scalar",
            covers=(_sym, f"reflected {_sym}"),
            op=_sym,
            x=tensors(dtypes=ALL),
            s=scalars(),
            **_tol,
        )(binary_scalar_both_sides)
    if _op not in ("eq", "ne", "lt", "le", "gt", "ge", "true_divide", "logical_and", "logical_or", "logical_xor"):
        case(
            name=f"{_op}_inplace", covers=(f"{_op}_",), op=_op, pair=broadcastable(2, dtypes=_ALL_BINARY_DTYPES), **_tol
        )(binary_inplace)
    if _isym:
        case(
            name=f"{_op}_ioperator", covers=(_isym,), op=_isym, pair=broadcastable(2, dtypes=_ALL_BINARY_DTYPES), **_tol
        )(binary_ioperator)
    case(
        name=f"{_op}_out",
        covers=(f"{_op}(out=)",),
        op=_op,
        pair=broadcastable(2, dtypes=NUMERIC),
        out_dtype=st.sampled_from(["float32", "float64", "int64", "bool"]),
        **_tol,
    )(binary_out)


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
    return getattr(xp, op)(a, b, alpha=alpha)


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


@case(
    covers=("clamp", "clip"),
    grad=True,
    exact=True,
    x=tensors(dtypes=REAL, requires_grad=st.booleans()),
    lo=st.none() | scalars(("int", "float")),
    hi=st.none() | scalars(("int", "float")),
    fn=st.sampled_from(["clamp", "clip"]),
)
def clamp_scalars(xp, x, lo, hi, fn):
    return getattr(xp, fn)(x, lo, hi)


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
    covers=("lerp",),
    grad=True,
    ulps=2,
    triple=broadcastable(3, dtypes=FLOATS, same_dtype=True, requires_grad=st.booleans()),
    scalar_weight=st.none() | st.floats(-2, 2),
)
def lerp_case(xp, triple, scalar_weight):
    start, end, weight = triple
    return xp.lerp(start, end, weight if scalar_weight is None else scalar_weight)


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
