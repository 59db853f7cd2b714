"""Run the benchmarks: torch and the shim side by side in one process, their spread over repeats and the
shim/torch ratios.

    python -m bench [--quick] [--out reports]     (tox -e bench)

Writes reports/bench.json and reports/bench.html (a chart of the ratios against the targets, and the
history), and appends a full run's ratios to bench/history.jsonl, which is kept in the repository so that a
regression shows against earlier runs.
"""

from __future__ import annotations

import argparse
import json
import os
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
STARTUP_TARGET = 0.3  # seconds of `python -m shim -c "import torch"`, the interpreter's own start excluded
HISTORY = Path(__file__).with_name("history.jsonl")
_IMPORT_PROBE = (  # resident memory from /proc (ru_maxrss is inherited across fork and exec)
    "import os, sys, time\n"
    "def resident(): return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') // 1024\n"
    "before = resident()\n"
    "start = time.perf_counter()\n"
    "__import__(sys.argv[1])\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, resident() - before)\n"
)


def _loops(call, budget: float) -> int:
    """How many calls take about `budget` seconds (after a warm-up call: first-call caches, lazy imports)."""
    call()
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            call()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 5 or loops >= 1 << 20:
            return max(1, int(loops * budget / max(elapsed, 1e-9)))
        loops *= 4


def per_call_seconds(calls: dict, repeats: int, budget: float) -> dict[str, list[float]]:
    """Each call's time per call in `repeats` samples of about `budget` seconds; the calls take turns sample
    by sample, so that a slow spell of the machine falls on both libraries."""
    loops = {name: _loops(call, budget) for name, call in calls.items()}
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            for _ in range(loops[name]):
                call()
            samples[name].append((time.perf_counter() - start) / loops[name])
    return samples


def spread(samples: list[float]) -> dict:
    return {"min": min(samples), "median": statistics.median(samples)}


def _compile_bytecode(module: str) -> None:
    """One import that may write the bytecode caches (an installed package has them; a checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module in every timed import)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, env=env)


def import_cost(module: str, runs: int) -> dict:
    """Median wall time and resident-memory growth of `import module` in fresh interpreters."""
    _compile_bytecode(module)
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, module], capture_output=True, text=True, check=True)
        seconds, kilobytes = out.stdout.split()
        samples.append((float(seconds), int(kilobytes) / 1024))
    return {
        "seconds": statistics.median(s for s, _ in samples),
        "megabytes": statistics.median(m for _, m in samples),
    }


def startup_cost(runs: int) -> float:
    """Median wall time of `python -m shim -c "import torch"` less that of `python -c pass`."""

    _compile_bytecode("shim.__main__")

    def median_run(args: list[str]) -> float:
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, *args], check=True)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    return median_run(["-m", "shim", "-c", "import torch"]) - median_run(["-c", "pass"])


def run(quick: bool) -> dict:
    import torch

    import shim

    repeats, budget = (3, 0.05) if quick else (9, 0.2)
    rows = []
    for bench in BENCHMARKS:
        samples = per_call_seconds({"torch": bench.setup(torch), "shim": bench.setup(shim)}, repeats, budget)
        times = {name: statistics.median(s) for name, s in samples.items()}
        ratios = sorted(s / t for s, t in zip(samples["shim"], samples["torch"]))  # (the samples are paired)
        ratio = times["shim"] / times["torch"]
        target = TARGETS[bench.group]
        rows.append({
            "name": bench.name, "group": bench.group, **times, "ratio": ratio, "target": target,
            "spread": {name: spread(s) for name, s in samples.items()},
            "ratio_range": [ratios[0], ratios[-1]],
        })  # fmt: skip
        print(f"{bench.name:32s} torch {times['torch'] * 1e6:10.2f} us  shim {times['shim'] * 1e6:10.2f} us  "
              f"ratio {ratio:6.2f} [{ratios[0]:.2f}-{ratios[-1]:.2f}] (target {target})")  # fmt: skip
    imports = {m: import_cost(m, 3 if quick else 7) for m in ("torch", "shim")}
    for module, cost in imports.items():
        print(f"import {module:6s} {cost['seconds']:.3f} s  {cost['megabytes']:.1f} MB")
    startup = startup_cost(3 if quick else 7)
    print(f"python -m shim -c 'import torch': {startup:.3f} s beyond the interpreter's start")
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
        "startup": {"seconds": startup, "target": STARTUP_TARGET},
        "geomean_ratio": statistics.geometric_mean(row["ratio"] for row in rows),
    }


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HISTORY.parent)
    return out.stdout.strip() or "?"


def record_history(data: dict) -> list[dict]:
    """Append this run's ratios to the history and return the history, oldest first."""
    entry = {
        "date": data["date"],
        "commit": _commit(),
        "ratios": {row["name"]: round(row["ratio"], 4) for row in data["benchmarks"]},
        "import_seconds": round(data["imports"]["shim"]["seconds"], 4),
        "startup_seconds": round(data["startup"]["seconds"], 4),
    }
    with HISTORY.open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")
    return load_history()


def load_history() -> list[dict]:
    if not HISTORY.exists():
        return []
    return [json.loads(line) for line in HISTORY.read_text(encoding="utf-8").splitlines() if line.strip()]


def render(data: dict) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))), autoescape=True
    )
    return env.get_template("bench.html.j2").render(data=data, log2=lambda v: float(np.log2(max(v, 1e-3))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (a smoke run)")
    parser.add_argument("--out", default="reports", help="where bench.json and bench.html go")
    parser.add_argument("--no-history", action="store_true", help="do not append this run to bench/history.jsonl")
    args = parser.parse_args(argv)
    data = run(args.quick)
    keep = not (args.quick or args.no_history)  # a quick run's numbers are too rough to compare with
    data["history"] = (record_history(data) if keep else load_history())[-12:]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    (out / "bench.html").write_text(render(data), encoding="utf-8")
    print(f"wrote {out / 'bench.json'} and {out / 'bench.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
