"""The backward engine: torch's execution order, gradient validation, accumulation and hooks.

Nodes run when all their dependencies are satisfied, highest sequence number first (AccumulateGrad
first of all), as in torch's single-threaded CPU engine, so sums of several incoming gradients are
added in torch's order.  Each produced gradient is summed back to its input's shape and cast to its
dtype here, once (torch's validate_outputs), never in the formulas.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import sys
import weakref

import numpy as np

from .._dispatch import bump_version, quiet_numpy
from .._views import empty_preserving
from .formulas import COMPLEX_ON_OPS, NP, TENSOR, _bind_tensor_namespace, sum_to
from .grad_mode import STATE, enable_grad, no_grad
from .graph import BACKWARD_TWICE, AccumulateGrad, SavedTensor, grad_accumulator

__all__ = ["backward", "grad", "register_tensor_hook", "run"]

_FREED = object()
_ndarray = np.ndarray


def _np_wrap(array):
    return array


NP.wrap = staticmethod(_np_wrap)
_tensor_namespace_ready = [False]


def _tensor_namespace():
    if not _tensor_namespace_ready[0]:
        from .._tensor import make

        _bind_tensor_namespace()

        def wrap(array):
            from .._dtypes import from_numpy_dtype

            return make(np.asarray(array), from_numpy_dtype(np.asarray(array).dtype))

        TENSOR.wrap = staticmethod(wrap)
        _tensor_namespace_ready[0] = True
    return TENSOR


# -- hooks ---------------------------------------------------------------------------------------
class _Handle:
    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


def register_tensor_hook(t, hook):
    if not t._rg:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    fn = t.grad_fn
    if fn is None:
        meta = t._meta_()
        if meta.hooks is None:
            meta.hooks = []
        meta.hooks.append(hook)
        return _Handle(meta.hooks, hook)
    hooks = _node_tensor_hooks(fn).setdefault(t.output_nr, [])
    hooks.append(hook)
    return _Handle(hooks, hook)


def _node_tensor_hooks(node) -> dict:
    extra = node.metadata
    return extra.setdefault("__tensor_hooks", {})


def _retained(node) -> dict:
    return node.metadata.setdefault("__retains", {})


# -- entry points --------------------------------------------------------------------------------
@functools.cache
def _tensor_types():
    from .._tensor import Tensor, make  # (imported late: _tensor imports this module)

    return Tensor, make


def _make_root_grads(outputs, grad_outputs, F):
    Tensor, make = _tensor_types()
    roots = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not out._rg:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out._a.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            value = np.ones(out._a.shape, out._dtype.np)
            g = make(value, out._dtype, out._device) if F is TENSOR else value.view()  # held, as torch's is
        else:
            if not isinstance(g, Tensor):
                g = _coerce_grad(g, out)
            if g._a.shape != out._a.shape:
                from .._tensor import Size

                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {Size(g._a.shape)} and output[{i}] has a "
                    f"shape of {Size(out._a.shape)}."
                )
            g = g if F is TENSOR else g._a.view()  # the caller holds it: AccumulateGrad must copy, not steal
        roots.append((_edge_of(out), g))
    return roots


def _coerce_grad(g, out):
    from .._creation import tensor as make_tensor

    return make_tensor(g, dtype=out._dtype)


def _edge_of(t):
    fn = t.grad_fn
    if fn is not None:
        return (fn, t._meta.output_nr if t._meta is not None else 0)
    return (grad_accumulator(t), 0)


def _as_tuple(x):
    Tensor, _ = _tensor_types()
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None) -> None:
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) or (None,) * len(tensors)
    Tensor, _ = _tensor_types()
    for g in grad_tensors[: len(tensors)]:
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grad_tensors)} gradients")
    keep = create_graph if retain_graph is None else retain_graph
    F = _tensor_namespace() if create_graph else NP
    inputs = _as_tuple(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    roots = _make_root_grads(tensors, grad_tensors, F)
    targets = None
    if inputs is not None:
        targets = []
        for t in inputs:
            if not t._rg:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            targets.append((t, _edge_of(t)))
    run(roots, keep, create_graph, F, targets=targets, accumulate=True)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
):
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs) or (None,) * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad requires one grad_output for each output: got {len(grad_outputs)} grad_outputs and "
            f"{len(outputs)} outputs"
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    keep = create_graph if retain_graph is None else retain_graph
    F = _tensor_namespace() if create_graph else NP
    for t in inputs:
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots = _make_root_grads(outputs, grad_outputs, F)
    targets = [(t, _edge_of(t)) for t in inputs]
    captured = run(roots, keep, create_graph, F, targets=targets, accumulate=False)
    Tensor, make = _tensor_types()
    result = []
    for i, (t, value) in enumerate(zip(inputs, captured)):
        if value is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. Set "
                    "allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                value = make(np.zeros(t._a.shape, t._dtype.np), t._dtype, t._device)
        elif not isinstance(value, Tensor):
            value = make(np.asarray(value), t._dtype, t._device)
        result.append(value)
    return tuple(result)


# -- execution -----------------------------------------------------------------------------------
def run(roots, keep_graph, create_graph, F, targets=None, accumulate=True):
    """Execute the graph from `roots` [((node, output_nr), grad)].

    targets: [(tensor, edge)] whose gradients are wanted; backward() accumulates into them only,
    grad() returns them.  None means: accumulate into every leaf reached.
    """
    dependencies: dict = {}
    seen = set()
    stack = list(dict.fromkeys(edge[0] for edge, _ in roots))  # (several outputs of one node: once)
    seen.update(stack)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            dependencies[nxt] = dependencies.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)

    execute = None
    capture_at: dict = {}
    captured = None
    if targets is not None:
        captured = [None] * len(targets)
        for i, (_, (node, nr)) in enumerate(targets):
            capture_at.setdefault((node, nr), []).append(i)
        leads = _nodes_leading_to(seen, {node for _, (node, _) in targets})
        # a node runs only if some target lies strictly below it; a target itself is just captured
        execute = {n for n in leads if any(nxt in leads for nxt, _ in n.next_functions if nxt is not None)}

    buffers: dict = {}
    inplace_adds: dict = {}  # (node, nr) -> how many times torch's InputBuffer added in place
    ready: list = []
    order = itertools.count()
    for (node, nr), g in roots:
        _add_to_buffer(buffers, inplace_adds, node, nr, g)
    pushed = set()
    for (node, _), _ in roots:
        if dependencies.get(node, 0) == 0 and node not in pushed:
            pushed.add(node)
            heapq.heappush(ready, (-node._seq, next(order), node))

    grad_enabled = enable_grad() if create_graph else no_grad()
    with grad_enabled, quiet_numpy():
        while ready:
            node = heapq.heappop(ready)[2]
            grads = buffers.pop(node, {})
            if node._extra or node.__class__ is AccumulateGrad:
                grads = _call_tensor_pre_hooks(node, grads, F)
            if capture_at:
                for nr, g in grads.items():
                    for i in capture_at.get((node, nr), ()):
                        if accumulate:
                            _accumulate_into(targets[i][0], g, create_graph)
                        else:
                            captured[i] = g
            if isinstance(node, AccumulateGrad):
                if accumulate and targets is None and 0 in grads:
                    _accumulate_into(node.variable, grads[0], create_graph, inplace_adds.get((node, 0), 0))
                continue
            if execute is not None and node not in execute:
                continue
            if node._pre_hooks:
                grads = _call_node_pre_hooks(node, grads, F)
            if not grads and node.apply is None:  # every incoming gradient undefined (an empty linalg input's
                outputs = [None] * len(node.next_functions)  # derivative): torch's formulas pass that on
            else:
                outputs = apply_node(node, F, grads)
            if node._hooks:
                outputs = _call_post_hooks(node, outputs, grads, F)
            for i, ((nxt, nr), g) in enumerate(zip(node.next_functions, outputs)):
                if nxt is None:
                    continue
                if g is not None:
                    meta = node._inputs[i] if i < len(node._inputs) else None
                    # (the commonest gradient needs no check: an array of the input's shape and dtype)
                    if meta is not None and not (
                        g.__class__ is np.ndarray and g.shape == meta[0] and g.dtype == meta[1].np
                    ):
                        g = _validate(meta, node, i, g, F)
                    _add_to_buffer(buffers, inplace_adds, nxt, nr, g)
                dependencies[nxt] -= 1
                if dependencies[nxt] == 0:
                    heapq.heappush(ready, (-nxt._seq, next(order), nxt))
            if not keep_graph:
                _release(node)
    return captured


def grads_list(grads: dict, count: int = 0) -> list:
    """The gradients by output number, None where missing, at least `count` of them."""
    n = max(max(grads) + 1 if grads else 0, count)
    return [grads.get(i) for i in range(n)]


def _call_node_pre_hooks(node, grads: dict, F) -> dict:
    """Node.register_prehook: hook(grad_outputs) may return new grad_outputs."""
    grad_outputs = _wrap_all(grads_list(grads, node._output_count()), F)
    changed = False
    for hook in list(node._pre_hooks):
        result = hook(grad_outputs)
        if result is not None:
            _check_hook_result(grad_outputs, result, hook)
            grad_outputs, changed = result, True
    if not changed:
        return grads
    return {i: _unwrap(g, F) for i, g in enumerate(grad_outputs) if g is not None}


def _call_post_hooks(node, outputs: list, grads: dict, F) -> list:
    """Node.register_hook: hook(grad_inputs, grad_outputs) may return new grad_inputs."""
    grad_inputs = _wrap_all(outputs, F)
    grad_outputs = _wrap_all(grads_list(grads, node._output_count()), F)
    changed = False
    for hook in list(node._hooks):
        result = hook(grad_inputs, grad_outputs)
        if result is not None:
            _check_hook_result(grad_inputs, result, hook)
            grad_inputs, changed = result, True
    return [_unwrap(g, F) for g in grad_inputs] if changed else outputs


def _unwrap(g, F):
    return g if g is None or F is TENSOR else g._a


def _check_hook_result(previous: tuple, result, hook) -> None:
    """python_hook.cpp's check_result: a tuple as long as what the hook was given, each entry None or a
    tensor of the same type and size where a gradient was."""
    Tensor, _ = _tensor_types()
    name = getattr(hook, "__name__", type(hook).__name__)
    if not isinstance(result, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(result).__name__}'")
    if len(result) != len(previous):
        raise RuntimeError(
            f"hook '{name}' has returned an incorrect number of values (got {len(result)}, but expected "
            f"{len(previous)})"
        )
    for original, value in zip(previous, result):
        if value is None:
            continue
        if original is None:
            raise RuntimeError("can't replace a None gradient with a non-None value")
        if not isinstance(value, Tensor):
            raise TypeError(f"expected Variable, but hook returned '{type(value).__name__}'")
        if value._dtype is not original._dtype or value._device is not original._device:
            raise RuntimeError(
                f"hook '{name}' has changed the type of value (was {original.type()} got {value.type()})"
            )
        if value._a.shape != original._a.shape:
            raise RuntimeError(f"hook '{name}' has changed the size of value")


def _wrap_all(values, F):
    Tensor, make = _tensor_types()
    from .._dtypes import from_numpy_dtype

    out = []
    for v in values:
        if v is None or isinstance(v, Tensor):
            out.append(v)
        else:
            a = np.asarray(v)
            out.append(make(a, from_numpy_dtype(a.dtype)))
    return tuple(out)


def _nodes_leading_to(nodes, targets) -> set:
    memo: dict = {}

    def leads(node) -> bool:
        if node in memo:
            return memo[node]
        memo[node] = False
        result = node in targets
        for nxt, _ in node.next_functions:
            if nxt is not None and leads(nxt):
                result = True
        memo[node] = result
        return result

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10000))
    try:
        return {n for n in nodes if leads(n)}
    finally:
        sys.setrecursionlimit(limit)


def _add_to_buffer(buffers, inplace_adds, node, nr, g) -> None:
    slot = buffers.get(node)
    if slot is None:
        buffers[node] = {nr: g}
    elif nr in slot:
        old = slot[nr]
        slot[nr] = old + g
        if old.__class__ is np.ndarray and old is not g and _owned(old):
            # torch's InputBuffer adds in place into a gradient it alone holds, bumping its version
            inplace_adds[node, nr] = inplace_adds.get((node, nr), 0) + 1
    else:
        slot[nr] = g


def _call_tensor_pre_hooks(node, grads, F):
    """Tensor hooks (register_hook) and retain_grad, keyed by the tensor's output number."""
    extra = node._extra
    if isinstance(node, AccumulateGrad):
        meta = node.variable._meta
        if meta is not None and meta.hooks and 0 in grads:
            grads = dict(grads)
            grads[0] = _run_hooks(meta.hooks, grads[0], F)
        return grads
    if not extra:
        return grads
    hooks = extra.get("__tensor_hooks")
    if hooks:
        grads = dict(grads)
        for nr, fns in hooks.items():
            if nr in grads and fns:
                grads[nr] = _run_hooks(fns, grads[nr], F)
    retains = extra.get("__retains")
    if retains:
        for nr, ref in retains.items():
            t = ref()
            if t is not None and nr in grads:
                _retain(t, grads[nr])
    return grads


