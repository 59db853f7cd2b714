"""Matrix and tensor products beyond mm/bmm/matmul (addmm, addmv, addr, addbmm, baddbmm, inner, vdot, kron,
tensordot, chain_matmul, linalg.multi_dot, cross, cdist) and the matrix-shaped ops (trace, diag, diag_embed,
diagflat, tril, triu, tril_indices, triu_indices, block_diag, cartesian_prod, combinations).

Products go through numpy's BLAS like mm does (values agree with torch's BLAS within tolerance); the
shaped ops are exact."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._autograd.grad_mode import no_grad
from .._cpu import blas
from .._dispatch import (
    PARTIAL_OVERLAP,
    _has_internal_overlap,
    broadcast_shapes,
    check_argument_devices,
    check_inplace,
    check_out_grad,
    check_overlap,
    check_same_device,
    copy_out,
    needs_grad,
    overlap_status,
    quiet_numpy,
    record,
    result_type,
    to_stored_scalar,
    write_out,
)
from .._dtypes import FLOAT, INT
from .._errors import TEMPLATES, not_implemented_for, shape_str, warn_internal, wrap_dim
from .._layout import conform, contiguous, result_layout
from .._registry import register
from .._tensor import Tensor, make, storage_root
from .._views import broadcast_view, contiguous_strides, resize_in_storage, strided_at
from .elementwise import formula, write_inplace
from .linalg import column_major, mat1_grad, mat2_grad
from .shape import _infer_expand_geometry

__all__ = ["addmm", "addmv", "addr", "addbmm", "baddbmm", "kron", "tensordot", "cross", "trace", "cdist_grad"]


# -- input + alpha * product, as BLAS computes it (beta = 0 ignores input, NaN included) --------------------
_BLAS = {_dtypes.float32, _dtypes.float64, _dtypes.complex64, _dtypes.complex128}  # gemm through BLAS


def _scaled(beta, alpha, base, product, dtype, contracted=None, blas=False):
    """beta * base + alpha * product in dtype, as torch's kernels compute it: an empty result is returned
    unchecked; with nothing to contract (contracted == 0) the result is base scaled by beta (an in-place
    mul_, which refuses a float beta for integers); otherwise BLAS, which skips the base term entirely where
    beta is 0 (so a NaN there does not spread), and where it does the work (`blas`) the product where alpha
    is 0."""
    if product.size == 0:
        return np.zeros(product.shape, dtype.np)
    if contracted == 0:
        if beta == 0:
            return np.zeros(product.shape, dtype.np)
        _check_scalar_cast(beta, dtype)
        with quiet_numpy():  # (mul_ converts its scalar unchecked: 300 is 44 in uint8)
            return np.asarray(base * np.asarray(beta).astype(dtype.np)[()]).astype(dtype.np)
    if blas and type(beta) is int and type(alpha) is int and beta == 1 and alpha == 1:  # (the common case)
        with quiet_numpy():
            return base + product
    b, a = _as_scalar(beta, dtype), _as_scalar(alpha, dtype)
    if blas and alpha == 0:
        product = np.zeros_like(product)
    with quiet_numpy():
        term = product * a if alpha != 1 else product
        if beta == 0:  # (torch's own gemm multiplies by alpha = 0 too: a NaN or inf product gives NaN)
            value = term if alpha != 0 else (np.zeros_like(product) if blas else term + 0)
        else:
            value = (base * b if beta != 1 else base) + term
        return np.asarray(value).astype(dtype.np)


def _addmv_value(self, mat, vec, beta, alpha, gemv: bool, overlaps: bool) -> np.ndarray:
    """addmv's result from the product and the scaled base, where addmv_in_order does not give it."""
    n, m = mat._a.shape
    with quiet_numpy():
        product = blas.mv(mat._a, vec._a) if gemv else np.matmul(mat._a, vec._a)
    if overlaps and blas.gemv_column_major(mat._a) and self._dtype.category <= INT:
        _gemv_by_columns(self._a, mat._a, vec._a, beta, alpha, self._dtype)
        return self._a.copy()
    if overlaps:  # unchecked: each row reads what the ones before wrote
        for i in range(n):
            row = self._a[i : i + 1]
            np.copyto(row, _scaled(beta, alpha, row, product[i : i + 1], self._dtype, m, gemv), "unsafe")
        return self._a.copy()
    return _scaled(beta, alpha, np.broadcast_to(self._a, (n,)), product, self._dtype, m, gemv)


def _as_scalar(value, dtype):
    """beta or alpha as the kernel reads it: checked against dtype's range (c10's conversion)."""
    return dtype.np.type(to_stored_scalar(value, dtype))


def _gemv_by_columns(y: np.ndarray, a: np.ndarray, x: np.ndarray, beta, alpha, dtype) -> None:
    """BlasKernel.cpp's gemv('n') for a column-major matrix, element by element in place, so that elements of
    y sharing memory see each other's writes: y scaled by beta (unless 0 or 1), then for each column j,
    y[i] += alpha x[j] a[i, j], each y[i] first zeroed in column 0 where beta is 0."""
    store = dtype.np.type
    b, s = to_stored_scalar(beta, dtype), to_stored_scalar(alpha, dtype)
    with quiet_numpy():
        if b == 0 and not a.shape[1]:  # (addmv's empty-matrix shortcut: result.zero_())
            y[...] = 0
        if b not in (0, 1):
            for i in range(y.shape[0]):
                y[i] = store(y[i] * b)
        for j in range(a.shape[1]):
            z = store(s * x[j])
            for i in range(y.shape[0]):
                if j == 0 and b == 0:
                    y[i] = 0
                y[i] = store(y[i] + z * a[i, j])


def _times(x, alpha):
    """maybe_multiply: x itself where alpha is 1."""
    return x if alpha == 1 else x * alpha


_ADDMM = (
    formula(lambda F, g, beta: g * beta if beta != 1 else g),
    formula(lambda F, g, mat2, alpha, mat1_column_major: _times(mat1_grad(F, g, mat2, mat1_column_major), alpha)),
    formula(lambda F, g, mat1, alpha, mat2_column_major: _times(mat2_grad(F, g, mat1, mat2_column_major), alpha)),
)


