"""The LAPACK routines numpy does not wrap, on batches of matrices (the last two dims): LU with partial
pivoting (getrf), triangular solves (trsm), the product of Householder reflectors (orgqr) and the matrix
exponential.  Written as LAPACK's unblocked algorithms; torch runs MKL's blocked ones, so results agree
within rounding, not bit for bit (pivot choices agree: both take the first element of largest magnitude).
"""

from __future__ import annotations

import math

import numpy as np

from .quiet import quiet_numpy

__all__ = ["lu_factor", "lu_unpack", "permutation", "solve_triangular", "householder_product", "matrix_exp"]


def _magnitude(a: np.ndarray) -> np.ndarray:
    """i?amax's measure: |re| + |im| for complex (LAPACK's cabs1), |x| for real."""
    return np.abs(a.real) + np.abs(a.imag) if a.dtype.kind == "c" else np.abs(a)


def lu_factor(a: np.ndarray, pivot: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """getrf: the packed factors (L below the diagonal, unit diagonal implied; U on and above it), the
    1-based row interchanges (int32) and info (the first zero pivot, 1-based; 0 when there is none)."""
    lu = np.array(a, copy=True)
    *batch, m, n = lu.shape
    k = min(m, n)
    flat = lu.reshape(math.prod(batch), m, n)
    rows = np.arange(flat.shape[0])
    pivots = np.broadcast_to(np.arange(1, k + 1, dtype=np.int32), (flat.shape[0], k)).copy()
    info = np.zeros(flat.shape[0], np.int32)
    with quiet_numpy():
        for j in range(k if flat.shape[0] else 0):  # (an empty batch: nothing to factor)
            p = j + np.argmax(_magnitude(flat[:, j:, j]), axis=1) if pivot else np.full(flat.shape[0], j)
            pivots[:, j] = p + 1
            swap = flat[rows, p].copy()
            flat[rows, p] = flat[:, j]
            flat[:, j] = swap
            head = flat[:, j, j]
            zero = head == 0
            info[(info == 0) & zero] = j + 1
            # getf2 scales the column by the pivot's reciprocal (dividing only below the smallest normal)
            tiny = np.abs(head) < np.finfo(lu.dtype).tiny
            scale = np.where(zero | tiny, 1, 1 / np.where(zero, 1, head))
            below = np.where(
                tiny[:, None],
                flat[:, j + 1 :, j] / np.where(zero, 1, head)[:, None],
                flat[:, j + 1 :, j] * scale[:, None],
            )
            flat[:, j + 1 :, j] = np.where(zero[:, None], flat[:, j + 1 :, j], below)
            flat[:, j + 1 :, j + 1 :] -= flat[:, j + 1 :, j, None] * flat[:, j, None, j + 1 :]
    return flat.reshape(lu.shape), pivots.reshape(*batch, k), info.reshape(batch)


def permutation(pivots: np.ndarray, m: int) -> np.ndarray:
    """The row order the interchanges produce: row i of P^T A is row perm[i] of A."""
    perm = np.broadcast_to(np.arange(m), pivots.shape[:-1] + (m,)).copy()
    count = math.prod(pivots.shape[:-1])
    flat, piv = perm.reshape(count, m), pivots.reshape(count, pivots.shape[-1]) - 1
    rows = np.arange(flat.shape[0])
    for j in range(piv.shape[1]):
        swap = flat[rows, piv[:, j]].copy()
        flat[rows, piv[:, j]] = flat[:, j]
        flat[:, j] = swap
    return perm


def lu_unpack(lu: np.ndarray, pivots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, n = lu.shape[-2:]
    k = min(m, n)
    lower = np.tril(lu[..., :, :k], -1) + np.eye(m, k, dtype=lu.dtype)
    upper = np.triu(lu[..., :k, :])
    perm = permutation(pivots, m)
    p = np.zeros(perm.shape + (m,), lu.dtype)
    np.put_along_axis(p, perm[..., None], 1, axis=-1)  # P^T's rows are unit vectors: P = (P^T)^T
    return np.swapaxes(p, -1, -2), lower, upper


def solve_triangular(a: np.ndarray, b: np.ndarray, upper: bool, unitriangular: bool = False) -> np.ndarray:
    """trsm on the left: X with A X = B by substitution (a zero on the diagonal gives inf and NaN, as in
    LAPACK: there is no singularity check)."""
    n = a.shape[-1]
    x = np.array(np.broadcast_to(b, np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:]), copy=True)
    a = np.broadcast_to(a, x.shape[:-2] + a.shape[-2:])
    order = range(n - 1, -1, -1) if upper else range(n)
    with quiet_numpy():
        for i in order:
            others = slice(i + 1, n) if upper else slice(0, i)
            if others.stop > others.start:
                x[..., i, :] -= np.einsum("...j,...jk->...k", a[..., i, others], x[..., others, :])
            if not unitriangular:  # (trsm skips zero right-hand sides: 0 / 0 stays 0)
                np.divide(x[..., i, :], a[..., i, i, None], out=x[..., i, :], where=x[..., i, :] != 0)
    return x


def householder_product(v: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """org2r: the first n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^H (v_i: column i of v below the
    diagonal, with an implied 1 on it), built from the last reflector back, column i written as LAPACK
    writes it (-tau_i v_i below the diagonal, 1 - tau_i on it, zeros above)."""
    m, n = v.shape[-2:]
    q = np.broadcast_to(np.eye(m, n, dtype=v.dtype), v.shape).copy()
    with quiet_numpy():
        for i in range(tau.shape[-1] - 1, -1, -1):
            t = tau[..., i, None]
            h = np.concatenate([np.ones(v.shape[:-2] + (1,), v.dtype), v[..., i + 1 :, i]], -1)
            if i + 1 < n:  # (dlarf on the columns to the right)
                w = np.einsum("...j,...jk->...k", h.conj(), q[..., i:, i + 1 :])
                q[..., i:, i + 1 :] -= t[..., None] * h[..., :, None] * w[..., None, :]
            q[..., i + 1 :, i] = -t * v[..., i + 1 :, i]
            q[..., i, i] = 1 - t[..., 0]
            q[..., :i, i] = 0
    return q


def matrix_exp(a: np.ndarray) -> np.ndarray:
    """Scaling and squaring: the Taylor series to degree 18 of A / 2^s with ||A / 2^s||_1 <= 1/2, squared s
    times (a truncation error far below the last bit of either precision)."""
    if a.size == 0:
        return a.copy()
    with quiet_numpy():
        norm = np.abs(a).sum(-2).max(-1).max()
        s = int(max(0, np.ceil(np.log2(norm / 0.5)))) if np.isfinite(norm) and norm > 0.5 else 0
        x = a / a.dtype.type(2.0**s)
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
        r = eye.copy()
        for k in range(18, 0, -1):  # Horner: I + X/1 (I + X/2 (I + ... ))
            r = eye + (x @ r) / a.dtype.type(k)
        for _ in range(s):
            r = r @ r
    return r
