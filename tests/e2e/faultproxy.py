"""A fault-injecting HTTP/1.1 proxy for exchange tests (故障注入代理): drops, duplicates, delays and
reorders requests on their way to a peer.

    python tests/e2e/faultproxy.py --listen 127.0.0.1:9001 --target http://127.0.0.1:8110 \
        --drop 0.1 --dup 0.1 --delay-ms 0-200 --reorder 0.1 --seed 42

  drop     half the time the request is lost before reaching the target, half the time the target
           handles it and the answer is lost (the connection is reset either way)
  dup      the request is delivered twice, concurrently; the client gets the first answer
  delay    every request waits a uniform random time in the range
  reorder  the request is held back an extra delay-max + 100 ms so later requests overtake it

`GET /__faultproxy/health` and `GET /__faultproxy/stats` are answered by the proxy itself.
Deterministic for a given seed and request order. A test tool: `exchange_procs.proxy_proc` runs it
as a process of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys
from dataclasses import dataclass, field

import httpx

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade", "te"}


@dataclass
class Faults:
    drop: float = 0.0
    dup: float = 0.0
    reorder: float = 0.0
    delay_ms: tuple[int, int] = (0, 0)
    seed: int = 0
    stats: dict = field(default_factory=lambda: {"requests": 0, "dropped_before": 0, "dropped_after": 0,
                                                  "duplicated": 0, "reordered": 0, "upstream_errors": 0})

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def decide(self) -> dict:
        r = self.rng
        dropped = r.random() < self.drop
        return {"drop": dropped, "drop_after": dropped and r.random() < 0.5, "dup": r.random() < self.dup,
                "reorder": r.random() < self.reorder, "delay": r.uniform(*self.delay_ms) / 1000.0}


async def _read_request(reader: asyncio.StreamReader):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
    body = await reader.readexactly(length) if length else b""
    return method, target, headers, body


def _response(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    reason = {200: "OK", 502: "Bad Gateway"}.get(status, "Status")
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers if k.lower() not in _HOP]
    lines += [f"content-length: {len(body)}", "connection: keep-alive", "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


class FaultProxy:
    def __init__(self, target: str, faults: Faults) -> None:
        self.target = target.rstrip("/")
        self.faults = faults
        self.client = httpx.AsyncClient(timeout=30.0, limits=httpx.Limits(max_connections=200))

    async def _forward(self, method, path, headers, body):
        fwd = [(k, v) for k, v in headers if k.lower() not in _HOP and k.lower() != "host"]
        try:
            resp = await self.client.request(method, self.target + path, headers=fwd, content=body)
            return resp.status_code, list(resp.headers.items()), resp.content
        except httpx.HTTPError as exc:
            self.faults.stats["upstream_errors"] += 1
            return 502, [("content-type", "application/json")], json.dumps(
                {"ok": False, "code": "bad_gateway", "message": f"代理无法连接对端：{type(exc).__name__}",
                 "retryable": True}, ensure_ascii=False).encode()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                req = await _read_request(reader)
                if req is None:
                    break
                method, path, headers, body = req
                if path.startswith("/__faultproxy/"):
                    payload = self.faults.stats if path.endswith("stats") else {"ok": True}
                    writer.write(_response(200, [("content-type", "application/json")], json.dumps(payload).encode()))
                    await writer.drain()
                    continue
                s = self.faults.stats
                s["requests"] += 1
                d = self.faults.decide()
                delay = d["delay"] + ((self.faults.delay_ms[1] + 100) / 1000.0 if d["reorder"] else 0.0)
                s["reordered"] += d["reorder"]
                if delay:
                    await asyncio.sleep(delay)
                if d["drop"] and not d["drop_after"]:
                    s["dropped_before"] += 1
                    writer.transport.abort()
                    return
                if d["dup"]:
                    s["duplicated"] += 1
                    first, _ = await asyncio.gather(self._forward(method, path, headers, body),
                                                    self._forward(method, path, headers, body))
                else:
                    first = await self._forward(method, path, headers, body)
                if d["drop"]:
                    s["dropped_after"] += 1
                    writer.transport.abort()
                    return
                writer.write(_response(*first))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if not writer.transport.is_closing():
                writer.close()


def _range(text: str) -> tuple[int, int]:
    lo, _, hi = text.partition("-")
    return int(lo), int(hi or lo)


async def serve(host: str, port: int, proxy: FaultProxy) -> None:
    server = await asyncio.start_server(proxy.handle, host, port, backlog=512)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"faultproxy listening on {host}:{port} → {proxy.target}", flush=True)
    async with server:
        await stop.wait()
    await proxy.client.aclose()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python tests/e2e/faultproxy.py", description=__doc__.split("\n")[0])
    ap.add_argument("--listen", required=True, help="host:port")
    ap.add_argument("--target", required=True, help="base URL of the peer")
    ap.add_argument("--drop", type=float, default=0.0)
    ap.add_argument("--dup", type=float, default=0.0)
    ap.add_argument("--reorder", type=float, default=0.0)
    ap.add_argument("--delay-ms", default="0", help="e.g. 0-200")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    host, _, port = args.listen.rpartition(":")
    faults = Faults(drop=args.drop, dup=args.dup, reorder=args.reorder, delay_ms=_range(args.delay_ms), seed=args.seed)
    asyncio.run(serve(host or "127.0.0.1", int(port), FaultProxy(args.target, faults)))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
