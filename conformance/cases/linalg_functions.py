"""torch.linalg: determinants, inverses, solvers, factorizations, spectra and matrix norms.

Matrices are built well conditioned inside the case: a drawn matrix with entries in [-1, 1] plus a diagonal
n + 1, 3n + 1, 5n + 1, ... (its Gram matrix for the Hermitian and positive-definite ones; for the
decompositions a quarter of it plus a diagonal 2, 4, 6, ...), so singular values and eigenvalues are distinct
and well separated and LAPACK's rounding stays near the last bits.  The shim runs numpy's OpenBLAS LAPACK and
its own unblocked routines, torch runs MKL's blocked ones: values are compared at 100x torch's tolerances,
never bit for bit.  Singular inputs (a zero column: an exact zero pivot however the elimination rounds) check
torch's LinAlgError messages and the -ex variants' info.  Singular vectors and eigenvectors are only defined
up to sign (phase), and MKL and OpenBLAS pick differently: those are compared through what does not depend on
that choice (reconstructions V f(L) V^-1, power sums of eigenvalues), and differentiated through it.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from ..forms import call
from ..registry import case
from ..strategies import tensors

LAPACK = ("float32", "float64", "complex64", "complex128")
REFUSED = ("float16", "int64", "bool")  # (each function's own dtype error)
_SCALE = 100


def _square(max_batch=2, max_side=4, dtypes=LAPACK + REFUSED):
    shape = st.tuples(st.lists(st.integers(0, 2), max_size=max_batch).map(tuple), st.integers(0, max_side)).map(
        lambda bn: bn[0] + (bn[1], bn[1])
    )
    return tensors(
        dtypes=st.sampled_from(LAPACK) | st.sampled_from(dtypes),
        shape=shape,
        regime="unit",
        layouts=("contiguous", "transposed"),
        requires_grad=st.booleans(),
    )


def _well_conditioned(xp, x, singular=False):
    """x plus a diagonal n + 1, 3n + 1, 5n + 1, ...: strictly diagonally dominant, so invertible with a small
    condition number, and with well separated singular values (their derivatives exist); `singular`
    zeroes the last column (an exact zero pivot in A and in A^T, however the elimination rounds)."""
    n = x.shape[-1]
    if x.dtype in (xp.int64, xp.bool):
        return x
    A = x + xp.diag_embed((n + 1 + 2 * n * xp.arange(n, dtype=xp.float64)).to(x.dtype))
    if singular:
        A = xp.cat([A[..., :, :-1], A[..., :, -1:] * 0], -1)
    return A


def _hermitian(xp, A):
    return A @ A.mH if A.dtype not in (xp.int64, xp.bool) else A


UNARY_SQUARE = (
    "det", "slogdet", "inv", "inv_ex", "matrix_exp", "matrix_power", "lu_factor", "lu_factor_ex", "lu", "cond",
    "matrix_rank", "pinv", "svdvals", "eigvalsh", "cholesky", "cholesky_ex", "tensorinv", "eigvals",
)  # fmt: skip


@case(
    covers=tuple(f"linalg.{op}" for op in UNARY_SQUARE) + ("linalg.LinAlgError",),
    grad=True,
    scale=_SCALE,
    op=st.sampled_from(UNARY_SQUARE),
    x=_square(),
    singular=st.booleans(),
    power=st.integers(-3, 5),
    p=st.sampled_from([None, 2, -2, 1, -1, float("inf"), float("-inf"), "fro", "nuc"]),
    upper=st.booleans(),
)
def linalg_square(xp, op, x, singular, power, p, upper):
    """The functions of one square matrix (batched), with their errors for singular, non-square and
    unsupported input; cholesky and eigvalsh of the Hermitian A A^H."""
    L = xp.linalg
    if op in ("cholesky", "cholesky_ex"):  # (singular: negative definite, failing at the first pivot)
        H = _hermitian(xp, _well_conditioned(xp, x))
        return getattr(L, op)(-H if singular else H, upper=upper)
    A = _well_conditioned(xp, x, singular)
    if singular and op != "det":  # (derivatives at a singular matrix are LAPACK's infinities and NaNs)
        A = A.detach()
    if op == "eigvalsh":
        return L.eigvalsh(_hermitian(xp, A), "U" if upper else "L")
    if op == "eigvals":  # (the order is LAPACK's choice: compare the power sums)
        values = L.eigvals(A)
        return xp.stack([(values**k).sum(-1) for k in (1, 2, 3)], -1)
    if op == "matrix_power":
        return L.matrix_power(A, power)
    if op == "cond":
        return L.cond(A, p)
    if op == "tensorinv":  # (a batch makes the two halves' sizes differ: torch's error)
        return L.tensorinv(A, max(1, A.dim() - 1))
    if op == "inv_ex" and singular:  # (as solve_ex: only info is defined)
        return L.inv_ex(A).info
    return getattr(L, op)(A)


@case(
    covers=("linalg.solve", "linalg.solve_ex", "linalg.lu_solve", "linalg.solve_triangular", "linalg.lstsq"),
    grad=True,
    scale=_SCALE,
    op=st.sampled_from(["solve", "solve_ex", "lu_solve", "solve_triangular", "lstsq"]),
    x=_square(max_batch=1),
    b_cols=st.none() | st.integers(0, 3),
    b_batch=st.sampled_from([(), (1,), (2,)]),
    left=st.booleans(),
    upper=st.booleans(),
    unitriangular=st.booleans(),
    tall=st.integers(0, 2),
    singular=st.sampled_from([False, False, False, True]),
    rg_b=st.booleans(),
    driver=st.sampled_from([None, "gelsd", "gelss", "gels"]),
)
def linalg_solvers(xp, op, x, b_cols, b_batch, left, upper, unitriangular, tall, singular, rg_b, driver):
    """AX = B and XA = B for matrix and vector right-hand sides (broadcast batches), by LU, triangular
    substitution and least squares (tall A: extra rows), with torch's shape and singularity errors."""
    A = _well_conditioned(xp, x, singular)
    n = A.shape[-1]
    dtype = A.dtype
    rows = n + (tall if op == "lstsq" else 0)
    if op == "lstsq" and tall:
        A = xp.cat([A, A[..., :tall, :] * 0.5 + 1], -2)
    if op == "lstsq":  # (B's batch is A's: torch 2.13 broadcasts a batched B against A's batch oddly)
        b_batch = tuple(A.shape[:-2])
    shape = b_batch + ((rows,) if b_cols is None else (rows, b_cols) if left or op == "lstsq" else (b_cols, rows))
    B = (
        (xp.arange(max(1, math.prod(shape)), dtype=xp.float64).reshape(shape) % 5 - 2).to(dtype)
        if math.prod(shape)
        else xp.zeros(shape, dtype=dtype)
    )
    if rg_b and (dtype.is_floating_point or dtype.is_complex):
        B.requires_grad_()
    L = xp.linalg
    if op == "solve":
        return L.solve(A, B, left=left)
    if op == "solve_ex":  # (singular: the solution is whatever infinities and NaNs the solver's order makes)
        result, info = L.solve_ex(A, B, left=left)
        return info if singular else (result, info)
    if op == "lu_solve":
        LU, pivots = L.lu_factor_ex(A)[:2]
        return L.lu_solve(LU, pivots, B, left=left, adjoint=upper)
    if op == "solve_triangular":
        return L.solve_triangular(A, B, upper=upper, left=left, unitriangular=unitriangular)
    if n == 0:  # (torch 2.13's lstsq of empty matrices returns an uninitialized rank: nothing to compare)
        return ()
    if driver == "gelss" and B.shape[-1] == 0 and B.dim() == A.dim():  # (torch 2.13 crashes there: SIGSEGV)
        return ()
    return L.lstsq(A, B, driver=driver)