def _run_product(name, node, grads, self, left, right, value, beta, alpha, out, inplace, saved_extra):
    inputs = (self, left, right)
    dtype = self._dtype
    saved = {"beta": beta, "alpha": alpha, **saved_extra}
    if inplace:
        return write_inplace(node, grads, self, value, inputs, None, saved)
    if out is not None:  # (the structured kernel resizes out contiguous before it writes)
        return write_out(name, out, contiguous(value), dtype, inputs)
    r = make(contiguous(value), dtype, check_same_device(inputs))
    if needs_grad(*inputs) and dtype.category >= FLOAT:
        record(node, inputs, grads, saved, r)
    return r


def _same_dtypes(name, *tensors) -> None:
    first = tensors[0]._dtype
    for t in tensors[1:]:
        if t._dtype is not first:
            raise RuntimeError(
                f"expected m1 and m2 to have the same dtype, but got: {first._cpp_name} != {t._dtype._cpp_name}"
                if name in ("addmm", "baddbmm", "addbmm")
                else f"{name} input tensors must have the same dtype"
            )


def addmm(self, mat1, mat2, *, beta=1, alpha=1, out=None, _inplace=False):
    if not (self._device is mat1._device is mat2._device) and out is None:
        check_argument_devices("addmm_" if _inplace else "addmm", "self", self, "mat1", mat1, "mat2", mat2)
    if _inplace:
        check_inplace(self, overlap=False)
    if out is not None:
        check_out_grad("addmm", out, (self, mat1, mat2))
    if mat1._a.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1._a.ndim}-D tensor")
    if mat2._a.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {mat2._a.ndim}-D tensor")
    (n, m), (m2, p) = mat1._a.shape, mat2._a.shape
    if m != m2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{m} and {m2}x{p})")
    if mat1._dtype is not mat2._dtype or self._dtype is not mat1._dtype:
        _check_addmm_operands(self, mat1, mat2)
    if _inplace and self._a.shape != (n, p):
        raise RuntimeError(
            f"Bad in-place call: input tensor size {list(self._a.shape)} and output tensor size {[n, p]} should match"
        )
    if _inplace and not (m == 0 and beta == 0):  # (nothing to contract and beta 0: torch's result.zero_() first)
        # the gemm's scalars are converted before the overlap is checked (an empty result returns first)
        if m and n * p and self._dtype.category <= INT:
            for scalar in (beta, alpha):
                to_stored_scalar(scalar, self._dtype)
        check_overlap(self)
    try:
        base = broadcast_view(self._a, (n, p))
    except ValueError:
        raise RuntimeError(
            f"The expanded size of the tensor ({p}) must match the existing size ({self._a.shape[-1]}) at "
            f"non-singleton dimension 1.  Target sizes: [{n}, {p}].  Tensor sizes: {list(self._a.shape)}"
        ) from None
    if self._dtype is _dtypes.bool_:
        raise not_implemented_for("addmm_impl_cpu_", self._dtype)
    value = None
    if type(beta) is int and type(alpha) is int and beta == 1 and alpha == 1 and self._dtype is mat1._dtype:
        with quiet_numpy():
            value = blas.addmm_in_order(base, mat1._a, mat2._a)
    if value is None:
        with quiet_numpy():
            product = blas.matmul(mat1._a, mat2._a)
        value = _scaled(beta, alpha, base, product, self._dtype, m, self._dtype in _BLAS)
    saved = {
        "mat1": mat1,
        "mat2": mat2,
        "mat1_column_major": column_major(mat1),
        "mat2_column_major": column_major(mat2),
    }
    return _run_product("addmm", "AddmmBackward0", _ADDMM, self, mat1, mat2, value, beta, alpha, out, _inplace, saved)


register(
    "addmm",
    inplace=lambda self, mat1, mat2, *, beta=1, alpha=1: addmm(self, mat1, mat2, beta=beta, alpha=alpha, _inplace=True),
)(addmm)


def _addmv_mat_back(F, g, vec, alpha):
    if not len(g.shape):  # (the 0-d result of an empty matrix's shortcut: grad.ger(vec) refuses it)
        raise RuntimeError("outer: Expected 1-D argument self, but got 0-D")
    return F.outer(g, F.conj(vec)) * alpha


def _addmv_vec_back(F, g, mat, alpha):
    if not len(g.shape):  # (mat.t().mv(grad))
        raise RuntimeError("vector + matrix @ vector expected, got 1, 2, 0")
    return F.matmul(F.mT(F.conj(mat)), g) * alpha


_ADDMV = (
    formula(lambda F, g, beta: g * beta if beta != 1 else g),
    formula(_addmv_mat_back),
    formula(_addmv_vec_back),
)


