"""The linear algebra of torch's top level and Tensor methods that predates torch.linalg: torch.inverse, det,
logdet, slogdet, cholesky, qr, svd, lu, lu_solve, triangular_solve, ... — most a thin layer over
shim.linalg with torch's own names, return types and deprecation warnings; cholesky_solve, cholesky_inverse,
triangular_solve, geqrf and ormqr with their own graph nodes and derivatives; and the functions torch 2.13
keeps only to say they were removed (symeig, eig, lstsq, matrix_rank, solve)."""

from __future__ import annotations

import math

import numpy as np

from .. import _dtypes
from .._cpu import lapack
from .._errors import warn_internal
from .._registry import register
from .._tensor import Tensor
from ..return_types import make_return_type

__all__ = ["lu_unpack", "vander", "nuclear_norm", "frobenius_norm", "matrix_rank", "lu"]

_TYPES = {
    name: make_return_type(name, fields)
    for name, fields in {
        "slogdet": ("sign", "logabsdet"),
        "qr": ("Q", "R"),
        "svd": ("U", "S", "V"),
        "triangular_solve": ("solution", "cloned_coefficient"),
        "geqrf": ("a", "tau"),
        "_lu_with_info": ("LU", "pivots", "info"),
    }.items()
}
_SOURCE = "aten/src/ATen/native/BatchLinearAlgebra.cpp:{}"
_DEPRECATED = {
    "cholesky": (
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
        "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\nU = "
        "torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform "
        "will produce equivalent results for all valid (symmetric positive definite) inputs.",
        1765,
    ),
    "qr": (
        "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\nThe "
        "boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n"
        "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete')",
        2505,
    ),
    "triangular_solve": (
        "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be removed in a "
        "future PyTorch release.\ntorch.linalg.solve_triangular has its arguments reversed and does not return a "
        "copy of one of the inputs.\nX = torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
        "torch.linalg.solve_triangular(A, B).",
        2273,
    ),
    "lu": (
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be removed "
        "in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, "
        "pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, "
        "get_infos=True)\nshould be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)",
        2073,
    ),
    "lu_solve": (
        "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future PyTorch "
        "release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = torch.lu_solve(B, LU, pivots)\n"
        "should be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)",
        2230,
    ),
}


def _deprecated(name: str) -> None:
    message, line = _DEPRECATED[name]
    warn_internal(message, _SOURCE.format(line), once=True)


def _linalg():
    from .. import linalg

    return linalg


# -- thin forms ----------------------------------------------------------------------------------------------
@register("inverse")
def inverse(self, *, out=None):
    return _linalg().inv(self, out=out)


@register("det")
def det(self):
    return _linalg().det(self)


@register("slogdet")
def slogdet(self):
    return _TYPES["slogdet"](_linalg()._slogdet(self, "linalg.slogdet"))


@register("logdet")
def logdet(self):
    """torch's logdet: log|det| where the sign is positive, NaN where it is negative (log of the sign added for
    complex input)."""
    sign, logabsdet = _linalg()._slogdet(self, "logdet")
    if self.is_complex():
        return sign.log() + logabsdet
    import shim

    return shim.where(sign == -1, float("nan"), logabsdet)


@register("matrix_power")
def matrix_power(self, n):
    return _linalg().matrix_power(self, n)


@register("matrix_exp")
def matrix_exp(self):
    return _linalg().matrix_exp(self)


@register("pinverse")
def pinverse(self, rcond=1e-15):
    return _linalg().pinv(self, rtol=rcond)


@register("qr")
def qr(self, some=True, *, out=None):
    _linalg()._no_out(out, "qr")
    _deprecated("qr")
    return _TYPES["qr"](_linalg().qr(self, "reduced" if some else "complete"))


@register("svd")
def svd(self, some=True, compute_uv=True, *, out=None):
    """torch.svd: V rather than V^H; without compute_uv, square zero U and V (whatever `some` says)."""
    _linalg()._no_out(out, "svd")
    if self._a.ndim < 2:
        raise RuntimeError(
            f"linalg.svd: input should have at least 2 dimensions, but has {self._a.ndim} dimensions instead"
        )
    L = _linalg()
    if compute_uv:
        U, S, Vh = L.svd(self, full_matrices=not some)
        return _TYPES["svd"]((U, S, Vh.mH))
    S = L.svdvals(self)
    m, n = self.shape[-2:]
    batch = tuple(self.shape[:-2])
    U, V = self.new_zeros(batch + (m, m)), self.new_zeros(batch + (n, n))
    return _TYPES["svd"]((U, S, V))


