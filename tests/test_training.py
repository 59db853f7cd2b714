"""optim, lr_scheduler, utils.data and save/load within the shim (torch absent): arithmetic a reader can
check by hand, round trips, and the safety rule of weights_only loads."""

from __future__ import annotations

import io
import os
import pickle

import pytest

import shim


def test_sgd_momentum_update_by_hand():
    p = shim.nn.Parameter(shim.tensor([1.0, -2.0], dtype=shim.float64))
    opt = shim.optim.SGD([p], lr=0.5, momentum=0.5)
    for _ in range(2):
        p.grad = shim.tensor([2.0, 4.0], dtype=shim.float64)
        opt.step()
    # buffers: g, then 0.5 g + g = 1.5 g; steps 0.5 g and 0.75 g
    assert p.tolist() == [1.0 - 0.5 * 2 - 0.75 * 2, -2.0 - 0.5 * 4 - 0.75 * 4]
    assert list(opt.state_dict()["state"][0]) == ["momentum_buffer"]


def test_adam_first_step_moves_by_lr():
    p = shim.nn.Parameter(shim.tensor([1.0, 1.0], dtype=shim.float64))
    opt = shim.optim.Adam([p], lr=0.1, eps=0.0)
    p.grad = shim.tensor([3.0, -0.5], dtype=shim.float64)
    opt.step()  # bias-corrected m / sqrt(v) is sign(g) at the first step
    assert p.tolist() == pytest.approx([0.9, 1.1], abs=1e-15)
    assert opt.state[p]["step"].item() == 1.0


@pytest.mark.parametrize("dtype", [shim.float32, shim.float64])
@pytest.mark.parametrize(
    "options",
    [{}, {"amsgrad": True, "maximize": True}, {"weight_decay": 0.1, "decoupled_weight_decay": True}],
    ids=["plain", "amsgrad-maximize", "adamw"],
)
def test_adam_array_kernel_matches_its_tensor_ops(dtype, options):
    """Adam's update on arrays (the fast path) gives the bits, state and version counts of its tensor ops."""
    shim.manual_seed(0)
    start = shim.randn(257, dtype=dtype) * 10
    start[:40] = 0  # zero gradients and moments: fma's exact-zero branch
    runs = []
    for kernel in ("arrays", "tensors"):
        p = shim.nn.Parameter(start.clone())
        opt = shim.optim.Adam([p], lr=0.01, **options)
        if kernel == "tensors":
            opt._update = opt._update_tensors
        gen = shim.Generator().manual_seed(1)
        for _ in range(4):
            p.grad = shim.randn(257, dtype=dtype, generator=gen) * (p.detach() != 0)
            opt.step()
        state = opt.state[p]
        runs.append([p.detach(), *(state[k] for k in sorted(state))] + [p._version, state["exp_avg_sq"]._version])
    for got, expected in zip(*runs):
        if isinstance(got, shim.Tensor):
            assert got.dtype == expected.dtype and got.numpy().tobytes() == expected.numpy().tobytes()
        else:
            assert got == expected


@pytest.mark.parametrize(
    "options",
    [{}, {"amsgrad": True, "maximize": True}, {"weight_decay": 0.1, "decoupled_weight_decay": True}],
    ids=["plain", "amsgrad-maximize", "adamw"],
)
def test_adam_updates_small_parameters_together_with_the_bits_of_each_alone(options):
    """Small parameters are updated by one array kernel call over them all: float32 and float64 ones, a
    transposed one, one that lags a step (its gradient missing every third step), one larger than the
    batch takes between them, and two that share memory (a view of another parameter: those go alone, in
    order) all end with the bits, state and version counts of each parameter's own tensor ops."""
    shim.manual_seed(0)
    shapes = [(3, 4), (7,), (40, 30), (200, 100), (5,), (4, 3), (6,)]
    dtypes = [shim.float32, shim.float64, shim.float32, shim.float32, shim.float32, shim.float32, shim.float32]
    starts = [shim.randn(s, dtype=d) for s, d in zip(shapes, dtypes)]
    runs = []
    for kernel in ("batched", "tensors"):
        params = [shim.nn.Parameter(s.clone()) for s in starts]
        params[5] = shim.nn.Parameter(starts[5].clone().t().contiguous().t())  # (column-major memory)
        params.insert(2, shim.nn.Parameter(params[1].detach()[2:5]))  # (a view of parameter 1's memory)
        opt = shim.optim.Adam(params, lr=0.01, **options)
        if kernel == "tensors":
            opt._batch, opt._update = (lambda group: None), opt._update_tensors
        gen = shim.Generator().manual_seed(1)
        for step in range(5):
            for i, p in enumerate(params):
                p.grad = None if i == 4 and step % 3 == 2 else shim.randn(p.shape, dtype=p.dtype, generator=gen)
            opt.step()
        run = []
        for p in params:
            state = opt.state[p]
            run += [p.detach().clone(), *(state[k] for k in sorted(state)), p._version, state["exp_avg_sq"]._version]
        runs.append(run)
    assert len(runs[0]) == len(runs[1])
    for got, expected in zip(*runs):
        if isinstance(got, shim.Tensor):
            assert got.dtype == expected.dtype and got.numpy().tobytes() == expected.numpy().tobytes()
        else:
            assert got == expected


