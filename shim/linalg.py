"""torch.linalg: norms, solvers, factorizations and spectra of (batches of) matrices.

The factorizations are LAPACK's: numpy's (OpenBLAS) where numpy wraps the routine torch calls (gesv, getri,
potrf, geqrf, syevd, geev, gesdd), and shim._cpu.lapack's unblocked versions of the rest (getrf, trsm, orgqr,
the matrix exponential).  torch runs MKL's blocked routines, so values agree within rounding and the signs of
singular vectors and eigenvectors, which LAPACK leaves free, may differ.  Errors, dtypes, shapes, return types
and autograd nodes are torch's.  Each derivative is written once with the shim's own tensor ops (torch's
FunctionsManual formulas), so second derivatives come from the same code.
"""

from __future__ import annotations

import math

import numpy as np

from . import _dtypes
from ._autograd.formulas import NP
from ._autograd.grad_mode import STATE, no_grad
from ._cpu import lapack
from ._cpu.quiet import quiet_numpy
from ._dispatch import broadcast_shapes, bump_version, record
from ._errors import TEMPLATES, not_implemented_for, shape_str, warn_internal, wrap_dim
from ._ops.matrices import linalg_cross as cross
from ._ops.matrices import multi_dot
from ._ops.reductions import vector_norm
from ._tensor import Tensor, make
from .return_types import make_return_type

__all__ = [
    "LinAlgError", "cholesky", "cholesky_ex", "cond", "cross", "det", "diagonal", "eig", "eigh", "eigvals",
    "eigvalsh", "householder_product", "inv", "inv_ex", "lstsq", "lu", "lu_factor", "lu_factor_ex", "lu_solve",
    "matmul", "matrix_exp", "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv", "qr",
    "slogdet", "solve", "solve_ex", "solve_triangular", "svd", "svdvals", "tensorinv", "tensorsolve", "vander",
    "vecdot", "vector_norm",
]  # fmt: skip


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a factorization that could not be completed (singular, not definite)."""


LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"
LinAlgError.__module__ = "torch._C"

_TYPES = {
    name: make_return_type(name, fields)
    for name, fields in {
        "linalg_slogdet": ("sign", "logabsdet"),
        "linalg_inv_ex": ("inverse", "info"),
        "linalg_solve_ex": ("result", "info"),
        "linalg_cholesky_ex": ("L", "info"),
        "linalg_qr": ("Q", "R"),
        "linalg_eig": ("eigenvalues", "eigenvectors"),
        "linalg_eigh": ("eigenvalues", "eigenvectors"),
        "linalg_svd": ("U", "S", "Vh"),
        "linalg_lstsq": ("solution", "residuals", "rank", "singular_values"),
        "linalg_lu": ("P", "L", "U"),
        "linalg_lu_factor": ("LU", "pivots"),
        "linalg_lu_factor_ex": ("LU", "pivots", "info"),
        "lu_unpack": ("P", "L", "U"),
    }.items()
}


def _shim():
    import shim

    return shim


# -- checks, with torch's messages ---------------------------------------------------------------------------
def _check_matrix(A: Tensor, name: str, arg: str = "A") -> None:
    if A._a.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {arg} must have at least 2 dimensions.")


def _check_square(A: Tensor, name: str) -> None:
    _check_matrix(A, name)
    m, n = A._a.shape[-2:]
    if m != n:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {m} by {n} matrices")


def _check_floating(A: Tensor, name: str, low_precision: bool = True) -> None:
    if A._dtype.category < _dtypes.FLOAT:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {A._dtype._scalar_name}")
    if not low_precision and A._dtype.itemsize < 4 + 4 * A.is_complex():
        raise RuntimeError(f"{name}: Low precision dtypes not supported. Got {A._dtype._scalar_name}")


def _check_kernel(A: Tensor, kernel: str, even_empty: bool = False) -> None:
    """The LAPACK kernels' own dispatch: float, double, cfloat and cdouble only (most are not reached by an
    empty input, for which torch calls no kernel; eig's is)."""
    if (A._a.size or even_empty) and (A._dtype.category < _dtypes.FLOAT or A._dtype.itemsize < 4 + 4 * A.is_complex()):
        raise not_implemented_for(kernel, A._dtype)


def _raise_info(name: str, info: np.ndarray, message: str, error=LinAlgError) -> None:
    """torch's _linalg_check_errors: the first failing matrix, named by its batch index when batched."""
    bad = np.flatnonzero(info.reshape(-1))
    if bad.size:
        where = f"(Batch element {bad[0]}): " if info.ndim else ""
        raise error(f"{name}: {where}" + message.format(info=int(info.reshape(-1)[bad[0]])))


_SINGULAR = (
    "The diagonal element {info} is zero, the inversion could not be completed because the input matrix is singular."
)
_NOT_PD = (
    "The factorization could not be completed because the input is not positive-definite (the leading minor of "
    "order {info} is not positive-definite)."
)


# -- results and derivatives ---------------------------------------------------------------------------------
def _wrap(a: np.ndarray, dtype, device) -> Tensor:
    """A result in row-major order (torch's composites and its own kernels)."""
    a = np.asarray(a)
    return make(a if a.flags.c_contiguous else a.copy(), dtype, device)


def _lapack(a: np.ndarray, dtype, device) -> Tensor:
    """A result as LAPACK writes it: each matrix column-major, the batch row-major (vectors contiguous)."""
    a = np.asarray(a, dtype.np)
    if a.ndim < 2:
        return _wrap(a, dtype, device)
    return make(np.swapaxes(np.ascontiguousarray(np.swapaxes(a, -1, -2)), -1, -2), dtype, device)


def _as_tensor(v):
    """A saved array (or gradient) of the array path as a tensor; other saved values as they are."""
    if not isinstance(v, (np.ndarray, np.generic)):
        return v
    a = np.asarray(v)
    return make(a, _dtypes.from_numpy_dtype(a.dtype))


def _derivative(fn, names: tuple, index: int = 0) -> tuple:
    """A derivative written with the shim's tensor ops: fn(grads, *saved) gives the gradient of every input
    (a tuple) or of the one input (index 0); on the array path its arrays are wrapped and nothing is recorded."""

    def back(F, grads, *saved):
        if F is NP:
            with no_grad():
                r = fn([_as_tensor(g) for g in grads], *[_as_tensor(v) for v in saved])
        else:
            r = fn(grads, *saved)
        r = r[index] if isinstance(r, tuple) else r
        return r._a if F is NP and r is not None else r

    return (back, names)


def _record(node: str, inputs: tuple, fn, saved: dict, outputs, differentiable=None) -> None:
    if STATE.grad_enabled and any(t._rg for t in inputs):
        formulas = tuple(_derivative(fn, tuple(saved), i) for i in range(len(inputs)))
        record(node, inputs, formulas, saved, outputs, differentiable)


def _mH(x: Tensor) -> Tensor:
    return x.mT.conj() if x.is_complex() else x.mT


def _zeros_if_none(g, like: Tensor) -> Tensor:
    return g if g is not None else like.new_zeros(like.shape)


