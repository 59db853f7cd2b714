"""Run the benchmarks: torch and the shim side by side in one process, medians and shim/torch ratios.

    python -m bench [--quick] [--out reports]     (tox -e bench)

Writes reports/bench.json and reports/bench.html (a bar chart of the ratios against the targets).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import numpy as np

from .cases import BENCHMARKS, TARGETS

IMPORT_TARGETS = {"seconds": 0.2, "megabytes": 40.0}
_IMPORT_PROBE = (  # resident memory from /proc (ru_maxrss is inherited across fork and exec)
    "import os, sys, time\n"
    "def resident(): return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') // 1024\n"
    "before = resident()\n"
    "start = time.perf_counter()\n"
    "__import__(sys.argv[1])\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, resident() - before)\n"
)


def median_seconds(call, repeats: int, budget: float) -> float:
    """Median time of one call: loops sized so that each of `repeats` runs takes about `budget` seconds."""
    call()  # warm up (first-call caches, lazy imports)
    loops, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            call()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 5 or loops >= 1 << 20:
            break
        loops *= 4
    loops = max(1, int(loops * budget / max(elapsed, 1e-9)))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(loops):
            call()
        samples.append((time.perf_counter() - start) / loops)
    return statistics.median(samples)


def import_cost(module: str, runs: int) -> dict:
    """Median wall time and resident-memory growth of `import module` in fresh interpreters."""
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, module], capture_output=True, text=True, check=True)
        seconds, kilobytes = out.stdout.split()
        samples.append((float(seconds), int(kilobytes) / 1024))
    return {
        "seconds": statistics.median(s for s, _ in samples),
        "megabytes": statistics.median(m for _, m in samples),
    }


def run(quick: bool) -> dict:
    import torch

    import shim

    repeats, budget = (3, 0.05) if quick else (7, 0.2)
    rows = []
    for bench in BENCHMARKS:
        times = {
            name: median_seconds(bench.setup(xp), repeats, budget) for name, xp in (("torch", torch), ("shim", shim))
        }
        ratio = times["shim"] / times["torch"]
        target = TARGETS[bench.group]
        rows.append({"name": bench.name, "group": bench.group, **times, "ratio": ratio, "target": target})
        print(f"{bench.name:32s} torch {times['torch'] * 1e6:10.2f} us  shim {times['shim'] * 1e6:10.2f} us  "
              f"ratio {ratio:6.2f} (target {target})")  # fmt: skip
    imports = {m: import_cost(m, 3 if quick else 7) for m in ("torch", "shim")}
    for module, cost in imports.items():
        print(f"import {module:6s} {cost['seconds']:.3f} s  {cost['megabytes']:.1f} MB")
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch_threads": torch.get_num_threads(),  # each library runs with its own defaults
        "quick": quick,
        "benchmarks": rows,
        "imports": imports,
        "import_targets": IMPORT_TARGETS,
    }


def render(data: dict) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))), autoescape=True
    )
    return env.get_template("bench.html.j2").render(data=data, log2=lambda v: float(np.log2(max(v, 1e-3))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (a smoke run)")
    parser.add_argument("--out", default="reports", help="where bench.json and bench.html go")
    args = parser.parse_args(argv)
    data = run(args.quick)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    (out / "bench.html").write_text(render(data), encoding="utf-8")
    print(f"wrote {out / 'bench.json'} and {out / 'bench.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
