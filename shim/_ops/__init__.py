"""The op modules; importing them registers every op (see `_registry`)."""

from . import conversions, indexing, linalg, pointwise, random, reductions, shape  # noqa: F401  (registration)

FUNCTIONS: dict = {}
for _module in (shape, indexing, linalg, reductions, conversions, random):
    FUNCTIONS.update(getattr(_module, "FUNCTIONS", {}))
