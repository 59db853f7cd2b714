"""Training programs end to end: optimizer trajectories, learning-rate schedules, DataLoader batches,
random_split and torch.save/torch.load, each run under one seed in both libraries.

Optimizer trajectories are compared bit for bit, in float32 and float64, where the shim models this CPU's
MKL (cases/float_math.py; elsewhere to torch's tolerance): the optimizers whose denominator takes a square
root (Adam, AdamW, NAdam, RMSprop, Adagrad, Adadelta) call torch's CPU sqrt, which is MKL's vector sqrt and
not always correctly rounded; the shim computes it as MKL's kernel does (shim/_cpu/vml.py).
Schedules, batches, splits and loaded files are compared exactly."""

from __future__ import annotations

import collections
import io

from hypothesis import strategies as st

from ..registry import case
from .float_math import MODELLED

_SEED = st.integers(0, 2**16)

# optimizer: the hyper-parameters drawn for it (each a strategy), and its defaults' keyword names
_OPTIMIZERS = {
    "SGD": dict(
        lr=st.sampled_from([0.1, 0.01]),
        momentum=st.sampled_from([0.0, 0.9]),
        dampening=st.sampled_from([0.0, 0.1]),
        weight_decay=st.sampled_from([0.0, 0.01]),
        maximize=st.booleans(),
    ),
    "Adam": dict(
        lr=st.sampled_from([1e-2, 1e-3]),
        betas=st.sampled_from([(0.9, 0.999), (0.5, 0.9)]),
        weight_decay=st.sampled_from([0.0, 0.1]),
        amsgrad=st.booleans(),
        maximize=st.booleans(),
    ),
    "AdamW": dict(lr=st.sampled_from([1e-2, 1e-3]), weight_decay=st.sampled_from([0.0, 0.01]), amsgrad=st.booleans()),
    "RMSprop": dict(
        lr=st.sampled_from([1e-2, 1e-3]),
        momentum=st.sampled_from([0.0, 0.5]),
        centered=st.booleans(),
        weight_decay=st.sampled_from([0.0, 0.1]),
    ),
    "Adagrad": dict(
        lr=st.sampled_from([0.1, 0.01]),
        lr_decay=st.sampled_from([0.0, 0.01]),
        initial_accumulator_value=st.sampled_from([0.0, 0.1]),
    ),
    "Adadelta": dict(lr=st.sampled_from([1.0, 0.5]), rho=st.sampled_from([0.9, 0.5]), maximize=st.booleans()),
    "Adamax": dict(lr=st.sampled_from([2e-3, 1e-2]), weight_decay=st.sampled_from([0.0, 0.1])),
    "NAdam": dict(
        lr=st.sampled_from([2e-3, 1e-2]),
        weight_decay=st.sampled_from([0.0, 0.1]),
        decoupled_weight_decay=st.booleans(),
    ),
    "RAdam": dict(
        lr=st.sampled_from([1e-3, 1e-2]),
        weight_decay=st.sampled_from([0.0, 0.1]),
        decoupled_weight_decay=st.booleans(),
    ),
}


@st.composite
def _optimizer(draw):
    name = draw(st.sampled_from(sorted(_OPTIMIZERS)), label="optimizer")
    options = {k: draw(s, label=k) for k, s in _OPTIMIZERS[name].items()}
    if name == "SGD" and options["momentum"] and not options["dampening"]:
        options["nesterov"] = draw(st.booleans(), label="nesterov")
    return name, options


def _trajectory(xp, seed, optimizer, dtype, steps, reload_at):
    """Two parameters (one in its own group with its own lr), gradients drawn from the seeded stream,
    `steps` updates; at `reload_at` the optimizer is rebuilt from its state_dict."""
    name, options = optimizer
    xp.manual_seed(seed)
    dt = getattr(xp, dtype)
    w = xp.nn.Parameter(xp.randn(3, 2, dtype=dt))
    b = xp.nn.Parameter(xp.randn(4, dtype=dt))

    def make():
        return getattr(xp.optim, name)([{"params": [w]}, {"params": [b], "lr": 0.05}], **options)

    opt = make()
    seen = []
    for step in range(steps):
        opt.zero_grad()
        w.grad, b.grad = xp.randn(3, 2, dtype=dt), xp.randn(4, dtype=dt)
        opt.step()
        seen.append((w.detach().clone(), b.detach().clone()))
        if step == reload_at:
            saved = opt.state_dict()
            opt = make()
            opt.load_state_dict(saved)
    return seen, opt.state_dict(), repr(opt)