@register("cholesky")
def cholesky(self, upper=False, *, out=None):
    _linalg()._no_out(out, "cholesky")
    _deprecated("cholesky")
    L = _linalg()
    L._check_square(self, "cholesky")
    return L._cholesky(self, upper, True, "cholesky", "CholeskyBackward0")[0]


@register("lu_solve")
def lu_solve(self, LU_data, LU_pivots, *, out=None):
    _linalg()._no_out(out, "lu_solve")
    _deprecated("lu_solve")
    return _linalg().lu_solve(LU_data, LU_pivots, self)


@register("orgqr")
def orgqr(self, input2):
    return _linalg().householder_product(self, input2)


@register("lu", function=False)
def lu_method(self, pivot=True, get_infos=False):
    """Tensor.lu: torch.lu's values as a plain tuple (info included or not)."""
    return tuple(lu(self, pivot, get_infos))


lu_method.__name__ = lu_method.__qualname__ = "lu"


def lu(A, pivot=True, get_infos=False, out=None):
    """torch.lu: lu_factor_ex that never raises; (LU, pivots), or with info as _lu_with_info."""
    _linalg()._no_out(out, "lu")
    _deprecated("lu")
    LU, pivots, info = _linalg()._lu_factor(A, pivot, False, "torch.lu_factor")
    return _TYPES["_lu_with_info"]((LU, pivots, info)) if get_infos else (LU, pivots)


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    _linalg()._no_out(out, "lu_unpack")
    return _linalg().lu_unpack(LU_data, LU_pivots, unpack_data, unpack_pivots)


def vander(x, N=None, increasing=False):
    """torch.vander: columns x^(N-1) ... x^0 (increasing: x^0 ... x^(N-1)); integer input gives int64, as
    cumprod does: ones, then x, then the running products, copied into one result."""
    import shim

    if x._a.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dtype = _dtypes.promote_types(x._dtype, _dtypes.int64)
    result = shim.empty((x.shape[0], n), dtype=dtype, device=x.device)
    if n > 0:
        result.fill_(1)
        if n > 1:
            result[:, 1:].copy_(x.unsqueeze(1))
            result[:, 1:].copy_(shim.cumprod(result[:, 1:], 1))
    return result if increasing else shim.flip(result, [1])


def nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    _linalg()._no_out(out, "nuclear_norm")
    if isinstance(dim, bool):  # (the overload nuclear_norm(input, keepdim))
        dim, keepdim = None, dim
    warn_internal(
        "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will be removed in a future "
        "PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, keepdim)` instead",
        "aten/src/ATen/native/LinearAlgebra.cpp:3229",
        once=True,
    )
    return _linalg().matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim)


def frobenius_norm(input, dim, keepdim=False, *, out=None):
    _linalg()._no_out(out, "frobenius_norm")
    from .reductions import aten_norm

    warn_internal(
        "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It will be removed in a future "
        "PyTorch release. Please use `linalg.vector_norm(A, 2., dim, keepdim)` instead",
        "aten/src/ATen/native/LinearAlgebra.cpp:3175",
        once=True,
    )
    return aten_norm(input, 2, dim, keepdim)


# -- own nodes --------------------------------------------------------------------------------------------------
def _same_dtype(b: Tensor, A: Tensor) -> None:
    if b._dtype is not A._dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type {b._dtype._scalar_name} and A of type "
            f"{A._dtype._scalar_name} instead."
        )


def _solver_checks(b: Tensor, A: Tensor, name: str, b_dims: str, A_dims: str) -> None:
    """The older solvers' checks, in their order: dims of b and A, dtypes, square A, matching rows."""
    for t, template in ((b, b_dims), (A, A_dims)):
        if t._a.ndim < 2:
            raise RuntimeError(template.format(ndim=t._a.ndim))
    _same_dtype(b, A)
    m, n = A._a.shape[-2:]
    if m != n:
        raise RuntimeError(f"A must be batches of square matrices, but they are {m} by {n} matrices")
    if b._a.shape[-2] != n:
        raise RuntimeError(
            f"Incompatible matrix sizes for {name}: each A matrix is {n} by {n} but each b matrix is "
            f"{b._a.shape[-2]} by {b._a.shape[-1]}"
        )