# -- determinants and inverses --------------------------------------------------------------------------------
def _lu_det(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """det from getrf, as torch computes it: the product of U's diagonal with the permutation's sign."""
    lu, pivots, _ = lapack.lu_factor(a)
    diag = np.diagonal(lu, axis1=-2, axis2=-1)
    swaps = (pivots != np.arange(1, pivots.shape[-1] + 1)).sum(-1)
    sign = np.where(swaps % 2, -1, 1).astype(a.dtype)
    return diag, sign, lu


def det(A: Tensor, *, out=None) -> Tensor:
    _check_square(A, "linalg.det")
    _check_floating(A, "linalg.det")
    _check_kernel(A, "lu_cpu")
    diag, sign, _ = _lu_det(A._a)
    with quiet_numpy():
        value = sign * np.prod(diag, axis=-1)
    r = _wrap(np.asarray(value, A._dtype.np), A._dtype, A._device)
    _record("LinalgDetBackward0", (A,), _det_grad, {"A": A, "result": r}, r)
    return _out(r, out, "linalg.det")


def _cofactor(A: Tensor) -> Tensor:
    """The cofactor matrix (det(A) A^{-T} where A is invertible) from the SVD, so singular A is covered."""
    U, S, Vh = svd(A)
    unit = det(U) * det(Vh)
    return (U * (_prod_others(S) * unit.unsqueeze(-1)).unsqueeze(-2)) @ Vh


def _prod_others(S: Tensor) -> Tensor:
    t = _shim()
    n = S.shape[-1]
    return t.stack([t.cat([S[..., :i], S[..., i + 1 :]], -1).prod(-1) for i in range(n)], -1)


def _det_grad(grads, A, result):
    """torch's linalg_det_backward: conj(det) g A^{-H} by an adjoint LU solve (getrs leaves zero right-hand
    sides alone, so a zero determinant gives zeros), the SVD's cofactors where that is not finite, and the SVD
    always when the backward pass is itself recorded."""
    g = grads[0]
    if g is None:
        return None
    if A.numel() == 0:
        return A.new_zeros(A.shape)
    if STATE.grad_enabled:
        return g.unsqueeze(-1).unsqueeze(-1) * _cofactor(A).conj()
    d = (g * result.conj()).unsqueeze(-1).expand(*result.shape, A.shape[-1]).diag_embed()
    regular = lu_solve(*lu_factor_ex(A)[:2], d, adjoint=True)
    finite = _shim().isfinite(regular).flatten(-2).all(-1)
    if bool(finite.all()):
        return regular
    return _shim().where(
        finite.unsqueeze(-1).unsqueeze(-1), regular, g.unsqueeze(-1).unsqueeze(-1) * _cofactor(A).conj()
    )


def slogdet(A: Tensor, *, out=None):
    _no_out(out, "linalg.slogdet")
    return _slogdet(A, "linalg.slogdet")


def _slogdet(A: Tensor, name: str):
    _check_square(A, name)
    _check_floating(A, name, low_precision=False)
    diag, sign, _ = _lu_det(A._a)
    with quiet_numpy():
        absdiag = np.abs(diag)
        if A.is_complex():
            phase = np.prod(np.where(absdiag == 0, 0, diag / np.where(absdiag == 0, 1, absdiag)), axis=-1) * sign
        else:
            phase = np.prod(np.sign(diag), axis=-1) * sign
        logabs = np.sum(np.log(absdiag), axis=-1)
    s = _wrap(np.asarray(phase, A._dtype.np), A._dtype, A._device)
    real = A._dtype.to_real()
    la = _wrap(np.asarray(logabs, real.np), real, A._device)
    r = _TYPES["linalg_slogdet"]((s, la))
    _record("LinalgSlogdetBackward0", (A,), _slogdet_grad, {"A": A, "sign": s}, (s, la))
    return r


def _slogdet_grad(grads, A, sign):
    g_sign, g_logabs = (list(grads) + [None, None])[:2]
    if g_logabs is None and (g_sign is None or not A.is_complex()):  # (the sign of a real determinant is flat)
        return None
    g = g_logabs if g_logabs is not None else sign.real.new_zeros(sign.shape)
    if A.is_complex():
        g = g.to(A.dtype)
        if g_sign is not None:
            g = g - 1j * (g_sign.conj() * sign).imag
    # (torch solves A^H X = diag(g) rather than inverting: the zeros it writes are the solver's)
    eye_g = g.unsqueeze(-1).expand(*g.shape, A.shape[-1]).diag_embed()
    return solve_ex(_mH(A), eye_g)[0]


def inv_ex(A: Tensor, *, check_errors: bool = False, out=None):
    _no_out(out, "linalg.inv_ex")
    return _inv_ex(A, check_errors, "linalg.inv")


def _inv_ex(A: Tensor, check_errors: bool, name: str):
    """name: how the singular error names the caller (tensorinv's says "inv")."""
    _check_square(A, "linalg.inv")
    _check_floating(A, "linalg.inv", low_precision=False)
    lu, _, info = lapack.lu_factor(A._a)
    if check_errors:
        _raise_info(name, info, _SINGULAR)
    with quiet_numpy():
        if A._a.size == 0:
            value = A._a.copy()
        elif info.any():
            eye = np.broadcast_to(np.eye(A._a.shape[-1], dtype=A._dtype.np), A._a.shape)
            value = _lu_solve_array(A._a, eye)
        else:
            value = np.linalg.inv(A._a)
    r = _lapack(value, A._dtype, A._device)
    _record("LinalgInvExBackward0", (A,), _inv_grad, {"result": r}, r)
    return _TYPES["linalg_inv_ex"]((r, _wrap(info, _dtypes.int32, A._device)))


def inv(A: Tensor, *, out=None) -> Tensor:
    return _out(inv_ex(A, check_errors=True)[0], out, "linalg.inv")


def _inv_grad(grads, result):
    g = grads[0]
    if g is None:
        return None
    h = _mH(result)
    return -(h @ (g @ h))


def _lu_solve_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """getrf + getrs with no singularity check: zero pivots give infinities and NaNs."""
    lu, pivots, _ = lapack.lu_factor(a)
    perm = lapack.permutation(pivots, a.shape[-1])
    pb = np.take_along_axis(np.broadcast_to(b, lu.shape[:-2] + b.shape[-2:]), perm[..., None], axis=-2)
    y = lapack.solve_triangular(lu, pb, upper=False, unitriangular=True)
    return lapack.solve_triangular(lu, y, upper=True)


def _solve_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """gesv; where OpenBLAS meets an exact zero pivot that MKL's rounding did not, the unblocked LU's
    infinities rather than numpy's error."""
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return _lu_solve_array(a, b)


def _is_vector_rhs(A: Tensor, B: Tensor) -> bool:
    """torch's linalg_solve_is_vector_rhs: B is a (batch of) vector(s) when it is 1-D, or has one dim fewer
    than A and matches A's batch."""
    return B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False, out=None):
    _no_out(out, "linalg.solve_ex")
    _check_square(A, "linalg.solve")
    _check_floating(A, "linalg.solve")
    if A._dtype is not B._dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type {A._dtype._scalar_name} and B "
            f"of type {B._dtype._scalar_name} instead"
        )
    vector = _is_vector_rhs(A, B)
    b = B._a[..., None] if vector else B._a
    if b.ndim < 2:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    n = A._a.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
            f"({n}x{n} and {b.shape[-2]}x{b.shape[-1]})"
        )
    if vector and not left:
        raise RuntimeError(
            "linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. In this case "
            "linalg.solve is equivalent to B / A.squeeze(-1)"
        )
    _check_kernel(A, "lu_cpu")
    a = A._a if left else np.swapaxes(A._a, -1, -2)
    b = b if left else np.swapaxes(b, -1, -2)
    batch = broadcast_shapes(b.shape[:-2], a.shape[:-2])
    info = lapack.lu_factor(a)[2]
    if check_errors:
        _raise_info("torch.linalg.solve", info, "The solver failed because the input matrix is singular.")
    with quiet_numpy():
        a_b = np.broadcast_to(a, batch + a.shape[-2:])
        b_b = np.broadcast_to(b, batch + b.shape[-2:])
        if not (a_b.size and b_b.size):
            value = np.zeros(b_b.shape, A._dtype.np)
        else:
            value = _lu_solve_array(a_b, b_b) if info.any() else _solve_array(a_b, b_b)
    if vector:  # (a batch of vectors is solved as one matrix of columns: column-major over the batch)
        vec = value[..., 0].astype(A._dtype.np, copy=False)
        r = make(
            np.asfortranarray(vec) if math.prod(vec.shape[:-1]) > 1 else np.ascontiguousarray(vec), A._dtype, A._device
        )
    elif left:
        r = _lapack(value, A._dtype, A._device)
    else:  # (XA = B is solved as A^T X^T = B^T: the column-major solution, transposed)
        r = _wrap(np.swapaxes(value, -1, -2), A._dtype, A._device)
    _record("LinalgSolveExBackward0", (A, B), _solve_grad, {"A": A, "result": r, "left": left, "vector": vector}, r)
    info = np.broadcast_to(info, A._a.shape[:-2]).astype(np.int32)  # (A's batch: B's broadcasting adds none)
    return _TYPES["linalg_solve_ex"]((r, _wrap(info, _dtypes.int32, A._device)))


def solve(A: Tensor, B: Tensor, *, left: bool = True, out=None) -> Tensor:
    return _out(solve_ex(A, B, left=left, check_errors=True)[0], out, "linalg.solve")


def _solve_grad(grads, A, result, left, vector):
    g = grads[0]
    if g is None:
        return None, None
    X = result.unsqueeze(-1) if vector else result
    G = g.unsqueeze(-1) if vector else g
    gB = solve_ex(_mH(A), G, left=left)[0]  # (torch's lu_solve with the saved factors: no singularity check)
    gA = -(gB @ _mH(X)) if left else -(_mH(X) @ gB)
    gB = gB.squeeze(-1) if vector else gB
    return _sum_to(gA, A.shape), gB


