"""Writing into memory the inputs share: torch's overlap rules and the order of its checks.

torch classifies a written tensor against each input (at::get_overlap_status): the same tensor, or views of
one range with one set of strides, overlap fully (allowed for elementwise ops: `x.add_(x)`); views of one
storage whose ranges meet otherwise overlap partly (refused: "some elements of the input tensor and the
written-to tensor refer to a single memory location"); a view that is not dense is too hard to judge and
passes.  A written tensor whose own elements share memory (an expanded one) is refused before its shape is
checked.  Scatter- and index-writing ops refuse full overlap too.  Each example draws an arrangement of two
views of one storage and an op that writes, and compares the error, or the result and the storage after it.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case

# arrangement: (written, input) cut from one storage of 6 elements (or a separate tensor)
ARRANGEMENTS = {
    "same tensor": lambda xp, base: (base, base),
    "equal views": lambda xp, base: (base[:], base[:]),
    "shifted forward": lambda xp, base: (base[1:], base[:-1]),
    "shifted back": lambda xp, base: (base[:-1], base[1:]),
    "one range, other strides": lambda xp, base: (base.view(2, 3), base.view(3, 2).t()),
    "transposed alike": lambda xp, base: (base.view(3, 2).t(), base.view(3, 2).t()),
    "disjoint halves": lambda xp, base: (base[:3], base[3:]),
    "interleaved": lambda xp, base: (base[::2], base[1::2]),
    "strided input": lambda xp, base: (base[2:5], base[::2]),
    "expanded input": lambda xp, base: (base[1:4], base[:1].expand(3)),
    "separate": lambda xp, base: (base[:3], xp.tensor([1.0, -2.0, 3.0])),
    "expanded written": lambda xp, base: (base[:1].expand(3), xp.tensor([1.0, -2.0, 3.0])),
    "expanded written, bad shape": lambda xp, base: (base[:1].expand(3), xp.tensor([1.0, 2.0])),
    "written too small": lambda xp, base: (base[:1], base[3:]),
}


def _index(xp, w):
    return xp.arange(w.shape[0])


def _flat_first(i):
    return i.reshape(-1)[0]  # a 0-d tensor of the input's storage


# op: a call that writes into `w` reading `i`
WRITERS = {
    "add_": lambda xp, w, i: w.add_(i),
    "sub_(alpha=2)": lambda xp, w, i: w.sub_(i, alpha=2),
    "mul_ (*=)": lambda xp, w, i: w.__imul__(i),
    "pow_": lambda xp, w, i: w.pow_(i),
    "div_": lambda xp, w, i: w.div_(i),
    "clamp_(min=)": lambda xp, w, i: w.clamp_(min=i),
    "lerp_": lambda xp, w, i: w.lerp_(i, 0.5),
    "addcmul_": lambda xp, w, i: w.addcmul_(i, i),
    "where (method) into copy_": lambda xp, w, i: w.copy_(i.where(i > 2, 0.0)),
    "copy_": lambda xp, w, i: w.copy_(i),
    "abs_": lambda xp, w, i: w.abs_(),
    "w[...] = i": lambda xp, w, i: w.__setitem__(Ellipsis, i),
    "w[arange] = i": lambda xp, w, i: w.__setitem__(_index(xp, w), i),
    "index_put_": lambda xp, w, i: w.index_put_((_index(xp, w),), i),
    "index_put_(accumulate)": lambda xp, w, i: w.index_put_((_index(xp, w),), i, accumulate=True),
    "index_add_": lambda xp, w, i: w.index_add_(0, _index(xp, w), i),
    "index_copy_": lambda xp, w, i: w.index_copy_(0, _index(xp, w), i),
    "index_fill_(0-d)": lambda xp, w, i: w.index_fill_(0, _index(xp, w), _flat_first(i)),
    "scatter_": lambda xp, w, i: w.scatter_(0, xp.zeros(i.shape, dtype=xp.int64), i),
    "scatter_add_": lambda xp, w, i: w.scatter_add_(0, xp.zeros(i.shape, dtype=xp.int64), i),
    "masked_scatter_": lambda xp, w, i: w.masked_scatter_(xp.ones(w.shape, dtype=xp.bool), i),
    "masked_fill_(0-d)": lambda xp, w, i: w.masked_fill_(xp.ones(w.shape, dtype=xp.bool), _flat_first(i)),
    "fill_(0-d)": lambda xp, w, i: w.fill_(_flat_first(i)),
    "put_": lambda xp, w, i: w.put_(xp.arange(i.numel()), i),
    "neg(out=)": lambda xp, w, i: xp.neg(i, out=w),
    "add(out=)": lambda xp, w, i: xp.add(i, i, out=w),
    "mul(out=) of itself": lambda xp, w, i: xp.mul(w, i, out=w),
    "where(out=)": lambda xp, w, i: xp.where(i > 2, i, xp.zeros(()), out=w),
    "clamp(out=)": lambda xp, w, i: xp.clamp(i, 0, 3, out=w),
    "cat(out=)": lambda xp, w, i: xp.cat([i], out=w),
    "cumsum(out=)": lambda xp, w, i: xp.cumsum(i, 0, out=w),
    "sort(out=)": lambda xp, w, i: xp.sort(i, 0, out=(w, xp.empty(0, dtype=xp.int64))),
}
# views that overlap in a way torch cannot judge (not dense) let elementwise kernels run; what they then
# read depends on the kernel's loop order, so for these only the error (or its absence) is compared
_UNJUDGED = {"strided input"}


def _write(xp, values, arrangement, op):
    base = xp.tensor(values)
    w, i = ARRANGEMENTS[arrangement](xp, base)
    try:
        result = WRITERS[op](xp, w, i)
    except Exception as e:  # noqa: BLE001 (each arrangement's error is compared, as a result)
        return f"{type(e).__name__}: {e}"
    written = result[0] if isinstance(result, tuple) else result
    if arrangement in _UNJUDGED:
        return written is w
    return written is w, base


@case(
    covers=tuple(WRITERS),
    ulps=1,  # pow_, div_
    max_examples=50,
    values=st.lists(st.integers(-3, 5).map(float), min_size=6, max_size=6),
    arrangement=st.sampled_from(sorted(ARRANGEMENTS)),
)
def writes_into_shared_memory(xp, values, arrangement):
    """Every writer on each example's arrangement and values (a drawn writer would leave some undrawn:
    Hypothesis draws a choice among many unevenly)."""
    return {op: _write(xp, values, arrangement, op) for op in sorted(WRITERS)}


# -- out= ---------------------------------------------------------------------------------------------------
def _pair(xp, out):
    return out, xp.empty(0, dtype=xp.int64)


# op: (the input, cut from a storage of 12, and the call writing 3 elements into `out`)
OUT_WRITERS = {
    "cumsum": (lambda b: b[:3], lambda xp, x, o: xp.cumsum(x, 0, out=o)),
    "logcumsumexp": (lambda b: b[:3], lambda xp, x, o: xp.logcumsumexp(x, 0, out=o)),
    "sort": (lambda b: b[:3], lambda xp, x, o: xp.sort(x, 0, out=_pair(xp, o))),
    "topk": (lambda b: b[:3], lambda xp, x, o: xp.topk(x, 3, out=_pair(xp, o))),
    "msort": (lambda b: b[:3], lambda xp, x, o: xp.msort(x, out=o)),
    "max(dim)": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.max(x, 0, out=_pair(xp, o))),
    "kthvalue": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.kthvalue(x, 1, 0, out=_pair(xp, o))),
    "median(dim)": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.median(x, 0, out=_pair(xp, o))),
    "aminmax": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.aminmax(x, dim=0, out=(o, xp.empty(0)))),
    "logsumexp": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.logsumexp(x, 0, out=o)),
    "cat": (lambda b: b[:3], lambda xp, x, o: xp.cat([x], out=o)),
    "stack": (lambda b: b[:3], lambda xp, x, o: xp.stack([x], 1, out=o.view(3, 1))),
    "index_select": (lambda b: b[:3], lambda xp, x, o: xp.index_select(x, 0, xp.tensor([2, 0, 1]), out=o)),
    "gather": (lambda b: b[:3], lambda xp, x, o: xp.gather(x, 0, xp.tensor([2, 0, 1]), out=o)),
    "take": (lambda b: b[:3], lambda xp, x, o: xp.take(x, xp.tensor([2, 0, 1]), out=o)),
    "masked_select": (lambda b: b[:3], lambda xp, x, o: xp.masked_select(x, xp.ones(3, dtype=xp.bool), out=o)),
    "diff": (lambda b: b[:4], lambda xp, x, o: xp.diff(x, out=o)),
    "softmax": (lambda b: b[:3], lambda xp, x, o: xp.softmax(x, 0, out=o)),
    "addmv": (lambda b: b[:3], lambda xp, x, o: xp.addmv(x, xp.ones(3, 2), xp.ones(2), out=o)),
    "addmm": (lambda b: b[:3].view(3, 1), lambda xp, x, o: xp.addmm(x, xp.ones(3, 2), xp.ones(2, 1), out=o.view(3, 1))),
    "outer": (lambda b: b[:3], lambda xp, x, o: xp.outer(x, xp.ones(1), out=o.view(3, 1))),
    "kron": (lambda b: b[:3], lambda xp, x, o: xp.kron(x, xp.ones(1), out=o)),
    "linalg.cross": (lambda b: b[:3], lambda xp, x, o: xp.linalg.cross(x, xp.tensor([1.0, -2.0, 0.5]), out=o)),
    "renorm": (lambda b: b[:3].view(3, 1), lambda xp, x, o: xp.renorm(x, 2, 0, 1.0, out=o.view(3, 1))),
    "ldexp": (lambda b: b[:3], lambda xp, x, o: xp.ldexp(x, xp.ones(3), out=o)),
    "where": (lambda b: b[:3], lambda xp, x, o: xp.where(x > 1, x, xp.zeros(()), out=o)),
    "arange": (lambda b: b[:3], lambda xp, x, o: xp.arange(3.0, out=o)),
    "linspace": (lambda b: b[:3], lambda xp, x, o: xp.linspace(0, 1, 3, out=o)),
}
# out: cut from the same storage as the input (or expanded; or of one element, resized over the storage)
OUT_ARRANGEMENTS = {
    "expanded": lambda xp, base: xp.zeros(1).expand(3),
    "the input's range": lambda xp, base: base[:3],
    "shifted forward": lambda xp, base: base[1:4],
    "disjoint": lambda xp, base: base[8:11],
    "one element, resized": lambda xp, base: base[9:10],
    "one element at the end, resized": lambda xp, base: base[11:],
    "separate": lambda xp, base: xp.zeros(3),
}


# arrangements whose results the manifest names: an out over the input's memory (ops that do not check),
# and a storage grown for a resized out (torch's base tensor sees the grown storage, the shim's does not)
_ALIASING = {"expanded", "the input's range", "shifted forward"}
_GROWN = {"one element at the end, resized"}


def _out_into(xp, table, values, arrangement, op, unchecked=False):
    base = xp.tensor(values)
    make_input, write = table[op]
    out = OUT_ARRANGEMENTS[arrangement](xp, base)
    result = write(xp, make_input(base), out)
    written = result[0] if isinstance(result, tuple) else result
    aliasing = " (aliasing the input)" if unchecked and arrangement in _ALIASING else ""
    grown = " (grown)" if arrangement in _GROWN else ""
    return {
        "written is out": written is out or written._base is out,
        "out" + aliasing: out,
        "storage" + aliasing + grown: base,
    }


_VALUES = st.lists(st.integers(-3, 5).map(float), min_size=12, max_size=12)


@case(
    covers=tuple(f"{op}(out=)" for op in OUT_WRITERS),
    max_examples=120,  # 7 arrangements by 28 ops
    exact=False,
    ulps=2,
    repr=False,  # the values are compared; the printed form would compare the named parts as one
    values=_VALUES,
    arrangement=st.sampled_from(sorted(OUT_ARRANGEMENTS)),
    op=st.sampled_from(sorted(OUT_WRITERS)),
)
def out_into_shared_memory(xp, values, arrangement, op):
    """out= that shares the input's memory: refused or not as torch refuses it (after out is resized, for
    most ops), and an out too small resized over its own storage."""
    return _out_into(xp, OUT_WRITERS, values, arrangement, op)


# ops whose out= torch does not check at all: their kernels write as they read, so an out overlapping the
# input gives a result particular to each kernel's loop (a known divergence, in the manifest)
UNCHECKED_OUT_WRITERS = {
    "sum": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.sum(x, 0, out=o)),
    "mean": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.mean(x, 0, out=o)),
    "prod": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.prod(x, 0, out=o)),
    "amax": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.amax(x, 0, out=o)),
    "std": (lambda b: b[:6].view(2, 3), lambda xp, x, o: xp.std(x, 0, out=o)),
    "mv": (lambda b: b[:6].view(3, 2), lambda xp, x, o: xp.mv(x, xp.ones(2), out=o)),
    "mm": (lambda b: b[:6].view(3, 2), lambda xp, x, o: xp.mm(x, xp.ones(2, 1), out=o.view(3, 1))),
    "histc": (lambda b: b[:3], lambda xp, x, o: xp.histc(x, 3, out=o)),
    "cummax": (lambda b: b[:3], lambda xp, x, o: xp.cummax(x, 0, out=_pair(xp, o))),
}


@case(
    covers=tuple(f"{op}(out=)" for op in UNCHECKED_OUT_WRITERS),
    max_examples=60,
    exact=False,
    ulps=2,
    repr=False,  # the values are compared; the printed form would compare the named parts as one
    values=_VALUES,
    arrangement=st.sampled_from(sorted(OUT_ARRANGEMENTS)),
    op=st.sampled_from(sorted(UNCHECKED_OUT_WRITERS)),
)
def out_through_aliasing(xp, values, arrangement, op):
    return _out_into(xp, UNCHECKED_OUT_WRITERS, values, arrangement, op, unchecked=True)