def addmv(self, mat, vec, *, beta=1, alpha=1, out=None, _inplace=False):
    if _inplace:  # (torch's addmv_ writes through an expanded self)
        check_inplace(self, overlap=False)
    if out is not None:
        check_out_grad("addmv", out, (self, mat, vec))
    if mat._a.ndim != 2 or vec._a.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {self._a.ndim}, {mat._a.ndim}, {vec._a.ndim}")
    n, m = mat._a.shape
    if m != vec._a.shape[0] or (self._a.ndim == 1 and self._a.shape[0] not in (1, n)) or self._a.ndim > 1:
        raise RuntimeError(
            f"size mismatch, got input ({self._a.shape[0] if self._a.ndim else 1}), mat ({n}x{m}), vec "
            f"({vec._a.shape[0]})"
        )
    if not (self._dtype is mat._dtype is vec._dtype):
        raise RuntimeError(
            "addmv input tensors must have the same dtype, but got "
            f"{self._dtype._scalar_name}, {mat._dtype._scalar_name}, and {vec._dtype._scalar_name}"
        )
    if self._dtype is _dtypes.bool_:
        raise not_implemented_for("addmv_impl_cpu", self._dtype)
    if _inplace and self._a.shape != (n,):
        raise RuntimeError(
            f"Bad in-place call: input tensor size {list(self._a.shape)} and output tensor size [{n}] should match"
        )
    if mat._a.size or beta == 0:
        # BLAS gemv (which skips the product where alpha is 0) for float and double with positive strides;
        # torch's own loops (an expanded vector or result, complex) compute it, so a NaN there spreads
        increments = (vec._a.strides[0], self._a.strides[0] if _inplace else 1)
        gemv = self._dtype in (_dtypes.float32, _dtypes.float64) and all(increments)
        overlaps = _inplace and _has_internal_overlap(self._a)
        value = None
        if gemv and type(beta) is int and type(alpha) is int and beta == alpha == 1 and not overlaps:
            with quiet_numpy():  # (MKL's gemv: its order, the base included, where the shim models it)
                value = blas.addmv_in_order(np.broadcast_to(self._a, (n,)), mat._a, vec._a)
        if value is None:
            value = _addmv_value(self, mat, vec, beta, alpha, gemv, overlaps)
    else:  # torch's shortcut for an empty matrix: mul_out(result, self, scalar_tensor(beta)) in self's shape
        with quiet_numpy():
            value = np.asarray(self._a * to_stored_scalar(beta, self._dtype)).astype(self._dtype.np)
        if not _inplace:  # the [n] result (out resized to it first) is resized again to self's shape
            resizes = [(out._a.shape, (n,))] if out is not None and out._a.size else []
            for old, new in resizes + [((n,), value.shape)] * bool(n):
                if old != new:
                    warn_internal(
                        TEMPLATES["resize_warning"].format(old=shape_str(old), new=shape_str(new)),
                        "aten/src/ATen/native/Resize.cpp:30",
                    )
            if out is not None:
                return write_out("addmv", out, value, self._dtype, (self, mat, vec), warn_resize=False)
    return _run_product(
        "addmv", "AddmvBackward0", _ADDMV, self, mat, vec, value, beta, alpha, out, _inplace, {"mat": mat, "vec": vec}
    )


register(
    "addmv",
    inplace=lambda self, mat, vec, *, beta=1, alpha=1: addmv(self, mat, vec, beta=beta, alpha=alpha, _inplace=True),
)(addmv)

_ADDR = (
    formula(lambda F, g, beta: g * beta if beta != 1 else g),
    formula(lambda F, g, vec2, alpha: F.matmul(g, F.conj(vec2)) * alpha),
    formula(lambda F, g, vec1, alpha: F.matmul(F.mT(g), F.conj(vec1)) * alpha),
)


def addr(self, vec1, vec2, *, beta=1, alpha=1, out=None, _inplace=False):
    if _inplace:
        check_inplace(self, overlap=False)
    if vec1._a.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {vec1._a.ndim}-D")
    if vec2._a.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec2, but got {vec2._a.ndim}-D")
    if _inplace:  # addr_ writes self as it is, which must be vec1 x vec2 already
        if self._a.ndim != 2:
            raise RuntimeError(f"2D tensor expected, got {self._a.ndim}D tensor for input")
        if self._a.shape != (vec1._a.shape[0], vec2._a.shape[0]):
            raise RuntimeError(
                f"size mismatch, input: {list(self._a.shape)}, v1: {list(vec1._a.shape)}, v2: {list(vec2._a.shape)}"
            )
        check_overlap(self)
    dtype = result_type(self, vec1, vec2)
    for name, value in (("beta", beta), ("alpha", alpha)):
        if dtype is _dtypes.bool_ and not isinstance(value, bool) and isinstance(value, float):
            raise RuntimeError(f"Boolean {name} only supported for Boolean results.")
        if _dtypes.bool_ is not dtype and dtype.category <= INT and isinstance(value, float):
            raise RuntimeError(f"For integral input tensors, argument {name} must not be a floating point number.")
    shape = (vec1._a.shape[0], vec2._a.shape[0])
    try:
        base = np.broadcast_to(self._a, shape)
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({self._a.shape[-1]}) must match the size of tensor b ({shape[1]}) at "
            "non-singleton dimension 1"
        ) from None
    with quiet_numpy():
        v1, v2 = vec1._a.astype(dtype.np), vec2._a.astype(dtype.np)
        if dtype is _dtypes.bool_:
            product = np.logical_and.outer(v1, v2)
            value = np.logical_or(np.logical_and(base, bool(beta)), np.logical_and(product, bool(alpha)))
        else:  # torch's kernel: alpha * vec1 * vec2, plus beta * self unless beta is 0
            scaled = np.multiply.outer(v1 * _as_scalar(alpha, dtype), v2)
            value = scaled if beta == 0 else base.astype(dtype.np) * _as_scalar(beta, dtype) + scaled
            value = np.asarray(value).astype(dtype.np)
    # torch's addr kernel iterates self with vec1[:, None] and vec2[None, :]: the result takes their layout
    value = conform(value, result_layout(shape, (self._a, vec1._a[:, None], vec2._a[None, :])))
    if _inplace:
        from .._dispatch import inplace_result_check

        inplace_result_check(self, dtype, shape)
    inputs = (self, vec1, vec2)
    saved = {"beta": beta, "alpha": alpha, "vec1": vec1, "vec2": vec2}
    if _inplace:
        return write_inplace("AddrBackward0", _ADDR, self, value, inputs, None, saved)
    if out is not None:
        return write_out("addr", out, value, dtype, inputs)
    r = make(value, dtype, check_same_device(inputs))
    if needs_grad(*inputs) and dtype.category >= FLOAT:
        record("AddrBackward0", inputs, _ADDR, saved, r)
    return r


register(
    "addr",
    inplace=lambda self, vec1, vec2, *, beta=1, alpha=1: addr(self, vec1, vec2, beta=beta, alpha=alpha, _inplace=True),
)(addr)

_BADDBMM = (
    formula(lambda F, g, beta: g * beta if beta != 1 else g),
    formula(lambda F, g, batch2, alpha: F.matmul(g, F.mT(F.conj(batch2))) * alpha),
    formula(lambda F, g, batch1, alpha: F.matmul(F.mT(F.conj(batch1)), g) * alpha),
)
_ADDBMM = (
    formula(lambda F, g, beta: g * beta if beta != 1 else g),
    formula(lambda F, g, batch2, alpha: F.matmul(F.unsqueeze_dims(g, (0,)), F.mT(F.conj(batch2))) * alpha),
    formula(lambda F, g, batch1, alpha: F.matmul(F.mT(F.conj(batch1)), F.unsqueeze_dims(g, (0,))) * alpha),
)


