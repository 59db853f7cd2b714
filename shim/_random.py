"""torch's CPU random streams, bit for bit: MT19937 seeded as at::mt19937, and torch's transforms.

See ../shared/reference/torch-rng.md for the measured facts this module follows.
"""

from __future__ import annotations

import math
import os
import struct

import numpy as np

from . import _dtypes
from ._cpu import parallel
from ._cpu.avx_mathfun import normal_fill_16_avx2
from ._cpu.capability import capability
from ._cpu.fma import fma32, fma64, fma_scalar
from ._cpu.libm import glibc_cos, glibc_exp, glibc_log, glibc_log1p, glibc_sin, glibc_tan, normal_fill_16_default
from ._tensor import Tensor, make

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state"]

_DEFAULT_GENERATOR_SEED = 67280421310721
_STATE_BYTES = 5056


def _init_genrand(seed32: int) -> np.ndarray:
    key = np.empty(624, np.uint32)
    x = seed32 & 0xFFFFFFFF
    key[0] = x
    for i in range(1, 624):
        x = (1812433253 * (x ^ (x >> 30)) + i) & 0xFFFFFFFF
        key[i] = x
    return key


# the bit generator's own outputs (uint64) cost ~1 us where integers() costs ~8, but converting them to uint32
# costs more than integers() from a few thousand on
_RAW_DRAWS_UP_TO = 4096


