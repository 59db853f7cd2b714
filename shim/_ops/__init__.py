"""The op modules; importing them registers every op (see `_registry`)."""

from . import (  # noqa: F401  (imported for their registrations)
    binary,
    conversions,
    indexing,
    linalg,
    random,
    reductions,
    shape,
    special,
    unary,
)

FUNCTIONS: dict = {}
for _module in (shape, indexing, linalg, reductions, conversions, random):
    FUNCTIONS.update(getattr(_module, "FUNCTIONS", {}))