def _expanded(self: Tensor, shape: tuple) -> np.ndarray:
    try:
        return np.broadcast_to(self._a, shape)
    except ValueError:
        raise RuntimeError(
            f"The expanded size of the tensor ({shape[-1]}) must match the existing size ({self._a.shape[-1]}) at "
            f"non-singleton dimension {len(shape) - 1}.  Target sizes: {list(shape)}.  Tensor sizes: "
            f"{list(self._a.shape)}"
        ) from None


def _batched(name, self, batch1, batch2, beta, alpha, out, inplace):
    if inplace:  # addbmm_ is addbmm_out(self): it resizes self and checks no overlap (baddbmm_: after its sizes)
        check_inplace(self, overlap=False)
    sizes = (batch1.size(1), batch2.size(2))  # (read before any check, by addbmm's expand_size and baddbmm's meta)
    if name == "addbmm":
        _expanded(self, sizes)  # (expand_size, first of all)
    if batch1._a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2._a.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, n, m = batch1._a.shape
    if batch2._a.shape[0] != b or batch2._a.shape[1] != m:
        if batch2._a.shape[0] != b:
            raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {b} and {batch2._a.shape[0]}")
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({n}x{m} and {batch2._a.shape[1]}x{batch2._a.shape[2]})")
    p = batch2._a.shape[2]
    if name == "addbmm":  # torch: result.mul_(beta) with no batches, else result.addmm_ per batch
        # (not resized; with beta 0, no batches, or one with nothing to contract, is a zero_(), which checks
        # nothing: addmm_ per batch, with beta 1 after the first, mul_s or multiplies)
        if inplace and self._a.shape == (n, p) and not (beta == 0 and (b == 0 or (b == 1 and m == 0))):
            if b and m and n * p and self._dtype.category <= INT:  # (addmm_ converts its scalars first)
                for scalar in (beta, alpha):
                    to_stored_scalar(scalar, self._dtype)
            check_overlap(self)
        if inplace and self._a.shape != (n, p) and beta != 0:
            # result.resize_as_(self expanded), then result.copy_(self expanded): TensorIterator's overlap check
            root, offset = storage_root(self), self.storage_offset()
            resized = strided_at(root, (n, p), contiguous_strides((n, p)), offset)
            source = strided_at(root, (n, p), _infer_expand_geometry(self._a.shape, self.stride(), (n, p))[1], offset)
            views = make(resized, self._dtype), make(source, self._dtype)
            for v in views:
                v._storage = root
            if overlap_status(*views) == PARTIAL_OVERLAP:
                raise RuntimeError(TEMPLATES["overlap_inputs"])
        if b == 0 and beta != 0:
            _check_scalar_cast(beta, self._dtype)
        elif b:
            _check_addmm_operands(self, batch1, batch2)
    if not (self._dtype is batch1._dtype is batch2._dtype):
        raise RuntimeError(
            f"expected scalar type {self._dtype._scalar_name} but found "
            f"{(batch1 if batch1._dtype is not self._dtype else batch2)._dtype._scalar_name}"
        )
    shape = (b, n, p) if name == "baddbmm" else (n, p)
    if inplace and name == "baddbmm" and self._a.shape != shape:
        raise RuntimeError(
            f"Bad in-place call: input tensor size {list(self._a.shape)} and output tensor size {list(shape)} should "
            "match"
        )
    base = _expanded(self, shape)
    if self._dtype is _dtypes.bool_:
        raise not_implemented_for("bmm" if name == "baddbmm" else "addbmm", self._dtype)
    if inplace and self._a.shape != shape:
        # addbmm_ writes through addbmm_out(self): self is resized in its storage, then its old values, expanded,
        # are copied in one element after another (where the memory overlaps, a read sees what was written)
        old = (self._a.shape, self.stride(), self.storage_offset())
        resize_in_storage(self, shape, contiguous_strides(shape))
        source = np.broadcast_to(strided_at(storage_root(self), *old), shape)  # (in the storage as resized)
        for index in np.ndindex(shape):
            self._a[index] = source[index]
        base = self._a
    half_batches = name == "addbmm" and self._dtype is _dtypes.float16 and b and m and n * p
    with quiet_numpy():  # (half addbmm multiplies its batches in float: _half_addbmm)
        product = None if half_batches else np.matmul(batch1._a, batch2._a)
        if name == "addbmm" and not half_batches:
            product = product.sum(axis=0) if b else np.zeros((n, p), product.dtype)
    # baddbmm's products under 400 multiply-adds run torch's own loop, the rest BLAS (addbmm: addmm per batch)
    blas = self._dtype in _BLAS and (name == "addbmm" or m * n * p >= 400)
    if inplace and name == "baddbmm" and _has_internal_overlap(self._a):
        if m * n * p >= 400 or (m == 0 and beta != 0):  # (mkldnn, addmm_ per batch or mul_: all refuse it)
            raise RuntimeError(TEMPLATES["overlap"])
        # torch's own loop checks nothing: element after element, each reads what the ones before wrote
        for index in np.ndindex(shape):
            self._a[index] = _scaled(beta, alpha, self._a[index], product[index], self._dtype, m)
        value = self._a.copy()
    elif half_batches:
        value = _half_addbmm(base, batch1._a, batch2._a, beta, alpha)
    else:
        value = _scaled(beta, alpha, base, product, self._dtype, m * b if name == "addbmm" else m, blas)
    if name == "addbmm":  # addbmm_out resizes its result (contiguous), then writes self's scaled values in
        value = contiguous(value)
    node, grads = ("BaddbmmBackward0", _BADDBMM) if name == "baddbmm" else ("AddbmmBackward0", _ADDBMM)
    return _run_product(
        name, node, grads, self, batch1, batch2, value, beta, alpha, out, inplace, {"batch1": batch1, "batch2": batch2}
    )


