"""Matrix products: mm, mv, dot, bmm, outer, einsum, and matmul composed from them exactly as
ATen's `_matmul_impl` composes it (so the autograd graph has torch's nodes)."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import STATE
from .._cpu import blas
from .._cpu.quiet import quiet_off, quiet_on
from .._dispatch import (
    broadcast_shapes,
    check_argument_devices,
    check_out_grad,
    check_same_device,
    needs_grad,
    quiet_numpy,
    record,
    write_out,
)
from .._errors import not_implemented_for, warn_internal
from .._registry import OPS, register
from .._tensor import Tensor, make
from .elementwise import formula
from .shape import _unsafe_view, expand, reshape, squeeze, t, unsqueeze

__all__ = ["mm", "mv", "dot", "bmm", "matmul", "outer", "einsum"]


def column_major(t: Tensor) -> bool:
    """mm_mat1_backward/mm_mat2_backward's test: the gradient of a column-major matrix is computed
    transposed, so it comes out column-major too (and AccumulateGrad can keep it)."""
    return t._a.ndim == 2 and t.stride() == (1, t._a.shape[0])


def mat1_grad(F, g, mat2, transposed: bool):
    return F.mT(F.matmul(F.conj(mat2), F.mT(g))) if transposed else F.matmul(g, F.mT(F.conj(mat2)))


def mat2_grad(F, g, mat1, transposed: bool):
    return F.mT(F.matmul(F.mT(g), F.conj(mat1))) if transposed else F.matmul(F.mT(F.conj(mat1)), g)


_MM_SELF = formula(lambda F, g, mat2, self_column_major: mat1_grad(F, g, mat2, self_column_major))
_MM_MAT2 = formula(lambda F, g, self, mat2_column_major: mat2_grad(F, g, self, mat2_column_major))


def _same_dtype(a: Tensor, b: Tensor, template: str) -> None:
    if a._dtype is not b._dtype:
        raise RuntimeError(template.format(a=a._dtype._scalar_name, b=b._dtype._scalar_name))


def _kernel_check(name: str, dtype) -> None:
    if dtype is _dtypes.bool_:
        from .._errors import not_implemented_for

        raise not_implemented_for(name, dtype)


def _product(name, a, b, value, node, grads, out):
    value = np.asarray(value)
    if out is not None:
        return write_out(name, out, value, a._dtype, (a, b))
    r = make(value, a._dtype, a._device if a._device is b._device else check_same_device((a, b)))
    if needs_grad(a, b) and a._dtype.category >= _dtypes.FLOAT:
        saved = {"self": a, "mat2": b, "vec": b, "other": b, "tensor": b}
        record(
            node,
            (a, b),
            grads,
            {**saved, "self_column_major": column_major(a), "mat2_column_major": column_major(b)},
            r,
        )
    return r


@register("mm")
def mm(self, mat2, *, out=None):
    if self._device is not mat2._device and out is None:
        check_argument_devices("mm", "self", self, "mat2", mat2)
    if self._a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._a.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, m), (m2, p) = self._a.shape, mat2._a.shape
    if m != m2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{m} and {m2}x{p})")
    if self._dtype is not mat2._dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {self._dtype._cpp_name} != {mat2._dtype._cpp_name}"
        )
    if self._a.size and mat2._a.size:  # (an empty product fills zeros without the kernel)
        _kernel_check("addmm_impl_cpu_", self._dtype)
    token = quiet_on()
    try:
        value = blas.matmul(self._a, mat2._a)
    finally:
        quiet_off(token)
    return _product("mm", self, mat2, value, "MmBackward0", (_MM_SELF, _MM_MAT2), out)


@register("mv")
def mv(self, vec, *, out=None):
    if self._a.ndim == 0:  # torch sizes the result from self.size(0) first
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if self._a.ndim != 2 or vec._a.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self._a.ndim}, {vec._a.ndim}")
    n, m = self._a.shape
    if m != vec._a.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{m}), vec ({vec._a.shape[0]})")
    # mv is addmv into its result (out, else a new tensor of vec's dtype), which checks all three
    result = out._dtype if isinstance(out, Tensor) else vec._dtype
    if not (result is self._dtype is vec._dtype):
        names = (result._scalar_name, self._dtype._scalar_name, vec._dtype._scalar_name)
        raise RuntimeError("addmv input tensors must have the same dtype, but got {}, {}, and {}".format(*names))
    _kernel_check("addmv_impl_cpu", self._dtype)
    with quiet_numpy():
        value = blas.mv(self._a, vec._a)
    return _product("mv", self, vec, value, "MvBackward0", _MV, out)


_MV = (
    formula(lambda F, g, vec: F.outer(g, F.conj(vec))),
    formula(lambda F, g, self: F.matmul(F.mT(F.conj(self)), g)),
)
_DOT = (formula(lambda F, g, tensor: g * F.conj(tensor)), formula(lambda F, g, self: g * F.conj(self)))


@register("dot", aliases=("inner",))
def dot(self, other, *, out=None):
    if self._device is not other._device and out is None:
        check_argument_devices("_dot", "self", self, "tensor", other)
    if self._a.ndim != 1 or other._a.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {self._a.ndim}D and {other._a.ndim}D tensors")
    if self._dtype is not other._dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {self._dtype._scalar_name} and "
            f"{other._dtype._scalar_name}"
        )
    n, m = self._a.shape[0], other._a.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number of elements, "
            f"but got {n} and {m} elements respectively"
        )
    _kernel_check("dot", self._dtype)
    with quiet_numpy():
        value = blas.dot(self._a, other._a)
    return _product("dot", self, other, value, "DotBackward0", _DOT, out)


@register("bmm")
def bmm(self, mat2, *, out=None):
    if self._device is not mat2._device and out is None:
        check_argument_devices("bmm", "self", self, "mat2", mat2)
    if self._a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._a.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, n, m = self._a.shape
    if mat2._a.shape[:2] != (b, m):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {m}] but got: "
            f"[{mat2._a.shape[0]}, {mat2._a.shape[1]}]."
        )
    _same_dtype(self, mat2, "expected scalar type {a} but found {b}")
    if self._a.size and mat2._a.size:
        _kernel_check("bmm", self._dtype)
    with quiet_numpy():
        value = blas.bmm(self._a, mat2._a)
    return _product("bmm", self, mat2, value, "BmmBackward0", (_MM_SELF, _MM_MAT2), out)


def _should_fold(t1: Tensor, t2: Tensor) -> bool:
    larger = t1._a.ndim >= t2._a.ndim
    big = t1 if larger else t2.mT
    dim_big = big._a.ndim
    dim_small = t2._a.ndim if larger else t1._a.ndim
    if not (dim_big >= 3 and dim_small <= 2):
        return False
    small_rg = t2._rg if larger else t1._rg
    if small_rg:
        return True
    if t1._a.ndim == 2:
        return False
    if big._a.size == 0:
        return True
    shape, strides = big._a.shape, big.stride()
    for i in range(dim_big - 2):
        if strides[i] != strides[i + 1] * shape[i + 1]:
            return False
    return True


def matmul(self, other, *, out=None):
    if not isinstance(other, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    if out is not None:
        check_out_grad("matmul", out, (self, other))
    d1, d2 = self._a.ndim, other._a.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
    if d1 == 1 and d2 == 1:
        return dot(self, other, out=out)
    if d1 == 2 and d2 == 1:
        return mv(self, other, out=out)
    if d1 == 1 and d2 == 2:
        if out is None:
            return mm(unsqueeze(self, 0), other).squeeze_(0)
        return mm(unsqueeze(self, 0), other, out=out).squeeze_(0)  # torch resizes out to [1, m] first
    if d1 == 2 and d2 == 2:
        return mm(self, other, out=out)
    if d1 == 3 and d2 == 3 and self._a.shape[0] != other._a.shape[0]:
        # a batch of one that requires grad is squeezed, so that the fold below (and its smaller backward) applies
        if self._a.shape[0] == 1 and self._rg:
            return matmul(squeeze(self, 0), other, out=out)
        if other._a.shape[0] == 1 and other._rg:
            return matmul(self, squeeze(other, 0), out=out)
    if _should_fold(self, other):
        result = _matmul_fold(self, other)
    else:
        result = _matmul_batched(self, other)
    return result if out is None else _out(result, out)


def _out(result, out):
    return write_out("matmul", out, result._a, result._dtype, (result,))


def _matmul_fold(tensor1: Tensor, tensor2: Tensor) -> Tensor:
    transpose_ = tensor2._a.ndim > tensor1._a.ndim
    t1_ = tensor2.mT if transpose_ else tensor1
    t2_ = tensor2 if not transpose_ else (t(tensor1) if tensor1._a.ndim == 2 else tensor1)
    sizes_1 = t1_._a.shape
    output_shape = list(sizes_1[:-1])
    folded = 1
    for d in output_shape:
        folded *= d
    t2_is_matrix = t2_._a.ndim == 2
    if t2_is_matrix:
        output_shape.append(t2_._a.shape[1])
    t1_folded = reshape(t1_, (folded, sizes_1[-1]))
    if t2_is_matrix:
        output = _unsafe_view(mm(t1_folded, t2_), tuple(output_shape))
        return output.mT.contiguous() if transpose_ else output
    return _unsafe_view(mv(t1_folded, t2_), tuple(output_shape))


def _matmul_batched(tensor1: Tensor, tensor2: Tensor) -> Tensor:
    d1, d2 = tensor1._a.ndim, tensor2._a.ndim
    s1, s2 = tensor1._a.shape, tensor2._a.shape
    n = s1[-2] if d1 > 1 else 1
    m1 = s1[-1]
    batch_a = s1[:-2] if d1 > 1 else ()
    m2 = s2[-2] if d2 > 1 else s2[0]
    p = s2[-1] if d2 > 1 else 1
    batch_b = s2[:-2] if d2 > 1 else ()
    batch = broadcast_shapes(batch_a, batch_b)
    output_shape = list(batch)
    if d1 > 1:
        output_shape.append(n)
    if d2 > 1:
        output_shape.append(p)
    product = 1
    for d in batch:
        product *= d
    if d1 == 1:
        tensor1 = unsqueeze(tensor1, 0)
    t1e = reshape(expand(tensor1, tuple(batch) + (n, m1)), (product, n, m1))
    vector_rhs = d2 == 1
    if vector_rhs:
        t2e = unsqueeze(reshape(expand(tensor2, tuple(batch) + (m2,)), (product, m2)), 2)
        return _unsafe_view(squeeze(bmm(t1e, t2e), -1), tuple(output_shape))
    t2e = reshape(expand(tensor2, tuple(batch) + (m2, p)), (product, m2, p))
    return _unsafe_view(bmm(t1e, t2e), tuple(output_shape))


_PLAIN_PRODUCTS = (_dtypes.float32, _dtypes.float64)


def _matmul_plain(a: Tensor, b: Tensor, inplace: bool = False) -> Tensor | None:
    """The @ operator's common case at its cost: two non-empty 2-d float tensors of one dtype and device whose
    sizes match, neither recorded (not in a graph, or grad mode off): mm's kernel and result without its
    frames and checks.  None otherwise: matmul does the rest."""
    x, y, dtype = a._a, b._a, a._dtype
    xs, ys = x.shape, y.shape
    if (
        len(xs) != 2
        or len(ys) != 2
        or xs[1] != ys[0]
        or not (xs[0] and ys[0] and ys[1])
        or dtype is not b._dtype
        or dtype not in _PLAIN_PRODUCTS
        or a._device is not b._device
        or ((a._rg or b._rg) and STATE.grad_enabled)
    ):
        return None
    token = quiet_on()
    try:
        value = blas.matmul_2d(x, y)
    finally:
        quiet_off(token)
    return make(value, dtype, a._device)


register("matmul", operators=("__matmul__",), plain=_matmul_plain)(matmul)
Tensor.__rmatmul__ = lambda self, other: matmul(other, self) if isinstance(other, Tensor) else NotImplemented


# torch.Tensor has no __imatmul__: `x @= y` rebinds x to x @ y, leaving the original tensor alone


@register("outer")
def outer(self, vec2, *, out=None):
    if self._a.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {self._a.ndim}-D")
    if vec2._a.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2._a.ndim}-D")
    column = reshape(self, (self._a.shape[0], 1))
    return column * vec2 if out is None else OPS["mul"].impl(column, vec2, out=out)  # torch: mul_out


@register("ger")
def ger(self, vec2, *, out=None):
    if out is not None:  # ger_out alone warns, at every call
        warn_internal(
            "torch.ger is deprecated and will be removed in a future PyTorch release. Use torch.outer instead.",
            "aten/src/ATen/native/LinearAlgebra.cpp:1270",
        )
    return outer(self, vec2, out=out)


_ELLIPSIS = "..."


def _einsum_labels(part: str, offset: int, where: str) -> list[str]:
    """Subscripts of one side of the equation: letters and '...', spaces ignored, torch's messages."""
    labels, i = [], 0
    while i < len(part):
        ch = part[i]
        if ch == " ":
            pass
        elif ch == ".":
            if _ELLIPSIS in labels:
                raise RuntimeError(f"einsum(): found '.' for {where} for which an ellipsis was already found")
            if part[i : i + 3] != _ELLIPSIS:
                raise RuntimeError(f"einsum(): found '.' for {where} that is not part of any ellipsis")
            labels.append(_ELLIPSIS)
            i += 2
        elif not ("a" <= ch <= "z" or "A" <= ch <= "Z"):
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {offset + i} in the equation string, subscripts must "
                "be in [a-zA-Z]"
            )
        else:
            labels.append(ch)
        i += 1
    return labels


