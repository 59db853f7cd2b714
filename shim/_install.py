"""Make `import torch` (and `torch.cuda`, `torch.autograd`, ...) resolve to the shim, reversibly."""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys

__all__ = ["install", "uninstall", "OUT_OF_SCOPE"]

# torch packages a beginner program may import that the shim does not provide (yet).
OUT_OF_SCOPE = (
    "torchvision",
    "torch.sparse",
    "torch.jit",
    "torch.onnx",
)


class _ShimFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve torch.X to shim.X; name what is missing for the rest."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        for missing in OUT_OF_SCOPE:
            if fullname == missing or fullname.startswith(missing + "."):
                raise ModuleNotFoundError(
                    f"No module named '{fullname}': the shim provides torch's tensor and autograd API only "
                    f"({missing} is not implemented yet)",
                    name=fullname,
                )
        target_name = "shim" + fullname[len("torch") :]
        try:
            importlib.import_module(target_name)
        except ModuleNotFoundError:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return sys.modules["shim" + spec.name[len("torch") :]]

    def exec_module(self, module):
        pass


_FINDER = _ShimFinder()
_saved: dict = {}


def install() -> None:
    """From now on, `import torch` gives the shim (undo with `uninstall()`)."""
    import shim

    if _FINDER in sys.meta_path:
        return
    for name in list(sys.modules):
        if name == "torch" or name.startswith("torch."):
            _saved[name] = sys.modules.pop(name)
    sys.meta_path.insert(0, _FINDER)
    sys.modules["torch"] = shim
    for name, module in list(sys.modules.items()):
        if name.startswith("shim."):
            sys.modules["torch" + name[len("shim") :]] = module


def uninstall() -> None:
    """Undo `install()`: `import torch` finds the real torch again (if installed)."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in list(sys.modules):
        if name == "torch" or name.startswith("torch."):
            del sys.modules[name]
    sys.modules.update(_saved)
    _saved.clear()
