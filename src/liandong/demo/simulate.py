"""The live demo's traffic: appeals streamed through the HTTP API, and some orders worked to the end.

Everything goes through the public API with the demo users' tokens, exactly as the desks' own
clients would, so a newcomer watching the summary sees the real system at work.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

import httpx

from liandong.demo.appeals import generate, to_api_payload

BOUNCE_UNITS = ["URBAN", "ST-148802001", "HOUSING", "WSUPPLY"]
FATES = [("finish", 0.55), ("reply_only", 0.15), ("sign_only", 0.1), ("return", 0.08), ("untouched", 0.12)]


@dataclass
class Tally:
    appeals: int = 0
    refused: int = 0
    orders: Counter = field(default_factory=Counter)
    services: Counter = field(default_factory=Counter)
    review: int = 0
    actions: int = 0
    related: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)

    def line(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = lat[len(lat) // 2] if lat else 0.0
        svc = " ".join(f"{k or '引导'}:{v}" for k, v in self.services.most_common(6))
        rel = f" 重复/群诉 {self.related['repeat']}/{self.related['mass']}" if self.related else ""
        return (f"诉求 {self.appeals}（拒收 {self.refused}）| 工单 {self.orders['12345']} 警单 {self.orders['110']} | "
                f"分流 {svc} | 待人工复核 {self.review} | 办理操作 {self.actions}{rel} | 受理 p50 {p50:.0f} ms")


class DemoTraffic:
    def __init__(self, base_url: str, desk_tokens: dict[str, str], unit_tokens: dict[str, str], *, seed: int = 7,
                 print_: Callable[[str], None] = print, peer_base_url: str | None = None) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.peer = httpx.Client(base_url=peer_base_url, timeout=30) if peer_base_url else None
        self.desk_tokens = desk_tokens  # role name → token (operator, dispatcher, supervisor, police)
        self.unit_tokens = unit_tokens
        self.rng = random.Random(seed)
        self.seed = seed
        self.print = print_
        self.tally = Tally()

    def run(self, n: int, *, start, report_every: int = 25) -> Tally:
        for i, appeal in enumerate(generate(n, seed=self.seed, start=start - timedelta(days=max(7, n // 240)))):
            self._take(appeal)
            if (i + 1) % report_every == 0 or i + 1 == n:
                self.print(self.tally.line())
        return self.tally

    def _client_for(self, platform: str) -> httpx.Client:
        return self.peer if (self.peer is not None and platform == "110") else self.http

    def _take(self, appeal) -> None:
        desk = "police" if appeal.channel.value == "110" else "operator"
        client = self.peer if (self.peer is not None and desk == "police") else self.http
        t0 = time.perf_counter()
        r = client.post("/api/v1/appeals", json=to_api_payload(appeal), headers=self._auth(desk))
        self.tally.latencies_ms.append((time.perf_counter() - t0) * 1000)
        self.tally.appeals += 1
        if r.status_code != 201:
            self.tally.refused += 1
            return
        body = r.json()
        self.tally.services["+".join(body["routing"]["services"])] += 1
        self.tally.review += bool(body["routing"]["review"])
        for rel in body.get("related", []):
            self.tally.related[rel["relation"]] += 1
        for order in body["orders"]:
            self.tally.orders[order["platform"]] += 1
            if order["status"] == "dispatched" and order["unit"] in self.unit_tokens:
                if appeal.scenario == "bounce_candidate" and order["platform"] == "12345":
                    self._bounce(order)
                else:
                    self._work(order)

    def _work(self, order: dict) -> None:
        fate = self.rng.choices([f for f, _ in FATES], weights=[w for _, w in FATES])[0]
        number, unit, police = order["id"], order["unit"], order["platform"] == "110"
        handler = self.unit_tokens[unit]
        steps: list[tuple[str, dict, str]] = []
        if fate == "untouched":
            return
        if police:
            steps = [("arrive", {}, handler), ("handle", {"note": "民警到场处置"}, handler),
                     ("reply", {"note": "现场已处置完毕"}, handler), ("close", {}, self.desk_tokens["police"])]
        elif fate == "return":
            steps = [("sign", {}, handler), ("return", {"reason": "not_our_duty", "note": "不属本单位职责"}, handler),
                     ("approve_return", {"note": "同意退单，重新派单"}, self.desk_tokens["supervisor"])]
        else:
            steps = [("sign", {}, handler)]
            if fate != "sign_only":
                steps += [("handle", {"step": "核实", "note": "已到现场核实"}, handler),
                          ("reply", {"note": "已处理完毕并电话告知诉求人"}, handler)]
            if fate == "finish":
                satisfied = self.rng.random() > 0.12
                steps += [("close", {}, self.desk_tokens["dispatcher"]),
                          ("visit", {"satisfied": satisfied}, self.desk_tokens["operator"])]
                if satisfied:
                    steps.append(("evaluate", {"rating": self.rng.choice([4, 5, 5, 5])}, self.desk_tokens["operator"]))
        client = self._client_for(order["platform"])
        for action, fields, token in steps:
            r = client.post(f"/api/v1/orders/{number}/actions", json={"action": action, **fields},
                            headers={"Authorization": f"Bearer {token}"})
            if r.status_code != 200:
                break
            self.tally.actions += 1

    def _bounce(self, order: dict) -> None:
        """An appeal where duties overlap: each unit sends it back, the centre passes it on (推诿)."""
        number, unit = order["id"], order["unit"]
        for nxt in [u for u in BOUNCE_UNITS if u != unit][:2]:
            steps = [("sign", {}, self.unit_tokens[unit]),
                     ("return", {"reason": "not_our_duty", "note": "职责交叉，不属本单位"}, self.unit_tokens[unit]),
                     ("approve_return", {"note": "同意退单，改派"}, self.desk_tokens["supervisor"]),
                     ("dispatch", {"unit": nxt, "note": "改派"}, self.desk_tokens["dispatcher"])]
            for action, fields, token in steps:
                r = self.http.post(f"/api/v1/orders/{number}/actions", json={"action": action, **fields},
                                   headers={"Authorization": f"Bearer {token}"})
                if r.status_code != 200:
                    return
                self.tally.actions += 1
            unit = nxt

    def supervise(self) -> str:
        """Run one supervision check through the API and summarise the supervisors' lists."""
        auth = self._auth("supervisor")
        run = self.http.post("/api/v1/supervision/run", headers=auth).json()
        o = self.http.get("/api/v1/supervision/overview", headers=auth).json()
        return (f"督办检查：黄灯 {o['warning']}，红灯 {o['overdue']}，本轮催办 {run['chased']}、督办 {run['escalated']} | "
                f"推诿 {o['bounce']}，重复来电 {o['repeat']}（未解决 {o['repeat_unresolved']}），群诉 {o['mass']}，"
                f"疑似骚扰 {o['harass']}，待人工复核 {o['review']}")

    def _auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.desk_tokens[role]}"}