def _sum_to(g: Tensor, shape) -> Tensor:
    lead = g.dim() - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
    g = g.sum(dims, keepdim=True) if dims else g
    return g.reshape(shape) if lead else g


# -- Cholesky, QR ---------------------------------------------------------------------------------------------
def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False, out=None):
    _no_out(out, "linalg.cholesky_ex")
    _check_square(A, "linalg.cholesky")
    _check_floating(A, "linalg.cholesky")
    r, info = _cholesky(A, upper, check_errors, "linalg.cholesky", "LinalgCholeskyExBackward0")
    return _TYPES["linalg_cholesky_ex"]((r, info))


def _cholesky(A: Tensor, upper: bool, check_errors: bool, name: str, node: str) -> tuple[Tensor, Tensor]:
    """potrf, as linalg.cholesky_ex and the older torch.cholesky (its own name and node) run it."""
    _check_kernel(A, "cholesky_cpu")
    value, info = _potrf(A._a)
    if check_errors:
        _raise_info(name, info, _NOT_PD)
    value = np.swapaxes(value.conj(), -1, -2) if upper else value
    r = _lapack(value, A._dtype, A._device)
    _record(node, (A,), _cholesky_grad, {"L": r, "upper": upper}, r)
    return r, _wrap(info, _dtypes.int32, A._device)


def cholesky(A: Tensor, *, upper: bool = False, out=None) -> Tensor:
    return _out(cholesky_ex(A, upper=upper, check_errors=True)[0], out, "linalg.cholesky")


def _potrf(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """potrf on the lower triangle; where it fails, the partial factor LAPACK leaves (columns before the
    failing one) over the input's own lower triangle, and info the failing order."""
    n = a.shape[-1]
    lower = np.tril(a).astype(a.dtype, copy=True)
    flat = lower.reshape(math.prod(a.shape[:-2]), n, n)
    info = np.zeros(flat.shape[0], np.int32)
    if not a.size:  # (an empty batch: nothing to factor, whatever the dtype, as torch's kernel is never reached)
        return lower, info.reshape(a.shape[:-2])
    with quiet_numpy():
        for j in range(n):
            ok = info == 0
            d = flat[:, j, j].real - np.einsum("bk,bk->b", flat[:, j, :j], flat[:, j, :j].conj()).real
            bad = ok & ~(d > 0)
            info[bad] = j + 1
            flat[bad, j, j] = d[bad]  # (potrf leaves the failing pivot's value in place)
            good = ok & (d > 0)
            root = np.sqrt(np.where(good, d, 1))
            col = flat[:, j + 1 :, j] - np.einsum("bik,bk->bi", flat[:, j + 1 :, :j], flat[:, j, :j].conj())
            flat[good, j, j] = root[good]
            flat[good, j + 1 :, j] = (col / root[:, None])[good]
    return flat.reshape(a.shape), info.reshape(a.shape[:-2])


def _cholesky_grad(grads, L, upper):
    gL = grads[0]
    if gL is None:
        return None
    if upper:
        L, gL = _mH(L), _mH(gL)
    gA = (_mH(L) @ gL).tril()
    gA = 0.5 * (gA + _mH(gA.tril(-1)))
    return solve_triangular(L, solve_triangular(_mH(L), gA, upper=True), upper=False, left=False)


def qr(A: Tensor, mode: str = "reduced", *, out=None):
    _no_out(out, "linalg.qr")
    _check_matrix(A, "linalg.qr")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'"
        )
    _check_floating(A, "linalg.qr")
    _check_kernel(A, "geqrf_cpu")
    m, n = A._a.shape[-2:]
    with quiet_numpy():
        if A._a.size == 0:
            k = m if mode == "complete" else min(m, n)
            q = np.broadcast_to(np.eye(m, k, dtype=A._dtype.np), A._a.shape[:-2] + (m, k))
            r_ = np.zeros(A._a.shape[:-2] + (k, n), A._dtype.np)
        else:
            q, r_ = np.linalg.qr(A._a, mode="complete" if mode == "complete" else "reduced")
    Q = _lapack(q, A._dtype, A._device) if mode != "r" else make(np.empty(0, A._dtype.np), A._dtype, A._device)
    R = _lapack(r_, A._dtype, A._device)
    _record("LinalgQrBackward0", (A,), _qr_grad, {"Q": Q, "R": R, "mode": mode}, (Q, R))
    return _TYPES["linalg_qr"]((Q, R))


def _copyltu(M: Tensor) -> Tensor:
    return M.tril(-1) + _mH(M.tril(-1)) + M.diagonal(0, -2, -1).real.to(M.dtype).diag_embed()


def _qr_grad(grads, Q, R, mode):
    gQ, gR = (list(grads) + [None, None])[:2]
    if mode == "r":
        raise RuntimeError(
            "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, "
            "mode='reduced') if you are going to differentiate through linalg.qr."
        )
    m, n = Q.shape[-2], R.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
    gQ = _zeros_if_none(gQ, Q)
    gR = _zeros_if_none(gR, R)
    if m >= n:
        return _qr_square_grad(gQ, gR, Q, R)
    t = _shim()
    R1, R2 = R[..., :m], R[..., m:]
    gR1, gR2 = gR[..., :m], gR[..., m:]
    Y = Q @ R2
    gY = Q @ gR2
    gX = _qr_square_grad(gQ + Y @ _mH(gR2), gR1, Q, R1)
    return t.cat([gX, gY], -1)


def _qr_square_grad(gQ, gR, Q, R):
    M = R @ _mH(gR) - _mH(gQ) @ Q
    b = gQ + Q @ _copyltu(M)
    return _mH(solve_triangular(R, _mH(b), upper=True))


# -- spectra ----------------------------------------------------------------------------------------------------
def eigh(A: Tensor, UPLO: str = "L", *, out=None):
    _no_out(out, "linalg.eigh")
    return _eigh(A, UPLO, True)


def eigvalsh(A: Tensor, UPLO: str = "L", *, out=None) -> Tensor:
    return _out(_eigh(A, UPLO, STATE.grad_enabled and A._rg)[0], out, "linalg.eigvalsh")


def _eigh(A: Tensor, UPLO: str, vectors: bool):
    _check_square(A, "linalg.eigh")
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    _check_kernel(A, "linalg_eigh_cpu")
    real = A._dtype.to_real()
    with quiet_numpy():
        if A._a.size == 0:
            w, v = np.zeros(A._a.shape[:-1], real.np), A._a.copy()
        elif vectors:
            w, v = np.linalg.eigh(A._a, UPLO)
        else:
            w, v = np.linalg.eigvalsh(A._a, UPLO), None
    L = _wrap(w.astype(real.np, copy=False), real, A._device)
    V = _lapack(v, A._dtype, A._device) if v is not None else make(np.empty(0, A._dtype.np), A._dtype, A._device)
    _record("LinalgEighBackward0", (A,), _eig_grad, {"L": L, "V": V, "hermitian": True}, (L, V))
    return _TYPES["linalg_eigh"]((L, V))


def eig(A: Tensor, *, out=None):
    _no_out(out, "linalg.eig")
    return _eig(A, "linalg.eig")


def eigvals(A: Tensor, *, out=None) -> Tensor:
    return _out(_eig(A, "linalg.eigvals")[0], out, "linalg.eigvals")


def _eig(A: Tensor, name: str):
    if A._dtype.category < _dtypes.FLOAT:  # (the complex result's dtype is found first)
        raise RuntimeError(f"Unknown Complex ScalarType for {A._dtype._scalar_name}")
    _check_square(A, name)
    _check_kernel(A, "linalg_eig_out_cpu", even_empty=True)
    cdt = A._dtype.to_complex()
    with quiet_numpy():
        if A._a.size == 0:
            w, v = np.zeros(A._a.shape[:-1], cdt.np), np.zeros(A._a.shape, cdt.np)
        else:
            w, v = np.linalg.eig(A._a)
    L = _wrap(w.astype(cdt.np), cdt, A._device)
    V = _lapack(v, cdt, A._device)
    _record(
        "LinalgEigBackward0",
        (A,),
        _eig_grad,
        {"L": L, "V": V, "hermitian": False, "real_input": not A.is_complex()},
        (L, V),
    )
    return _TYPES["linalg_eig"]((L, V))


