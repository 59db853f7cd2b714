"""torch.linalg's factorizations and spectra: QR, SVD, eigh, eig and householder_product.

Matrices are built full rank inside the case (a drawn matrix with entries in [-1, 1], scaled by 1/4, plus a
diagonal of 2, 4, 6, ...: distinct, well separated singular values and eigenvalues), so LAPACK's rounding
stays near the last bits: the shim runs numpy's OpenBLAS LAPACK and its own unblocked routines, torch runs
MKL's blocked ones, so values are compared at 100x torch's tolerances, never bit for bit.  Singular vectors
and eigenvectors are only defined up to sign (phase), and MKL and OpenBLAS pick differently: the SVD and
eigendecompositions are compared through what does not depend on that choice (reconstructions V f(L) V^-1,
power sums of eigenvalues), and differentiated through it.  (Empty inputs are left out: torch's linalg
derivatives give no gradient for them, and the shim's engine does not yet carry an undefined gradient back
through the ops before them.)
"""

from __future__ import annotations

from hypothesis import strategies as st

from ..registry import case
from ..strategies import tensors

LAPACK = ("float32", "float64", "complex64", "complex128")
REFUSED = ("float16", "int64", "bool")  # (each function's own dtype error)
_SCALE = 100


@case(
    covers=("linalg.qr", "linalg.svd", "linalg.eigh", "linalg.eig", "linalg.householder_product"),
    grad=True,
    scale=_SCALE,
    op=st.sampled_from(["qr", "svd", "eigh", "eig", "householder_product"]),
    x=tensors(
        dtypes=st.sampled_from(LAPACK) | st.sampled_from(REFUSED),
        shape=st.tuples(st.integers(1, 2), st.integers(1, 4), st.integers(1, 4)),
        regime="unit",
        requires_grad=st.booleans(),
    ),
    mode=st.sampled_from(["reduced", "complete", "r"]),
    full_matrices=st.booleans(),
    k=st.integers(0, 4),
)
def linalg_decompositions(xp, op, x, mode, full_matrices, k):
    """QR (its sign convention is LAPACK's Householder one, in both), and the SVD and eigendecompositions
    through what does not depend on the singular vectors' and eigenvectors' signs: S, U f(S) V^H, the Hermitian
    V f(L) V^H and the general V f(L) V^-1 (distinct, well separated values: a diagonal of 2, 4, 6, ...)."""
    L = xp.linalg
    if x.dtype in (xp.int64, xp.bool, xp.float16):
        return getattr(L, op if op != "householder_product" else "svd")(x)
    m, n = x.shape[-2:]
    spread = xp.diag_embed(2.0 * xp.arange(1, min(m, n) + 1, dtype=x.dtype))
    D = xp.zeros(x.shape, dtype=x.dtype)
    D[..., : min(m, n), : min(m, n)] = spread
    A = x * 0.25 + D  # (full rank: QR's later columns are not left to rounding)
    if op == "qr":
        return L.qr(A, mode)
    if op == "svd":
        U, S, Vh = L.svd(A, full_matrices=full_matrices)
        r = min(m, n)
        return S, (U[..., :r] * S.cos().to(U.dtype).unsqueeze(-2)) @ Vh[..., :r, :]
    if op == "householder_product":
        k = max(k, 1)  # (with no reflector torch's derivative is undefined, see _square)
        tau = x[..., 0, : min(k, n)] * 0.5
        return L.householder_product(x if m >= n else x.mT, tau if m >= n else x.mT[..., 0, : min(k, m)] * 0.5)
    A = A[..., : min(m, n), : min(m, n)]
    if op == "eigh":
        H = (A + A.mH) * 0.5
        values, V = L.eigh(H)
        return values, (V * values.cos().to(V.dtype).unsqueeze(-2)) @ V.mH
    values, V = L.eig(A)
    return xp.stack([(values**j).sum(-1) for j in (1, 2)], -1), (V * values.cos().unsqueeze(-2)) @ L.inv(V)