def _run_hooks(hooks, g, F):
    Tensor, make = _tensor_types()
    from .._dtypes import from_numpy_dtype

    for hook in list(hooks):
        gt = g if isinstance(g, Tensor) else make(np.asarray(g), from_numpy_dtype(np.asarray(g).dtype))
        r = hook(gt)
        if r is not None:
            g = r if F is TENSOR else r._a
    return g


def _retain(t, g) -> None:
    Tensor, make = _tensor_types()
    value = g if isinstance(g, Tensor) else make(np.array(g, dtype=t._dtype.np), t._dtype, t._device)
    meta = t._meta_()
    if meta.grad is None:
        meta.grad = value.detach().clone() if isinstance(g, Tensor) else value
    else:
        meta.grad = meta.grad + value


def apply_node(node, F, grads) -> list:
    """The gradients a node produces for its inputs, one per next_function (None where undefined)."""
    custom = node.apply
    if custom is not None:
        return custom(F, [grads.get(i) for i in range(max(grads) + 1)] if grads else [None], _Engine)
    saved = node._saved
    if node._released and any(v is _FREED for v in saved.values()):
        raise RuntimeError(BACKWARD_TWICE)
    values = {}
    # torch's generated nodes unpack (and version-check) their fields by name
    for name in sorted(saved) if len(saved) > 1 else saved:
        v = saved[name]
        if v.__class__ is SavedTensor:
            values[name] = _unpack(node, v, F)
        else:
            values[name] = v if F is NP else _scalar_for_tensor_mode(v)
    if F is NP:
        complex_, real_0d = _operand_kinds(grads, values)
        if (complex_ and type(node).__name__ in COMPLEX_ON_OPS) or (
            real_0d and _promotes_apart([*grads.values(), *values.values()])
        ):
            return _apply_as_tensors(node, grads)
    results = []
    g0 = grads.get(0)
    for entry in node._formulas:
        if entry is None:
            results.append(None)
            continue
        fn, names = entry
        if fn.__code__.co_varnames[1] == "grads":
            results.append(fn(F, grads_list(grads), *[values[n] for n in names]))
        else:
            results.append(fn(F, g0, *[values[n] for n in names]))
    return results