@case(
    covers=("linalg.qr", "linalg.svd", "linalg.eigh", "linalg.eig", "linalg.householder_product"),
    grad=True,
    scale=_SCALE,
    op=st.sampled_from(["qr", "svd", "eigh", "eig", "householder_product"]),
    x=tensors(
        dtypes=st.sampled_from(LAPACK) | st.sampled_from(REFUSED),
        shape=st.tuples(st.integers(0, 2), st.integers(1, 4), st.integers(1, 4)),
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
        tau = x[..., 0, : min(k, n)] * 0.5
        return L.householder_product(x if m >= n else x.mT, tau if m >= n else x.mT[..., 0, : min(k, m)] * 0.5)
    A = A[..., : min(m, n), : min(m, n)]
    if op == "eigh":
        H = (A + A.mH) * 0.5
        values, V = L.eigh(H)
        return values, (V * values.cos().to(V.dtype).unsqueeze(-2)) @ V.mH
    values, V = L.eig(A)
    return xp.stack([(values**j).sum(-1) for j in (1, 2)], -1), (V * values.cos().unsqueeze(-2)) @ L.inv(V)


# small tensors of up to three dims, in the LAPACK dtypes and the refused ones
_SMALL = tensors(
    dtypes=st.sampled_from(LAPACK) | st.sampled_from(REFUSED + ("int32",)),
    shape=st.lists(st.integers(0, 4), min_size=1, max_size=3).map(tuple),
    max_side=4,
    regime="unit",
    requires_grad=st.booleans(),
)


@case(
    covers=(
        "linalg.matrix_norm",
        "linalg.norm",
        "linalg.vector_norm",
        "linalg.vecdot",
        "linalg.vander",
        "linalg.diagonal",
        "linalg.matmul",
    ),  # fmt: skip
    grad=True,
    scale=_SCALE,
    op=st.sampled_from(["matrix_norm", "norm", "vector_norm", "vecdot", "vander", "diagonal", "matmul"]),
    x=_SMALL,
    ord=st.sampled_from([None, "fro", "nuc", 2, -2, 1, -1, float("inf"), float("-inf"), 0, 3, "abc"]),
    dim=st.none() | st.integers(-3, 2) | st.tuples(st.integers(-3, 2), st.integers(-3, 2)),
    keepdim=st.booleans(),
    offset=st.integers(-2, 2),
)
def linalg_norms_and_products(xp, op, x, ord, dim, keepdim, offset):
    """Matrix and vector norms over drawn dims (torch's composition: the vector norm, singular values, max and
    min of column sums), and the small composites: vecdot, vander, diagonal, matmul."""
    L = xp.linalg
    if op == "matrix_norm":
        return L.matrix_norm(x, "fro" if ord is None else ord, dim if isinstance(dim, tuple) else (-2, -1), keepdim)
    if op == "norm":
        return L.norm(x, ord, dim, keepdim)
    if op == "vector_norm":
        return L.vector_norm(x, 2 if ord in (None, "fro", "nuc", "abc") else ord, dim, keepdim)
    if op == "vecdot":
        return L.vecdot(x, x.flip(-1), dim=-1)
    if op == "vander":
        return L.vander(x, N=None if dim is None or isinstance(dim, tuple) else dim + 3)
    if op == "diagonal":
        return L.diagonal(x, offset=offset, dim1=dim[0] if isinstance(dim, tuple) else -2, dim2=-1)
    return L.matmul(x, x.mT if x.dim() > 1 else x)


@case(
    covers=("linalg.tensorsolve",),
    grad=True,
    x=_SMALL,
)
def linalg_tensorsolve(xp, x):
    """tensorsolve (reshape, then solve: LAPACK's getrf/getrs) of a (n, n, n, n) operator and x's first n*n
    entries (its own case: the signs of zero entries follow the LAPACK implementation, see the manifest)."""
    n = x.shape[-1]
    eye = xp.eye(n * n, dtype=x.dtype) if x.dtype.is_floating_point or x.dtype.is_complex else xp.eye(n * n)
    return xp.linalg.tensorsolve(
        eye.reshape(n, n, n, n) * 2 + 0.0 * x.sum(),
        x.reshape(-1)[: n * n].reshape(n, n) if x.numel() >= n * n else xp.ones(n, n, dtype=x.dtype),
    )


LEGACY = (
    "inverse", "det", "logdet", "slogdet", "matrix_power", "matrix_exp", "pinverse", "cholesky", "cholesky_solve",
    "cholesky_inverse", "qr", "svd", "lu", "lu_solve", "triangular_solve", "geqrf", "orgqr", "ormqr",
    "symeig", "eig", "lstsq", "solve",
)  # fmt: skip
FUNCTION_ONLY = ("lu_unpack", "vander", "nuclear_norm", "frobenius_norm", "matrix_rank")


@case(
    covers=LEGACY + tuple(f"Tensor.{op}" for op in LEGACY) + FUNCTION_ONLY,
    grad=True,
    scale=_SCALE,
    op=st.sampled_from(LEGACY + FUNCTION_ONLY),
    form=st.sampled_from(["function", "method"]),
    x=_square(max_batch=1),
    singular=st.sampled_from([False, False, False, True]),
    upper=st.booleans(),
    flag=st.booleans(),
    cols=st.integers(0, 3),
)
def linalg_legacy_forms(xp, op, form, x, singular, upper, flag, cols):
    """The top-level and Tensor forms that predate torch.linalg (and their deprecation warnings, once per
    process), with their own return types, graph nodes (CholeskyBackward0, TriangularSolveBackward0, ...) and
    errors; the functions torch 2.13 keeps only to say they were removed."""
    A = _well_conditioned(xp, x, singular)
    if singular and op != "det":  # (derivatives at a singular matrix are LAPACK's infinities and NaNs)
        A = A.detach()
    n = A.shape[-1]
    B = (xp.arange(n * cols, dtype=xp.float64).reshape(n, cols) % 3 - 1).to(A.dtype)
    form = "function" if op in FUNCTION_ONLY else form
    if op in ("cholesky", "cholesky_solve", "cholesky_inverse"):
        H = _hermitian(xp, _well_conditioned(xp, x))
        if op == "cholesky":
            return call(xp, form, op, -H if singular else H, upper)
        factor = xp.linalg.cholesky(H, upper=upper) if H.dtype not in (xp.int64, xp.bool) else H
        if op == "cholesky_solve":
            return call(xp, form, op, B, factor, upper)
        return call(xp, form, op, factor, upper)
    if op in ("triangular_solve", "lu_solve"):
        if op == "lu_solve":
            LU, pivots = xp.linalg.lu_factor_ex(A)[:2] if A.dtype in _lapack_types(xp) else (A, A[..., 0].int())
            return call(xp, form, op, B, LU, pivots)
        return call(xp, form, op, B, A, upper, flag, singular)
    if op in ("orgqr", "ormqr", "geqrf"):
        a, tau = xp.geqrf(A.detach()) if A.dtype in (xp.float32, xp.float64) else (A, A[..., 0, :])
        if op == "geqrf":
            return call(xp, form, op, A)
        if op == "orgqr":
            return call(xp, form, op, a, tau)
        C = B if flag else B.mT
        return call(xp, form, op, a, tau, C, flag, upper)
    args = {
        "matrix_power": (cols - 1,),
        "pinverse": (0.1 if flag else 1e-15,),
        "qr": (flag,),
        "svd": (flag, upper),
        "lu": (True, flag),
        "lstsq": (A,),
        "solve": (A,),
        "vander": (None if flag else cols, upper),
        "frobenius_norm": ((-2, -1), flag),
        "nuclear_norm": (flag,),
    }.get(op, ())
    if op == "lu_unpack":
        LU, pivots = xp.linalg.lu_factor_ex(A)[:2] if A.dtype in _lapack_types(xp) else (A, A[..., 0].int())
        return call(xp, form, op, LU, pivots, flag, upper)
    if op == "vander":
        return call(xp, form, op, A.reshape(-1)[:4], *args)
    if op == "svd":  # (signs of singular vectors are LAPACK's choice: compare U f(S) V^H)
        U, S, V = call(xp, form, op, A, *args)
        k = S.shape[-1]
        return S, (U[..., :k] * S.cos().to(U.dtype).unsqueeze(-2)) @ V[..., :k].mH if upper else U.abs().sum()
    return call(xp, form, op, A, *args)


def _lapack_types(xp):
    return (xp.float32, xp.float64, xp.complex64, xp.complex128)