@register("cholesky_solve")
def cholesky_solve(self, input2, upper=False, *, out=None):
    """X with A X = B for A = L L^H (or U^H U), from its Cholesky factor."""
    _linalg()._no_out(out, "cholesky_solve")
    L = _linalg()
    _solver_checks(
        self,
        input2,
        "cholesky_solve",
        "b should have at least 2 dimensions, but has {ndim} dimensions instead",
        "u should have at least 2 dimensions, but has {ndim} dimensions instead",
    )
    L._check_kernel(input2, "cholesky_solve_cpu", even_empty=True)
    F = input2._a
    factor = np.swapaxes(F.conj(), -1, -2) if upper else F  # (lower: A = F F^H)
    y = lapack.solve_triangular(factor, self._a, upper=False)
    x = lapack.solve_triangular(np.swapaxes(factor.conj(), -1, -2), y, upper=True)
    r = L._lapack(x, self._dtype, self._device)
    L._record(
        "CholeskySolveBackward0", (self, input2), _cholesky_solve_grad, {"L": input2, "result": r, "upper": upper}, r
    )
    return r


def _cholesky_solve_grad(grads, L, result, upper):
    """torch's cholesky_solve_backward."""
    g = grads[0]
    if g is None:
        return None, None
    gB = cholesky_solve(g, L, upper)
    common = gB @ result.mH
    common = common + common.mH
    gL = -(L @ common) if upper else -(common @ L)
    return _linalg()._sum_to(gB, tuple(gB.shape)), gL


@register("cholesky_inverse")
def cholesky_inverse(self, upper=False, *, out=None):
    """(L L^H)^-1 (or (U^H U)^-1) from the Cholesky factor."""
    _linalg()._no_out(out, "cholesky_inverse")
    L = _linalg()
    L._check_square(self, "cholesky_inverse")
    L._check_kernel(self, "cholesky_inverse_out_cpu", even_empty=True)
    n = self._a.shape[-1]
    eye = np.broadcast_to(np.eye(n, dtype=self._dtype.np), self._a.shape)
    F = self._a
    factor = np.swapaxes(F.conj(), -1, -2) if upper else F
    y = lapack.solve_triangular(factor, eye, upper=False)
    x = lapack.solve_triangular(np.swapaxes(factor.conj(), -1, -2), y, upper=True)
    r = L._lapack(x, self._dtype, self._device)
    L._record("CholeskyInverseBackward0", (self,), _cholesky_inverse_grad, {"L": self, "result": r, "upper": upper}, r)
    return r


def _cholesky_inverse_grad(grads, L, result, upper):
    """torch's cholesky_inverse_backward."""
    g = grads[0]
    if g is None:
        return None
    common = result @ ((g + g.mH) @ result)
    return -(L @ common) if upper else -(common @ L)