class _Engine:
    apply_node = staticmethod(apply_node)


def _operand_kinds(grads: dict, values: dict) -> tuple[bool, bool]:
    """(whether a gradient or saved value is complex, whether one is a 0-d real floating array), in one pass.
    A complex one: an elementwise node's formula then runs on the shim's ops (c10::complex's products and
    quotients, Vectorized<complex>'s lanes), which numpy's complex arithmetic does not follow.  A real 0-d
    one: _promotes_apart may hold (without one it does not; the common answer, at a third of its cost)."""
    complex_ = real_0d = False
    for group in (grads, values):
        for a in group.values():
            if a.__class__ is _ndarray:
                kind = a.dtype.kind
                complex_ = complex_ or kind == "c"
                real_0d = real_0d or (kind == "f" and not a.ndim)
    return complex_, real_0d


def _promotes_apart(operands) -> bool:
    """Whether numpy and torch would promote these real floating arrays differently: a 0-d array wider than
    every dimensioned one (numpy lets a 0-d float32 array make a half product float32; torch lets a 0-d
    tensor take part by category only, and keeps half).  Integer arrays are indices here; complex operands
    keep numpy's rules (their formulas are written for them)."""
    widest = scalar_width = 0  # (the widest dimensioned and 0-d real floating arrays)
    for a in operands:
        if isinstance(a, np.ndarray):
            kind = a.dtype.kind
            if kind == "c":
                return False
            if kind == "f":
                if a.ndim:
                    widest = max(widest, a.dtype.itemsize)
                else:
                    scalar_width = max(scalar_width, a.dtype.itemsize)
    return 0 < widest < scalar_width


