"""torch.special: the special functions under their scipy-style names.

Most are torch's own ops under another name (expit is sigmoid, gammaln is lgamma, psi is digamma, ...) and
run the same kernels; the ones torch has only here (entr, erfcx, log_ndtr, ndtri, i0e, i1, i1e, xlog1py,
zeta, the Bessel and Airy functions, the orthogonal polynomials) are specs in shim/_ops/special_ops.py.
"""

from __future__ import annotations

import math

from ._dispatch import copy_out
from ._ops.bessel import BESSEL
from ._ops.binary import _rename_node
from ._ops.special_ops import POLYNOMIALS, special_binary, special_unary
from ._tensor import Tensor

__all__ = [
    "digamma", "psi", "erf", "erfc", "erfinv", "erfcx", "exp2", "expm1", "log1p", "expit", "logit", "gammaln",
    "polygamma", "multigammaln", "gammainc", "gammaincc", "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr",
    "entr", "sinc", "round", "softmax", "log_softmax", "logsumexp", "xlogy", "xlog1py", "zeta",
    *BESSEL,
    *POLYNOMIALS,
]  # fmt: skip


def _torch():
    import shim

    return shim


def _alias(torch_name: str, name: str):
    """torch.special.<name>(input, *, out=None): the op torch.<torch_name> under another name."""

    def special(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        return getattr(_torch(), torch_name)(input, out=out)

    special.__name__ = special.__qualname__ = name
    return special


digamma = _alias("digamma", "digamma")
psi = _alias("digamma", "psi")
erf = _alias("erf", "erf")
erfc = _alias("erfc", "erfc")
erfinv = _alias("erfinv", "erfinv")
exp2 = _alias("exp2", "exp2")
expm1 = _alias("expm1", "expm1")
log1p = _alias("log1p", "log1p")
expit = _alias("sigmoid", "expit")
gammaln = _alias("lgamma", "gammaln")
i0 = _alias("i0", "i0")
sinc = _alias("sinc", "sinc")


def _own(name: str):
    def special(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        return special_unary(name, input, out)

    special.__name__ = special.__qualname__ = name
    return special


entr = _own("entr")
erfcx = _own("erfcx")
log_ndtr = _own("log_ndtr")
ndtri = _own("ndtri")
i0e = _own("i0e")
i1 = _own("i1")
i1e = _own("i1e")
globals().update({_name: _own(_name) for _name in BESSEL})


def _own_binary(name: str):
    def special(input, other, *, out: Tensor | None = None) -> Tensor:
        return special_binary(name, input, other, out)

    special.__name__ = special.__qualname__ = name
    return special


xlog1py = _own_binary("xlog1py")
zeta = _own_binary("zeta")
globals().update({_name: _own_binary(_name) for _name in POLYNOMIALS})


def logit(input: Tensor, eps: float | None = None, *, out: Tensor | None = None) -> Tensor:
    return _torch().logit(input, eps, out=out)


def polygamma(n: int, input: Tensor, *, out: Tensor | None = None) -> Tensor:
    return _torch().polygamma(n, input, out=out)


def multigammaln(input: Tensor, p: int, *, out: Tensor | None = None) -> Tensor:
    return _torch().mvlgamma(input, p, out=out)


def gammainc(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    return _torch().igamma(input, other, out=out)


def gammaincc(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    return _torch().igammac(input, other, out=out)


def xlogy(input, other, *, out: Tensor | None = None) -> Tensor:
    return _torch().xlogy(input, other, out=out)


def ndtr(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """torch's composite: (1 + erf(x / sqrt(2))) * 0.5, the last product by at::mul's Scalar overload; out=
    is the result copied in (differentiably, as torch's special_ndtr_out does)."""
    torch = _torch()
    r = (1 + torch.erf(input * math.sqrt(0.5))) * 0.5  # (M_SQRT1_2: 1 / math.sqrt(2) is an ulp below it)
    if r._fn is not None:
        _rename_node(r, "MulBackward1")
    return r if out is None else copy_out("special_ndtr", out, r, castable=True)


def round(input: Tensor, *, decimals: int = 0, out: Tensor | None = None) -> Tensor:
    """torch.round's decimals overload, even at 0 (so integral inputs are refused, as round_vml_cpu does)."""
    return _torch().round(input, decimals=decimals, out=out)


def softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    return _torch().softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype=None) -> Tensor:
    return _torch().log_softmax(input, dim, dtype=dtype)


def logsumexp(input: Tensor, dim, keepdim: bool = False, *, out: Tensor | None = None) -> Tensor:
    return _torch().logsumexp(input, dim, keepdim, out=out)
