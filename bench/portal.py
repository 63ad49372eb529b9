"""Portal benchmark: the report form (我要反映) at 50 submissions/s with a photo each, through a real server.

    .venv/bin/python bench/portal.py [--pg URL] [--skip-sqlite] [--workers 1] [--rate 50] [--seconds 20] [--write]

Starts `bench/portal_server.py` (the real app, routing model included, `--workers` uvicorn processes) on loopback port
18400 over a fresh database (SQLite in a temporary directory; on PostgreSQL a new database beside URL,
dropped afterwards). 100 phones are verified first through the real one-time code pages (codes read from the
demo file sender's sms.log). Then multipart POSTs of /portal/report — text, address and one 1600×1200 JPEG
carrying GPS EXIF (12 distinct photos in turn, ≈150 KB) — are offered at `--rate` per second for
`--seconds` (bounded: rate × seconds submissions), each answered page checked for its order number.
Reported: p50/p95/p99 latency, the error rate, and what the database holds afterwards (appeals, photos).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from PIL import Image
from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import git_rev, pct, write_section  # noqa: E402

from liandong.appeals.tables import AppealRow  # noqa: E402
from liandong.portal.tables import PhotoRow  # noqa: E402
from liandong.storage.migrate import upgrade  # noqa: E402

HERE = Path(__file__).resolve().parent
PORT = 18400
FAILED: Counter = Counter()
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PLACES = ["幸福里小区", "东门花园", "锦绣家园", "人民路", "朝阳街", "钟鼓苑", "文昌小区", "鼓楼大街", "文昌路"]
PROBLEMS = ["门口的路灯坏了好几天，晚上很黑", "路面有个大坑，电动车容易摔", "垃圾桶满了没人清运，味道很大",
            "人行道上的井盖松动了", "绿化带里的树枝断了挡住人行道", "小广告贴满了公交站"]


def photo(seed: int) -> bytes:
    rng = random.Random(seed)
    gradient = Image.linear_gradient("L").resize((1600, 1200))
    noise = Image.effect_noise((1600, 1200), 12 + seed)
    img = Image.merge("RGB", (gradient, Image.blend(gradient, noise, 0.3), noise))
    img.paste((rng.randrange(256), rng.randrange(256), rng.randrange(256)), (0, 0, 500, 400))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, float(seed)), 3: "E", 4: (116.0, 23.0, 1.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def start(url: str, portal_dir: Path, workers: int) -> subprocess.Popen:
    env = {**os.environ, "LIANDONG_DATABASE_URL": url, "LIANDONG_PORTAL_DIR": str(portal_dir)}
    proc = subprocess.Popen([sys.executable, str(HERE / "portal_server.py"), str(PORT), str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=open(os.environ.get("LIANDONG_BENCH_LOG", os.devnull), "w"))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        time.sleep(0.2)  # waiting for the process to listen
    raise RuntimeError("server did not start")


async def verified_clients(base: str, sms_log: Path, n: int) -> list[tuple[httpx.AsyncClient, str]]:
    clients = []
    for i in range(n):
        phone = f"139{i:08d}"
        client = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=True)
        token = CSRF.search((await client.get("/portal/verify")).text).group(1)
        await client.post("/portal/verify", data={"csrf": token, "phone": phone, "step": "send"})
        code = next(line.split("验证码为 ")[1][:6] for line in reversed(sms_log.read_text(encoding="utf-8").splitlines())
                    if f"\t{phone}\t" in line)
        r = await client.post("/portal/verify", data={"csrf": token, "phone": phone, "code": code, "step": "check",
                                                      "next": "/portal/report"})
        assert r.status_code == 200 and "我要反映" in r.text, r.text[:300]
        clients.append((client, CSRF.search(r.text).group(1)))
    return clients


async def offer(clients, photos: list[bytes], rate: float, total: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    t0 = time.perf_counter()

    async def one(i: int) -> None:
        nonlocal errors
        await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))  # pacing the offered load
        client, token = clients[i % len(clients)]
        data = {"csrf": token, "text": f"{PLACES[i % len(PLACES)]}{PROBLEMS[i % len(PROBLEMS)]}（第{i}号）",
                "address": PLACES[i % len(PLACES)], "consent": "1"}
        start = time.perf_counter()
        try:
            r = await client.post("/portal/report", data=data,
                                  files={"photos": (f"p{i}.jpg", photos[i % len(photos)], "image/jpeg")})
            outcome = "ok" if r.status_code == 200 and 'id="order-number"' in r.text else r.status_code
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        latencies.append((time.perf_counter() - start) * 1000)
        if outcome != "ok":
            errors += 1
            FAILED[outcome] += 1

    await asyncio.gather(*(one(i) for i in range(total)))
    return latencies, errors, total / (time.perf_counter() - t0)


def cpu_seconds(pid: int) -> float:
    """CPU time of the server process and its living children (the uvicorn workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run(label: str, url: str, args) -> str:
    FAILED.clear()
    upgrade(url)
    portal_dir = Path(tempfile.mkdtemp(prefix="ld-portal-"))
    photos = [photo(s) for s in range(12)]
    proc = start(url, portal_dir, args.workers)
    cpu: list[float] = []
    try:
        base = f"http://127.0.0.1:{PORT}"

        async def main():
            clients = await verified_clients(base, portal_dir / "sms.log", 100)
            await offer(clients[:5], photos, 5, 20)  # warm: routing model, pools, first photo writes
            cpu0 = cpu_seconds(proc.pid)
            result = await offer(clients, photos, args.rate, int(args.rate * args.seconds))
            cpu.append((cpu_seconds(proc.pid) - cpu0) * 1000 / int(args.rate * args.seconds))
            for c, _ in clients:
                await c.aclose()
            return result

        lat, errors, achieved = asyncio.run(main())
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    engine = create_engine(url)
    with engine.connect() as c:
        appeals = c.scalar(select(func.count()).select_from(AppealRow.__table__))
        stored = c.scalar(select(func.count()).select_from(PhotoRow.__table__))
    engine.dispose()
    n = len(lat)
    print("failures by status:", dict(FAILED))
    print(f"{label}: {n} at {achieved:.1f}/s offered; p50 {pct(lat, 50):.0f} ms, p95 {pct(lat, 95):.0f} ms, "
          f"p99 {pct(lat, 99):.0f} ms; errors {errors} ({errors / n:.1%}); appeals {appeals}, photos {stored}; "
          f"server CPU {cpu[0]:.0f} ms per submission; load average {os.getloadavg()[0]:.1f}")
    return (f"| {label} | {n} | {achieved:.1f} | {pct(lat, 50):.0f} | {pct(lat, 95):.0f} | {pct(lat, 99):.0f} | "
            f"{errors} ({errors / n:.1%}) {dict(FAILED) or ''} | {appeals} | {cpu[0]:.0f} | {os.getloadavg()[0]:.1f} |")


def fresh_pg(url: str):
    name = f"ld_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    rows = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as d:
            rows.append(run("SQLite (WAL)", f"sqlite:///{d}/bench.db", args))
    if args.pg:
        url, drop = fresh_pg(args.pg)
        try:
            rows.append(run("PostgreSQL 15 (fsync on)", url, args))
        finally:
            drop()
    workers = "one uvicorn worker" if args.workers == 1 else f"{args.workers} uvicorn worker processes"
    body = (f"`bench/portal.py --workers {args.workers} --rate {args.rate:g} --seconds {args.seconds}` (commit {git_rev()}): multipart POSTs "
            f"of the report form, each with one 1600×1200 JPEG carrying GPS EXIF (≈{len(photo(0)) // 1024} KB; "
            "checked by Pillow, its segments walked, stripped of its metadata and stored by hash on every request; 12 distinct "
            f"photos in turn, so 12 files), real routing, intake queue, {workers} on loopback; 100 "
            "phones verified beforehand through the one-time code pages; the per-address limits widened (every "
            "request comes from 127.0.0.1). An error is any answer without an order number.\n\n"
            "| database | submissions | achieved /s | p50 ms | p95 ms | p99 ms | errors | appeals stored | server CPU ms "
            "per submission | machine load average |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows))
    print(body)
    if args.write:
        write_section("Portal (市民端 report form)", body)


if __name__ == "__main__":
    main()
