"""The shim's own tests run without torch; helpers shared by them."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import shim


@pytest.fixture(autouse=True)
def _fresh_print_options():
    shim.set_printoptions(profile="default")
    yield
    shim.set_printoptions(profile="default")


@pytest.fixture
def digest():
    """sha256 of an array's bytes, its first 16 hex digits, every NaN as one pattern (torch leaves their sign
    and payload unspecified): how tests pin torch's results over many inputs."""

    def compute(a: np.ndarray) -> str:
        a = np.array(a)
        if a.dtype.kind == "f":
            a[np.isnan(a)] = np.nan
        return hashlib.sha256(a.tobytes()).hexdigest()[:16]

    return compute


@pytest.fixture
def bit_patterns():
    """65,536 bit patterns of a float dtype spread over every binade (NaNs and infinities too): float32 every
    65,537th pattern, float64 every pattern whose four 16-bit parts are equal."""

    def spread(dtype) -> np.ndarray:
        if np.dtype(dtype) == np.float32:
            return np.arange(0, 2**32, 65537, dtype=np.uint64).astype(np.uint32).view(np.float32)
        return (np.arange(1 << 16, dtype=np.uint64) * np.uint64(0x0001000100010001)).view(np.float64)

    return spread