def _eig_grad(grads, L, V, hermitian, real_input=False):
    """torch's linalg_eig_backward: gA = V^{-H} (diag(gL) + (V^H gV - V^H V Re(diag(V^H gV))) / E) V^H with
    E_ij = conj(L_j - L_i) (V^H for V^{-H} when A is Hermitian, where the correction term vanishes)."""
    gL, gV = (list(grads) + [None, None])[:2]
    t = _shim()
    if gL is None and gV is None:
        return None
    if gV is None:
        core = gL.to(V.dtype).diag_embed()
    else:
        VhgV = _mH(V) @ gV
        diag = VhgV.diagonal(0, -2, -1)
        if V.is_complex() and not bool((diag.imag.abs() <= 1e-6 * (1 + diag.abs())).all()):
            raise RuntimeError(
                "linalg_eig_backward: The eigenvectors in the complex case are specified up to multiplication by "
                "e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined."
            )
        if hermitian:  # (projected onto the skew-Hermitian matrices: A's perturbations are Hermitian)
            VhgV = 0.5 * (VhgV - _mH(VhgV))
        else:
            VhgV = VhgV - (_mH(V) @ (V * diag.real.to(V.dtype).unsqueeze(-2)))
        E = L.unsqueeze(-2) - L.unsqueeze(-1)
        E = (E.conj() if E.is_complex() else E) + t.eye(L.shape[-1], dtype=E.dtype)
        core = VhgV / E
        core = core - core.diagonal(0, -2, -1).diag_embed()
        if gL is not None:
            core = core + gL.to(core.dtype).diag_embed()
    if hermitian:
        return V @ core @ _mH(V)
    gA = solve(_mH(V), core @ _mH(V))
    return gA.real if real_input else gA


def svd(A: Tensor, full_matrices: bool = True, *, driver=None, out=None):
    _no_out(out, "linalg.svd")
    _check_matrix(A, "linalg.svd")
    _check_floating(A, "linalg.svd")
    _check_kernel(A, "linalg_svd_cpu")
    return _svd(A, full_matrices, True)


def svdvals(A: Tensor, *, driver=None, out=None) -> Tensor:
    _check_matrix(A, "linalg.svd")
    _check_floating(A, "linalg.svd")
    _check_kernel(A, "linalg_svd_cpu")
    return _out(_svd(A, False, STATE.grad_enabled and A._rg)[1], out, "linalg.svdvals")


def _svd(A: Tensor, full_matrices: bool, vectors: bool):
    m, n = A._a.shape[-2:]
    k = min(m, n)
    real = A._dtype.to_real()
    batch = A._a.shape[:-2]
    with quiet_numpy():
        if A._a.size == 0:
            um, vn = (m, n) if full_matrices else (k, k)
            u = np.broadcast_to(np.eye(m, um, dtype=A._dtype.np), batch + (m, um)).copy()
            vh = np.broadcast_to(np.eye(vn, n, dtype=A._dtype.np), batch + (vn, n)).copy()
            s = np.zeros(batch + (k,), real.np)
        elif vectors:
            u, s, vh = np.linalg.svd(A._a, full_matrices=full_matrices)
            # a matrix of zeros: MKL's gesdd returns identities, where numpy's LAPACK takes a -0's sign
            # into U (a nuclear norm's gradient at zero, U Vh, then flips)
            zero = ~np.any(A._a != 0, axis=(-2, -1))
            if zero.any():
                u[zero] = np.eye(*u.shape[-2:], dtype=u.dtype)
                vh[zero] = np.eye(*vh.shape[-2:], dtype=vh.dtype)
        else:
            u = vh = None
            s = np.linalg.svd(A._a, compute_uv=False)
    empty = make(np.empty(0, A._dtype.np), A._dtype, A._device)
    U = _lapack(u, A._dtype, A._device) if u is not None else empty
    S = _wrap(s.astype(real.np, copy=False), real, A._device)
    Vh = _lapack(vh, A._dtype, A._device) if vh is not None else empty
    _record(
        "LinalgSvdBackward0", (A,), _svd_grad, {"U": U, "S": S, "Vh": Vh, "full_matrices": full_matrices}, (U, S, Vh)
    )
    return _TYPES["linalg_svd"]((U, S, Vh))


def _svd_grad(grads, U, S, Vh, full_matrices):
    """torch's svd_backward (for full_matrices, on the first k singular vectors)."""
    gU, gS, gVh = (list(grads) + [None, None, None])[:3]
    k = S.shape[-1]
    if full_matrices and (gU is not None or gVh is not None):
        U, Vh = U[..., :k], Vh[..., :k, :]
        gU = gU[..., :k] if gU is not None else None
        gVh = gVh[..., :k, :] if gVh is not None else None
    if gU is None and gVh is None:
        if gS is None:
            return None
        if full_matrices:
            U, Vh = U[..., :k], Vh[..., :k, :]
        return (U * gS.to(U.dtype).unsqueeze(-2)) @ Vh
    m, n = U.shape[-2], Vh.shape[-1]
    V = _mH(Vh)
    gV = _mH(gVh) if gVh is not None else None
    t = _shim()
    S_ = S.to(U.dtype)
    skew = lambda X: X - _mH(X)  # noqa: E731
    UhgU = skew(_mH(U) @ gU) if gU is not None else None
    VhgV = skew(_mH(V) @ gV) if gV is not None else None
    if U.is_complex():
        imdiag = (_mH(U) @ gU if gU is not None else 0) + (_mH(V) @ gV if gV is not None else 0)
        d = imdiag.diagonal(0, -2, -1) if isinstance(imdiag, Tensor) else None
        if d is not None and not bool((d.imag.abs() <= 1e-6 * (1 + d.abs())).all()):
            raise RuntimeError(
                "linalg_svd_backward: The singular vectors in the complex case are specified up to multiplication by "
                "e^{i phi}. The specified loss function depends on this phase term, making it ill-defined."
            )
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1)
    E = E + t.eye(k, dtype=E.dtype)  # (a diagonal of ones: torch fills it so; the diagonal's terms follow)
    gA = 0
    if UhgU is not None:
        gA = UhgU * S_.unsqueeze(-2)
    if VhgV is not None:
        gA = gA + S_.unsqueeze(-1) * VhgV
    gA = gA / E.to(U.dtype)
    if gS is not None:
        gA = gA + gS.to(U.dtype).diag_embed()
    if U.is_complex() and UhgU is not None:  # (the skewed diagonal is 2i Im(diag(U^H gU)))
        gA = gA + (UhgU.diagonal(0, -2, -1) / (2 * S_)).diag_embed()
    if m > k and gU is not None:
        gA = U @ gA
        gUSinv = gU / S_.unsqueeze(-2)
        gA = gA + gUSinv - U @ (_mH(U) @ gUSinv)
        gA = gA @ Vh
    elif n > k and gV is not None:
        gA = gA @ Vh
        gVSinv = gV / S_.unsqueeze(-2)
        gA = gA + _mH(gVSinv - V @ (Vh @ gVSinv))
        gA = U @ gA
    else:
        gA = U @ gA @ Vh
    return gA


# -- composites ---------------------------------------------------------------------------------------------------
def matrix_power(A: Tensor, n: int, *, out=None) -> Tensor:
    """torch's linalg_matrix_power: clone for n = 1, one or two products for n = 2, 3, else repeated squaring;
    the inverse first for negative n; the identity copied into a clone of A for n = 0."""
    _check_square(A, "linalg.matrix_power")
    if n == 0:
        t = _shim()
        eye = t.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        return _out(A.clone(memory_format=t.contiguous_format).copy_(eye.expand_as(A)), out, "linalg.matrix_power")
    if n == -1:
        return _out(inv(A), out, "linalg.matrix_power")
    if n < 0:
        A, n = inv(A), -n
    if n == 1:
        return _out(A.clone(memory_format=_shim().contiguous_format), out, "linalg.matrix_power")
    if n == 2:
        return _out(A @ A, out, "linalg.matrix_power")
    if n == 3:
        return _out((A @ A) @ A, out, "linalg.matrix_power")
    z = result = None
    while n > 0:
        bit, n = n % 2, n // 2
        z = A if z is None else z @ z
        if bit:
            result = z if result is None else result @ z
    return _out(result, out, "linalg.matrix_power")


def matrix_exp(A: Tensor) -> Tensor:
    _check_square(A, "linalg.matrix_exp")
    _check_floating(A, "linalg.matrix_exp")
    compute = np.float32 if A._dtype is _dtypes.float16 else A._dtype.np  # (see the manifest: torch's half)
    with quiet_numpy():
        value = lapack.matrix_exp(A._a.astype(compute)).astype(A._dtype.np)
    r = _wrap(value, A._dtype, A._device)
    _record("LinalgMatrixExpBackward0", (A,), _matrix_exp_grad, {"A": A}, r)
    return r