class Generator:
    """torch.Generator on the CPU: MT19937 plus the cached Box-Muller sample of the scalar normal path."""

    def __init__(self, device="cpu"):
        self.device = device if not isinstance(device, str) else _device(device)
        self._bits = np.random.MT19937(0)
        self._draws = np.random.Generator(self._bits)  # its full-range uint32 draws are MT19937's outputs
        self._seed = 0
        self._next_is_fresh = True  # torch's `next_ = 0` right after seeding
        self._normal_cache = None  # cached double (r * sin(theta)) of the scalar normal path
        self.manual_seed(_DEFAULT_GENERATOR_SEED)

    # -- seeding ------------------------------------------------------------------------------
    def manual_seed(self, seed) -> Generator:
        seed = _check_seed(seed)
        self._seed = seed
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": _init_genrand(seed), "pos": 624}}
        self._next_is_fresh = True
        self._normal_cache = None
        return self

    def seed(self) -> int:
        s = int.from_bytes(os.urandom(8), "little") & ((1 << 63) - 1)
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    # -- raw draws ------------------------------------------------------------------------------
    def _raw32(self, n: int) -> np.ndarray:
        """n consecutive 32-bit outputs (torch's random()), as uint32."""
        if n:
            self._next_is_fresh = False
        if n <= _RAW_DRAWS_UP_TO:
            return self._bits.random_raw(n).astype(np.uint32)
        return self._draws.integers(0, 0xFFFFFFFF, n, np.uint32, endpoint=True)

    def _raw64(self, n: int) -> np.ndarray:
        """n random64() values: two outputs each, high word first."""
        r = self._raw32(2 * n).astype(np.uint64)
        return (r[0::2] << np.uint64(32)) | r[1::2]

    # -- state ----------------------------------------------------------------------------------
    def get_state(self) -> Tensor:
        st = self._bits.state["state"]
        pos = int(st["pos"])
        if self._next_is_fresh:
            left, nxt = 1, 0
        else:
            left, nxt = 625 - pos, pos
        buf = bytearray(_STATE_BYTES)
        struct.pack_into("<QiiQ", buf, 0, self._seed, left, 1, nxt)
        np.frombuffer(buf, dtype="<u8", count=624, offset=24)[:] = np.asarray(st["key"], dtype=np.uint64)
        cache = self._normal_cache
        struct.pack_into("<dddi", buf, 5016, 0.0, cache if cache is not None else 0.0, 0.0, int(cache is not None))
        return make(np.frombuffer(bytes(buf), dtype=np.uint8).copy(), _dtypes.uint8)

    def set_state(self, new_state) -> Generator:
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state._dtype is not _dtypes.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = new_state._a.tobytes()
        if len(raw) != _STATE_BYTES:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but found the input RNG state size to be "
                f"{len(raw)}"
            )
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", raw, 0)
        if not (seeded and 0 < left <= 624 and nxt <= 624):  # at::mt19937::is_valid
            raise RuntimeError("Invalid mt19937 state")
        key = np.frombuffer(raw, dtype="<u8", count=624, offset=24).astype(np.uint32)
        if left == 1 and nxt == 0:
            pos, fresh = 624, True
        elif left + nxt == 625:
            pos, fresh = nxt, False
        else:
            raise NotImplementedError("the shim only restores generator states reachable by normal use")
        self._seed = seed
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        self._next_is_fresh = fresh
        _x, y, _rho, valid = struct.unpack_from("<dddi", raw, 5016)
        self._normal_cache = y if valid else None
        return self

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {id(self):#x}>"


Generator.__module__ = "torch"


def _device(spec):
    from ._devices import parse_device

    return parse_device(spec)


def _check_seed(seed) -> int:
    """Generator.manual_seed's argument: a Python int in [-2**63, 2**64) (negative seeds wrap)."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    seed = int(seed)
    if not -(1 << 63) <= seed < (1 << 64):
        raise ValueError("Overflow when unpacking long long")
    return seed & ((1 << 64) - 1)


default_generator = Generator()
default_generator.seed()  # torch 2.13 seeds the default generator non-deterministically at start-up


def manual_seed(seed) -> Generator:
    return default_generator.manual_seed(int(seed))  # torch.manual_seed converts with int() first


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    default_generator.set_state(new_state)


def _gen(generator, device=None) -> Generator:
    """The generator a kernel draws from; given the device it fills (a factory's), torch's check that the
    generator belongs to that device's type."""
    if generator is None:
        return default_generator
    if device is not None:
        from ._devices import tensor_device

        want, have = tensor_device(device).type, _device(generator.device).type
        if want != have:
            raise RuntimeError(f"Expected a '{want}' device type for generator but found '{have}'")
    return generator


# -- uniform ---------------------------------------------------------------------------------------
_F32_SCALE = np.float32(2.0**-24)
_F64_SCALE = 2.0**-53


def _fused() -> bool:
    """Whether torch's AVX2 kernel copy runs here: GCC fused `x * (to - from) + from` and `r * std + mean`
    there, and not in the DEFAULT copy (see _cpu/capability.py)."""
    return capability() != "DEFAULT"


def _uniform01(gen: Generator, n: int, np_dtype, out: np.ndarray | None = None) -> np.ndarray:
    """n draws of uniform_real_distribution(0, 1) in the given dtype, in draw order (into `out` if given)."""
    wide = np_dtype == np.float64
    bits = gen._raw64(n) if wide else gen._raw32(n)
    bits &= bits.dtype.type((1 << 53) - 1 if wide else 0xFFFFFF)
    signed = bits.view(np.int64 if wide else np.int32)  # (signed integers convert faster)
    return np.multiply(signed, _F64_SCALE if wide else _F32_SCALE, out=out, dtype=np_dtype)


def _work_array(out: np.ndarray, np_dtype) -> tuple[np.ndarray, bool]:
    """Where a kernel computes its values in memory order: `out` itself when it is contiguous and of the
    working dtype (then nothing is left to store), else a new array."""
    if out.flags.c_contiguous and out.dtype == np_dtype:
        return out.reshape(-1), True
    return np.empty(out.size, np_dtype), False


def _axpb(x: np.ndarray, a, b) -> np.ndarray:
    """x * a + b as the kernel computes it: one rounding where the compiler fused it, else two."""
    if not _fused():
        return x * a + b
    return fma64(x, a, b) if x.dtype == np.float64 else fma32(x, a, b)


def fill_uniform(out: np.ndarray, gen: Generator, low=0.0, high=1.0) -> None:
    """out[...] = uniform(low, high) in memory order, as torch's uniform_ kernel fills it: computed in
    float (float16 too) or double, rounded to the dtype, and a value equal to `to` replaced by `from`."""
    np_dtype = np.float64 if out.dtype == np.float64 else np.float32
    u, in_place = _work_array(out, np_dtype)
    _uniform01(gen, out.size, np_dtype, out=u)
    lo, hi = out.dtype.type(low), out.dtype.type(high)  # from and to are cast to the dtype first
    if low != 0.0 or high != 1.0:
        u[...] = _axpb(u, np_dtype(np_dtype(hi) - np_dtype(lo)), np_dtype(lo))
    if not in_place:
        u = u.astype(out.dtype)
    u[u == hi] = lo
    if not in_place:
        _store_memory_order(out, u)


def _store_memory_order(out: np.ndarray, values: np.ndarray) -> None:
    """Write values into `out` following its memory layout (torch's TensorIterator order)."""
    if out.dtype == np.float16 and values.dtype != np.float32:
        values = values.astype(np.float32)  # c10::Half is made from a float: a double or int64 rounds twice
    # the memory-order view of `out`: a flat view of a contiguous array, else its axes by stride
    target = out.reshape(-1) if out.flags.c_contiguous else np.transpose(out, _memory_order(out))
    with np.errstate(over="ignore", invalid="ignore"):  # out-of-range values become inf, as in C++
        np.copyto(target, values.reshape(target.shape), casting="unsafe")


def _memory_order(out: np.ndarray) -> np.ndarray:
    """The axes of `out` from the largest stride to the smallest."""
    return np.argsort(np.asarray(out.strides), kind="stable")[::-1]


# -- normal ----------------------------------------------------------------------------------------
_TWO_PI = 2.0 * math.pi
_CHUNK_BLOCKS = 4096  # normal_fill works on cache-sized chunks of 16-value blocks


def _normal_scalar(gen: Generator, n: int, mean: float, std: float) -> np.ndarray:
    """torch's scalar normal path (at::normal_distribution<double>), with its cached second sample."""
    values = []  # r cos(theta), then r sin(theta), pair by pair, after a value cached by an earlier call
    if n and gen._normal_cache is not None:
        values.append(gen._normal_cache)
        gen._normal_cache = None
    pairs = (n - len(values) + 1) // 2
    if pairs:
        uniforms = _uniform01(gen, 2 * pairs, np.float64).tolist()  # (u1, u2) of each pair, in draw order
        for u1, u2 in zip(uniforms[::2], uniforms[1::2]):
            r = math.sqrt(-2.0 * math.log1p(-u2))  # (math's functions are the C library's)
            theta = _TWO_PI * u1
            values += (r * math.cos(theta), r * math.sin(theta))
        if len(values) > n:
            gen._normal_cache = values.pop()
    if _fused() and std != 1.0:  # (a product by 1 is exact: the one rounding is the sum's)
        return np.array([fma_scalar(v, std, mean) for v in values], np.float64)
    return np.array([v * std + mean for v in values], np.float64)


def _box_muller_f64(blocks: np.ndarray, mean: float, std: float) -> np.ndarray:
    """normal_fill_16<double>: glibc log and sincos, then std::fma(r * cos, std, mean)."""
    u1 = 1.0 - blocks[:, :8]
    u2 = blocks[:, 8:]
    radius = np.sqrt(-2.0 * glibc_log(u1))
    theta = _TWO_PI * u2
    out = np.empty_like(blocks)
    out[:, :8] = fma64(radius * glibc_cos(theta), std, mean)
    out[:, 8:] = fma64(radius * glibc_sin(theta), std, mean)
    return out


def _box_muller_f32(blocks: np.ndarray, mean: float, std: float) -> np.ndarray:
    if _fused():
        return normal_fill_16_avx2(blocks, mean, std)
    return normal_fill_16_default(blocks, mean, std)


def _normal_fill(gen: Generator, data: np.ndarray, mean: float, std: float, whole_blocks=False) -> None:
    """torch's normal_fill for >= 16 contiguous elements, into the 1-d `data`: uniforms transformed 16 at
    a time, then, when 16 does not divide their number, 16 fresh uniforms recompute the last 16 outputs.
    float16's kernel (float32 arithmetic) draws uniforms for the whole blocks only (`whole_blocks`)."""
    n, np_dtype = data.size, data.dtype.type
    transform = _box_muller_f64 if np_dtype == np.float64 else _box_muller_f32
    full = (n // 16) * 16
    drawn = full if whole_blocks else n
    _uniform01(gen, drawn, np_dtype, out=data[:drawn])
    blocks = data[:full].reshape(-1, 16)

    def work(part: slice) -> None:  # (each block transformed on its own: split between torch's threads)
        mine = blocks[part.start // 16 : part.stop // 16]
        for start in range(0, len(mine), _CHUNK_BLOCKS):
            chunk = mine[start : start + _CHUNK_BLOCKS]
            chunk[...] = transform(chunk, mean, std)

    parallel.in_parts(full, work)
    if n % 16:
        data[n - 16 :] = transform(_uniform01(gen, 16, np_dtype).reshape(1, 16), mean, std)[0]


def fill_normal(out: np.ndarray, gen: Generator, mean=0.0, std=1.0) -> None:
    if out.size >= 16 and out.flags.c_contiguous:  # float16 runs the float32 kernel, then rounds
        values, in_place = _work_array(out, np.float64 if out.dtype == np.float64 else np.float32)
        _normal_fill(gen, values, mean, std, whole_blocks=out.dtype == np.float16)
        if in_place:
            return
    else:
        values = _normal_scalar(gen, out.size, mean, std)
    _store_memory_order(out, values)


# -- integers --------------------------------------------------------------------------------------
def fill_randint(out: np.ndarray, gen: Generator, span: int, base: int) -> None:
    """random_from_to's kernel: (draw % span) + base, one 64-bit draw per element where span >= 2**28
    (public wheels' threshold, for every dtype), else one 32-bit draw; then cast to the dtype."""
    raw = gen._raw64(out.size) if span >= (1 << 28) else gen._raw32(out.size)
    if span:
        raw %= raw.dtype.type(span)
    else:
        raw[...] = 0
    values, in_place = _work_array(out, np.int64)
    np.add(raw.view(np.int64 if raw.dtype == np.uint64 else np.int32), np.int64(base), out=values)  # wraps as C++
    if not in_place:
        _store_memory_order(out, values)


def fill_bernoulli(out: np.ndarray, gen: Generator, p: float | np.ndarray) -> None:
    """Bernoulli draws in memory order: `uniform < p`.  A float p (bernoulli_scalar_kernel_default) and
    a float64 p tensor draw a double (two raw words) per element; a float32/float16 p tensor draws a float.
    (On Intel CPUs torch's float-p kernel calls MKL's MCG31 generator instead; the shim does not.)"""
    if isinstance(p, np.ndarray):  # p's values in the order the output is filled
        p = np.transpose(np.broadcast_to(p, out.shape), _memory_order(out)).reshape(-1)
    else:
        p = np.float64(p)
    if p.dtype == np.float64:
        hit = _uniform01(gen, out.size, np.float64) < p.astype(np.float64)
    else:
        hit = _uniform01(gen, out.size, np.float32) < p.astype(np.float32)
    _store_memory_order(out, hit)


# -- the serial kernels: one double draw per element, in memory order, transformed in double ------------------
def fill_exponential(out: np.ndarray, gen: Generator, lambd: float) -> None:
    """exponential_distribution<double>: -1 / lambda * log1p(-u) (torch's CPU build has no MKL path here)."""
    _store_memory_order(out, (-1.0 / lambd) * glibc_log1p(-_uniform01(gen, out.size, np.float64)))


def fill_cauchy(out: np.ndarray, gen: Generator, median: float, sigma: float) -> None:
    u = _uniform01(gen, out.size, np.float64)
    _store_memory_order(out, _axpb(glibc_tan(math.pi * (u - 0.5)), sigma, median))  # fused in the AVX2 build


def fill_geometric(out: np.ndarray, gen: Generator, p: float) -> None:
    u = _uniform01(gen, out.size, np.float64)
    with np.errstate(divide="ignore"):
        _store_memory_order(out, np.ceil(glibc_log(u) / math.log1p(-p)))


def fill_log_normal(out: np.ndarray, gen: Generator, mean: float, std: float) -> None:
    """lognormal_distribution<double>: exp of the scalar normal path (with its cached second sample)."""
    with np.errstate(over="ignore"):
        _store_memory_order(out, glibc_exp(_normal_scalar(gen, out.size, mean, std)))


# random_() with no bounds: uniform_int_distribution<T>, by dtype: (draw width, modulus; None keeps the bit)
_FULL_RANGE = {
    np.dtype(np.bool_): (32, None),
    np.dtype(np.uint8): (32, 1 << 8),
    np.dtype(np.int8): (32, 1 << 7),
    np.dtype(np.int16): (32, 1 << 15),
    np.dtype(np.int32): (32, 1 << 31),
    np.dtype(np.int64): (64, 1 << 63),
    np.dtype(np.float16): (32, (1 << 11) + 1),
    np.dtype(np.float32): (32, (1 << 24) + 1),
    np.dtype(np.float64): (64, (1 << 53) + 1),
}


def fill_random(out: np.ndarray, gen: Generator) -> None:
    width, modulus = _FULL_RANGE[out.dtype]
    raw = gen._raw64(out.size) if width == 64 else gen._raw32(out.size)
    values = raw & raw.dtype.type(1) if modulus is None else raw % raw.dtype.type(modulus)
    _store_memory_order(out, values)


def _apply_swaps(targets: np.ndarray, n: int) -> np.ndarray:
    """arange(n) after `for i: swap(r[i], r[targets[i]])` (targets[i] >= i), without the Python loop.

    Position i is final after step i, and receives what position targets[i] holds then: its original
    value if no earlier step targeted it, else what the last such step k moved there, the value position
    k held at step k.  That value is itself position k's original value or an earlier step's, so it is
    the root of a chain of "last earlier step that targeted me" pointers, found by pointer jumping."""
    steps = np.arange(len(targets), dtype=np.int64)
    keys = np.sort(targets * n + steps)  # steps grouped by target, in step order
    # the last earlier step with the same target as step i
    by_target, step_of = keys // n, keys % n
    same = by_target[1:] == by_target[:-1]
    prev = np.full(len(targets), -1, np.int64)
    prev[step_of[1:][same]] = step_of[:-1][same]
    has_prev = prev >= 0
    # for every position p: the last step before p that targeted p (p's value at step p comes from there)
    positions = np.arange(n, dtype=np.int64)
    at = np.searchsorted(keys, positions * n + positions)
    last = np.where(at > 0, keys[np.maximum(at - 1, 0)], -1)
    root = np.where((at > 0) & (last // n == positions), last % n, positions)
    while True:  # pointer jumping: follow the chain to a position no earlier step targeted
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    out = np.empty(n, np.int64)
    out[:-1] = np.where(has_prev, root[prev], targets)
    last_target = np.searchsorted(keys, (n - 1) * n + (n - 1))
    out[-1] = root[n - 1] if last_target and keys[last_target - 1] // n == n - 1 else n - 1
    return out


def randperm_values(gen: Generator, n: int) -> np.ndarray:
    r = np.arange(n, dtype=np.int64)
    if n < 0xFFFFFFFF // 20:
        if n > 1:
            steps = np.arange(n - 1, dtype=np.int64)
            targets = steps + (gen._raw32(n - 1) % (n - steps).astype(np.uint64)).astype(np.int64)
            r = _apply_swaps(targets, n)
    else:
        for i in range(n - 1, 0, -1):
            z = int(gen._raw64(1)[0]) % (i + 1)
            r[i], r[z] = r[z], r[i]
    return r