def _half_addbmm(base: np.ndarray, batch1: np.ndarray, batch2: np.ndarray, beta, alpha) -> np.ndarray:
    """Half addbmm as torch runs it: addmm_ per batch (beta for the first, then 1), each a gemm in float
    (beta * c + alpha * the float dot, beta 0 reading no c) rounded to half before the next batch."""
    f32 = np.float32
    value = base
    with quiet_numpy():
        products = np.matmul(batch1.astype(f32), batch2.astype(f32))
        for i, product in enumerate(products):
            scale = beta if i == 0 else 1
            term = f32(alpha) * product
            value = (term if scale == 0 else f32(scale) * value.astype(f32) + term).astype(np.float16)
    return value


def _check_scalar_cast(scalar, dtype) -> None:
    """What `tensor.mul_(scalar)` checks: a float scalar makes an integral result float."""
    from .._dispatch import check_cast, scalar_value
    from .._dtypes import scalar_dtype

    if dtype.category < FLOAT and isinstance(scalar, float):
        check_cast(_dtypes.promote_types(dtype, scalar_dtype(scalar_value(scalar))), dtype)


def _check_addmm_operands(self, mat1, mat2) -> None:
    if self._dtype is not mat2._dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {self._dtype._scalar_name} and {mat2._dtype._scalar_name}"
        )
    if mat1._dtype is not mat2._dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {mat1._dtype._scalar_name} and {mat2._dtype._scalar_name}"
        )
    if self._dtype is _dtypes.bool_:
        raise not_implemented_for("addmm_impl_cpu_", self._dtype)


def baddbmm(self, batch1, batch2, *, beta=1, alpha=1, out=None):
    return _batched("baddbmm", self, batch1, batch2, beta, alpha, out, False)


def addbmm(self, batch1, batch2, *, beta=1, alpha=1, out=None):
    return _batched("addbmm", self, batch1, batch2, beta, alpha, out, False)


register(
    "baddbmm",
    inplace=lambda self, batch1, batch2, *, beta=1, alpha=1: _batched(
        "baddbmm", self, batch1, batch2, beta, alpha, None, True
    ),
)(baddbmm)
register(
    "addbmm",
    inplace=lambda self, batch1, batch2, *, beta=1, alpha=1: _batched(
        "addbmm", self, batch1, batch2, beta, alpha, None, True
    ),
)(addbmm)


# -- inner, vdot, kron, tensordot, chain_matmul, multi_dot ----------------------------------------------------
@register("inner")
def inner(self, other, *, out=None):
    """torch's inner: a product with a 0-d operand, else tensordot over the last dims."""
    if self._a.ndim == 0 or other._a.ndim == 0:
        r = self * other
    else:
        if self._a.shape[-1] != other._a.shape[-1]:
            raise RuntimeError(
                f"inner() the last dimension must match on both input tensors but got shapes "
                f"{list(self._a.shape)} and {list(other._a.shape)}"
            )
        r = tensordot(self, other, ([-1], [-1]))
    if out is None:
        return r
    if self._a.ndim == 0 or other._a.ndim == 0:  # mul(out=)
        check_out_grad("mul", out, (self, other))
        return write_out("inner", out, r._a, r._dtype, (self, other))
    return copy_out("tensordot", out, r)  # inner_out is tensordot_out


_VDOT = (formula(lambda F, g, other: F.conj(g) * other), formula(lambda F, g, self: g * self))


@register("vdot")
def vdot(self, other, *, out=None):
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
    if self._dtype is _dtypes.bool_:
        raise not_implemented_for("vdot", self._dtype)
    with quiet_numpy():
        if self._a.dtype.kind == "c":
            value = np.asarray(np.vdot(self._a, other._a) + np.zeros((), self._dtype.np)).astype(self._dtype.np)
        else:  # (a real vdot is dot: MKL's order)
            value = np.asarray(blas.dot(self._a, other._a)).astype(self._dtype.np)
    if out is not None:
        return write_out("vdot", out, value, self._dtype, (self, other))
    r = make(value, self._dtype, check_same_device((self, other)))
    if needs_grad(self, other) and self._dtype.category >= FLOAT:
        record("VdotBackward0", (self, other), _VDOT, {"self": self, "other": other}, r)
    return r


@register("kron")
def kron(self, other, *, out=None):
    """torch's kron: both padded to one rank, their outer product permuted so each dim's pair is adjacent,
    then viewed as the product sizes (UnsafeViewBackward0 over MulBackward0)."""
    from .shape import _unsafe_view

    ndim = max(self._a.ndim, other._a.ndim)
    a = self.reshape((1,) * (ndim - self._a.ndim) + self._a.shape)
    b = other.reshape((1,) * (ndim - other._a.ndim) + other._a.shape)
    a_view = a.reshape([s for d in a._a.shape for s in (d, 1)])
    b_view = b.reshape([s for d in b._a.shape for s in (1, d)])
    product = a_view * b_view
    shape = tuple(x * y for x, y in zip(a._a.shape, b._a.shape))
    if out is not None:  # torch multiplies into a view of out: its version stays
        if out._a.shape == shape:  # (kept by resize_output, so viewed with its strides: view's error)
            out.detach().view(product._a.shape)
        check_out_grad("mul", out, (self, other))
        write_out("kron", out, contiguous(product._a.reshape(shape)), product._dtype, (self, other))  # (resized)
        out._vc = None
        return out
    viewed = product.detach().view(shape)  # torch views the product: its error where its layout cannot be
    return _unsafe_view(product, shape, viewed._a)


def _tensordot_dims(dims, a_ndim, b_ndim):
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a_ndim, b_ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        return list(range(-dims, 0)), list(range(dims))  # (torch.functional's lists, as its messages show)
    if isinstance(dims, Tensor):
        dims = dims.tolist()
        if isinstance(dims, int):
            return _tensordot_dims(dims, a_ndim, b_ndim)
    first, second = dims
    first = [first] if isinstance(first, int) else list(first)
    second = [second] if isinstance(second, int) else list(second)
    return first, second