def _matrix_exp_grad(grads, A):
    """d/dA exp(A) applied to g: the upper right block of exp([[A^H, g], [0, A^H]])."""
    g = grads[0]
    if g is None:
        return None
    t = _shim()
    n = A.shape[-1]
    Ah = _mH(A)
    top = t.cat([Ah, g], -1)
    bottom = t.cat([t.zeros_like(g), Ah], -1)
    return matrix_exp(t.cat([top, bottom], -2))[..., :n, n:]


def _tolerances(A: Tensor, atol, rtol) -> tuple[np.ndarray, np.ndarray]:
    """torch's get_atol_rtol, each with a trailing axis against the singular values: rtol defaults to
    eps * max(m, n) where atol is absent or not positive (elementwise), else 0."""
    atol_ = np.asarray(0.0 if atol is None else atol.detach()._a if isinstance(atol, Tensor) else atol)
    if rtol is None:
        default = np.finfo(A._dtype.to_real().np).eps * max(A._a.shape[-2:])
        rtol_ = np.where(atol_ > 0, 0.0, default) if atol is not None else np.asarray(default)
    else:
        rtol_ = np.asarray(rtol.detach()._a if isinstance(rtol, Tensor) else rtol)
    return atol_[..., None], rtol_[..., None]


def pinv(A: Tensor, rcond=None, hermitian: bool = False, *, atol=None, rtol=None, out=None) -> Tensor:
    if rcond is not None:  # (NumPy's name: a relative tolerance)
        atol, rtol = 0.0, rcond
    if A._a.ndim < 2 or A._dtype.category < _dtypes.FLOAT or A._dtype.itemsize < 4 + 4 * A.is_complex():
        raise RuntimeError(
            f"linalg.pinv({A._dtype._scalar_name}{{{list(A._a.shape)}}}): expected a tensor with 2 or more dimensions "
            "of float, double, cfloat or cdouble types"
        )
    real = A._dtype.to_real()
    with quiet_numpy():
        if A._a.size == 0:
            value = np.zeros(A._a.shape[:-2] + A._a.shape[:-3:-1], A._dtype.np)
        else:
            if hermitian:
                w, v = np.linalg.eigh(A._a)
                s, u, vh = np.abs(w), v * np.sign(w)[..., None, :], np.swapaxes(v.conj(), -1, -2)
                smax = s.max(-1, keepdims=True)
            else:
                u, s, vh = np.linalg.svd(A._a, full_matrices=False)
                smax = s[..., :1]
            atol_, rtol_ = _tolerances(A, atol, rtol)
            tol = np.maximum(atol_, rtol_ * smax)
            inv_s = np.where(s > tol, 1 / np.where(s > tol, s, 1), 0).astype(real.np)
            value = (np.swapaxes(vh.conj(), -1, -2) * inv_s[..., None, :]) @ np.swapaxes(u.conj(), -1, -2)
    r = _wrap(value.astype(A._dtype.np, copy=False), A._dtype, A._device)
    _record("LinalgPinvBackward0", (A,), _pinv_grad, {"A": A, "result": r}, r)
    return _out(r, out, "linalg.pinv")


def _pinv_grad(grads, A, result):
    """torch's pinv_backward (its products grouped to make the smallest matrices)."""
    g = grads[0]
    if g is None:
        return None
    m, n = A.shape[-2:]
    P, Ph, gh = result, _mH(result), _mH(g)
    if m <= n:
        K = gh @ P
        KPh = K @ Ph
        return -_mH(P @ K) + KPh - (A @ P) @ KPh + (Ph @ P) @ (gh - K @ A)
    K = P @ gh
    PhK = Ph @ K
    return -_mH(K @ P) + PhK - (PhK @ P) @ A + ((gh - A @ K) @ P) @ Ph


def matrix_rank(A: Tensor, tol=None, hermitian: bool = False, *, atol=None, rtol=None, out=None) -> Tensor:
    if A._a.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    if A._dtype.category < _dtypes.FLOAT or A._dtype.itemsize < 4 + 4 * A.is_complex():
        raise RuntimeError("This function doesn't handle types other than float and double")
    if tol is not None:
        atol, rtol = tol, 0.0
    with quiet_numpy():
        if A._a.size == 0:
            rank = np.zeros(A._a.shape[:-2], np.int64)
            return _out(_counted(rank, A._device), out, "linalg.matrix_rank")
        s = np.abs(np.linalg.eigvalsh(A._a)) if hermitian else np.linalg.svd(A._a, compute_uv=False)
        smax = s.max(-1, keepdims=True)
        atol_, rtol_ = _tolerances(A, atol, rtol)
        rank = (s > np.maximum(atol_, rtol_ * smax)).sum(-1)
    if rank.shape != A._a.shape[:-2] and math.prod(A._a.shape[:-2]):  # (torch's sum(out=) into a batch-shaped result)
        warn_internal(
            TEMPLATES["resize_warning"].format(old=shape_str(A._a.shape[:-2]), new=shape_str(rank.shape)),
            "aten/src/ATen/native/Resize.cpp:30",
        )
    return _out(_counted(rank, A._device), out, "linalg.matrix_rank")


def _counted(rank: np.ndarray, device) -> Tensor:
    """The rank as torch returns it: a sum written into its result (version 1)."""
    r = make(np.asarray(rank, np.int64), _dtypes.int64, device)
    bump_version(r)
    return r


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """torch's linalg_matrix_norm: 'fro' is the vector 2-norm; 'nuc' and ±2 reduce the singular values; ±1
    and ±inf take the max or min of the columns' (rows') 1-norms."""
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
        dims = _matrix_norm_checks(A, dim, ord == "fro")
        if ord == "fro":
            return vector_norm(A, 2, dims, keepdim, dtype=dtype, out=out)
        return _out(
            _by_singular_values(A, dims, keepdim, dtype, lambda s: s.sum(-1, keepdim)), out, "linalg.matrix_norm"
        )
    abs_ord = abs(float(ord))
    if abs_ord not in (1.0, 2.0, math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {_fmt_ord(ord)} not supported.")
    dims = list(_matrix_norm_checks(A, dim, abs_ord != 2.0))

    def max_min(x, d):
        if ord > 0 and x.shape[d] == 0:  # (the largest of no norms is 0; the smallest is amin's error)
            shape, d = list(x.shape), d % x.dim()
            shape[d : d + 1] = [1] if keepdim else []
            return x.new_empty(shape).zero_()  # (at::zeros: written once, version 1)
        return x.amax(d, keepdim) if ord > 0 else x.amin(d, keepdim)

    if abs_ord == 2.0:
        return _out(_by_singular_values(A, dims, keepdim, dtype, lambda s: max_min(s, -1)), out, "linalg.matrix_norm")
    if abs_ord == math.inf:
        dims.reverse()
    if not keepdim and dims[0] < dims[1]:
        dims[1] -= 1
    return _out(max_min(vector_norm(A, 1.0, (dims[0],), keepdim, dtype=dtype), dims[1]), out, "linalg.matrix_norm")


def _fmt_ord(ord) -> str:
    return str(int(ord)) if float(ord).is_integer() else str(ord)


def _matrix_norm_checks(A: Tensor, dim, low_precision: bool) -> tuple:
    _check_matrix(A, "linalg.matrix_norm")
    _check_floating(A, "linalg.matrix_norm", low_precision)
    dim = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(str(d) for d in dim)}")
    dims = tuple(wrap_dim(d, A.dim()) for d in dim)
    if dims[0] == dims[1]:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dims[0]}, {dims[1]})")
    return dims


def _by_singular_values(A: Tensor, dims, keepdim: bool, dtype, reduce) -> Tensor:
    """reduce (keeping its dim when keepdim) over the singular values of the matrices in `dims`."""
    perm = [d for d in range(A.dim()) if d not in dims] + list(dims)
    A_ = A.to(dtype) if dtype is not None else A
    r = reduce(svdvals(A_.permute(perm)))
    return r.unsqueeze(-1).permute(list(np.argsort(perm))) if keepdim else r


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, out=None, dtype=None) -> Tensor:
    """torch's linalg_norm: a matrix norm where ord is given over two dims (or a 2-D input), else the vector
    norm (ord None is the 2-norm, which is also the Frobenius norm)."""
    dims = None if dim is None else tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if dims is not None and len(dims) not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}")
    if dims is None and ord is not None and A.dim() not in (1, 2):
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.dim()}D."
        )
    if isinstance(ord, str) or (ord is not None and (len(dims) == 2 if dims is not None else A.dim() == 2)):
        return matrix_norm(A, ord, dims if dims is not None else (0, 1), keepdim, dtype=dtype, out=out)
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype, out=out)


