"""torch.utils.data.DataLoader.

Each pass draws, in torch's order, the iterator's base seed (one int64 from the loader's generator, else
the global stream) and then whatever its sampler draws (a RandomSampler seeds its own generator from the
global stream at its first index), so that shuffled orders equal torch's for the same seed.

`num_workers > 0` runs the workers in this process instead of in child processes, giving the batches torch
gives in the order it gives them: batch k comes from worker k mod num_workers (an IterableDataset: each
worker iterates its own copy, taking turns, a finished worker dropping out), and while a worker loads, the
global generator and Python's `random` hold that worker's own state, seeded with base_seed + worker_id as
torch seeds its worker processes; `worker_init_fn(worker_id)` runs in that state, and `get_worker_info()`
answers there.  (numpy's global generator is not reseeded per worker: torch derives that seed with its own
hash.)
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ... import _dtypes, accelerator
from ..._autograd.grad_mode import is_grad_enabled
from ..._creation import empty
from ..._random import get_rng_state, manual_seed, set_rng_state
from ._utils.collate import default_collate, default_convert
from ._utils.pin_memory import pin_memory
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert"]


@dataclass
class WorkerInfo:
    id: int
    num_workers: int
    seed: int
    dataset: Dataset


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Inside a worker's loading: its id, the worker count, its seed and its dataset copy; else None."""
    return _worker_info


class _InfiniteConstantSampler(Sampler):
    def __iter__(self):
        while True:
            yield None


class DataLoader:
    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler | Iterable | None = None,
        batch_sampler: Sampler | Iterable | None = None,
        num_workers: int = 0,
        collate_fn: Callable | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable | None = None,
        multiprocessing_context=None,
        generator=None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable "
                "multiprocessing, otherwise set prefetch_factor to None."
            )
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in {False, None}:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle={shuffle}"
                )
            if sampler is not None:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified sampler option, but got sampler={sampler}"
                )
            if batch_sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got "
                    f"batch_sampler={batch_sampler}"
                )
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"
                )
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self) -> int:
        if self._iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                from math import ceil

                length = length // self.batch_size if self.drop_last else ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)

    def __iter__(self):
        """The pass's iterator; its base seed is drawn now, as torch's iterator draws it when made."""
        if self.pin_memory and self.pin_memory_device:
            warnings.warn(
                "pin_memory_device is deprecated, the current accelerator will be used as the device,"
                f"ignore pin_memory_device='{self.pin_memory_device}'.",
                stacklevel=2,
            )
        if self.pin_memory and not accelerator.is_available():
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then device pinned memory won't "
                "be used.",
                stacklevel=2,
            )
        sampler_iter = iter(self._index_sampler)  # (a generator: it draws at its first index)
        base_seed = int(empty((), dtype=_dtypes.int64).random_(generator=self.generator).item())
        if self.num_workers == 0:
            batches = self._batches(self.dataset, sampler_iter)
        else:
            batches = self._emulated_workers(sampler_iter, base_seed)
        return map(pin_memory, batches) if self.pin_memory and accelerator.is_available() else batches

    def _fetch(self, dataset, index):
        if self._iterable:
            if self._auto_collation:
                data = []
                for _ in index:
                    try:
                        data.append(next(dataset))
                    except StopIteration:
                        break
                if not data or (self.drop_last and len(data) < len(index)):
                    raise StopIteration
            else:
                data = next(dataset)
        elif self._auto_collation:
            if self.collate_fn is default_collate and type(dataset) is TensorDataset and not _any_grad(dataset):
                # the batch default_collate stacks from the rows, gathered in one indexing per tensor
                return [t[index] for t in dataset.tensors]
            getitems = getattr(dataset, "__getitems__", None)
            data = getitems(index) if callable(getitems) else [dataset[i] for i in index]
        else:
            data = dataset[index]
        return self.collate_fn(data)

    def _batches(self, dataset, sampler_iter):
        source = iter(dataset) if self._iterable else dataset
        for index in sampler_iter:
            try:
                yield self._fetch(source, index)
            except StopIteration:
                return

    def _emulated_workers(self, sampler_iter, base_seed: int):
        n = self.num_workers
        states: list[tuple] = []
        sources: list = []
        for worker_id in range(n):
            main = _state()
            seed = base_seed + worker_id
            _set_state((None, None, WorkerInfo(worker_id, n, seed, self.dataset)))
            random.seed(seed)
            manual_seed(seed)
            if self.worker_init_fn is not None:
                self.worker_init_fn(worker_id)
            sources.append(iter(self.dataset) if self._iterable else self.dataset)
            states.append(_state())
            _set_state(main)
        active = list(range(n))
        turn = 0
        for index in sampler_iter:  # (the sampler draws in the main process's state)
            batch = None
            while batch is None and active:
                worker_id = active[turn % len(active)]
                main = _state()
                _set_state(states[worker_id])
                try:
                    batch = self._fetch(sources[worker_id], index)
                    turn = active.index(worker_id) + 1
                except StopIteration:
                    active.remove(worker_id)
                finally:
                    states[worker_id] = _state()
                    _set_state(main)
            if batch is None:
                return
            yield batch


def _any_grad(dataset: TensorDataset) -> bool:
    """Whether a batch would record a graph (stack's node, which the gathering would name otherwise)."""
    return is_grad_enabled() and any(t.requires_grad for t in dataset.tensors)


def _state() -> tuple:
    """What a worker process has of its own: the global generator, Python's random, the worker info."""
    return get_rng_state(), random.getstate(), _worker_info


def _set_state(state: tuple) -> None:
    global _worker_info
    torch_state, python_state, _worker_info = state
    if torch_state is not None:
        set_rng_state(torch_state)
        random.setstate(python_state)