def tensordot(a, b, dims=2, out=None):
    """torch's tensordot: the contracted dims permuted to the end of a and the start of b, both reshaped to
    matrices, one mm (a dot where both are vectors: the free sizes 1), and a view to the free sizes."""
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError("tensordot(): argument 'a' must be Tensor")
    first, second = _tensordot_dims(dims, a._a.ndim, b._a.ndim)
    if a._dtype is not b._dtype:
        raise RuntimeError("both inputs should have same dtype")
    if len(first) != len(second):
        raise RuntimeError("both dimension lists should have same length")
    given = list(zip(first, second))
    first = [wrap_dim(d, a._a.ndim) for d in first]
    second = [wrap_dim(d, b._a.ndim) for d in second]
    size = 1
    for d1, d2, (g1, g2) in zip(first, second, given):
        s1, s2 = a._a.shape[d1], b._a.shape[d2]
        if s2 == 1:  # a size-1 dim broadcasts: the other operand is summed over it right away
            a = a.sum(d1, True, dtype=a._dtype)
        elif s1 == 1:
            b = b.sum(d2, True, dtype=b._dtype)
        elif s1 != s2:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {s1} in dim {g1} and second has size "
                f"{s2} in dim {g2}"
            )
        else:
            size *= s1
    free_a = [d for d in range(a._a.ndim) if d not in first]
    free_b = [d for d in range(b._a.ndim) if d not in second]
    rows = int(np.prod([a._a.shape[d] for d in free_a], dtype=np.int64))
    cols = int(np.prod([b._a.shape[d] for d in free_b], dtype=np.int64))
    left, right = a.permute(tuple(free_a + first)), b.permute(tuple(second + free_b))
    if rows == cols == 1:
        r = left.reshape(size).dot(right.reshape(size))
    else:
        r = left.reshape(rows, size).mm(right.reshape(size, cols))
    r = r.view(tuple([a._a.shape[d] for d in free_a] + [b._a.shape[d] for d in free_b]))
    return r if out is None else copy_out("tensordot", out, r)


def multi_dot(tensors, *, out=None):
    """linalg.multi_dot: 1-D ends become a row and a column, the chain is multiplied in the order of least
    cost (the classic dynamic programme), and the ends are squeezed away again."""
    tensors = list(tensors)
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    first_1d, last_1d = tensors[0]._a.ndim == 1, tensors[-1]._a.ndim == 1
    for i, t in enumerate(tensors):
        expected = 1 if (i == 0 and first_1d) or (i == n - 1 and last_1d) else 2
        if t._a.ndim != expected and not (i in (0, n - 1) and t._a.ndim in (1, 2)):
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t._a.ndim}D")
    mats = list(tensors)
    if first_1d:
        mats[0] = mats[0].unsqueeze(0)
    if last_1d:
        mats[-1] = mats[-1].unsqueeze(-1)
    for i in range(n - 1):
        if mats[i]._a.shape[1] != mats[i + 1]._a.shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {list(tensors[i]._a.shape)} and "
                f"{list(tensors[i + 1]._a.shape)} cannot be multiplied"
            )
    if n == 2:
        r = mats[0].mm(mats[1])
    else:
        r = _chain(mats, _chain_order([m._a.shape[0] for m in mats] + [mats[-1]._a.shape[1]]), 0, n - 1)
    # torch views the product to the output shape at the end, ends of 1-D or not
    shape = ([] if first_1d else [r._a.shape[0]]) + ([] if last_1d else [r._a.shape[1]])
    r = r.view(shape)
    if out is not None:
        return write_out("linalg_multi_dot", out, r._a, r._dtype, tuple(tensors))
    return r


def _chain_order(p):
    n = len(p) - 1
    m = [[0] * n for _ in range(n)]
    s = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            m[i][j] = math.inf
            for k in range(i, j):
                q = m[i][k] + m[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if q < m[i][j]:
                    m[i][j], s[i][j] = q, k
    return s


def _chain(mats, order, i, j):
    if i == j:
        return mats[i]
    k = order[i][j]
    return _chain(mats, order, i, k).mm(_chain(mats, order, k + 1, j))


def chain_matmul(*matrices, out=None):
    warn_internal(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
        "parameters.",
        "aten/src/ATen/native/LinearAlgebra.cpp:1102",
        once=True,
    )
    if len(matrices) == 1:
        return matrices[0].clone()
    return multi_dot(matrices, out=out)


# -- cross -----------------------------------------------------------------------------------------------------
_CROSS = (
    formula(lambda F, g, other, dim: F.cross(F.conj(other), g, dim)),
    formula(lambda F, g, self, dim: F.cross(g, F.conj(self), dim)),
)


def linalg_cross(input, other, *, dim=-1, out=None):
    if input._a.ndim != other._a.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = wrap_dim(dim, input._a.ndim)
    if input._a.shape[d] != 3 or other._a.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {input._a.shape[d]} and {other._a.shape[d]}"
        )
    dtype = result_type(input, other)
    shape = broadcast_shapes(input._a.shape, other._a.shape)
    if dtype is _dtypes.bool_:
        raise not_implemented_for("cross", dtype)
    with quiet_numpy():
        a = np.broadcast_to(input._a.astype(dtype.np), shape)
        b = np.broadcast_to(other._a.astype(dtype.np), shape)
        value = contiguous(np.asarray(np.cross(a, b, axis=d)).astype(dtype.np))
    if out is not None:
        return write_out("linalg_cross", out, value, dtype, (input, other))
    r = make(value, dtype, check_same_device((input, other)))
    if needs_grad(input, other) and dtype.category >= FLOAT:
        record("LinalgCrossBackward0", (input, other), _CROSS, {"self": input, "other": other, "dim": d}, r)
    return r


