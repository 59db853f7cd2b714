from __future__ import annotations

import shim as torch

from . import constraints
from .distribution import Distribution
from .utils import _BinaryOdds, _enumerate, _one_of_probs_logits, broadcast_all

__all__ = ["Binomial"]


def _clamp_by_zero(x):
    """max(x, 0) written so that its gradient at 0 is 1/2 (as torch's)."""
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class _CountAndOdds(_BinaryOdds, Distribution):
    """Binomial and NegativeBinomial: total_count broadcast with probs or logits, in their dtype."""

    def _init_count(self, total_count, probs, logits, validate_args) -> None:
        given = _one_of_probs_logits(probs, logits)
        self.total_count, param = broadcast_all(total_count, probs if given == "probs" else logits)
        setattr(self, given, param)
        self.total_count = self.total_count.type_as(param)
        self._param = param
        Distribution.__init__(self, param.size(), validate_args=validate_args)

    def _expand_count(self, cls, batch_shape, _instance):
        new = self._expand_params(cls, batch_shape, _instance, "total_count", "probs", "logits")
        new._param = new.__dict__["probs" if "probs" in self.__dict__ else "logits"]
        return new


class Binomial(_CountAndOdds):
    arg_constraints = {
        "total_count": constraints.nonnegative_integer,
        "probs": constraints.unit_interval,
        "logits": constraints.real,
    }
    has_enumerate_support = True

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        self._init_count(total_count, probs, logits, validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_count(Binomial, batch_shape, _instance)

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self.total_count)

    @property
    def mean(self):
        return self.total_count * self.probs

    @property
    def mode(self):
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=()):
        shape = self._extended_shape(sample_shape)
        with torch.no_grad():
            return torch.binomial(self.total_count.expand(shape), self.probs.expand(shape))

    def log_prob(self, value):
        self._checked(value)
        log_factorial_n = torch.lgamma(self.total_count + 1)
        log_factorial_k = torch.lgamma(value + 1)
        log_factorial_nmk = torch.lgamma(self.total_count - value + 1)
        # n * log(1 + exp(logits)), kept finite for large |logits|
        normalize_term = (
            self.total_count * _clamp_by_zero(self.logits)
            + self.total_count * torch.log1p(torch.exp(-torch.abs(self.logits)))
            - log_factorial_n
        )
        return value * self.logits - log_factorial_k - log_factorial_nmk - normalize_term

    def _homogeneous_count(self, what: str) -> int:
        total_count = int(self.total_count.max())
        if not self.total_count.min() == total_count:
            raise NotImplementedError(f"Inhomogeneous total count not supported by `{what}`.")
        return total_count

    def entropy(self):
        self._homogeneous_count("entropy")
        log_prob = self.log_prob(self.enumerate_support(False))
        return -(torch.exp(log_prob) * log_prob).sum(0)

    def enumerate_support(self, expand=True):
        total_count = self._homogeneous_count("enumerate_support")
        values = torch.arange(1 + total_count, dtype=self._param.dtype, device=self._param.device)
        return _enumerate(values, self._batch_shape, expand)