@register("triangular_solve")
def triangular_solve(self, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """The older solve_triangular, arguments reversed: (op(A)^-1 b, a copy of A), one node for both."""
    _linalg()._no_out(out, "triangular_solve")
    _deprecated("triangular_solve")
    L = _linalg()
    _solver_checks(
        self,
        A,
        "triangular_solve",
        "torch.triangular_solve: Expected b to have at least 2 dimensions, but it has {ndim} dimensions instead",
        "torch.triangular_solve: Expected A to have at least 2 dimensions, but it has {ndim} dimensions instead",
    )
    L._check_kernel(A, "triangular_solve_cpu", even_empty=True)
    a = np.swapaxes(A._a, -1, -2) if transpose else A._a
    x = lapack.solve_triangular(a, self._a, upper != transpose, unitriangular)
    X = L._lapack(x, self._dtype, self._device)
    M = L._lapack(A._a, A._dtype, A._device)
    saved = {"A": A, "result": X, "upper": upper, "transpose": transpose, "unitriangular": unitriangular}
    L._record("TriangularSolveBackward0", (self, A), _triangular_solve_grad, saved, (X, M))
    return _TYPES["triangular_solve"]((X, M))


def _triangular_solve_grad(grads, A, result, upper, transpose, unitriangular):
    """torch's triangular_solve_backward: the solution's gradient through op(A)^-H, A's masked to its triangle;
    the copy's gradient added to A's."""
    gX, gM = (list(grads) + [None, None])[:2]
    gB = gA = None
    if gX is not None:
        gB = triangular_solve(gX, A.conj() if A.is_complex() else A, upper, not transpose, unitriangular)[0]
        gA = -(result.conj() @ gB.mT) if transpose else -(gB @ result.mH)
        gA = gA.triu(int(unitriangular)) if upper else gA.tril(-int(unitriangular))
    if gM is not None:
        gA = gM if gA is None else gA + gM
    return gB, gA


@register("geqrf")
def geqrf(self, *, out=None):
    """geqrf: R on and above the diagonal, the Householder vectors below it, and their scalars (no derivative)."""
    _linalg()._no_out(out, "geqrf")
    L = _linalg()
    if self._a.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    L._check_kernel(self, "geqrf_cpu", even_empty=True)
    m, n = self._a.shape[-2:]
    k = min(m, n)
    batch = self._a.shape[:-2]
    a = np.zeros(self._a.shape, self._dtype.np)
    tau = np.zeros(batch + (k,), self._dtype.np)
    count = math.prod(batch)
    flat, flat_tau = a.reshape(count, m, n), tau.reshape(count, k)
    for i, matrix in enumerate(self._a.reshape(count, m, n)):
        if matrix.size:
            h, t = np.linalg.qr(matrix, mode="raw")  # (numpy's raw form is LAPACK's, transposed)
            flat[i], flat_tau[i] = h.T, t
    A = L._lapack(a, self._dtype, self._device)
    Tau = L._wrap(tau, self._dtype, self._device)
    L._record("GeqrfBackward0", (self,), _geqrf_grad, {}, (A, Tau))
    return _TYPES["geqrf"]((A, Tau))


def _geqrf_grad(grads):
    raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


@register("ormqr")
def ormqr(self, input2, input3, left=True, transpose=False, *, out=None):
    """op(Q) C (or C op(Q)) for Q = H_1 ... H_k from geqrf's reflectors, without forming Q in the caller."""
    _linalg()._no_out(out, "ormqr")
    L = _linalg()
    A, tau, C = self, input2, input3
    if A._a.ndim < 2:
        raise RuntimeError("torch.ormqr: input must have at least 2 dimensions.")
    if C._a.ndim < 2:
        raise RuntimeError("torch.ormqr: other must have at least 2 dimensions.")
    if tau._a.ndim != A._a.ndim - 1:
        raise RuntimeError(
            "torch.ormqr: Expected tau to have one dimension less than input, but got tau.ndim equal to "
            f"{tau._a.ndim} and input.ndim is equal to {A._a.ndim}"
        )
    if C._a.ndim != A._a.ndim:
        raise RuntimeError(
            f"torch.ormqr: Expected other to have the same number of dimensions as input, but got other.ndim equal to "
            f"{C._a.ndim} and input.ndim is equal to {A._a.ndim}"
        )
    if C._a.shape[-2 if left else -1] != A._a.shape[-2]:
        which = "other.shape[-2]" if left else "other.shape[-1]"
        raise RuntimeError(f"torch.ormqr: {which} must be equal to input.shape[-2]")
    if tau._a.shape[-1] != min(C._a.shape[-2 if left else -1], A._a.shape[-1]):
        side = "other.shape[-2]" if left else "other.shape[-1]"
        raise RuntimeError(f"torch.ormqr: tau.shape[-1] must be equal to min({side}, input.shape[-1])")
    for name, batch in (("tau", tau._a.shape[:-1]), ("other", C._a.shape[:-2])):
        if batch != A._a.shape[:-2]:
            raise RuntimeError(
                f"torch.ormqr: Expected batch dimensions of {name} to be equal to input.shape[:-2], but got "
                f"{list(batch)}"
            )
    if A._dtype is not C._dtype:
        raise RuntimeError(
            f"torch.ormqr: Expected input and other to have the same dtype, but input has dtype{A._dtype._scalar_name}"
            f" and other has dtype {C._dtype._scalar_name}"
        )
    L._check_kernel(A, "ormqr_cpu", even_empty=True)
    value = _ormqr_array(A._a, tau._a, C._a, left, transpose)
    r = L._lapack(value, C._dtype, C._device)
    saved = {"A": A, "tau": tau, "C": C, "left": left, "transpose": transpose}
    L._record("OrmqrBackward0", (A, tau, C), _ormqr_grad, saved, r)
    return r


def _full_q(a: np.ndarray, tau: np.ndarray) -> np.ndarray:
    m = a.shape[-2]
    square = np.zeros(a.shape[:-1] + (m,), a.dtype)
    square[..., : min(m, a.shape[-1])] = a[..., : min(m, a.shape[-1])]
    return lapack.householder_product(square, tau)


def _ormqr_array(a, tau, c, left, transpose):
    q = _full_q(a, tau)
    q = np.swapaxes(q.conj(), -1, -2) if transpose else q
    return q @ c if left else c @ q


def _ormqr_grad(grads, A, tau, C, left, transpose):
    """Through Q formed from the reflectors with tensor ops (the same product, differentiated)."""
    g = grads[0]
    if g is None:
        return None, None, None
    import shim

    create_graph = shim.is_grad_enabled()  # (the backward pass is itself recorded)
    with shim.enable_grad():
        A_, tau_, C_ = (x.detach().requires_grad_() for x in (A, tau, C))
        m = A.shape[-2]
        width = min(m, A.shape[-1])
        square = shim.nn.functional.pad(A_[..., :width], (0, m - width))
        Q = shim.linalg.householder_product(square, tau_)
        Q = Q.mH if transpose else Q
        r = Q @ C_ if left else C_ @ Q
        found = shim.autograd.grad(r, (A_, tau_, C_), g, create_graph=create_graph, allow_unused=True)
    return tuple(f if f is not None else shim.zeros_like(x) for f, x in zip(found, (A, tau, C)))


# -- removed in torch 1.9, kept to say so ---------------------------------------------------------------------------
_REMOVED = "This function was deprecated since version 1.9 and is now removed. "
_REMOVED_MESSAGES = {
    "symeig": _REMOVED
    + "The default behavior has changed from using the upper triangular portion of the matrix by default to using "
    "the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced with:\nL = "
    "torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) "
    "should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')",
    "eig": _REMOVED
    + "`torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than real tensors mimicking "
    "complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\n"
    "L, V = torch.eig(A, eigenvectors=True) should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)",
    "lstsq": _REMOVED
    + "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed arguments "
    "and does not return the QR decomposition in the returned tuple (although it returns other information about "
    "the problem).\n\nTo get the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned solution in "
    "`torch.lstsq` stored the residuals of the solution in the last m - n columns of the returned value whenever "
    "m > n. In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named tuple.\n\nThe "
    "unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\n"
    "X = torch.linalg.lstsq(A, B).solution",
    "matrix_rank": _REMOVED.rstrip()
    + "\nPlease use the `torch.linalg.matrix_rank` function instead. The parameter 'symmetric' was renamed in "
    "`torch.linalg.matrix_rank()` to 'hermitian'.",
    "solve": _REMOVED
    + "`torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed "
    "and does not return the LU factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used with "
    "`torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\nX = "
    "torch.linalg.solve(A, B)",
}


# with torch's parameters (its Python stubs), so that a call binds as it does in torch before it raises
def _removed(name: str):
    raise RuntimeError(_REMOVED_MESSAGES[name])


def eig(self, eigenvectors=False, *, e=None, v=None):
    _removed("eig")


def lstsq(input, A, *, out=None):
    _removed("lstsq")


def matrix_rank(input, tol=None, symmetric=False, *, out=None):
    _removed("matrix_rank")


def solve(input, A, *, out=None):
    _removed("solve")


def _symeig(input, eigenvectors=False, upper=True, *, out=None):  # (torch.symeig's own name)
    _removed("symeig")


def _eig_method(self, eigenvectors=False):
    _removed("eig")


def _lstsq_method(self, other):
    _removed("lstsq")


def _solve_method(self, other):
    _removed("solve")


def _symeig_method(self, eigenvectors=False):
    _removed("symeig")


for _name, _method in (
    ("eig", _eig_method),
    ("lstsq", _lstsq_method),
    ("solve", _solve_method),
    ("symeig", _symeig_method),
):
    _method.__name__ = _method.__qualname__ = _name
    register(_name, function=False)(_method)

FUNCTIONS = {
    "lu": lu,
    "lu_unpack": lu_unpack,
    "vander": vander,
    "nuclear_norm": nuclear_norm,
    "frobenius_norm": frobenius_norm,
    "matrix_rank": matrix_rank,
    "eig": eig,
    "lstsq": lstsq,
    "solve": solve,
    "symeig": _symeig,
}
