"""What one case cannot show, since a case runs each library on its own: files written by one library and
read by the other, and DataLoader's worker processes (torch's real ones against the shim's in-process
emulation)."""

from __future__ import annotations

import io
import random
import warnings

import numpy as np
import pytest

from .backends import get_backend, torch_available

pytestmark = pytest.mark.skipif(not torch_available(), reason="compares against torch, which is not installed")


def _libraries():
    return get_backend("torch").xp, get_backend("shim").xp


def _checkpoint(xp):
    """A training checkpoint: a module's state_dict, an optimizer's, and tensors viewing one storage."""
    xp.manual_seed(0)
    model = xp.nn.Sequential(xp.nn.Linear(3, 4), xp.nn.ReLU(), xp.nn.Linear(4, 2), xp.nn.BatchNorm1d(2))
    opt = xp.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(xp.randn(5, 3)).pow(2).sum().backward()
    opt.step()
    x = xp.arange(24.0).reshape(4, 6)
    tensors = {"x": x, "t": x.t(), "row": x[2], "strided": x[::2, 1::3], "half": xp.ones(3, dtype=xp.float16)}
    extra = {"i": xp.tensor([1, -2], dtype=xp.int64), "b": xp.tensor([True]), "c": xp.tensor([1 + 2j])}
    return {"model": model.state_dict(), "optimizer": opt.state_dict(), **tensors, **extra, "epoch": 3}


def _describe(obj, storages: dict):
    """Everything observable of a loaded object: per tensor its type, dtype, shape, strides, offset,
    requires_grad, bytes and which storage it shares; containers with their types and _metadata."""
    if hasattr(obj, "untyped_storage"):
        data = obj.detach().contiguous().numpy().tobytes() if obj.numel() else b""
        storage = storages.setdefault(obj.untyped_storage().data_ptr(), len(storages))
        shape = (tuple(obj.shape), obj.stride(), obj.storage_offset())
        return type(obj).__name__, str(obj.dtype).split(".")[-1], shape, obj.requires_grad, data, storage
    if isinstance(obj, dict):
        items = [(k, _describe(v, storages)) for k, v in obj.items()]
        return type(obj).__name__, items, getattr(obj, "_metadata", None)
    if isinstance(obj, (list, tuple)):
        return type(obj).__name__, [_describe(v, storages) for v in obj]
    return repr(obj)


@pytest.mark.parametrize("direction", ["shim->torch", "torch->shim"])
def test_checkpoint_loads_in_the_other_library(direction, tmp_path):
    torch, shim = _libraries()
    writer, reader = (shim, torch) if direction == "shim->torch" else (torch, shim)
    path = tmp_path / "checkpoint.pt"
    saved = _checkpoint(writer)
    writer.save(saved, path)
    assert _describe(reader.load(path), {}) == _describe(saved, {})


def test_shim_file_has_torch_layout(tmp_path):
    """The archive's records are torch's, in torch's order, each storage's data aligned to 64 bytes."""
    import zipfile

    torch, shim = _libraries()
    names = []
    for xp in (torch, shim):
        path = tmp_path / f"{xp.__name__}.pt"
        xp.save({"a": xp.ones(3), "b": xp.zeros(2, dtype=xp.int64)}, path)
        with zipfile.ZipFile(path) as archive:
            names.append([i.filename.split("/", 1)[1] for i in archive.infolist()])
            raw = path.read_bytes()
            for info in archive.infolist():
                if "/data/" in info.filename:
                    name_len, extra_len = np.frombuffer(raw[info.header_offset + 26 : info.header_offset + 30], "<u2")
                    assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0
    assert names[0] == names[1]


def test_unsafe_file_is_refused_without_running_it(tmp_path):
    """A pickle naming os.system: both refuse it by default with the same message, and nothing runs."""
    import os

    torch, shim = _libraries()
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    buffer = io.BytesIO()
    torch.save({"a": Evil()}, buffer)
    messages = []
    for xp in (torch, shim):
        buffer.seek(0)
        with pytest.raises(Exception) as info:
            xp.load(buffer)
        messages.append((type(info.value).__name__, str(info.value)))
    assert messages[0] == messages[1]
    assert not marker.exists()


class _RandomSamples:
    """A dataset whose samples draw from the global stream and from Python's random (module level, so that
    torch's worker processes can run it)."""

    def __init__(self, xp, n: int) -> None:
        self.xp, self.n = xp, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        return self.xp.rand(2) + random.random() + i


class _Shards:
    """An IterableDataset split between workers with get_worker_info()."""

    def __new__(cls, xp):
        data = xp.utils.data

        class Shards(data.IterableDataset):
            def __iter__(self):
                info = data.get_worker_info()
                first = 0 if info is None else info.id * 10
                return iter(range(first, first + 5 + (0 if info is None else info.id)))

        return Shards()


def _reseed_worker_one(worker_id: int) -> None:
    if worker_id == 1:
        random.seed(123)


@pytest.mark.parametrize("workers", [2, 3])
def test_worker_batches_match_torch(workers):
    """num_workers > 0: the same batches in the same order, random draws inside workers included."""
    results = []
    for xp in _libraries():
        data = xp.utils.data
        xp.manual_seed(11)
        random.seed(5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (torch's note that the machine has fewer cores than workers)
            shuffled = data.DataLoader(
                _RandomSamples(xp, 13), batch_size=3, shuffle=True, num_workers=workers,
                worker_init_fn=_reseed_worker_one,
            )  # fmt: skip
            passes = [[b.tolist() for b in shuffled] for _ in range(2)]
            shards = [b.tolist() for b in data.DataLoader(_Shards(xp), batch_size=2, num_workers=workers)]
        results.append((passes, shards, xp.rand(1).item(), random.random()))
    assert results[0] == results[1]


def test_example_weights_saved_by_the_shim_load_in_torch(tmp_path):
    """examples/mlp_training_loop.py under `python -m shim` saves its trained weights; torch loads them
    into its own model with every key matched, and the tensors are the ones the shim wrote."""
    import subprocess
    import sys
    from pathlib import Path

    torch, shim = _libraries()
    path = tmp_path / "weights.pt"
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "shim", "examples/mlp_training_loop.py", str(path)]
    subprocess.run(command, cwd=root, check=True, capture_output=True, timeout=300)
    state = torch.load(path)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    assert not model.load_state_dict(state).missing_keys
    assert _describe(state, {}) == _describe(shim.load(path), {})
