"""Knowledge search speed (知识检索性能): p95 over N synthetic entries on one core, index build time, memory.

    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python bench/knowledge.py [--entries 20000] [--queries 2000]

Entries are the demo knowledge base's, multiplied with varied subjects so the vocabulary grows like a
city's; queries are the labelled caller queries. No database: the index is what search runs on.
Wall-clock and CPU (thread) time per search are both reported: on a shared machine the wall-clock tail
is the scheduler's, the CPU time is the search's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import time
from datetime import datetime
from pathlib import Path

from liandong.core.clock import CST
from liandong.demo.knowledge import demo_index
from liandong.knowledge.evaluate import load_queries
from liandong.knowledge.search import IndexDoc, KnowledgeIndex

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CST)
PLACES = "东城 西湖 清河 望山 龙泉 石桥 白水 鼓楼 滨江 新华 柳岸 金山 城关 东门".split()
THINGS = "补贴 证明 登记 备案 许可 年审 变更 注销 补办 换领 申报 查询 预约 投诉 核验 审批 认定 续期".split()


def synthetic(base: list[IndexDoc], n: int, rnd: random.Random) -> list[IndexDoc]:
    out = list(base)
    while len(out) < n:
        d = rnd.choice(base)
        tag = f"{rnd.choice(PLACES)}{rnd.choice(THINGS)}{len(out)}"
        out.append(IndexDoc(f"S{len(out)}", 1, f"{tag}{d.question}", d.answer, tuple(f"{tag}{p}" for p in d.phrasings),
                            (*d.keywords, tag), d.region, d.unit, d.public))
    return out


def _rss_mib() -> float:
    """Resident memory now (not the peak), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=2000)
    args = ap.parse_args()
    base = demo_index()
    docs = synthetic(base.docs, args.entries, random.Random(7))
    rss0 = _rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    index = KnowledgeIndex(docs, base.seg, city_region=base.city_region)
    build_s, build_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    index_mib = _rss_mib() - rss0
    gc.collect()
    gc.freeze()  # as the service does after a build (knowledge/service.py)
    queries = [q["query"] for q in load_queries(ROOT / "tests/data/knowledge_queries.jsonl")]
    for q in queries[:50]:
        index.search(q, now=NOW)
    times, cpu = [], []
    for i in range(args.queries):
        q = queries[i % len(queries)]
        t, c = time.perf_counter(), time.thread_time()
        index.search(q, region="148802001" if i % 3 == 0 else None, now=NOW)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    times.sort()
    cpu.sort()
    print(json.dumps({"entries": len(docs), "queries": len(times), "build_s": round(build_s, 2), "build_cpu_s": round(build_cpu_s, 2),
                      "index_rss_mib": round(index_mib, 1),
                      "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "p50_ms": round(times[len(times) // 2], 2), "p95_ms": round(times[int(len(times) * 0.95)], 2),
                      "p99_ms": round(times[int(len(times) * 0.99)], 2),
                      "cpu_p50_ms": round(cpu[len(cpu) // 2], 2), "cpu_p95_ms": round(cpu[int(len(cpu) * 0.95)], 2),
                      "cpu_p99_ms": round(cpu[int(len(cpu) * 0.99)], 2), "load_avg": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
