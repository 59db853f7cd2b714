"""The shim's costly elementwise kernels split between torch's threads (shim/_cpu/parallel.py): the same
values, bit for bit, on any number of threads, numpy's quiet error state in every thread, a part's error
raised."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest

import shim
from shim._cpu import parallel


@pytest.fixture
def threads(monkeypatch):
    """Sets the threads the shim splits its work between, not torch's modelled count (which decides, as in
    torch, which elements a vector loop computes)."""
    return lambda count: monkeypatch.setattr(parallel, "get_num_threads", lambda: count)


def test_long_costly_kernels_give_the_same_bits_on_any_number_of_threads(threads):
    rng = np.random.default_rng(5)
    values = np.concatenate([rng.normal(0, 30, parallel.PARALLEL_FROM * 3 + 77), [0.0, -0.0, np.inf, -np.inf, np.nan]])
    ops = {
        "exp": shim.exp,
        "sin": shim.sin,
        "sqrt": lambda x: x.abs().sqrt(),
        "expm1": shim.expm1,
        "sigmoid": shim.sigmoid,
        "silu": shim.nn.functional.silu,
        "softplus": shim.nn.functional.softplus,
        "atan2": lambda x: shim.atan2(x, x.flip(0)),
        "pow": lambda x: x.abs() ** (x.flip(0).abs() % 3),
        "randn": lambda x: (shim.manual_seed(3), shim.randn(x.shape, dtype=x.dtype))[1],
    }
    seen = {}
    for count in (1, 2, 3):
        threads(count)
        assert len(parallel.parts(values.size)) == count
        for dtype in (shim.float32, shim.float64):
            x = shim.tensor(values, dtype=dtype)
            for name, op in ops.items():
                r = op(x).numpy()
                # (a NaN's sign is numpy's loops' choice, which already varies with an array's length)
                bits = np.where(np.isnan(r), np.nan, r).tobytes()
                assert seen.setdefault((name, dtype), bits) == bits, (name, dtype, count)


def test_every_thread_keeps_numpy_quiet_and_a_parts_error_is_raised(threads):
    threads(2)
    x = shim.full((parallel.PARALLEL_FROM * 2,), 1000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (exp overflows to inf in both parts, silently as in torch)
        assert shim.exp(x).isinf().all()

    def work(part: slice) -> None:
        if part.start:
            raise ValueError("second part")

    with pytest.raises(ValueError, match="second part"):
        parallel.in_parts(parallel.PARALLEL_FROM * 2, work)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_forked_child_splits_its_work_on_threads_of_its_own(threads):
    import os

    threads(2)
    x = shim.full((parallel.PARALLEL_FROM * 2,), 0.5)
    expected = shim.exp(x).numpy().tobytes()  # (the parent's pool is started)
    pid = os.fork()
    if pid == 0:  # the child: its own pool, else the second part never runs and this hangs
        ok = shim.exp(x).numpy().tobytes() == expected
        os._exit(0 if ok else 1)
    for _ in range(600):  # (a hung child fails the test in 30 s rather than hanging it)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung")
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_split_inside_a_part_runs_whole(threads):
    # at::in_parallel_region: a part that splits its own work again (normal_ with a std: the Box-Muller's
    # parts end in an fma32 that splits long arrays) computes it whole, not waiting on its own pool
    threads(2)
    seen = []

    def work(part: slice) -> None:
        seen.append(parallel.parts(parallel.PARALLEL_FROM * 4))

    parallel.in_parts(parallel.PARALLEL_FROM * 2, work)
    assert [len(inner) for inner in seen] == [1, 1]
    shim.manual_seed(0)
    drawn = shim.empty(parallel.PARALLEL_FROM * 8).normal_(1.0, 3.0)
    assert drawn.isfinite().all()


def test_rows_split_with_the_result_and_a_row_of_weights_goes_whole(threads):
    # layer_norm's last step: fma32((x - mean) * rstd, weight, bias), the weight and bias one row each
    from shim._cpu.fma import fma32

    rng = np.random.default_rng(2)
    x = rng.standard_normal((4096, 128)).astype(np.float32)
    weight, bias = rng.standard_normal((2, 128)).astype(np.float32)
    results = []
    for count in (1, 2):
        threads(count)
        assert len(parallel.parts(x.size)) == count
        results.append(fma32(x, weight, bias))
    assert results[0].tobytes() == results[1].tobytes() and results[1].shape == x.shape
