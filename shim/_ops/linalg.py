"""Matrix products: mm, mv, dot, bmm, outer, einsum, and matmul composed from them exactly as
ATen's `_matmul_impl` composes it (so the autograd graph has torch's nodes)."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._dispatch import broadcast_shapes, check_same_device, needs_grad, quiet_numpy, record, write_out
from .._registry import register
from .._tensor import Tensor, make
from .elementwise import formula
from .shape import _unsafe_view, expand, reshape, squeeze, t, unsqueeze

__all__ = ["mm", "mv", "dot", "bmm", "matmul", "outer", "einsum"]

_MM_SELF = formula(lambda F, g, mat2: F.matmul(g, F.mT(F.conj(mat2))))
_MM_MAT2 = formula(lambda F, g, self: F.matmul(F.mT(F.conj(self)), g))


def _same_dtype(a: Tensor, b: Tensor, template: str) -> None:
    if a._dtype is not b._dtype:
        raise RuntimeError(template.format(a=a._dtype, b=b._dtype))


def _kernel_check(name: str, dtype) -> None:
    if dtype is _dtypes.bool_:
        from .._errors import not_implemented_for

        raise not_implemented_for(name, dtype)


def _product(name, a, b, value, node, grads, out):
    value = np.asarray(value)
    if out is not None:
        return write_out(name, out, value, a._dtype, (a, b))
    r = make(value, a._dtype, check_same_device((a, b)))
    if needs_grad(a, b) and a._dtype.category >= _dtypes.FLOAT:
        record(node, (a, b), grads, {"self": a, "mat2": b, "vec": b, "other": b, "tensor": b}, r)
    return r


@register("mm")
def mm(self, mat2, *, out=None):
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
    _kernel_check("addmm_impl_cpu_", self._dtype)
    with quiet_numpy():
        value = np.matmul(self._a, mat2._a)
    return _product("mm", self, mat2, value, "MmBackward0", (_MM_SELF, _MM_MAT2), out)


@register("mv")
def mv(self, vec, *, out=None):
    if self._a.ndim != 2 or vec._a.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self._a.ndim}, {vec._a.ndim}")
    n, m = self._a.shape
    if m != vec._a.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{m}), vec ({vec._a.shape[0]})")
    _same_dtype(self, vec, "expected scalar type {a} but found {b}")
    _kernel_check("addmv_impl_cpu", self._dtype)
    with quiet_numpy():
        value = np.matmul(self._a, vec._a)
    grads = (formula(lambda F, g, vec: F.outer(g, F.conj(vec))), formula(lambda F, g, self: F.matmul(F.mT(self), g)))
    return _product("mv", self, vec, value, "MvBackward0", grads, out)


@register("dot", aliases=("inner",))
def dot(self, other, *, out=None):
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
        value = np.dot(self._a, other._a)
    grads = (formula(lambda F, g, tensor: g * F.conj(tensor)), formula(lambda F, g, self: g * F.conj(self)))
    return _product("dot", self, other, value, "DotBackward0", grads, out)


@register("bmm")
def bmm(self, mat2, *, out=None):
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
    _kernel_check("bmm", self._dtype)
    with quiet_numpy():
        value = np.matmul(self._a, mat2._a)
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
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    d1, d2 = self._a.ndim, other._a.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
    if d1 == 1 and d2 == 1:
        return dot(self, other, out=out)
    if d1 == 2 and d2 == 1:
        return mv(self, other, out=out)
    if d1 == 1 and d2 == 2:
        result = mm(unsqueeze(self, 0), other).squeeze_(0)
        return result if out is None else _out(result, out)
    if d1 == 2 and d2 == 2:
        return mm(self, other, out=out)
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


register("matmul", operators=("__matmul__",))(matmul)
Tensor.__rmatmul__ = lambda self, other: matmul(other, self) if isinstance(other, Tensor) else NotImplemented


def _imatmul(self, other):
    r = matmul(self, other)
    if r._a.shape != self._a.shape:
        from .._errors import shape_str

        raise RuntimeError(
            f"output with shape {shape_str(self._a.shape)} doesn't match the broadcast shape {shape_str(r._a.shape)}"
        )
    return self.copy_(r)


Tensor.__imatmul__ = _imatmul


@register("outer", aliases=("ger",))
def outer(self, vec2):
    if self._a.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {self._a.ndim}-D")
    if vec2._a.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2._a.ndim}-D")
    return reshape(self, (self._a.shape[0], 1)) * vec2


def einsum(equation, *operands):
    """einsum through numpy; the graph is one EinsumBackward node (torch decomposes into bmm/permute)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    dtype = operands[0]._dtype
    for op in operands:
        if op._dtype is not dtype:
            raise RuntimeError(f"expected scalar type {dtype._scalar_name} but found {op._dtype._scalar_name}")
    with quiet_numpy():
        value = np.asarray(np.einsum(equation, *[o._a for o in operands]))
    r = make(value, dtype, check_same_device(operands))
    if needs_grad(*operands) and dtype.category >= _dtypes.FLOAT:
        grads = tuple(formula(_einsum_back(equation, i)) for i in range(len(operands)))
        saved = {f"op{i}": o for i, o in enumerate(operands)}
        saved["ops"] = len(operands)
        record("EinsumBackward", tuple(operands), grads, saved, r)
    return r


def _einsum_back(equation, index):
    inputs, _, output = equation.replace(" ", "").partition("->")
    terms = inputs.split(",")
    if not _:
        letters = sorted(c for c in set(inputs) if c.isalpha() and inputs.count(c) == 1)
        output = "".join(letters)

    def back(F, g, op0=None, op1=None, op2=None, op3=None):
        ops = [op0, op1, op2, op3][: len(terms)]
        others = [o for i, o in enumerate(ops) if i != index]
        other_terms = [tm for i, tm in enumerate(terms) if i != index]
        target = terms[index]
        eq = ",".join([output] + other_terms) + "->" + target
        ga = g if isinstance(g, np.ndarray) else g._a
        arrays = [o if isinstance(o, np.ndarray) else o._a for o in others]
        shape = (ops[index] if isinstance(ops[index], np.ndarray) else ops[index]._a).shape
        value = np.einsum(eq, ga, *arrays) if set(target) <= set(output + "".join(other_terms)) else None
        if value is None or value.shape != shape:
            value = np.broadcast_to(value if value is not None else 0, shape).copy()
        return value if isinstance(g, np.ndarray) else F.wrap(value)

    return back


FUNCTIONS = {"einsum": einsum}
