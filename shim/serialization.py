"""torch.save and torch.load in torch 2.13's zip format, so that files pass between the shim and torch.

A file is an uncompressed zip whose records sit under one folder (the file's stem, or "archive" for a file
object): `data.pkl` (a protocol-2 pickle that names torch's own rebuild functions and storage classes, so
that torch reads it), one `data/<key>` record per storage with its raw little-endian bytes aligned to 64,
and `.format_version`, `.storage_alignment`, `byteorder`, `version`, `.data/serialization_id`.  Tensors
that view one storage are written once and come back sharing it.

`load` defaults to `weights_only=True`, as torch 2.13 does: the unpickler then resolves only tensors,
storages, containers and torch's plain types, so a file cannot run code unless the caller opts in.
"""

from __future__ import annotations

import _compat_pickle
import functools
import io
import os
import pickle
import secrets
import struct
import zipfile
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _dtypes
from ._devices import CPU, cuda_emulated, device, parse_device
from ._tensor import Size, Tensor, UntypedStorage, make, storage_root

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals",
           "DEFAULT_PROTOCOL"]  # fmt: skip

DEFAULT_PROTOCOL = 2
_ALIGNMENT = 64
_VERSION = b"3\n"

# legacy storage class name (torch.FloatStorage) <-> dtype
# (complex32 and the unsigned types past uint8 have no legacy storage class; the shim keeps complex32 in
# complex64 memory, so it could not write torch's bytes for it either)
_STORAGE_OF = {
    d: d._legacy.split(".")[-1].replace("Tensor", "Storage")
    for d in _dtypes.DTYPES.values()
    if d not in _dtypes.BARELY_SUPPORTED and d is not _dtypes.complex32
}
_DTYPE_OF_STORAGE = {name: d for d, name in _STORAGE_OF.items()}


