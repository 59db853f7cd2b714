"""torch.utils.hooks: the handle a hook registration returns, and the machinery of a module's full backward hooks."""

from __future__ import annotations

import warnings
import weakref

__all__ = ["BackwardHook", "RemovableHandle"]


class RemovableHandle:
    """Removes its hook from the dicts it was registered in; usable as a context manager."""

    next_id: int = 0

    def __init__(self, hooks_dict, *, extra_dict=None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        extras = extra_dict if isinstance(extra_dict, list) else [extra_dict] if extra_dict is not None else []
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


class BackwardHook:
    """A module's full backward hooks: its tensor inputs and outputs are passed through
    BackwardHookFunction; the outputs' node records the gradients of the outputs (after the backward
    pre-hooks), and the inputs' node, once their gradients are known, calls the hooks with both.  Where
    no input requires grad, the hooks fire at the outputs' node, with None for every input."""

    def __init__(self, module, user_hooks: list, user_pre_hooks: list) -> None:
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_outputs = -1
        self.output_tensors_index: list | None = None
        self.n_inputs = -1
        self.input_tensors_index: list | None = None

    @staticmethod
    def _pack_with_none(indices, values, size: int) -> tuple:
        packed = [None] * size
        for index, value in zip(indices, values):
            packed[index] = value
        return tuple(packed)

    @staticmethod
    def _unpack_none(indices, values) -> tuple:
        return tuple(values[index] for index in indices)

    def _set_user_hook(self, grad_fn) -> None:
        def hook(grad_input, _):
            if self.grad_outputs is None:  # (the gradient reached the inputs without passing the outputs)
                return None
            packed = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for user_hook in self.user_hooks:
                out = user_hook(self.module, packed, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(packed):
                    raise RuntimeError(
                        f"Backward hook returned an invalid number of grad_input, got {len(out)}, but expected "
                        f"{len(packed)}"
                    )
                packed = out
            self.grad_outputs = None
            return self._unpack_none(self.input_tensors_index, packed)

        grad_fn.register_hook(hook)

    def _set_output_hook(self, grad_fn) -> None:
        def hook(_, grad_output):
            self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output, self.n_outputs)
            for user_pre_hook in self.user_pre_hooks:
                changed = user_pre_hook(self.module, self.grad_outputs)
                if changed is None:
                    continue
                if len(changed) != len(self.grad_outputs):
                    raise RuntimeError(
                        f"Backward pre hook returned an invalid number of grad_output, got {len(changed)}, but "
                        f"expected {len(self.grad_outputs)}"
                    )
                self.grad_outputs = changed
            grad_outputs = self.grad_outputs
            if self.input_tensors_index is None:
                warnings.warn(
                    "Full backward hook is firing when gradients are computed with respect to module outputs since "
                    "no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/torch.nn.Module."
                    "html#torch.nn.Module.register_full_backward_hook for more details.",
                    stacklevel=5,
                )
                grad_inputs = self._pack_with_none([], [], self.n_inputs)
                for user_hook in self.user_hooks:
                    result = user_hook(self.module, grad_inputs, self.grad_outputs)
                    if result is not None and not (isinstance(result, tuple) and all(r is None for r in result)):
                        raise RuntimeError(
                            "Backward hook for Modules where no input requires gradient should always return None "
                            "or None for all gradients."
                        )
                self.grad_outputs = None
            return tuple(grad_outputs[i] for i in self.output_tensors_index)

        grad_fn.register_hook(hook)

    def _apply_on_tensors(self, set_hook, args: tuple) -> tuple:
        """args with their tensors passed through BackwardHookFunction (where one requires grad and grad
        mode is on), and the positions of the tensors (None where nothing was wrapped)."""
        from .. import is_grad_enabled
        from .._tensor import Tensor
        from ..nn.modules._functions import BackwardHookFunction

        positions = [i for i, arg in enumerate(args) if isinstance(arg, Tensor)]
        tensors = [args[i] for i in positions]
        if not (any(t.requires_grad for t in tensors) and is_grad_enabled()):
            return args, None
        wrapped = BackwardHookFunction.apply(*tensors)
        grad_fns = [t.grad_fn for t in wrapped if t.grad_fn is not None]
        set_hook(grad_fns[0])
        replaced = list(args)
        for index, value in zip(positions, wrapped):
            replaced[index] = value
        return (tuple(replaced) if type(args) is tuple else type(args)(*replaced)), positions

    def setup_input_hook(self, args: tuple) -> tuple:
        result, self.input_tensors_index = self._apply_on_tensors(self._set_user_hook, args)
        self.n_inputs = len(args)
        return result

    def setup_output_hook(self, result):
        single = not isinstance(result, tuple)
        args = (result,) if single else result
        wrapped, self.output_tensors_index = self._apply_on_tensors(self._set_output_hook, args)
        self.n_outputs = len(args)
        return wrapped[0] if single else wrapped