_COND_ORDERS = (None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def cond(A: Tensor, p=None, *, out=None) -> Tensor:
    """torch's linalg_cond: for p None or ±2 the ratio of the extreme singular values; otherwise the norm of A
    times the norm of its inverse (infinite where A is singular; NaN where both are zero becomes infinity)."""
    if isinstance(p, str):  # (the string overload checks the matrices first, the number one its order first)
        _check_square(A, f"linalg.cond(ord={p})")
    elif A._a.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p not in _COND_ORDERS:
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p if isinstance(p, str) else format(p, 'g')}")
    if p is None or (not isinstance(p, str) and abs(p) == 2):
        if A.numel() == 0:  # (before any dtype check; at::zeros: written once, version 1)
            real = A.dtype.to_real() if A.is_complex() else A.dtype
            return _out(A.new_empty(A.shape[:-2], dtype=real).zero_(), out, "linalg.cond")
        s = svdvals(A)
        big, small = s.narrow(-1, 0, 1), s.narrow(-1, s.shape[-1] - 1, 1)
        return _out((small / big if p == -2 else big / small).squeeze(-1), out, "linalg.cond")
    m, n = A._a.shape[-2:]
    if m != n:
        raise RuntimeError(
            f"linalg.cond(ord={_fmt_ord(p) if not isinstance(p, str) else p}): A must be batches of square matrices, "
            f"but they are {m} by {n} matrices"
        )
    if A.numel() == 0:
        real = A.dtype.to_real() if A.is_complex() else A.dtype
        return _out(A.new_empty(A.shape[:-2], dtype=real).zero_(), out, "linalg.cond")
    if p == "nuc":  # (from the singular values directly: matrix_norm refuses infinities)
        s = svdvals(A)
        return _out(s.sum(-1) * s.reciprocal().sum(-1), out, "linalg.cond")
    inverse, info = inv_ex(A)
    inverse.masked_fill_((info > 0).unsqueeze(-1).unsqueeze(-1), math.inf)  # (in place, as torch: see below)
    r = matrix_norm(A, p) * matrix_norm(inverse, p)
    # zero times infinity is infinite, as in NumPy; the in-place fill above bumps the saved inverse's version,
    # so torch's backward refuses: so does this one
    return _out(r.nan_to_num_(math.inf, math.inf, -math.inf), out, "linalg.cond")


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1, out=None) -> Tensor:
    if x._dtype is not y._dtype:
        raise RuntimeError(
            "linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
            f"{x._dtype._scalar_name} and y of type {y._dtype._scalar_name} instead"
        )
    _check_floating(x, "linalg.vecdot")
    if x.dim() == 1 and y.dim() == 1:  # (two vectors: at::vdot, whatever dim says)
        return _out(_shim().vdot(x, y), out, "linalg.vecdot")
    return _out(((x.conj() if x.is_complex() else x) * y).sum(dim), out, "linalg.vecdot")


def vander(x: Tensor, *, N=None) -> Tensor:
    """torch's linalg_vander: a column of ones, then the cumulative products of x repeated N - 1 times."""
    if x.dim() < 1:
        raise RuntimeError("x must be at least 1-dimensional.")
    if x._dtype is _dtypes.bool_ or x._dtype is _dtypes.float16:
        raise RuntimeError(
            f"linalg.vander supports floating point, complex, and integer tensors, but got {x._dtype._scalar_name}"
        )
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    t = _shim()
    powers = t.cumprod(x.unsqueeze(-1).expand(*x.shape, n - 1), -1)
    return t.cat([powers.new_ones((*x.shape, 1)), powers], -1)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return A.diagonal(offset, dim1, dim2)


def matmul(input: Tensor, other: Tensor, *, out=None) -> Tensor:
    return _shim().matmul(input, other, out=out)


def tensorinv(A: Tensor, ind: int = 2, *, out=None) -> Tensor:
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    shape = tuple(A.shape)
    rows, cols = math.prod(shape[:ind]), math.prod(shape[ind:])
    if rows != cols:
        raise RuntimeError(
            f"Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got "
            f"{cols} != {rows}"
        )
    inverse = _inv_ex(A.reshape(rows, cols), True, "inv")[0]
    return _out(inverse.reshape(shape[ind:] + shape[:ind]), out, "linalg.tensorinv")


def tensorsolve(A: Tensor, B: Tensor, dims=None, *, out=None) -> Tensor:
    if dims is not None:
        nd = A.dim()
        dims = [wrap_dim(d, nd) for d in dims]
        A = A.permute([d for d in range(nd) if d not in dims] + dims)
    result_shape = tuple(A.shape[B.dim() :])
    rows = math.prod(A.shape[: B.dim()])
    cols = math.prod(result_shape)
    if rows != cols:
        raise RuntimeError(
            f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), "
            f"but got {cols} != {rows}"
        )
    return _out(solve(A.reshape(rows, cols), B.reshape(rows)).view(result_shape), out, "linalg.tensorsolve")


# -- LU -------------------------------------------------------------------------------------------------------------
def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False, out=None):
    _no_out(out, "linalg.lu_factor_ex")
    return _lu_factor(A, pivot, check_errors, "torch.lu_factor")


def _lu_factor(A: Tensor, pivot: bool, check_errors: bool, name: str):
    if A._a.ndim < 2:
        raise RuntimeError(f"{name}: Expected tensor with 2 or more dimensions. Got size: {list(A._a.shape)} instead")
    _check_kernel(A, "lu_cpu")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    lu, pivots, info = lapack.lu_factor(A._a)
    if check_errors:
        _raise_info("torch.linalg.lu_factor", info, _LU_ZERO, RuntimeError)
    LU = _lapack(lu, A._dtype, A._device)
    piv = _wrap(pivots, _dtypes.int32, A._device)
    _record("LinalgLuFactorExBackward0", (A,), _lu_factor_grad, {"LU": LU, "pivots": piv}, LU)
    return _TYPES["linalg_lu_factor_ex"]((LU, piv, _wrap(info, _dtypes.int32, A._device)))


_LU_ZERO = (
    "U[{info},{info}] is zero and using it on lu_solve would result in a division by zero. If you still want to "
    "perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
)


def lu_factor(A: Tensor, *, pivot: bool = True, out=None):
    _no_out(out, "linalg.lu_factor")
    LU, piv, _ = _lu_factor(A, pivot, True, "torch.lu_factor")
    return _TYPES["linalg_lu_factor"]((LU, piv))


def lu(A: Tensor, *, pivot: bool = True, out=None):
    _no_out(out, "linalg.lu")
    if A._a.ndim < 2:
        raise RuntimeError(
            f"linalg.lu: Expected tensor with 2 or more dimensions. Got size: {list(A._a.shape)} instead"
        )
    _check_kernel(A, "lu_cpu")
    lu_, pivots, _ = lapack.lu_factor(A._a)
    p, lower, upper = lapack.lu_unpack(lu_, pivots)
    P = _wrap(p, A._dtype, A._device)
    L = _wrap(lower, A._dtype, A._device)
    U = _wrap(upper, A._dtype, A._device)
    _record("LinalgLuBackward0", (A,), _lu_grad, {"P": P, "L": L, "U": U}, (P, L, U), (1, 2))
    return _TYPES["linalg_lu"]((P, L, U))


def _lu_grad(grads, P, L, U):
    """torch's linalg_lu_backward: A = P L U, square, wide (U = [U1 U2]) and tall (L = [L1; L2])."""
    _, gL, gU = (list(grads) + [None, None, None])[:3]
    gL = _zeros_if_none(gL, L)
    gU = _zeros_if_none(gU, U)
    t = _shim()
    m, n = L.shape[-2], U.shape[-1]
    k = min(m, n)
    if m == n:
        return P @ _lu_square_grad(L, U, gL, gU)
    if m < n:
        U1, U2, gU1, gU2 = U[..., :k], U[..., k:], gU[..., :k], gU[..., k:]
        gA2 = solve_triangular(_mH(L), gU2, upper=True, unitriangular=True)
        gL = gL - gA2 @ _mH(U2)
        return P @ t.cat([_lu_square_grad(L, U1, gL, gU1), gA2], -1)
    L1, L2, gL1, gL2 = L[..., :k, :], L[..., k:, :], gL[..., :k, :], gL[..., k:, :]
    gA2 = solve_triangular(_mH(U), gL2, upper=False, left=False)
    gU = gU - _mH(L2) @ gA2
    return P @ t.cat([_lu_square_grad(L1, U, gL1, gU), gA2], -2)