class _Global:
    """A torch global (module, name) to write into the pickle: the file must name torch's functions and
    classes, which the shim's process does not have."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __call__(self, *args):  # (pickle wants a reduce function to be callable; it is only ever written)
        raise TypeError(f"{self.module}.{self.name} is torch's")


_REBUILD_TENSOR = _Global("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _Global("torch._utils", "_rebuild_parameter")
_SIZE = _Global("torch", "Size")
_DTYPE_GLOBALS = {d: _Global("torch", d._name) for d in _dtypes.DTYPES.values()}
_STORAGE_GLOBALS = {d: _Global("torch", name) for d, name in _STORAGE_OF.items()}
_DEVICE = _Global("torch", "device")


class _Storage:
    """A storage met while pickling: its root array and the dtype its tensors view it as."""

    __slots__ = ("root", "dtype", "location")

    def __init__(self, root: np.ndarray, dtype, location: str) -> None:
        self.root, self.dtype, self.location = root, dtype, location


class _Pickler(pickle._Pickler):
    """Protocol-2 pickler writing shim tensors as torch writes its own: `_rebuild_tensor_v2(storage, offset,
    size, stride, requires_grad, OrderedDict())` with the storage as a persistent id."""

    def __init__(self, file, protocol: int) -> None:
        super().__init__(file, protocol)
        self.storages: dict[int, tuple[str, _Storage]] = {}  # id(root) -> (key, storage)

    def reducer_override(self, obj):
        from .nn.parameter import Parameter

        if isinstance(obj, Parameter):
            return _REBUILD_PARAMETER, (obj.data, obj.requires_grad, OrderedDict())
        if isinstance(obj, Tensor):
            return _REBUILD_TENSOR, (
                self._storage_of(obj),
                obj.storage_offset(),
                tuple(obj.shape),
                tuple(obj.stride()),
                obj.requires_grad,
                OrderedDict(),
            )
        if isinstance(obj, device):
            return _DEVICE, (str(obj),)
        if isinstance(obj, Size):
            return _SIZE, (tuple(obj),)
        return NotImplemented

    def _storage_of(self, t: Tensor) -> _Storage:
        if t._dtype not in _STORAGE_OF:
            raise RuntimeError(f"the shim cannot save {t._dtype} tensors in torch's format yet")
        root = storage_root(t)
        entry = self.storages.get(id(root))
        if entry is None:
            entry = self.storages[id(root)] = (str(len(self.storages)), _Storage(root, t._dtype, str(t.device)))
        elif entry[1].dtype is not t._dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data as different types")
        return entry[1]

    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            key = self.storages[id(obj.root)][0]
            numel = obj.root.nbytes // obj.dtype.itemsize
            return ("storage", _STORAGE_GLOBALS[obj.dtype], key, obj.location, numel)
        return None

    def save_global(self, obj, name=None):
        if isinstance(obj, _Global):
            module, name = obj.module, obj.name
        else:
            module = getattr(obj, "__module__", None) or pickle.whichmodule(obj, name or obj.__qualname__)
            name = name or obj.__qualname__
            if module == "shim" or module.startswith("shim."):  # the shim's classes under torch's names
                module = "torch" + module[4:]
            elif not (module == "torch" or module.startswith("torch.")):  # (the shim's, named as torch's)
                return super().save_global(obj, name)
        self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode())
        self.memoize(obj)

    def save(self, obj, save_persistent_id=True):
        if isinstance(obj, _dtypes.dtype):
            obj = _DTYPE_GLOBALS[obj]
        if isinstance(obj, _Global):
            memo = self.memo.get(id(obj))
            if memo is not None:
                self.write(self.get(memo[0]))
                return None
            return self.save_global(obj)
        return super().save(obj, save_persistent_id)


def _storage_bytes(root: np.ndarray) -> memoryview:
    """The storage's bytes in memory order (a root is dense, in any order of its dims), without a copy
    where they are little-endian already (a copy of a large storage costs more than writing it)."""
    flat = root.ravel(order="K")
    if flat.dtype.byteorder == ">":
        flat = flat.astype(flat.dtype.newbyteorder("<"))
    return memoryview(np.ascontiguousarray(flat)).cast("B")


def _archive_name(f) -> str:
    if isinstance(f, (str, os.PathLike)):
        return os.path.splitext(os.path.basename(os.fspath(f)))[0]
    return "archive"


def _aligned_extra(offset: int, name: str) -> bytes:
    """The local header's extra field that starts the record's data at a multiple of 64 (torch's 'FB' pad)."""
    start = offset + 30 + len(name.encode()) + 4
    pad = -start % _ALIGNMENT
    return struct.pack("<HH", 0x4246, pad) + b"Z" * pad


def save(obj: Any, f, pickle_module: Any = pickle, pickle_protocol: int = DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:  # fmt: skip
    """torch.save: `obj` to a path or a writable binary file object."""
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, pickle_protocol)
    pickler.dump(obj)
    prefix = _archive_name(f)
    records = [("data.pkl", buffer.getvalue()), (".format_version", b"1"), (".storage_alignment", b"64")]
    if not _disable_byteorder_record:
        records.append(("byteorder", b"little"))
    records += [(f"data/{key}", _storage_bytes(s.root)) for key, s in pickler.storages.values()]
    records += [("version", _VERSION), (".data/serialization_id", str(secrets.randbits(128)).zfill(40).encode())]
    opened = open(f, "wb") if isinstance(f, (str, os.PathLike)) else f
    try:
        with zipfile.ZipFile(opened, "w", zipfile.ZIP_STORED) as archive:
            for name, data in records:
                info = zipfile.ZipInfo(f"{prefix}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
                info.extra = _aligned_extra(opened.tell() if opened.seekable() else 0, info.filename)
                archive.writestr(info, data)
    finally:
        if opened is not f:
            opened.close()


# ---- loading ----------------------------------------------------------------------------------------------
UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` from `False` "
    "to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, but it can "
    "result in arbitrary code execution. Do it only if you got the file from a trusted source."
)
DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default with weights_only "
    "https://pytorch.org/docs/stable/generated/torch.load.html."
)
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
_user_safe_globals: dict[str, Any] = {}


def add_safe_globals(safe_globals: list) -> None:
    for g in safe_globals:
        obj, name = g if isinstance(g, tuple) else (g, f"{g.__module__}.{g.__qualname__}")
        _user_safe_globals[name] = obj


def get_safe_globals() -> list:
    return list(_user_safe_globals.values())


def clear_safe_globals() -> None:
    _user_safe_globals.clear()


class safe_globals:
    """Context manager: the given globals are allowed by weights_only loads inside it."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = safe_globals

    def __enter__(self) -> None:
        self._saved = dict(_user_safe_globals)
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc) -> None:
        _user_safe_globals.clear()
        _user_safe_globals.update(self._saved)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None, metadata=None):
    root, dtype, dev = storage
    itemsize = root.itemsize
    if root.size and (not size or 0 not in size):
        end = storage_offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1 if size else storage_offset + 1
        if end > root.size:
            raise RuntimeError(
                f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {storage_offset}, and "
                f"itemsize {itemsize} requiring a storage size of {end * itemsize} are out of bounds for storage "
                f"of size {root.nbytes}"
            )
    view = np.lib.stride_tricks.as_strided(
        root[storage_offset:] if root.size else root, tuple(size), tuple(s * itemsize for s in stride)
    )
    t = make(view, dtype, dev)
    t._storage = root
    t._vc = [1]  # torch builds it with set_, which counts as one write
    t._rg = bool(requires_grad)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks=None):
    from .nn.parameter import Parameter

    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    param = _rebuild_parameter(data, requires_grad)
    for k, v in (state or {}).items():
        setattr(param, k, v)
    return param


@functools.cache
def _allowed_globals() -> dict[str, Any]:
    """What a weights_only load resolves: tensors, storages, dtypes, Size, device and plain containers."""
    import codecs

    import shim

    from .nn.parameter import Parameter

    allowed: dict[str, Any] = {
        "collections.OrderedDict": OrderedDict,
        "collections.Counter": Counter,
        "torch.nn.parameter.Parameter": Parameter,
        "torch.Size": shim.Size,
        "torch.Tensor": Tensor,
        "torch.device": device,
        "_codecs.encode": codecs.encode,
        "builtins.bytearray": bytearray,
        "builtins.set": set,
        "builtins.complex": complex,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
    }
    for d in _dtypes.DTYPES.values():
        allowed[f"torch.{d._name}"] = d
    for name, d in _DTYPE_OF_STORAGE.items():
        allowed[f"torch.{name}"] = _StorageType(d)
    return allowed


class _StorageType:
    """A legacy storage class named in a file (torch.FloatStorage): only its dtype matters."""

    __slots__ = ("dtype",)

    def __init__(self, dtype) -> None:
        self.dtype = dtype


def _resolve_trusted(module: str, name: str):
    """A global of a trusted file: torch's names resolve to the shim's, the rest import as pickle would."""
    allowed = _allowed_globals()
    if f"{module}.{name}" in allowed:
        return allowed[f"{module}.{name}"]
    if module == "torch" or module.startswith("torch."):
        module = "shim" + module[5:]
    import importlib

    obj = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, *, weights_only: bool, load_storage: Callable, **kwargs) -> None:
        super().__init__(file, **kwargs)
        self.weights_only = weights_only
        self.load_storage = load_storage

    def find_class(self, module: str, name: str):
        # protocol 2 writes Python 2's module names (__builtin__, copy_reg); read them as Python 3's
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        if not self.weights_only:
            return _resolve_trusted(module, name)
        full_path = f"{module}.{name}"
        if module in _BLOCKED_MODULES:
            raise pickle.UnpicklingError(
                f"Trying to load unsupported GLOBAL {full_path} whose module {module} is blocked."
            )
        allowed = _allowed_globals()
        if full_path in allowed:
            return allowed[full_path]
        if full_path in _user_safe_globals:
            return _user_safe_globals[full_path]
        shown = full_path[len("builtins") :] if full_path.startswith("builtins.") else full_path
        if shown != full_path:
            shown = shown.lstrip(".")
        raise pickle.UnpicklingError(
            f"Unsupported global: GLOBAL {shown} was not an allowed global by default. Please use "
            f"`torch.serialization.add_safe_globals([{shown}])` or the `torch.serialization.safe_globals([{shown}])` "
            "context manager to allowlist this global if you trust this class/function."
        )

    def persistent_load(self, pid):
        if type(pid) is not tuple and type(pid) is not int:
            raise pickle.UnpicklingError(f"persistent_load id must be tuple or int, but got {type(pid)}")
        if type(pid) is tuple and len(pid) > 0 and pid[0] != "storage":
            raise pickle.UnpicklingError(f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
        _, storage_type, key, location, numel = pid
        dtype = storage_type.dtype if isinstance(storage_type, _StorageType) else _dtypes.uint8
        return self.load_storage(str(key), dtype, location, numel)


def _read_record(archive: zipfile.ZipFile, file, name: str) -> np.ndarray:
    """A record's bytes, read straight into a new array: torch stores records uncompressed, so the data
    lies in the file after the local header (zipfile would read it into bytes, to be copied again).  Like
    torch's reader, this one does not verify the record's CRC: a damaged record loads as torch loads it."""
    info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:  # (not torch's: zipfile's way)
        return np.frombuffer(bytearray(archive.read(name)), np.uint8)
    file.seek(info.header_offset)
    header = file.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("Bad magic number for file header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    file.seek(info.header_offset + 30 + name_length + extra_length)
    if not hasattr(file, "readinto"):
        data = np.frombuffer(bytearray(file.read(info.file_size)), np.uint8)
    else:
        data = np.empty(info.file_size, np.uint8)
        data = data[: file.readinto(memoryview(data)) or 0]
    if len(data) != info.file_size:
        raise EOFError(f"{name}: the archive ends inside the record")
    return data


def _weights_only_message(message: str) -> str:
    if "was not an allowed global by default" in message:
        text = (
            "Weights only load failed. This file can still be loaded, to do so you have two options, "
            "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
            f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check the "
            "recommended steps in the following error message.\n\tWeightsUnpickler error: " + message
        )
    else:
        text = f"Weights only load failed. {UNSAFE_MESSAGE}\n"
        if "is blocked" not in message:
            text += (
                "Please file an issue with the following so that we can make `weights_only=True` compatible "
                "with your use case: WeightsUnpickler error: "
            )
        text += "\n\n" + message
    return text + DOCS_MESSAGE


def _target_device(location: str, map_location) -> device:
    if map_location is None:
        target = location
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif isinstance(map_location, (str, device)):
        target = map_location
    else:
        raise TypeError(f"map_location should be a str, a torch.device or a dict, but got {type(map_location)}")
    dev = parse_device(target)
    if dev.type == "cuda" and not cuda_emulated():
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are "
            "running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map "
            "your storages to the CPU."
        )
    return CPU if dev.type == "cpu" else dev


def load(f, map_location=None, pickle_module: Any = None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args: Any) -> Any:  # fmt: skip
    """torch.load: what `save` (the shim's or torch's) wrote, from a path or a readable binary file object."""
    true_values = ("1", "y", "yes", "true")
    if weights_only is None:
        weights_only = pickle_module is None
        if os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in true_values:
            weights_only = False
    if os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in true_values:
        weights_only = True
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    opened = open(f, "rb") if isinstance(f, (str, os.PathLike)) else f
    try:
        if not zipfile.is_zipfile(opened):
            raise RuntimeError(
                "Invalid magic number; corrupt file? (the shim reads torch's zip format, which torch.save "
                "has written since 1.6)"
            )
        opened.seek(0)
        with zipfile.ZipFile(opened) as archive:
            names = archive.namelist()
            prefix = names[0].split("/", 1)[0]
            loaded: dict[str, np.ndarray] = {}

            def load_storage(key: str, dtype, location: str, numel: int):
                root = loaded.get(key)
                if root is None:
                    raw = _read_record(archive, opened, f"{prefix}/data/{key}")
                    root = loaded[key] = raw.view(dtype.np.newbyteorder("<")).astype(dtype.np, copy=False)
                if root.dtype != dtype.np:  # another view of the storage as another dtype
                    root = root.view(dtype.np)
                if callable(map_location):
                    moved = map_location(UntypedStorage(root), location)  # (torch passes the storage on the CPU)
                    if moved is not None:
                        return root, dtype, moved.device
                    return root, dtype, _target_device(location, None)
                return root, dtype, _target_device(location, map_location)

            data = _read_record(archive, opened, f"{prefix}/data.pkl").tobytes()
            unpickler = _Unpickler(
                io.BytesIO(data), weights_only=weights_only, load_storage=load_storage, **pickle_load_args
            )
            try:
                return unpickler.load()
            except pickle.UnpicklingError as e:
                if weights_only:
                    raise pickle.UnpicklingError(_weights_only_message(str(e))) from None
                raise
    finally:
        if opened is not f:
            opened.close()