def cross(input, other, dim=None, *, out=None):
    if input._a.ndim != other._a.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if dim is None:  # the first dim of size 3, with torch's deprecation warning
        from .._errors import warn_internal

        warn_internal(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim explicitly "
            "or simply use torch.linalg.cross.\nThe default value of dim will change to agree with that of "
            "linalg.cross in a future release.",
            "aten/src/ATen/native/Cross.cpp:63",
            once=True,
        )
        dim = next((i for i, s in enumerate(input._a.shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim, out=out)


register("cross")(cross)


# -- trace, diag, diag_embed, diagflat, tril, triu, indices ----------------------------------------------------
@register("trace")
def trace(self):
    if self._dtype is _dtypes.bool_:
        raise not_implemented_for("trace", self._dtype)
    if self._a.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(self._a.ndim))
    dtype = _dtypes.int64 if self._dtype.category <= INT else self._dtype
    with quiet_numpy():
        value = np.asarray(np.trace(self._a).astype(dtype.np))
    r = make(value, dtype, self._device)
    if needs_grad(self):
        record("TraceBackward0", (self,), (formula(_trace_back),), {"self_sizes": self._a.shape}, r)
    return r


def _trace_back(F, g, self_sizes):
    n = min(self_sizes)
    zeros = F.new_zeros(self_sizes, g)
    key = (np.arange(n), np.arange(n))
    return F.setitem(zeros, key, g)


def _diag_embed_values(a: np.ndarray, offset: int, d1: int, d2: int) -> np.ndarray:
    n = a.shape[-1] + abs(offset)
    lead = list(a.shape[:-1])
    shape = lead.copy()
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    out = np.zeros(shape, a.dtype)
    i = np.arange(a.shape[-1])
    rows, cols = i + max(-offset, 0), i + max(offset, 0)
    moved = np.moveaxis(out, (d1, d2), (-2, -1))  # a view of out
    moved[..., rows, cols] = a
    return out


def _diag_embed_back(F, g, offset, dim1, dim2):
    return F.diagonal(g, offset, dim1, dim2)


@register("diag_embed")
def diag_embed(self, offset=0, dim1=-2, dim2=-1):
    nd = self._a.ndim + 1
    d1, d2 = wrap_dim(dim1, nd), wrap_dim(dim2, nd)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    value = _diag_embed_values(self._a, offset, d1, d2)
    r = make(value, self._dtype, self._device)
    if needs_grad(self):
        record(
            "DiagEmbedBackward0", (self,), (formula(_diag_embed_back),), {"offset": offset, "dim1": d1, "dim2": d2}, r
        )
    return r


def diag(input, diagonal=0, *, out=None):
    if input._a.ndim == 1:
        r = diag_embed(input, diagonal, 0, 1)
    elif input._a.ndim == 2:
        from .shape import _DIAGONAL_BACK, _diagonal_key

        with no_grad():
            r = make(contiguous(input.diagonal(diagonal)._a.copy()), input._dtype, input._device)
        if needs_grad(input):  # diagonal_copy
            saved = {"self_sizes": input._a.shape, "key": _diagonal_key(input._a.shape, diagonal, 0, 1)}
            record("DiagonalBackward0_copy", (input,), (_DIAGONAL_BACK,), saved, r)
    else:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{input._a.ndim}D")
    if out is not None:
        check_out_grad("diag", out, (input,))
        return write_out("diag", out, r._a, r._dtype, (input,))
    return r


register("diag")(diag)


def diagflat(input, offset=0):
    return diag_embed(input.contiguous().view(-1), offset, 0, 1)


register("diagflat")(diagflat)


def _tri(name, keep_lower):
    def back(F, g, diagonal):
        mask = _tri_mask(g.shape, diagonal, keep_lower)
        return F.where(mask, g, 0)

    def method(self, diagonal=0, *, out=None):
        if self._a.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        mask = _tri_mask(self._a.shape, diagonal, keep_lower)
        value = np.where(mask, self._a, np.zeros((), self._a.dtype))
        if out is not None:
            return write_out(name, out, value, self._dtype, (self,))
        r = make(contiguous(value), self._dtype, self._device)
        if needs_grad(self):
            record(f"{name.capitalize()}Backward0", (self,), (formula(back),), {"diagonal": diagonal}, r)
        return r

    def inplace(self, diagonal=0):
        check_inplace(self, overlap=False)
        if self._a.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        mask = np.broadcast_to(_tri_mask(self._a.shape, diagonal, keep_lower), self._a.shape)
        a = self._a
        if not (a.flags.c_contiguous or a.flags.f_contiguous):  # elements may share memory (no check: the kernel
            # only zeroes, so a location any zeroed element shares ends zero)
            offsets = sum(
                np.arange(n).reshape((-1,) + (1,) * (a.ndim - k - 1)) * st
                for k, (n, st) in enumerate(zip(a.shape, a.strides))
            )
            mask = mask & ~np.isin(offsets, offsets[~mask])
        value = np.where(mask, self._a, np.zeros((), self._a.dtype))
        return write_inplace(
            f"{name.capitalize()}Backward0", (formula(back),), self, value, (self,), {"diagonal": diagonal}
        )

    return method, inplace


def _tri_mask(shape, diagonal, keep_lower):
    rows, cols = shape[-2], shape[-1]
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    return (j - i <= diagonal) if keep_lower else (j - i >= diagonal)


for _name, _lower in (("tril", True), ("triu", False)):
    _m, _i = _tri(_name, _lower)
    register(_name, inplace=_i)(_m)


def _tri_indices(row, col, offset, lower, dtype, device, pin_memory):
    from .._creation import _finish

    i = np.arange(row)[:, None]
    j = np.arange(col)[None, :]
    mask = (j - i <= offset) if lower else (j - i >= offset)
    rows, cols = np.nonzero(mask)
    dtype = dtype or _dtypes.int64
    return _finish(np.stack([rows, cols]).astype(dtype.np).reshape(2, -1), dtype, device, False, pin_memory)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None, pin_memory=False):
    return _tri_indices(row, col, offset, True, dtype, device, pin_memory)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None, pin_memory=False):
    return _tri_indices(row, col, offset, False, dtype, device, pin_memory)


# -- block_diag, cartesian_prod, combinations, cdist ---------------------------------------------------------
def _block_back(row, col, block, shape):
    """The gradient of one block of block_diag: its rectangle of g, in the input's own shape."""

    def back(F, g):
        piece = F.getitem(g, (slice(row, row + block[0]), slice(col, col + block[1])))
        return F.reshape(piece, shape)

    return formula(back)