_TRAJECTORY = dict(
    covers=tuple(f"optim.{n}" for n in _OPTIMIZERS) + ("optim.Optimizer.state_dict", "optim.Optimizer.load_state_dict"),
    seed=_SEED,
    optimizer=_optimizer(),
    steps=st.integers(1, 6),
    reload_at=st.integers(-1, 4),
)


@case(exact=MODELLED, **_TRAJECTORY)
def optim_trajectories_float64(xp, seed, optimizer, steps, reload_at):
    """Optimizer updates in float64 (see the module's note on tolerances)."""
    return _trajectory(xp, seed, optimizer, "float64", steps, reload_at)


@case(exact=MODELLED, **_TRAJECTORY)
def optim_trajectories_float32(xp, seed, optimizer, steps, reload_at):
    """Optimizer updates in float32 (see the module's note on tolerances)."""
    return _trajectory(xp, seed, optimizer, "float32", steps, reload_at)


@case(
    covers=("optim.Optimizer",),
    expect_error=True,
    optimizer=st.sampled_from(sorted(_OPTIMIZERS)),
    bad=st.sampled_from(["lr", "eps", "betas", "weight_decay", "momentum", "empty", "tensor", "nesterov"]),
)
def optim_invalid(xp, optimizer, bad):
    """Bad hyper-parameters and parameter lists: torch's ValueError/TypeError and message, or none."""
    p = xp.nn.Parameter(xp.zeros(2))
    options = {"lr": {"lr": -0.1}, "eps": {"eps": -1e-3}, "betas": {"betas": (0.9, 1.0)},
               "weight_decay": {"weight_decay": -1.0}, "momentum": {"momentum": -0.5},
               "nesterov": {"nesterov": True}}.get(bad, {})  # fmt: skip
    params = [] if bad == "empty" else p if bad == "tensor" else [p]
    return repr(getattr(xp.optim, optimizer)(params, **options))


_SCHEDULERS = {
    "StepLR": lambda m, o: m.StepLR(o, 3, 0.5),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, [2, 5, 5], 0.3),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, 0.9),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, 7, 0.001),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lambda e: 0.95**e),
    "MultiplicativeLR": lambda m, o: m.MultiplicativeLR(o, lambda e: 0.95),
    "LinearLR": lambda m, o: m.LinearLR(o, 0.2, 0.9, 6),
    "ConstantLR": lambda m, o: m.ConstantLR(o, 0.3, 4),
    "PolynomialLR": lambda m, o: m.PolynomialLR(o, 8, 2.0),
    "OneCycleLR": lambda m, o: m.OneCycleLR(o, 0.5, total_steps=30),
    "OneCycleLR(three_phase)": lambda m, o: m.OneCycleLR(
        o, [0.5, 0.2], total_steps=30, three_phase=True, anneal_strategy="linear"
    ),
    "CyclicLR": lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=4, mode="triangular2"),
    "CyclicLR(exp_range)": lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=3, step_size_down=5, mode="exp_range"),
    "CosineAnnealingWarmRestarts": lambda m, o: m.CosineAnnealingWarmRestarts(o, 3, 2, 0.001),
    "SequentialLR": lambda m, o: m.SequentialLR(o, [m.LinearLR(o, 0.1, total_iters=4), m.ExponentialLR(o, 0.9)], [4]),
    "ChainedScheduler": lambda m, o: m.ChainedScheduler([m.ConstantLR(o, 0.5, 3), m.ExponentialLR(o, 0.9)]),
    "ReduceLROnPlateau": lambda m, o: m.ReduceLROnPlateau(o, patience=2, cooldown=1),
}


