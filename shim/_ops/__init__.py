"""The op modules; importing them registers every op (see `_registry`)."""

from . import (  # noqa: F401  (imported for their registrations)
    binary,
    composite,
    conversions,
    indexing,
    linalg,
    random,
    reductions,
    shape,
    sorting,
    special,
    statistics,
    ternary,
    unary,
)

FUNCTIONS: dict = {}
for _module in (shape, indexing, linalg, reductions, conversions, random, unary, sorting, statistics):
    FUNCTIONS.update(getattr(_module, "FUNCTIONS", {}))