def test_invalid_hyper_parameters():
    p = shim.nn.Parameter(shim.zeros(1))
    with pytest.raises(ValueError, match=r"Invalid learning rate: -0.1"):
        shim.optim.SGD([p], lr=-0.1)
    with pytest.raises(ValueError, match=r"Invalid beta parameter at index 1: 1.0"):
        shim.optim.Adam([p], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        shim.optim.Adam([])


def test_step_lr_and_order_warning():
    p = shim.nn.Parameter(shim.zeros(1))
    opt = shim.optim.SGD([p], lr=1.0)
    sched = shim.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()
    rates = [sched.get_last_lr()[0]]
    for _ in range(4):
        opt.step()
        sched.step()
        rates.append(sched.get_last_lr()[0])
    assert rates == [1.0, 0.5, 0.5, 0.25, 0.25]


def test_dataloader_batches_and_collation():
    data = shim.utils.data
    ds = data.TensorDataset(shim.arange(10), shim.arange(10.0) * 2)
    batches = list(data.DataLoader(ds, batch_size=4))
    assert [b[0].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[0][1].dtype is shim.float32
    shim.manual_seed(0)
    shuffled = [i for b in data.DataLoader(ds, batch_size=3, shuffle=True, drop_last=True) for i in b[0].tolist()]
    assert len(shuffled) == 9 and len(set(shuffled)) == 9
    collated = data.default_collate([{"a": 1.5, "b": (1, "x")}, {"a": 2.5, "b": (2, "y")}])
    assert collated["a"].dtype is shim.float64 and collated["b"][0].tolist() == [1, 2]
    assert collated["b"][1] == ("x", "y")  # strings stay as collected: the transposed tuple


def test_save_load_round_trip_keeps_sharing_strides_and_types(tmp_path):
    x = shim.arange(12.0).reshape(3, 4)
    model = shim.nn.Linear(3, 2)
    obj = {"x": x, "t": x.t(), "row": x[1], "model": model.state_dict(), "n": 3, "dt": shim.int16}
    path = tmp_path / "ckpt.pt"
    shim.save(obj, path)
    loaded = shim.load(path)
    assert loaded["t"].stride() == (1, 4) and loaded["row"].storage_offset() == 4
    assert loaded["t"].untyped_storage().data_ptr() == loaded["x"].untyped_storage().data_ptr()
    assert loaded["x"].tolist() == x.tolist() and loaded["dt"] is shim.int16
    assert loaded["model"]._metadata == obj["model"]._metadata
    loaded["x"][0, 0] = 100.0  # shared storage: the transpose sees the write
    assert loaded["t"][0, 0].item() == 100.0
    model.load_state_dict(loaded["model"])


def test_a_damaged_record_loads_as_torch_loads_it():
    """torch's reader does not verify a record's CRC (measured: a storage whose first float was overwritten
    loads with the new value); the shim reads records straight from the file in the same way."""
    buffer = io.BytesIO()
    shim.save({"w": shim.arange(4.0)}, buffer)
    raw = bytearray(buffer.getvalue())
    at = raw.find(shim.arange(4.0).numpy().tobytes())
    raw[at : at + 4] = shim.tensor([42.0]).numpy().tobytes()
    assert shim.load(io.BytesIO(bytes(raw)))["w"].tolist() == [42.0, 1.0, 2.0, 3.0]


def test_weights_only_refuses_code(tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    buffer = io.BytesIO()
    shim.save({"a": Evil()}, buffer)
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        shim.load(buffer)
    assert not marker.exists()
