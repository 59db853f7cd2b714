"""Emulated CUDA (shim, SHIM_EMULATE_CUDA=1) against a real CUDA torch: the same observations.

Run `python tests/cuda_probe.py torch OUT.json [SAVE_DIR]` where torch has a GPU, and
`... shim OUT.json [SAVE_DIR]` anywhere.  Each side loads the file the other side saved
(tests/data/<other>-cuda-save.pt) and, given SAVE_DIR, writes its own there."""

import io
import json
import os
import sys
from pathlib import Path

which = sys.argv[1]
if which == "shim":
    os.environ["SHIM_EMULATE_CUDA"] = "1"
    import shim as torch
else:
    import torch
nn, F = torch.nn, torch.nn.functional
DATA = Path(__file__).parent / "data"
out = []


def obs(label, f):
    try:
        r = f()
        out.append((label, repr(r)))
    except Exception as e:
        out.append((label, f"{type(e).__name__}: {e}"))


def cuda(*shape, **kw):
    return torch.ones(*shape, device="cuda", **kw)


obs("avail", lambda: torch.cuda.is_available())
obs("count", lambda: torch.cuda.device_count())
obs("cur", lambda: torch.cuda.current_device())
obs("zeros", lambda: torch.zeros(2, device="cuda"))
obs("dev", lambda: torch.ones(2).cuda().device)
obs("to", lambda: torch.ones(2).to("cuda:0"))
obs("is_cuda", lambda: cuda(2).is_cuda)
obs("mix", lambda: cuda(2) + torch.ones(2))
obs("mix0d", lambda: cuda(2) + torch.tensor(1.0))
obs("numpy", lambda: cuda(2).numpy())
obs("item", lambda: cuda(1).item())
obs("cpu", lambda: cuda(2).cpu())
obs("bad", lambda: torch.ones(2, device="cuda:1"))
obs("mm", lambda: cuda(2, 2) @ torch.ones(2, 2))
obs("grad", lambda: (lambda x: (x * 2).sum().backward() or x.grad)(cuda(2, requires_grad=True)))
obs("get_device", lambda: cuda(2).get_device())
obs("repr_int", lambda: torch.arange(3, device="cuda"))
obs("where", lambda: torch.where(cuda(2) > 0, cuda(2), torch.zeros(2)))
obs("index", lambda: cuda(3)[torch.tensor([0, 1])])
obs("cat", lambda: torch.cat([cuda(1), torch.ones(1)]))
obs("eq_dev", lambda: torch.device("cuda") == torch.device("cuda:0"))
obs("new", lambda: cuda(2).new_zeros(2))
obs("like", lambda: torch.zeros_like(cuda(2)).device)
obs("copy_", lambda: torch.zeros(2).copy_(cuda(2)))
obs("acc", lambda: torch.accelerator.is_available() if hasattr(torch, "accelerator") else None)

# Devices as a training program meets them.
obs("device_int", lambda: torch.device(0))
obs("factory_int", lambda: torch.ones(2, device=0))
obs("type_str", lambda: cuda(2).type())
obs("type_str_int", lambda: torch.arange(2, device="cuda").type())
obs("to_same", lambda: (lambda x: x.to("cuda") is x)(cuda(2)))
obs("cuda_same", lambda: (lambda x: x.cuda() is x)(cuda(2)))
obs("to_dtype", lambda: cuda(2).to("cpu", torch.float64))
obs("to_cuda_dtype", lambda: torch.ones(2).to("cuda", dtype=torch.int32))
obs("non_blocking", lambda: torch.ones(2).cuda(non_blocking=True))
obs("tolist", lambda: torch.arange(3, device="cuda").tolist())
obs("grad_fn_repr", lambda: cuda(2, requires_grad=True) * 2)
obs("half", lambda: cuda(2).half())
obs("eq_mix", lambda: cuda(2) == torch.ones(2))
obs("add_mix", lambda: cuda(2).add_(torch.ones(2)))
obs("add_mix_cpu", lambda: torch.ones(2).add_(cuda(2)))
obs("stack", lambda: torch.stack([cuda(1), torch.ones(1)]))
obs("bmm", lambda: torch.bmm(cuda(1, 2, 2), torch.ones(1, 2, 2)))
obs("matmul", lambda: torch.matmul(torch.ones(2, 2), cuda(2, 2)))
obs("index_select", lambda: cuda(3).index_select(0, torch.tensor([0])))
obs("gather", lambda: torch.gather(cuda(3), 0, torch.tensor([0])))
obs("masked_fill", lambda: cuda(2).masked_fill(torch.tensor([True, False]), 0))
obs("mask_index", lambda: cuda(2)[torch.tensor([True, False])])
obs("generator", lambda: torch.Generator(device="cuda").device)
obs("pin", lambda: torch.ones(2).pin_memory().is_pinned())
obs("is_pinned", lambda: torch.ones(2).is_pinned())
obs("default_device", lambda: (torch.set_default_device("cuda"), torch.ones(2), torch.set_default_device(None))[1])
obs("with_device", lambda: (lambda: [torch.ones(1) for _ in [torch.device("cuda").__enter__()]][0])())
torch.set_default_device(None)