def _einsum_plan(equation: str, shapes: list[tuple]) -> tuple[list[list[str]], list[str]]:
    """Parse and check an equation as torch's einsum does; (labels per operand, output labels)."""
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    op_labels, offset = [], 0
    for i, term in enumerate(terms):
        op_labels.append(_einsum_labels(term, offset, f"operand {i}"))
        offset += len(term) + 1
    sizes: dict[str, int] = {}
    for i, (labels, shape) in enumerate(zip(op_labels, shapes)):
        named = [lb for lb in labels if lb != _ELLIPSIS]
        if _ELLIPSIS in labels and len(named) > len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(named)}) is more than the number of "
                f"dimensions ({len(shape)}) for operand {i}"
            )
        if _ELLIPSIS not in labels and len(named) != len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(named)}) does not match the number of "
                f"dimensions ({len(shape)}) for operand {i} and no ellipsis was given"
            )
        cut = labels.index(_ELLIPSIS) if _ELLIPSIS in labels else len(labels)
        seen: dict[str, int] = {}
        tail = labels[cut + 1 :] if _ELLIPSIS in labels else []
        pairs = list(zip(labels[:cut], shape[:cut])) + list(zip(tail, shape[len(shape) - len(tail) :]))
        for label, size in pairs:
            if label in seen and seen[label] != size:
                raise RuntimeError(
                    f"einsum(): subscript {label} is repeated for operand {i} but the sizes don't match, "
                    f"{size} != {seen[label]}"
                )
            seen[label] = size
        for label, size in seen.items():
            known = sizes.get(label)
            if known is not None and size != known and 1 not in (size, known):
                raise RuntimeError(
                    f"einsum(): subscript {label} has size {size} for operand {i} which does not broadcast with "
                    f"previously seen size {known}"
                )
            sizes[label] = size if known in (None, 1) else known
    if arrow:
        out = _einsum_labels(rhs, len(lhs) + 2, "output")
        seen_out: set = set()
        for label in out:
            if label == _ELLIPSIS:
                continue
            if label in seen_out:
                raise RuntimeError(f"einsum(): output subscript {label} appears more than once in the output")
            if label not in sizes:
                raise RuntimeError(
                    f"einsum(): output subscript {label} does not appear in the equation for any input operand"
                )
            seen_out.add(label)
    else:  # implicit output: labels seen once, in alphabetical order (upper case first), after the ellipsis
        counts = [lb for labels in op_labels for lb in labels if lb != _ELLIPSIS]
        single = sorted({lb for lb in counts if counts.count(lb) == 1})
        out = ([_ELLIPSIS] if any(_ELLIPSIS in labels for labels in op_labels) else []) + single
    return op_labels, out