@case(
    covers=tuple(f"optim.lr_scheduler.{n.split('(')[0]}" for n in _SCHEDULERS),
    exact=True,
    scheduler=st.sampled_from(sorted(_SCHEDULERS)),
    optimizer=st.sampled_from(["SGD", "Adam"]),
    steps=st.integers(0, 30),
    step_first=st.booleans(),
    epoch_at=st.integers(-1, 10),
)
def lr_schedules(xp, scheduler, optimizer, steps, step_first, epoch_at):
    """A schedule's rates (and cycled momenta) over `steps` epochs, its state_dict, torch's warnings
    (stepping the scheduler before the optimizer; an explicit epoch, which takes the closed form)."""
    p, q = xp.nn.Parameter(xp.zeros(2)), xp.nn.Parameter(xp.zeros(1))
    opt = getattr(xp.optim, optimizer)([{"params": [p]}, {"params": [q], "lr": 0.05}], lr=0.1)
    sched = _SCHEDULERS[scheduler](xp.optim.lr_scheduler, opt)
    plateau = scheduler == "ReduceLROnPlateau"
    seen = [sched.get_last_lr()]
    for i in range(steps):
        if step_first:
            opt.step()
        if plateau:
            sched.step(1.0 / (i + 1) if i < 5 else 1.0)
        elif i == epoch_at and scheduler in ("StepLR", "ExponentialLR", "MultiStepLR", "CosineAnnealingLR"):
            sched.step(i)
        else:
            sched.step()
        seen.append((sched.get_last_lr(), [g.get("momentum", g.get("betas")) for g in opt.param_groups]))
    state = {k: v for k, v in sched.state_dict().items() if not callable(v) and k != "_schedulers"}
    return seen, sorted(state.items(), key=lambda kv: kv[0]) if plateau else sorted(state)


_Point = collections.namedtuple("Point", "x y")