# nn, optim and save/load on the device.
obs("linear_cuda", lambda: nn.Linear(2, 3).cuda().weight.device)
obs("module_to", lambda: next(nn.Linear(2, 3).to("cuda").parameters()).is_cuda)
obs("module_cuda_self", lambda: (lambda m: m.cuda() is m)(nn.Linear(2, 3)))
obs("linear_mix", lambda: nn.Linear(2, 3).cuda()(torch.ones(1, 2)))
obs("linear_mix_w", lambda: nn.Linear(2, 3)(cuda(1, 2)))
obs("F_linear_mix", lambda: F.linear(torch.ones(1, 2), cuda(3, 2), cuda(3)))


def linear_out():
    torch.manual_seed(0)
    m = nn.Linear(2, 3).cuda()
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
        m.bias.fill_(0.5)
    return m(torch.tensor([[1.0, -1.0]], device="cuda"))


obs("linear_out", linear_out)
obs("ce_mix", lambda: F.cross_entropy(cuda(2, 3), torch.tensor([0, 1])))
obs("mse_mix", lambda: F.mse_loss(cuda(2), torch.ones(2)))
obs("ce_cuda", lambda: F.cross_entropy(torch.zeros(2, 3, device="cuda"), torch.tensor([0, 1], device="cuda")))


def optimizer_state(make):
    w = nn.Parameter(torch.tensor([1.0, -2.0], device="cuda"))
    opt = make([w])
    w.grad = torch.tensor([0.5, 0.25], device="cuda")
    opt.step()
    state = opt.state_dict()["state"][0]
    return w.detach(), {k: (v.device, v.dtype) if isinstance(v, torch.Tensor) else v for k, v in state.items()}


obs("sgd_state", lambda: optimizer_state(lambda p: torch.optim.SGD(p, lr=0.5, momentum=0.9)))
obs("adam_state", lambda: optimizer_state(lambda p: torch.optim.Adam(p, lr=0.5)))
obs("adamw_state", lambda: optimizer_state(lambda p: torch.optim.AdamW(p, lr=0.5)))
obs("opt_mix", lambda: optimizer_state(lambda p: torch.optim.SGD([torch.ones(2, requires_grad=True), *p], lr=0.1)))


def saved(obj, **load):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, **load)


obs("load_cuda", lambda: saved({"w": torch.arange(3.0, device="cuda")}))
obs("load_map_cpu", lambda: saved({"w": torch.arange(3.0, device="cuda")}, map_location="cpu"))
obs("load_map_cuda", lambda: saved(torch.arange(3.0), map_location="cuda"))
obs("load_map_dev", lambda: saved(torch.arange(3.0, device="cuda"), map_location=torch.device("cpu")))
obs("load_map_dict", lambda: saved(torch.arange(3.0, device="cuda"), map_location={"cuda:0": "cpu"}))
obs("load_map_fn", lambda: saved(torch.arange(3.0, device="cuda"), map_location=lambda s, loc: s))
obs("load_state_dict", lambda: saved(nn.Linear(1, 1).cuda().state_dict())["weight"].device)
obs(
    "load_view",
    lambda: (lambda d: d["b"]._base is d["a"] or d["b"].storage_offset())(
        saved((lambda a: {"a": a, "b": a[1:]})(torch.arange(4.0, device="cuda")))
    ),
)
other = DATA / f"{'shim' if which == 'torch' else 'torch'}-cuda-save.pt"
obs("load_other", lambda: torch.load(other))
obs("load_other_cpu", lambda: torch.load(other, map_location="cpu"))
if len(sys.argv) > 3:
    a = torch.arange(6.0, device="cuda").reshape(2, 3)
    torch.save(
        {"a": a, "row": a[1], "i": torch.tensor([7, 8], device="cuda"), "cpu": torch.ones(1)},
        Path(sys.argv[3]) / f"{which}-cuda-save.pt",
    )

# Random numbers: torch's CUDA generator is Philox, not the CPU's Mersenne Twister.
obs("randn", lambda: (torch.manual_seed(0), torch.randn(3, device="cuda"))[1])
obs("rand", lambda: (torch.manual_seed(0), torch.rand(3, device="cuda"))[1])
obs("randperm", lambda: (torch.manual_seed(0), torch.randperm(5, device="cuda"))[1])
obs("cpu_gen_on_cuda", lambda: torch.randn(2, device="cuda", generator=torch.Generator()))
obs("cuda_seed", lambda: torch.cuda.manual_seed(0))
obs(
    "cudnn",
    lambda: (
        torch.backends.cudnn.is_available(),
        torch.backends.cudnn.enabled,
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
    ),
)
obs("bf16", lambda: torch.cuda.is_bf16_supported())
obs("mem_type", lambda: type(torch.cuda.memory_allocated()).__name__)
obs("set_device", lambda: torch.cuda.set_device(0))
obs("cuda_ctx", lambda: [torch.ones(1).cuda() for _ in [torch.cuda.device(0).__enter__()]][0])
json.dump(out, open(sys.argv[2], "w"), indent=0)
