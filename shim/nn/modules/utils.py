"""Argument normalisers the layers share: an int repeated to n dims, and F.pad's reversed, doubled padding."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat


def _ntuple(n: int):
    def parse(x) -> tuple:
        return tuple(x) if isinstance(x, Iterable) else tuple(repeat(x, n))

    return parse


_single, _pair, _triple, _quadruple = _ntuple(1), _ntuple(2), _ntuple(3), _ntuple(4)


def _reverse_repeat_tuple(t, n: int) -> tuple:
    """(a, b) -> (b, b, a, a) for n = 2: per dim, last dim first, as F.pad takes its padding."""
    return tuple(x for x in reversed(t) for _ in range(n))
