"""Routing benchmark (分流性能): batch throughput on one core, p99 latency of one appeal, model load time, memory.

    .venv/bin/python bench/routing.py [--n 20000] [--write docs/performance.md]

Run from the repository root. Single-threaded BLAS is forced so the figures are for one core.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "src" / "liandong" / "cities" / "demo" / "calls" / "routing_cases.jsonl"


def load_time() -> tuple[float, float]:
    """(import seconds, load_router seconds) in a fresh process, model already cached."""
    code = (
        "import time; t=time.perf_counter(); import liandong.routing.router as r; t1=time.perf_counter(); "
        "r.load_router('demo'); t2=time.perf_counter(); print(t1-t, t2-t1)"
    )
    subprocess.run([sys.executable, "-c", code.replace("print(t1-t, t2-t1)", "pass")], check=True, cwd=REPO)  # warm the cache
    runs = [subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, capture_output=True, text=True).stdout.split() for _ in range(3)]
    imp = sorted(float(r[0]) for r in runs)[1]
    load = sorted(float(r[1]) for r in runs)[1]
    return imp, load


def appeals(n: int) -> list[dict]:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for i in range(n):
        c = cases[i % len(cases)]
        out.append({"text": c["text"] + ("" if i < len(cases) else f"，第{i}次反映"), "channel": c["channel"]})
    return out


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--write", type=Path, default=None)
    args = ap.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    imp, load = load_time()
    from liandong.routing.router import load_router

    router = load_router("demo")
    items = appeals(args.n)
    router.route_many(items[:500])
    best = best_cpu = 0.0
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        for start in range(0, len(items), 1000):
            router.route_many(items[start : start + 1000])
        best = max(best, len(items) / (time.perf_counter() - t))
        best_cpu = max(best_cpu, len(items) / (time.process_time() - c))
    lat, best_of_3, cpu = [], [], []
    for it in items[:3000]:
        runs = []
        for _ in range(3):
            t, c = time.perf_counter(), time.thread_time()
            router.route(it["text"], it["channel"])
            runs.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
        lat.append(runs[0])
        best_of_3.append(min(runs))
    from liandong.regions.places import load_gazetteer
    from liandong.regions.registry import CITIES_DIR, load_city

    gazetteer = load_gazetteer(CITIES_DIR / "demo" / "places.yaml", load_city("demo"))
    placed_cpu = 0.0
    for _ in range(3):
        c = time.process_time()
        for start in range(0, len(items), 1000):
            batch = items[start : start + 1000]
            router.route_many(batch)
            for it in batch:
                gazetteer.resolve(it["text"])
        placed_cpu = max(placed_cpu, len(items) / (time.process_time() - c))
    placed = []
    for it in items[:3000]:
        c = time.thread_time()
        router.route(it["text"], it["channel"])
        gazetteer.resolve(it["text"])
        placed.append(time.thread_time() - c)
    placed.sort()
    lat.sort()
    best_of_3.sort()
    cpu.sort()
    p50, p99 = lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000
    p99_best = best_of_3[int(len(best_of_3) * 0.99)] * 1000
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "batch_per_s": round(best), "batch_per_cpu_s": round(best_cpu), "p99_cpu_ms": round(cpu[int(len(cpu) * 0.99)] * 1000, 3),
        "p50_ms": round(p50, 3), "p99_ms": round(p99, 3), "p99_best_of_3_ms": round(p99_best, 3),
        "load_s": round(load, 3), "loadavg": round(os.getloadavg()[0], 1),
        "import_s": round(imp, 3), "rss_mb": round(rss, 1), "n": len(items),
        "placed_per_cpu_s": round(placed_cpu), "placed_p99_cpu_ms": round(placed[int(len(placed) * 0.99)] * 1000, 3),
    }
    print(json.dumps(figures))
    if args.write:
        write_section(args.write, figures)


def write_section(path: Path, f: dict) -> None:
    nproc = os.cpu_count()
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = f"""## Routing

Measured by `bench/routing.py` on {date}; machine: `nproc` = {nproc}, CPU {cpu_model()}, Python {platform.python_version()};
pinned to one core, BLAS single-threaded. The machine was shared: load average {f['loadavg']} on {nproc} cores
while measuring, so single-call latencies carry scheduler noise; "best of 3" routes each appeal three times and
keeps the fastest, which removes most of it. Appeals are the {len(CASES.read_text(encoding='utf-8').splitlines())} texts of
`src/liandong/cities/demo/calls/routing_cases.jsonl`, cycled to {f['n']} (later copies made unique).

| measure | target | measured |
|---|---|---|
| routings per second, batches of 1,000 (`route_many`), one core — wall clock | ≥ 5,000 | {f['batch_per_s']:,} |
| the same per second of CPU time (what one uncontended core does) | ≥ 5,000 | {f['batch_per_cpu_s']:,} |
| one appeal (`route`), p50 / p99 | p99 ≤ 2 ms | {f['p50_ms']} ms / {f['p99_ms']} ms |
| one appeal, p99 of the best of 3 runs / p99 of CPU time per call | p99 ≤ 2 ms | {f['p99_best_of_3_ms']} ms / {f['p99_cpu_ms']} ms |
| routing **with place resolution** (属地, `Gazetteer.resolve` per appeal), batches of 1,000, per CPU second | ≥ 8,000 | {f['placed_per_cpu_s']:,} |
| one appeal routed and placed, p99 of CPU time | ≤ 1 ms | {f['placed_p99_cpu_ms']} ms |
| model load (`load_router("demo")`, model cached, after imports) | ≤ 1 s | {f['load_s']} s |
| imports (`import liandong.routing.router`: scikit-learn, jieba, numpy) | — | {f['import_s']} s |
| resident memory, peak (max RSS of the benchmark process) | ≤ 300 MB | {f['rss_mb']} MB |

The model is trained at first use (about 10–25 s on this machine) and cached under `var/models/`, keyed by a hash
of the corpus; the figures above are for later loads.
"""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if "## Routing" in text:
        text = re.sub(r"## Routing\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
