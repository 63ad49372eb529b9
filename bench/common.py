"""Shared pieces of the benchmarks: machine description, percentiles, writing a section of docs/performance.md."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

PERF = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def write_section(title: str, body: str) -> None:
    """Replace (or append) the `## title` section of docs/performance.md."""
    PERF.parent.mkdir(parents=True, exist_ok=True)
    text = PERF.read_text(encoding="utf-8") if PERF.exists() else "# Performance\n\nFigures written by the scripts in `bench/`.\n"
    section = f"## {title}\n\n_Measured {date.today().isoformat()} on {machine()}._\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    PERF.write_text(text, encoding="utf-8")


def git_rev() -> str:
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def demo_payloads(n: int, *, seed: int, hours: float = 2.0) -> list[dict]:
    """`n` of the demo generator's appeals as `POST /api/v1/appeals` bodies, received over the last `hours`.

    The generator spreads appeals at a day's pace (about 240 a day); stamped weeks back, every order a
    benchmark opens would be overdue at once and the supervision checks would chase each of them
    (催办/督办) while the benchmark runs — work a live desk never does for a fresh appeal. The order of
    arrival and the callers are kept; only the clock is compressed. The 110 channel is the peer desk's,
    not a client's: those appeals come in as phone calls."""
    from liandong.core.clock import CST
    from liandong.demo.appeals import generate, to_api_payload

    end = datetime.now(CST)
    step = timedelta(hours=hours) / max(n, 1)
    out = []
    for i, appeal in enumerate(generate(n, seed=seed, start=end - timedelta(days=n // 240 + 1))):
        body = to_api_payload(appeal)
        body["received_at"] = (end - (n - i) * step).isoformat()
        body["channel"] = "phone" if body["channel"] == "110" else body["channel"]
        out.append(body)
    return out
