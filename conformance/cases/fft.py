"""torch.fft: the one-dimensional and n-dimensional transforms with n, s, dim and norm drawn, as functions and
with out=, over every dtype (torch's refusals of half, bool and complex input to the real transforms
included), with gradients through torch's three primitives (FftC2C, FftR2C, FftC2R); the frequencies and
shifts.  Spectra come from numpy's pocketfft in the shim (MKL in torch): their rounding errors are relative
to the signal's norm, not to each bin, so the transforms are compared at 10x torch's tolerances on small
dyadic inputs."""

from __future__ import annotations

from hypothesis import strategies as st

from ..forms import call
from ..registry import case
from ..strategies import ALL, FLOATS, tensors

ONE_DIM = ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
N_DIM = ("fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn", "fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2")
_NORM = st.sampled_from([None, "backward", "forward", "ortho"])


@case(
    covers=tuple(f"fft.{op}" for op in ONE_DIM),
    grad=True,
    scale=10,
    op=st.sampled_from(ONE_DIM),
    form=st.sampled_from(["function", "out"]),
    x=tensors(dtypes=ALL, regime="exact", min_dims=1, max_dims=3, requires_grad=st.booleans()),
    n=st.none() | st.integers(0, 7),
    dim=st.integers(-3, 2),
    norm=_NORM,
)
def fft_one_dim(xp, op, form, x, n, dim, norm):
    return call(xp, form, f"fft.{op}", x, n, dim, norm)


@case(
    covers=tuple(f"fft.{op}" for op in N_DIM),
    grad=True,
    scale=10,
    op=st.sampled_from(N_DIM),
    form=st.sampled_from(["function", "out"]),
    x=tensors(dtypes=ALL, regime="exact", min_dims=1, max_dims=3, requires_grad=st.booleans()),
    s=st.none() | st.lists(st.integers(-1, 6), min_size=1, max_size=3),
    dim=st.none() | st.lists(st.integers(-3, 2), min_size=1, max_size=3),
    norm=_NORM,
)
def fft_n_dim(xp, op, form, x, s, dim, norm):
    if op.endswith("2"):  # (dim defaults to the last two)
        return call(xp, form, f"fft.{op}", x, s, dim if dim is not None else (-2, -1), norm)
    return call(xp, form, f"fft.{op}", x, s, dim, norm)


@case(
    covers=("fft.fftfreq", "fft.rfftfreq", "fft.fftshift", "fft.ifftshift"),
    op=st.sampled_from(["fftfreq", "rfftfreq", "fftshift", "ifftshift"]),
    n=st.integers(1, 9),
    d=st.sampled_from([1.0, 0.5, 0.1, 3]),
    dtype=st.none() | st.sampled_from(FLOATS),
    x=tensors(dtypes=ALL, max_dims=3),
    dim=st.none() | st.integers(-1, 0) | st.just((0, -1)),
)
def fft_frequencies(xp, op, n, d, dtype, x, dim):
    if op in ("fftfreq", "rfftfreq"):
        return getattr(xp.fft, op)(n, d, dtype=None if dtype is None else getattr(xp, dtype))
    return getattr(xp.fft, op)(x, dim)