def _lu_square_grad(L, U, gL, gU):
    phi = (_mH(L) @ gL).tril(-1) + (gU @ _mH(U)).triu()
    x = solve_triangular(_mH(L), phi, upper=True, unitriangular=True)
    return solve_triangular(_mH(U), x, upper=False, left=False)


def _lu_factor_grad(grads, LU, pivots):
    g = grads[0]
    if g is None:
        return None
    P, L, U = _unpack(LU, pivots)
    return _lu_grad([None, g.tril(-1)[..., : L.shape[-1]], g.triu()[..., : U.shape[-2], :]], P, L, U)


def _unpack(LU: Tensor, pivots: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """P, L, U from lu_factor's packing, L and U by tensor ops (differentiable inside derivatives)."""
    p = lapack.lu_unpack(LU.detach()._a, pivots._a)[0]
    m, n = LU.shape[-2:]
    k = min(m, n)
    return (
        _wrap(p, LU._dtype, LU._device),
        LU.tril(-1)[..., :, :k] + _shim().eye(m, k, dtype=LU.dtype),
        LU.triu()[..., :k, :],
    )


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True):
    """torch.lu_unpack: L and U one node (LuUnpackBackward0), P a constant."""
    if LU_data._a.ndim < 2:
        raise RuntimeError(
            f"torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: {list(LU_data._a.shape)} instead"
        )
    if LU_pivots._dtype is not _dtypes.int32:
        raise RuntimeError(
            "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\nNote: this "
            "function is intended to be used with the output produced by torch.linalg.lu_factor"
        )
    if unpack_pivots and LU_pivots._a.size and not ((LU_pivots._a >= 1) & (LU_pivots._a <= LU_data._a.shape[-2])).all():
        raise RuntimeError(
            "pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive.Did you properly pass the result "
            "of lu_factor?"
        )
    empty = make(np.empty(0, LU_data._dtype.np), LU_data._dtype, LU_data._device)
    m, n = LU_data._a.shape[-2:]
    k = min(m, n)
    L, U, P = empty, empty.clone(), empty.clone()
    if unpack_data:
        lower = np.tril(LU_data._a[..., :, :k], -1) + np.eye(m, k, dtype=LU_data._dtype.np)
        L, U = (_wrap(v, LU_data._dtype, LU_data._device) for v in (lower, np.triu(LU_data._a[..., :k, :])))
    if unpack_pivots:
        P = _wrap(lapack.lu_unpack(LU_data._a, LU_pivots._a)[0], LU_data._dtype, LU_data._device)
    saved = {"shape": tuple(LU_data.shape), "unpacked": unpack_data}
    _record("LuUnpackBackward0", (LU_data,), _lu_unpack_grad, saved, (P, L, U), (1, 2))
    return _TYPES["lu_unpack"]((P, L, U))


def _lu_unpack_grad(grads, shape, unpacked):
    _, gL, gU = (list(grads) + [None, None, None])[:3]
    if not unpacked or (gL is None and gU is None):
        return None
    t = _shim()
    m, n = shape[-2:]
    k = min(m, n)
    g = t.zeros(shape, dtype=(gL if gL is not None else gU).dtype)
    if gL is not None:
        g = g + t.nn.functional.pad(gL.tril(-1), (0, n - k))
    if gU is not None:
        g = g + t.nn.functional.pad(gU.triu(), (0, 0, 0, m - k))
    return g


_PIVOTS_MESSAGE = "Pivots given to lu_solve must all be {}. Did you properly pass the result of lu_factor?"


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False, out=None) -> Tensor:
    """X with A X = B (or X A = B; A^H in place of A for adjoint) for A = P L U as lu_factor packs it."""
    _check_square(LU, "torch.linalg.lu_solve")
    _check_floating(LU, "torch.linalg.lu_solve")
    if B._a.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    n, (rows, cols) = LU._a.shape[-1], B._a.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError(
            f"linalg.lu_solve: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
            f"({n}x{n} and {rows}x{cols})"
        )
    if pivots._a.shape[-1:] != (n,):
        raise RuntimeError("linalg.lu_solve: Number of pivots per batch should be same as the dimension of the matrix")
    if pivots._dtype is not _dtypes.int32:
        raise RuntimeError("linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32")
    if LU._dtype is not B._dtype:
        raise RuntimeError(
            f"linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type {LU._dtype._scalar_name} "
            f"and B of type {B._dtype._scalar_name} instead"
        )
    batch = broadcast_shapes(B._a.shape[:-2], LU._a.shape[:-2])
    if math.prod(batch + B._a.shape[-2:]) == 0:  # an empty result returns before the kernel and its checks
        value = np.zeros(batch + B._a.shape[-2:], B._dtype.np)
    else:
        # lu_solve_kernel's checks, before its dtype dispatch (LAPACK would read outside the matrix)
        if not (pivots._a > 0).all():
            raise RuntimeError(_PIVOTS_MESSAGE.format("greater or equal to 1"))
        if not (pivots._a <= n).all():
            raise RuntimeError(_PIVOTS_MESSAGE.format("smaller or equal to LU.size(-2)"))
        _check_kernel(LU, "linalg.lu_solve_cpu")
        P, L, U = _unpack(LU.detach(), pivots)
        P, L, U = (x.detach() for x in (P, L, U))
        a = (P @ L @ U)._a
        a = np.swapaxes(a.conj(), -1, -2) if adjoint else a
        b = B._a if left else np.swapaxes(B._a, -1, -2)
        a_ = a if left else np.swapaxes(a, -1, -2)
        value = _lu_solve_array(np.broadcast_to(a_, batch + a_.shape[-2:]), np.broadcast_to(b, batch + b.shape[-2:]))
        value = value if left else np.swapaxes(value, -1, -2)
    # (XA = B is solved as A^T X^T = B^T: the column-major solution, transposed)
    r = _lapack(value, B._dtype, B._device) if left else _wrap(value, B._dtype, B._device)
    saved = {"LU": LU, "pivots": pivots, "result": r, "left": left, "adjoint": adjoint}
    _record("LinalgLuSolveBackward0", (LU, B), _lu_solve_grad, saved, r)
    return _out(r, out, "linalg.lu_solve")


def _lu_solve_grad(grads, LU, pivots, result, left, adjoint):
    g = grads[0]
    if g is None:
        return None, None
    gB = lu_solve(LU, pivots, g, left=left, adjoint=not adjoint)
    gA = -(gB @ _mH(result)) if left else -(_mH(result) @ gB)
    gA = _mH(gA) if adjoint else gA
    P, L, U = _unpack(LU, pivots)
    PtgA = P.mT @ gA
    gLU = (PtgA @ _mH(U)).tril(-1) + (_mH(L) @ PtgA).triu()
    return _sum_to(gLU, LU.shape), gB


def solve_triangular(
    A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False, out=None
) -> Tensor:
    _check_matrix(A, "linalg.solve_triangular")
    if B._a.ndim < 2:
        raise RuntimeError("linalg.solve_triangular: The input tensor B must have at least 2 dimensions.")
    _check_square(A, "linalg.solve_triangular")
    n, (rows, cols) = A._a.shape[-1], B._a.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError(
            f"linalg.solve_triangular: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'}"
            f" ({n}x{n} and {rows}x{cols})"
        )
    broadcast_shapes(B._a.shape[:-2], A._a.shape[:-2])  # (torch's error for batches that do not broadcast)
    if A._dtype.category < _dtypes.FLOAT or A._dtype.itemsize < 4 + 4 * A.is_complex():
        raise not_implemented_for("triangular_solve_cpu", A._dtype)
    if A._dtype is not B._dtype:
        raise RuntimeError(
            f"linalg.solve_triangular: Expected A and B to have the same dtype, but found A of type "
            f"{A._dtype._scalar_name} and B of type {B._dtype._scalar_name} instead"
        )
    a, b = A._a, B._a
    if not left:  # X A = B  <=>  A^T X^T = B^T
        a, b, upper = np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2), not upper
    value = lapack.solve_triangular(a, b, upper, unitriangular)
    value = value if left else np.swapaxes(value, -1, -2)
    r = _lapack(value, A._dtype, A._device)
    saved = {"A": A, "B_shape": tuple(B.shape), "result": r, "upper": upper if left else not upper, "left": left}
    saved["unitriangular"] = unitriangular
    _record("LinalgSolveTriangularBackward0", (A, B), _solve_triangular_grad, saved, r)
    return _out(r, out, "linalg.solve_triangular")