@case(
    covers=(
        "utils.data.DataLoader",
        "utils.data.TensorDataset",
        "utils.data.RandomSampler",
        "utils.data.SequentialSampler",
        "utils.data.SubsetRandomSampler",
        "utils.data.WeightedRandomSampler",
        "utils.data.BatchSampler",
        "utils.data.default_collate",
        "utils.data.get_worker_info",
    ),  # fmt: skip
    exact=True,
    seed=_SEED,
    n=st.integers(1, 23),
    batch_size=st.sampled_from([1, 3, 4, 8, None]),
    drop_last=st.booleans(),
    sampling=st.sampled_from(["sequential", "shuffle", "generator", "replacement", "weighted", "subset", "batch"]),
    sample=st.sampled_from(["tensors", "mixed", "random"]),
    epochs=st.integers(1, 2),
    pin_memory=st.booleans(),
)
def dataloader_batches(xp, seed, n, batch_size, drop_last, sampling, sample, epochs, pin_memory):
    """Every batch of one or two passes: shuffled orders from the seeded stream, samplers, drop_last,
    default collation of tensors, numbers, numpy arrays, dicts, tuples and named tuples, and datasets that
    draw random numbers, then one draw to show the stream's position.  (Worker processes are compared in
    conformance/test_interop.py: torch's real workers do not belong inside a Hypothesis example.)"""
    import numpy as np

    data = xp.utils.data
    xp.manual_seed(seed)

    class Samples(data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            if sample == "mixed":
                return {"a": np.array([i, i + 0.5]), "b": i * 0.5, "c": (i, f"s{i}"), "d": _Point(i, xp.tensor([i]))}
            if sample == "random":
                return xp.rand(2) + i
            return xp.arange(2.0) + i, i

    dataset = Samples()
    options = {"batch_size": batch_size, "drop_last": drop_last and batch_size is not None, "pin_memory": pin_memory}
    if sampling == "shuffle":
        options["shuffle"] = True
    elif sampling == "generator":
        options.update(shuffle=True, generator=xp.Generator().manual_seed(seed + 1))
    elif sampling == "replacement":
        options["sampler"] = data.RandomSampler(dataset, replacement=True, num_samples=n + 5)
    elif sampling == "weighted":
        options["sampler"] = data.WeightedRandomSampler([1.0 + (i % 3) for i in range(n)], n + 2)
    elif sampling == "subset":
        options["sampler"] = data.SubsetRandomSampler(list(range(0, n, 2)))
    elif sampling == "batch" and batch_size is not None:
        sampler = data.BatchSampler(data.SequentialSampler(dataset), batch_size, drop_last)
        options = {"batch_sampler": sampler, "pin_memory": pin_memory}
    loader = data.DataLoader(dataset, **options)
    passes = [[batch for batch in loader] for _ in range(epochs)]
    return passes, len(loader), xp.rand(1)


@case(
    covers=("utils.data.random_split", "utils.data.Subset", "utils.data.ConcatDataset"),
    exact=True,
    seed=_SEED,
    n=st.integers(0, 20),
    lengths=st.sampled_from([[0.5, 0.5], [0.3, 0.3, 0.4], [0.1, 0.9], [0.25] * 4, "ints", [0.6, 0.6]]),
    own_generator=st.booleans(),
)
def random_split_indices(xp, seed, n, lengths, own_generator):
    """random_split's index sets (fractions dealt as torch deals the remainder; integer lengths; one
    randperm of the whole), from the global stream or a generator, and ConcatDataset over the parts."""
    data = xp.utils.data
    xp.manual_seed(seed)
    if lengths == "ints":
        lengths = [n // 3, n - n // 3]
    generator = xp.Generator().manual_seed(seed) if own_generator else xp.default_generator
    parts = data.random_split(range(n), lengths, generator=generator)
    joined = data.ConcatDataset(parts)
    return [list(p.indices) for p in parts], [joined[i] for i in range(len(joined))], xp.rand(1)


@st.composite
def _saved(draw):
    return draw(st.sampled_from(["tensors", "views", "model", "optimizer", "nested", "dtypes"]), label="what")


def _saved_object(xp, what):
    xp.manual_seed(0)
    x = xp.arange(12.0).reshape(3, 4)
    if what == "views":
        return {"x": x, "t": x.t(), "row": x[1], "col": x[:, 2], "strided": x[::2, 1::2]}
    if what == "model":
        model = xp.nn.Sequential(xp.nn.Linear(3, 4), xp.nn.ReLU(), xp.nn.Linear(4, 2), xp.nn.BatchNorm1d(2))
        return model.state_dict()
    if what == "optimizer":
        p = xp.nn.Parameter(xp.randn(3))
        opt = xp.optim.Adam([p], lr=0.1, amsgrad=True)
        p.grad = xp.ones(3)
        opt.step()
        return {"optimizer": opt.state_dict(), "param": p}
    if what == "nested":
        return [1, 2.5, "s", None, (x, [x[0], {"k": x.sum()}]), {"n": xp.tensor(3), "size": x.shape}]
    if what == "dtypes":
        return {str(d): xp.tensor([1, 0, 2], dtype=d) for d in (xp.bool, xp.uint8, xp.int8, xp.int16, xp.int32,
                xp.int64, xp.float16, xp.float32, xp.float64, xp.complex64, xp.complex128)}  # fmt: skip
    return {"x": x, "p": xp.nn.Parameter(xp.ones(2)), "e": xp.zeros(0, 3), "s": xp.tensor(2.5), "dt": xp.float64}


def _sharing(obj, seen):
    """Which loaded tensors share a storage: the index of each tensor's storage in order of appearance."""
    if hasattr(obj, "untyped_storage"):
        return seen.setdefault(obj.untyped_storage().data_ptr(), len(seen))
    if isinstance(obj, dict):
        return {k: _sharing(v, seen) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_sharing(v, seen) for v in obj]
    return None


@case(
    covers=("save", "load", "serialization.add_safe_globals"),
    exact=True,
    what=_saved(),
    weights_only=st.sampled_from([None, True, False]),
    map_location=st.sampled_from([None, "cpu", "device", "dict", "keep_storage", "default"]),
)
def save_load(xp, what, weights_only, map_location):
    """torch.save then torch.load in one library: every tensor's values, dtype, shape, strides, storage
    offset, sharing and requires_grad, the containers' types and a module state_dict's _metadata.  (That a
    file written by either library loads in the other is tested in conformance/test_interop.py.)"""
    obj = _saved_object(xp, what)
    buffer = io.BytesIO()
    xp.save(obj, buffer)
    buffer.seek(0)
    mapping = {
        "device": xp.device("cpu"),
        "dict": {"cpu": "cpu"},
        "keep_storage": lambda storage, location: storage,  # (the classic "load onto the CPU" idiom)
        "default": lambda storage, location: None,  # (None: torch's default placement)
    }
    loaded = xp.load(buffer, weights_only=weights_only, map_location=mapping.get(map_location, map_location))
    offsets = (
        [t.storage_offset() for t in loaded.values() if hasattr(t, "storage_offset")]
        if isinstance(loaded, dict)
        else []
    )
    return loaded, _sharing(loaded, {}), offsets, getattr(loaded, "_metadata", None)


class _Payload:
    """An object a weights_only load must refuse (pickled as a global of this module)."""


@case(covers=("load",), expect_error=True, payload=st.sampled_from(["system", "class", "deque", "ok"]))
def load_weights_only_refusal(xp, payload):
    """An unsafe pickle is refused by default (weights_only=True), with torch's UnpicklingError text."""
    import os

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo this must never run",))

    obj = {"system": Evil(), "class": _Payload(), "deque": collections.deque([1]), "ok": [1, 2]}[payload]
    buffer = io.BytesIO()
    xp.save({"a": obj}, buffer)
    buffer.seek(0)
    return xp.load(buffer)


@case(
    covers=(
        "utils.data.Dataset",
        "utils.data.IterableDataset",
        "utils.data.Sampler",
        "utils.data.default_convert",
        "utils.data.get_worker_info",
        "optim.lr_scheduler.LRScheduler",
    ),  # fmt: skip
    exact=True,
    seed=_SEED,
    n=st.integers(1, 12),
    batch_size=st.sampled_from([None, 1, 3]),
    kind=st.sampled_from(["map", "iterable", "sampler", "concat", "scheduler"]),
)
def user_subclasses(xp, seed, n, batch_size, kind):
    """The base classes programs subclass: a map-style Dataset (and `+` of two), an IterableDataset, a
    Sampler, default_convert (batch_size=None), get_worker_info in the main process, and an LRScheduler
    whose get_lr the program writes."""
    import numpy as np

    data = xp.utils.data
    xp.manual_seed(seed)

    class Squares(data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            return {"x": np.array([i, i * i]), "worker": data.get_worker_info() is None}

    class Counter(data.IterableDataset):
        def __iter__(self):
            return iter(range(n))

    class Backwards(data.Sampler):
        def __init__(self, size):
            self.size = size

        def __iter__(self):
            return iter(range(self.size - 1, -1, -1))

        def __len__(self):
            return self.size

    if kind == "scheduler":

        class Halving(xp.optim.lr_scheduler.LRScheduler):
            def get_lr(self):
                return [base / 2 ** (self.last_epoch // 2) for base in self.base_lrs]

        opt = xp.optim.SGD([xp.nn.Parameter(xp.zeros(1))], lr=0.8)
        sched = Halving(opt)
        rates = [sched.get_last_lr()]
        for _ in range(n):
            opt.step()
            sched.step()
            rates.append(sched.get_last_lr())
        return rates, sorted(sched.state_dict())
    if kind == "iterable":
        loader = data.DataLoader(Counter(), batch_size=batch_size)
    elif kind == "sampler":
        loader = data.DataLoader(Squares(), batch_size=batch_size, sampler=Backwards(n))
    elif kind == "concat":
        loader = data.DataLoader(Squares() + Squares(), batch_size=batch_size, shuffle=True)
    else:
        loader = data.DataLoader(Squares(), batch_size=batch_size)
    return [batch for batch in loader], data.default_convert([np.arange(3), (np.float64(2.5), "s")])