def _einsum_numpy(op_labels, out, arrays):
    """numpy's einsum on the parsed equation; a size-1 dim broadcasts against its label's size elsewhere,
    as in torch (numpy would refuse), by indexing it out of that operand."""
    sizes: dict[str, int] = {}
    for labels, a in zip(op_labels, arrays):
        for label, size in _label_sizes(labels, a.shape):
            sizes[label] = max(sizes.get(label, 1), size)
    subscripts = []
    for k, (labels, a) in enumerate(zip(op_labels, arrays)):
        keep, key = [], []
        for label, size in _label_sizes(labels, a.shape, with_ellipsis=True):
            if label != _ELLIPSIS and size == 1 and sizes[label] > 1:
                key.append(0)
            else:
                key.append(slice(None) if label != _ELLIPSIS else Ellipsis)
                keep.append(label)
        arrays[k] = a[tuple(key)] if any(isinstance(x, int) for x in key) else a
        subscripts.append("".join(keep))
    return np.einsum(",".join(subscripts) + "->" + "".join(out), *arrays)


def _label_sizes(labels, shape, with_ellipsis=False):
    """(label, size) per dim; the ellipsis stands for the dims between the named ones."""
    if _ELLIPSIS not in labels:
        return list(zip(labels, shape))
    cut = labels.index(_ELLIPSIS)
    tail = labels[cut + 1 :]
    middle = [(_ELLIPSIS, None)] if with_ellipsis else []
    return list(zip(labels[:cut], shape[:cut])) + middle + list(zip(tail, shape[len(shape) - len(tail) :]))