def _solve_triangular_grad(grads, A, B_shape, result, upper, left, unitriangular):
    g = grads[0]
    if g is None:
        return None, None
    gB = solve_triangular(_mH(A), g, upper=not upper, left=left, unitriangular=unitriangular)
    gA = -(gB @ _mH(result)) if left else -(_mH(result) @ gB)
    gA = gA.triu(int(unitriangular)) if upper else gA.tril(-int(unitriangular))
    return _sum_to(gA, A.shape), _sum_to(gB, B_shape)


def householder_product(A: Tensor, tau: Tensor, *, out=None) -> Tensor:
    if A._a.ndim < 2:
        raise RuntimeError("torch.linalg.householder_product: input must have at least 2 dimensions.")
    m, n = A._a.shape[-2:]
    if m < n:
        raise RuntimeError(
            "torch.linalg.householder_product: input.shape[-2] must be greater than or equal to input.shape[-1]"
        )
    if tau._a.shape[-1] > n:
        raise RuntimeError(
            "torch.linalg.householder_product: input.shape[-1] must be greater than or equal to tau.shape[-1]"
        )
    if A._a.ndim - tau._a.ndim != 1:
        raise RuntimeError(
            f"torch.linalg.householder_product: Expected tau to have one dimension less than input, but got "
            f"tau.ndim equal to {tau._a.ndim} and input.ndim is equal to {A._a.ndim}"
        )
    if A._dtype is not tau._dtype:
        raise RuntimeError(
            f"torch.linalg.householder_product: tau dtype {tau._dtype._scalar_name} does not match input dtype "
            f"{A._dtype._scalar_name}"
        )
    _check_kernel(A, "orgqr_cpu", even_empty=True)  # (the kernel is dispatched for an empty input too)
    value = lapack.householder_product(A._a, tau._a)
    r = _lapack(value, A._dtype, A._device)
    _record("LinalgHouseholderProductBackward0", (A, tau), _householder_grad, {"A": A, "tau": tau}, r)
    return _out(r, out, "linalg.householder_product")


def _householder_grad(grads, A, tau):
    """Through the reflectors applied one by one with tensor ops (the same product, differentiated)."""
    g = grads[0]
    if g is None:
        return None, None
    t = _shim()
    if tau.shape[-1] == 0 or A.numel() == 0:  # (no reflectors, or nothing: torch gives no gradient)
        return None, None
    create_graph = STATE.grad_enabled  # (the backward pass is itself recorded)
    with t.enable_grad():
        A_, tau_ = A.detach().requires_grad_(), tau.detach().requires_grad_()
        m, n = A.shape[-2:]
        Q = t.eye(m, n, dtype=A.dtype).expand(A.shape).clone()
        for i in range(tau.shape[-1] - 1, -1, -1):
            head = t.cat([A_.new_zeros(A.shape[:-2] + (i,)), A_.new_ones(A.shape[:-2] + (1,))], -1)
            h = t.cat([head, A_[..., i + 1 :, i]], -1)
            Q = Q - tau_[..., i, None, None] * h.unsqueeze(-1) * (h.conj().unsqueeze(-2) @ Q)
        gA, gtau = t.autograd.grad(Q, (A_, tau_), g, create_graph=create_graph, allow_unused=True)
    gA = gA if gA is not None else t.zeros_like(A)
    gtau = gtau if gtau is not None else t.zeros_like(tau)
    return gA, gtau


def lstsq(A: Tensor, B: Tensor, rcond=None, *, driver=None):
    if A._a.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if B._a.ndim < 1:
        raise RuntimeError("torch.linalg.lstsq: other must have at least 1 dimension.")
    if A._dtype is not B._dtype:
        raise RuntimeError(
            f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype "
            f"{A._dtype._scalar_name} and other's dtype {B._dtype._scalar_name}"
        )
    if not 0 <= A.dim() - B.dim() <= 1:
        raise RuntimeError(
            "torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) "
            "<= 1"
        )
    vector = _is_vector_rhs(A, B)
    if A.shape[-2] != (B.shape[-1] if vector else B.shape[-2]):
        raise RuntimeError(f"torch.linalg.lstsq: input.size(-2) should match other.size({-1 if vector else -2})")
    driver = driver or "gelsy"
    drivers = ("gels", "gelsy", "gelsd", "gelss")
    if driver not in drivers:
        raise RuntimeError(f"parameter `driver` should be one of ({', '.join(drivers)})")
    if A._dtype.category < _dtypes.FLOAT or A._dtype.itemsize < 4 + 4 * A.is_complex():
        raise RuntimeError("This function doesn't handle types other than float and double")
    m, n = A._a.shape[-2:]
    real = A._dtype.to_real()
    b = B._a[..., None] if vector else B._a
    batch = broadcast_shapes(A._a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(A._a, batch + (m, n))
    b = np.broadcast_to(b, batch + b.shape[-2:])
    with quiet_numpy():
        if a.size and b.size:
            u, s, vh = np.linalg.svd(a, full_matrices=False)
            cut = (rcond if rcond is not None else np.finfo(real.np).eps * max(m, n)) * s[..., :1]
            inv_s = np.where(s > cut, 1 / np.where(s > cut, s, 1), 0)
            x = (np.swapaxes(vh.conj(), -1, -2) * inv_s[..., None, :]) @ (np.swapaxes(u.conj(), -1, -2) @ b)
            rank = (s > cut).sum(-1)
        else:
            s = np.zeros(batch + (min(m, n),), real.np)
            x, rank = np.zeros(batch + (n, b.shape[-1]), A._dtype.np), np.zeros(batch, np.int64)
        # (the solution is the top of the column-major buffer LAPACK overwrites B in: max(m, n) rows)
        buffer = np.zeros(batch + (max(m, n), b.shape[-1]), A._dtype.np)
        buffer[..., :n, :] = x
        X = _lapack(buffer, A._dtype, A._device)[..., :n, :]
        X = make(X._a[..., 0] if vector else X._a, A._dtype, A._device)
        residuals = np.empty(0, real.np)
        # (gelsd and gelss give residuals only at full rank; gels always, even for no right-hand sides)
        if m > n and driver != "gelsy" and (driver == "gels" or bool((rank == n).all())):
            residuals = (np.abs(a @ x - b) ** 2).sum(-2)  # (a vector's too keep its column)
    empty = make(np.empty(0, real.np), real, A._device)
    res = _wrap(residuals.astype(real.np), real, A._device)
    rank_t = (
        make(np.asarray(rank, np.int64), _dtypes.int64, A._device)
        if driver != "gels"
        else make(np.empty(0, np.int64), _dtypes.int64, A._device)
    )
    sv = _wrap(s.astype(real.np), real, A._device) if driver in ("gelsd", "gelss") else empty
    _record("LinalgLstsqBackward0", (A, B), _lstsq_grad, {"A": A, "B": B, "X": X, "vector": vector}, (X, res), (0, 1))
    return _TYPES["linalg_lstsq"]((X, res, rank_t, sv))


def _lstsq_grad(grads, A, B, X, vector):
    """torch's linalg_lstsq_backward: through X = pinv(A) B, and the residuals ||A X - B||^2 (X is optimal, so
    only their explicit dependence on A and B counts)."""
    gX, gR = (list(grads) + [None, None])[:2]
    Bm = B.unsqueeze(-1) if vector else B
    Xm = X.unsqueeze(-1) if vector else X
    gA = gB = None
    if gX is not None:
        P = pinv(A)
        G = gX.unsqueeze(-1) if vector else gX
        gA, gB = _pinv_grad([G @ _mH(Bm)], A, P), _mH(P) @ G
    if gR is not None and gR.numel():
        residual = (A @ Xm - Bm) * (2 * gR.unsqueeze(-2)).to(A.dtype)
        gA = residual @ _mH(Xm) if gA is None else gA + residual @ _mH(Xm)
        gB = -residual if gB is None else gB - residual
    if gA is None:
        return None, None
    return _sum_to(gA, A.shape), gB.squeeze(-1) if vector else _sum_to(gB, B.shape)


def _no_out(out, name: str) -> None:
    """The multi-output functions' out= (tuples of tensors) is not written yet: refused, never ignored."""
    if out is not None:
        raise NotImplementedError(f"the shim does not implement out= for {name} (a tuple of tensors) yet")


def _out(result: Tensor, out, name: str) -> Tensor:
    if out is None:
        return result
    from ._dispatch import copy_out

    return copy_out(name, out, result)