def _apply_as_tensors(node, grads) -> list:
    """The node's formulas run on tensors (torch's promotion and scalar rules) without recording, their
    results returned as arrays."""
    F = _tensor_namespace()
    with no_grad():
        outputs = apply_node(node, F, {i: F.wrap(g) for i, g in grads.items()})
    return [None if r is None else r._a for r in outputs]


def _scalar_for_tensor_mode(v):
    if isinstance(v, np.generic) or (isinstance(v, np.ndarray) and v.ndim == 0):
        from .._tensor import scalar_tensor

        return scalar_tensor(v)
    return v


def _unpack(node, saved: SavedTensor, F):
    t = saved.tensor
    current = t._version_value()
    if current != saved.version:
        raise RuntimeError(_version_message(node, saved, current))
    return t if F is TENSOR else t._a


def _version_message(node, saved, current) -> str:
    t = saved.tensor
    if saved.is_output:
        producer, nr = node, (t._meta.output_nr if t._meta is not None else 0)
    else:
        producer, nr = t.grad_fn, (t._meta.output_nr if t._meta is not None else 0)
    sizes = ", ".join(str(d) for d in t._a.shape)
    # (at::toString of the options: the legacy tensor type's name, which complex dtypes do not have)
    kind = f"CPU{t._dtype._scalar_name}Type" if t.is_complex() else t.type()
    which = ""
    if producer is not None:
        which = f", which is output {nr} of {_short_name(producer)},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        f"[{kind} [{sizes}]]{which} is at version {current}; expected version {saved.version} instead. Hint: "
        "enable anomaly detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )


