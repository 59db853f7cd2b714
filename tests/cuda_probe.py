"""Emulated CUDA (shim, SHIM_EMULATE_CUDA=1) against a real CUDA torch: the same observations.

Run `python tests/cuda_probe.py torch OUT.json` where torch has a GPU, and `... shim OUT.json` anywhere."""

import json
import os
import sys

which = sys.argv[1]
if which == "shim":
    os.environ["SHIM_EMULATE_CUDA"] = "1"
    import shim as torch
else:
    import torch
out = []


def obs(label, f):
    try:
        r = f()
        out.append((label, repr(r)))
    except Exception as e:
        out.append((label, f"{type(e).__name__}: {e}"))


obs("avail", lambda: torch.cuda.is_available())
obs("count", lambda: torch.cuda.device_count())
obs("cur", lambda: torch.cuda.current_device())
obs("zeros", lambda: torch.zeros(2, device="cuda"))
obs("dev", lambda: torch.ones(2).cuda().device)
obs("to", lambda: torch.ones(2).to("cuda:0"))
obs("is_cuda", lambda: torch.ones(2, device="cuda").is_cuda)
obs("mix", lambda: torch.ones(2, device="cuda") + torch.ones(2))
obs("mix0d", lambda: torch.ones(2, device="cuda") + torch.tensor(1.0))
obs("numpy", lambda: torch.ones(2, device="cuda").numpy())
obs("item", lambda: torch.ones(1, device="cuda").item())
obs("cpu", lambda: torch.ones(2, device="cuda").cpu())
obs("bad", lambda: torch.ones(2, device="cuda:1"))
obs("mm", lambda: torch.ones(2, 2, device="cuda") @ torch.ones(2, 2))
obs("grad", lambda: (lambda x: (x * 2).sum().backward() or x.grad)(torch.ones(2, device="cuda", requires_grad=True)))
obs("get_device", lambda: torch.ones(2, device="cuda").get_device())
obs("repr_int", lambda: torch.arange(3, device="cuda"))
obs("where", lambda: torch.where(torch.ones(2, device="cuda") > 0, torch.ones(2, device="cuda"), torch.zeros(2)))
obs("index", lambda: torch.ones(3, device="cuda")[torch.tensor([0, 1])])
obs("cat", lambda: torch.cat([torch.ones(1, device="cuda"), torch.ones(1)]))
obs("eq_dev", lambda: torch.device("cuda") == torch.device("cuda:0"))
obs("new", lambda: torch.ones(2, device="cuda").new_zeros(2))
obs("like", lambda: torch.zeros_like(torch.ones(2, device="cuda")).device)
obs("copy_", lambda: torch.zeros(2).copy_(torch.ones(2, device="cuda")))
obs("acc", lambda: torch.accelerator.is_available() if hasattr(torch, "accelerator") else None)
json.dump(out, open(sys.argv[2], "w"), indent=0)