def _subscript(n) -> str:
    """One label of einsum's sublist format: 0-25 are A-Z, 26-51 a-z, Ellipsis is '...'."""
    if n is Ellipsis:
        return "..."
    if 0 <= n < 52:
        return chr(ord("A") + n) if n < 26 else chr(ord("a") + n - 26)
    raise ValueError("einsum(): subscript in subscript list is not within the valid range [0, 52)")


def einsum(*args):
    """einsum through numpy, with torch's parsing and checks; the graph is one node (torch decomposes the
    contraction into permutes and bmm, so its grad_fn names differ: a known divergence).  Takes torch's
    forms: (equation, *operands), (equation, [operands]) and the sublist one (op, labels, op, labels, ...[, out])."""
    if len(args) < 2:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least one operand and its "
            "subscripts list"
        )
    if isinstance(args[0], Tensor):
        equation = ",".join("".join(_subscript(s) for s in labels) for labels in args[1::2])
        if len(args) % 2:
            equation += "->" + "".join(_subscript(s) for s in args[-1])
        operands = args[:-1:2] if len(args) % 2 else args[::2]
    else:
        equation, operands = args[0], args[1:]
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    op_labels, out = _einsum_plan(equation, [o._a.shape for o in operands])
    dtype = operands[0]._dtype
    for op in operands:
        if op._dtype is not dtype:
            raise RuntimeError(f"expected scalar type {dtype._scalar_name} but found {op._dtype._scalar_name}")
    arrays = [o._a for o in operands]
    summed = {lb for labels in op_labels for lb in labels} - set(out)
    if dtype is _dtypes.bool_ and summed:
        # torch sums a label of one operand (bools count as int64) and contracts shared ones with bmm
        if any(sum(lb in labels for labels in op_labels) > 1 for lb in summed):
            raise not_implemented_for("bmm", dtype)
        arrays, dtype = [a.astype(np.int64) for a in arrays], _dtypes.int64
    with quiet_numpy():
        value = np.asarray(_einsum_numpy(op_labels, out, arrays)).astype(dtype.np, copy=False)
    r = make(value, dtype, check_same_device(operands))
    if needs_grad(*operands) and dtype.category >= _dtypes.FLOAT:
        terms = _explicit_labels(op_labels, [o._a.ndim for o in operands], out)
        grads = tuple(_einsum_grad(terms, i, len(operands)) for i in range(len(operands)))
        record("EinsumBackward0", tuple(operands), grads, {f"op{i}": o for i, o in enumerate(operands)}, r)
    return r