def _short_name(node) -> str:
    name = node.name()
    if name == "CopySlices":
        return "torch::autograd::CopySlices"
    if name.startswith("torch::"):  # C++ classes (CopyBackwards) keep their whole name
        return name
    if name.endswith("Backward0"):
        return name[: -len("Backward0")]
    return name.replace("Backward", "")


def _release(node) -> None:
    node._released = True
    custom = node._release_saved
    if custom is not None:
        custom()
    elif node._saved:
        node._saved = {k: (_FREED if isinstance(v, SavedTensor) else v) for k, v in node._saved.items()}


def _validate(meta, node, index, g, F):
    """The gradient for input `index` of `node` made to fit the input (meta: its shape, dtype and device):
    summed to its shape, converted to its dtype."""
    shape, dtype, _device = meta
    if F is NP:
        if g.__class__ is not np.ndarray:
            g = np.asarray(g)
        if g.shape != shape:
            g = _sum_to_checked(node, index, g, shape)
        if g.dtype != dtype.np:
            if g.dtype.kind == "c" and dtype.category < 3:
                g = g.real
            g = g.astype(dtype.np)
        return g
    if tuple(g.shape) != tuple(shape):
        _check_expandable(node, index, tuple(g.shape), shape)
        g = F.sum_to(g, shape)
    if g.dtype is not dtype:
        g = g.to(dtype)
    return g


def _sum_to_checked(node, index, g, shape):
    _check_expandable(node, index, g.shape, shape)
    return sum_to(g, shape)


def _check_expandable(node, index, got, shape) -> None:
    if not shape:  # (every shape sums to a scalar)
        return
    ok = len(got) >= len(shape) and all(s == 1 or s == got[len(got) - len(shape) + i] for i, s in enumerate(shape))
    if not ok:
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {index} - got {list(got)} but expected "
            f"shape compatible with {list(shape)}"
        )


def _owned(a: np.ndarray) -> bool:
    """Whether a numpy gradient is a dense array that no one else holds (torch: use_count 1): a fresh array,
    or a view (a backward's transpose or reshape) of an array only that view holds."""
    dense = a.flags.c_contiguous or a.flags.f_contiguous
    return dense and (a.base is None or (isinstance(a.base, np.ndarray) and sys.getrefcount(a.base) <= 2))


def _obeys_layout(g: np.ndarray, leaf: np.ndarray) -> bool:
    """obeys_layout_contract: the strides agree on every dim longer than 1 (a size-1 dim may have any stride
    but 0)."""
    return all((gs == ls) if n != 1 else gs != 0 for n, gs, ls in zip(g.shape, g.strides, leaf.strides))


def _accumulate_into(variable, g, create_graph, inplace_adds=0) -> None:
    Tensor, make = _tensor_types()
    meta = variable._meta_()
    if isinstance(g, Tensor):
        if meta.grad is None:
            meta.grad = g if create_graph else g.detach().clone()
        elif create_graph:
            meta.grad = meta.grad + g
        else:
            with no_grad():
                meta.grad.add_(g.detach())
        return
    g = np.asarray(g)
    if g.dtype != variable._dtype.np:
        g = g.astype(variable._dtype.np)
    if meta.grad is None:
        fresh = empty_preserving(variable._a)  # the leaf's layout when dense, else contiguous
        # AccumulateGrad steals a gradient it alone holds whose layout matches the leaf's; otherwise it
        # copies it into a new tensor (empty_strided + copy_), whose version is then 1
        stolen = _owned(g) and g.flags.writeable and _obeys_layout(g, fresh)
        if not stolen:
            fresh[...] = g
        meta.grad = make(g if stolen else fresh, variable._dtype, variable._device)
        if inplace_adds if stolen else 1:
            meta.grad._vc = [inplace_adds if stolen else 1]
    else:
        existing = meta.grad
        existing._a += g
        bump_version(existing)


def retain_grad_hook(t) -> None:
    _retained(t.grad_fn)[t.output_nr] = weakref.ref(t)


__all__ += ["retain_grad_hook", "apply_node", "STATE"]
