"""Start and stop real peer and proxy processes on loopback; readiness by polling, never fixed sleeps."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
SECRET = "e2e-shared-secret-12345-110-000000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll `predicate` until it returns a truthy value; raise with `what` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def _healthy(url: str, proc: subprocess.Popen) -> bool:
    if proc.poll() is not None:
        raise RuntimeError(f"process exited with {proc.returncode} before {url} was ready")
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Proc:
    argv: list[str]
    env: dict
    health_url: str
    log: Path
    proc: subprocess.Popen | None = None
    restarts: int = field(default=0)

    def start(self, timeout: float = 30.0) -> "Proc":
        return self.spawn().ready(timeout)

    def spawn(self) -> "Proc":
        with open(self.log, "ab") as handle:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(self.argv, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                                         cwd=HERE.parents[1])
        self.restarts += 1
        return self

    def ready(self, timeout: float = 30.0) -> "Proc":
        wait_until(lambda: _healthy(self.health_url, self.proc), timeout=timeout, what=self.health_url)
        return self

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()


def peers_yaml(path: Path, local: str, peer: str, url: str) -> Path:
    path.write_text(f"local_platform: '{local}'\npeers:\n  - platform: '{peer}'\n    url: {url}\n"
                    f"    key_id: e2e-1\n    secret_env: E2E_PEER_SECRET\n", encoding="utf-8")
    return path


def peer_proc(tmp: Path, *, platform: str, peer: str, peer_url: str, port: int, skew_s: float = 0.0,
              relay: bool = True, auto_reply: bool = True) -> Proc:
    env = {**os.environ, "PEER_PLATFORM": platform, "PEER_DB": str(tmp / f"peer-{platform}.db"),
           "PEER_PEERS_YAML": str(peers_yaml(tmp / f"peers-{platform}.yaml", platform, peer, peer_url)),
           "PEER_SKEW_S": str(skew_s), "PEER_RELAY": "1" if relay else "0", "PEER_AUTO_REPLY": "1" if auto_reply else "0",
           "E2E_PEER_SECRET": SECRET}
    argv = [sys.executable, "-m", "uvicorn", "exchange_peer_app:app", "--app-dir", str(HERE), "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log"]
    return Proc(argv, env, f"http://127.0.0.1:{port}/healthz", tmp / f"peer-{platform}.log")


def proxy_proc(tmp: Path, *, name: str, port: int, target: str, drop=0.0, dup=0.0, reorder=0.0, delay="0",
               seed=1) -> Proc:
    argv = [sys.executable, str(HERE / "faultproxy.py"), "--listen", f"127.0.0.1:{port}", "--target", target,
            "--drop", str(drop), "--dup", str(dup), "--reorder", str(reorder), "--delay-ms", delay, "--seed", str(seed)]
    return Proc(argv, dict(os.environ), f"http://127.0.0.1:{port}/__faultproxy/health", tmp / f"proxy-{name}.log")