def _explicit_labels(op_labels, ndims, out) -> list[str]:
    """The equation with each ellipsis spelled out in unused letters: [term, ..., output]."""
    used = {lb for labels in op_labels for lb in labels if lb != _ELLIPSIS}
    spare = [c for c in "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba" if c not in used]
    width = max((nd - (len(labels) - 1) for labels, nd in zip(op_labels, ndims) if _ELLIPSIS in labels), default=0)
    ell = spare[:width][::-1]

    def spell(labels, nd):
        if _ELLIPSIS not in labels:
            return "".join(labels)
        k = nd - (len(labels) - 1)
        cut = labels.index(_ELLIPSIS)
        return "".join(labels[:cut]) + "".join(ell[width - k :]) + "".join(labels[cut + 1 :])

    return [spell(labels, nd) for labels, nd in zip(op_labels, ndims)] + [spell(out, width + len(out) - 1)]


def _einsum_grad(terms: list[str], index: int, count: int) -> tuple:
    """d einsum / d operand `index`: the incoming gradient contracted with the other operands onto the
    operand's subscripts (labels only that operand sums over are broadcast back)."""
    *inputs, output = terms
    target = inputs[index]

    def back(F, g, op0=None, op1=None, op2=None, op3=None, op4=None, op5=None):
        ops = (op0, op1, op2, op3, op4, op5)[:count]
        shape = tuple(ops[index].shape)
        sizes = {lb: n for term, op in zip(inputs, ops) for lb, n in zip(term, op.shape)}
        if len(set(target)) != len(target) or any(sizes[lb] != n for lb, n in zip(target, shape)):
            raise NotImplementedError(
                "the shim differentiates einsum only without repeated subscripts in an operand and without "
                "size-1 broadcasting"
            )
        others = [(term, op) for i, (term, op) in enumerate(zip(inputs, ops)) if i != index]
        present = set(output).union(*(set(term) for term, _ in others))
        kept = "".join(lb for lb in target if lb in present)
        eq = ",".join([output] + [term for term, _ in others]) + "->" + kept
        value = F.einsum(eq, g, *(op for _, op in others))
        for axis, lb in enumerate(target):  # labels only this operand had were summed: broadcast back
            if lb not in present:
                value = F.unsqueeze_dims(value, (axis,))
        return F.expand(value, shape) if value.shape != shape else value

    return (back, tuple(f"op{i}" for i in range(count)))


FUNCTIONS = {"einsum": einsum}