def block_diag(*tensors):
    mats = []
    for i, t in enumerate(tensors):
        if t._a.ndim > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {t._a.ndim} dimensions"
            )
        mats.append(t._a.reshape(1, -1) if t._a.ndim == 1 else t._a.reshape(1, 1) if t._a.ndim == 0 else t._a)
    dtype = result_type(*tensors) if tensors else _dtypes.get_default_dtype()
    rows = sum(m.shape[0] for m in mats)
    cols = sum(m.shape[1] for m in mats)
    out = np.zeros((rows, cols), dtype.np)
    offsets, r, c = [], 0, 0
    for m in mats:
        out[r : r + m.shape[0], c : c + m.shape[1]] = m
        offsets.append((r, c))
        r, c = r + m.shape[0], c + m.shape[1]
    result = make(out, dtype, tensors[0]._device if tensors else None)
    if tensors and needs_grad(*tensors):
        grads = tuple(_block_back(r, c, m.shape, t._a.shape) for (r, c), m, t in zip(offsets, mats, tensors))
        record("BlockDiagBackward0", tuple(tensors), grads, {}, result)
    return result


def cartesian_prod(*tensors):
    from .shape import stack

    for t in tensors:
        if t._a.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t._a.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.flatten() for g in grids], 1)


def combinations(input, r=2, with_replacement=False):
    from .shape import stack

    if input._a.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input._a.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return make(np.empty(0, input._dtype.np), input._dtype, input._device)
    n = input._a.shape[0]
    grids = meshgrid(*([input] * r), indexing="ij")
    index = np.indices((n,) * r) if n else np.zeros((r,) + (0,) * r, np.int64)
    mask = np.ones((n,) * r, bool)
    for a, b in zip(index[:-1], index[1:]):
        mask &= (a <= b) if with_replacement else (a < b)
    mask_t = make(mask, _dtypes.bool_, input._device)
    return stack([g.masked_select(mask_t) for g in grids], 1)


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        from .._errors import warn_internal

        warn_internal(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
            "aten/src/ATen/native/TensorShape.cpp:4215",
            once=True,
        )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors[1:]:
        if t._dtype is not tensors[0]._dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t._a.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t._a.ndim}D")
    swap = indexing == "xy" and len(tensors) >= 2
    ordered = list(tensors)
    if swap:
        ordered[0], ordered[1] = ordered[1], ordered[0]
    sizes = [t._a.size for t in ordered]
    grids = []
    for i, t in enumerate(ordered):
        view = [1] * len(ordered)
        view[i] = -1
        grids.append(t.view(view).expand(*sizes))
    if swap:  # the outputs swapped back: their first two dims stay (len(y), len(x), ...)
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def cdist_grad(g: np.ndarray, x1: np.ndarray, x2: np.ndarray, p, result: np.ndarray) -> np.ndarray:
    """d cdist / d x1, summed over x2's rows: sign(d) |d|^(p-1) / dist^(p-1) (p = 1: sign; inf: the extreme
    coordinates; 2: d / dist; 0: nothing), 0 where the distance is 0."""
    diff = x1[..., :, None, :] - x2[..., None, :, :]
    dist = result[..., None]
    with np.errstate(all="ignore"):
        if p == 0:
            term = np.zeros_like(diff)
        elif p == 1:
            term = np.sign(diff)
        elif p == math.inf:
            term = np.sign(diff) * (np.abs(diff) == dist)
        elif p == 2:
            term = np.where(dist == 0, 0, diff / dist)
        else:
            term = np.where(dist == 0, 0, np.sign(diff) * np.abs(diff) ** (p - 1) / dist ** (p - 1))
        return np.sum(g[..., None] * term, axis=-2)


_CDIST = (
    formula(lambda F, g, x1, x2, p, result: F.cdist_grad(g, x1, x2, p, result)),
    formula(lambda F, g, x1, x2, p, result: F.cdist_grad(F.mT(g), x2, x1, p, F.mT(result))),
)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    if x1._a.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1._a.ndim}D")
    if x2._a.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {x2._a.ndim}D")
    if x1._a.shape[-1] != x2._a.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1._a.shape[-1]} X2: {x2._a.shape[-1]}"
        )
    for name, x in (("X1", x1), ("X2", x2)):
        if x._dtype.category != FLOAT:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {x._dtype._scalar_name}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if x1._a.size == 0 or x2._a.size == 0:  # torch returns early (before its dtype dispatch): zeros
        shape = np.broadcast_shapes(x1._a.shape[:-2], x2._a.shape[:-2]) + (x1._a.shape[-2], x2._a.shape[-2])
        r = make(np.zeros(shape, x1._dtype.np), x1._dtype, x1._device)
        if needs_grad(x1, x2):
            record("CdistBackward0", (x1, x2), _CDIST, {"x1": x1, "x2": x2, "p": p, "result": r}, r)
        return r
    if result_type(x1, x2) is _dtypes.float16:
        raise not_implemented_for("cdist", _dtypes.float16)
    with quiet_numpy():
        diff = np.abs(x1._a[..., :, None, :] - x2._a[..., None, :, :])
        if p == 0:
            value = np.sum(diff != 0, axis=-1).astype(diff.dtype)
        elif p == math.inf:
            value = np.max(diff, axis=-1, initial=0)
        elif p == 1:
            value = np.sum(diff, axis=-1)
        elif p == 2:
            value = np.sqrt(np.sum(diff * diff, axis=-1))
        else:
            value = np.power(np.sum(np.power(diff, p), axis=-1), 1.0 / p)
    dtype = result_type(x1, x2)
    r = make(contiguous(np.asarray(value).astype(dtype.np)), dtype, check_same_device((x1, x2)))
    if needs_grad(x1, x2):
        record("CdistBackward0", (x1, x2), _CDIST, {"x1": x1, "x2": x2, "p": p, "result": r}, r)
    return r


FUNCTIONS = {
    "tensordot": tensordot,
    "chain_matmul": chain_matmul,
    "tril_indices": tril_indices,
    "triu_indices": triu_indices,
    "block_diag": block_diag,
    "cartesian_prod": cartesian_prod,
    "combinations": combinations,
    "meshgrid": meshgrid,
    "cdist": cdist,
}
LINALG = {"multi_dot": multi_dot, "cross": linalg_cross}
