"""The live demo's traffic: appeals streamed into the desks over HTTP, and the orders worked on each.

Everything goes through the public API with the demo users' tokens, exactly as the desks' own
clients would. Appeals the generator marks as 110 calls go to the 110 desk's 接警员, the rest to the
12345 话务员. What a desk transfers arrives at the peer desk over the exchange; the traffic works it
there (the 110/119/120 handler goes on scene, the 12345 department answers), and when the peer's
result has come back the origin desk closes its shadow — the closed loop (闭环) a newcomer watches.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

import httpx

from liandong.demo.appeals import generate, to_api_payload
from liandong.demo.knowledge import caller_questions

BOUNCE_UNITS = ["URBAN", "ST-148802001", "HOUSING", "WSUPPLY"]
FATES = [("finish", 0.55), ("reply_only", 0.15), ("sign_only", 0.1), ("return", 0.08), ("untouched", 0.12)]
CONSULT_EVERY = 4  # one caller in four more asks a question (咨询), answered from the knowledge base if it can be
CLOSER = {"12345": "dispatcher"}  # who closes an order on each desk (police-style desks: their 接警员)


@dataclass
class DeskClient:  # one desk as the traffic sees it
    platform: str
    http: httpx.Client
    tokens: dict[str, str]  # role → token (desk users)
    unit_tokens: dict[str, str]  # unit code → handler token

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


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
    sent: Counter = field(default_factory=Counter)  # transfers sent, per origin desk (转出)
    accepted: Counter = field(default_factory=Counter)  # … accepted by the peer (对方签收)
    closed_loop: Counter = field(default_factory=Counter)  # … closed after the peer's result (闭环)
    received: Counter = field(default_factory=Counter)  # transfers received, per desk (转入)
    asked: int = 0  # consultations asked on the call (咨询)
    answered: int = 0  # … answered on the call from a knowledge entry (即问即答)
    visited: int = 0  # … closed and visited: the visit counts on the entry (已解决/未解决)

    def line(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = lat[len(lat) // 2] if lat else 0.0
        svc = " ".join(f"{k or '引导'}:{v}" for k, v in self.services.most_common(6))
        rel = f" 重复/群诉 {self.related['repeat']}/{self.related['mass']}" if self.related else ""
        kb = f" | 咨询 {self.asked}（即问即答 {self.answered}，回访 {self.visited}）" if self.asked else ""
        return (f"诉求 {self.appeals}（拒收 {self.refused}）| 工单 {self.orders['12345']} 警单 {self.orders['110']} | "
                f"分流 {svc} | 待人工复核 {self.review} | 办理操作 {self.actions}{rel}{kb} | 受理 p50 {p50:.0f} ms")

    def exchange_line(self) -> str:
        desks = sorted(set(self.sent) | set(self.received), key=lambda p: ("12345", "110", "119", "120").index(p)
                       if p in ("12345", "110", "119", "120") else 9)
        parts = []
        for p in desks:
            out = f"转出 {self.sent[p]} 已签收 {self.accepted[p]} 闭环 {self.closed_loop[p]} " if self.sent[p] else ""
            parts.append(f"{p}：{out}转入 {self.received[p]}")
        return "互通 | " + " | ".join(parts) if parts else "互通 | 暂无转办"


class DemoTraffic:
    def __init__(self, desks: dict[str, DeskClient], *, seed: int = 7, print_: Callable[[str], None] = print) -> None:
        self.desks = desks
        self.rng = random.Random(seed)
        self.seed = seed
        self.print = print_
        self.tally = Tally()
        self.shadows: dict[str, set[str]] = defaultdict(set)  # origin desk → its orders handed to a peer
        self.accepted: set[str] = set()
        self.closed: set[str] = set()
        self.worked: set[tuple[str, str]] = set()
        self.questions = caller_questions()

    def run(self, n: int, *, start, report_every: int = 25, settle_s: float = 20.0) -> Tally:
        for i, appeal in enumerate(generate(n, seed=self.seed, start=start - timedelta(days=max(7, n // 240)))):
            self._take(appeal)
            if i % CONSULT_EVERY == CONSULT_EVERY - 1 and "12345" in self.desks:
                self._consult()
            if (i + 1) % 5 == 0:
                self.sweep()
            if (i + 1) % report_every == 0 or i + 1 == n:
                self.print(self.tally.line())
                self.print(self.tally.exchange_line())
        deadline = time.monotonic() + settle_s  # let the last transfers arrive and their results come back
        seen, quiet_since = None, time.monotonic()
        while time.monotonic() < deadline and self.sweep():
            now_seen = (len(self.accepted), len(self.closed), sum(self.tally.received.values()))
            if now_seen != seen:
                seen, quiet_since = now_seen, time.monotonic()
            elif time.monotonic() - quiet_since > 3 and len(self.accepted) == sum(map(len, self.shadows.values())):
                break  # every transfer accepted and nothing moved for a while: the rest waits on people
            time.sleep(0.3)
        self.print(self.tally.exchange_line())
        return self.tally

    def _take(self, appeal) -> None:
        platform, role = ("110", "police") if appeal.channel.value == "110" else ("12345", "operator")
        desk = self.desks[platform]
        t0 = time.perf_counter()
        r = desk.http.post("/api/v1/appeals", json=to_api_payload(appeal), headers=desk.auth(role))
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
            if order["status"] == "transferred":
                self.shadows[platform].add(order["id"])
                self.tally.sent[platform] += 1
            elif order["status"] == "dispatched" and order["unit"] in desk.unit_tokens:
                if appeal.scenario == "bounce_candidate" and platform == "12345":
                    self._bounce(desk, order)
                else:
                    self._work(desk, order, self._fate())

    def _consult(self) -> None:
        """A caller asks a question; the operator looks it up as the console does while typing and, when an
        entry fits, answers on the call from it (即问即答: the order records the entry and its version, then
        is closed and visited, and the visit says whether the answer solved it); otherwise it is an appeal."""
        if not self.questions:
            return
        desk = self.desks["12345"]
        question = self.rng.choice(("你好，我想问一下，", "请问", "喂，咨询个事，", "")) + self.rng.choice(self.questions)
        self.tally.asked += 1
        r = desk.http.get("/api/v1/knowledge/search", params={"q": question}, headers=desk.auth("operator"))
        hits = r.json() if r.status_code == 200 else []
        body = {"channel": "12345", "text": question}
        if hits:
            top = hits[0]
            body.update(answer=top["answer"], knowledge_entry=top["entry_id"], knowledge_version=top["version"])
        r = desk.http.post("/api/v1/appeals", json=body, headers=desk.auth("operator"))
        if r.status_code != 201:
            self.tally.refused += 1
            return
        order = r.json()["orders"][0]
        self.tally.orders[order["platform"]] += 1
        if not hits or order["status"] != "replied":
            return
        self.tally.answered += 1
        solved = self.rng.random() > 0.15
        if self._steps(desk, order["id"], [("close", {}, desk.tokens["operator"]),
                                           ("visit", {"satisfied": solved}, desk.tokens["operator"])]):
            self.tally.visited += 1

    def sweep(self) -> bool:
        """Work what arrived by transfer on every desk and close shadows whose result came back;
        True while some transfer is still on its way (sent but not yet closed)."""
        for desk in self.desks.values():
            for order in self._list(desk, "dispatched"):
                if "by_transfer" in order["flags"] and (desk.platform, order["id"]) not in self.worked:
                    self.worked.add((desk.platform, order["id"]))
                    self.tally.received[desk.platform] += 1
                    if order["unit"] in desk.unit_tokens:
                        self._work(desk, order, "finish" if self.rng.random() < 0.9 else "sign_only")
            mine = self.shadows[desk.platform]
            if not mine:
                continue
            for status in ("peer_handling", "replied"):
                for order in self._list(desk, status):
                    if order["id"] in mine and order["id"] not in self.accepted:
                        self.accepted.add(order["id"])
                        self.tally.accepted[desk.platform] += 1
                    if status == "replied" and order["id"] in mine and order["id"] not in self.closed:
                        r = desk.http.post(f"/api/v1/orders/{order['id']}/actions", json={"action": "close"},
                                           headers=desk.auth(CLOSER.get(desk.platform, "police")))
                        if r.status_code == 200:
                            self.closed.add(order["id"])
                            self.tally.closed_loop[desk.platform] += 1
                            self.tally.actions += 1
        return sum(len(s) for s in self.shadows.values()) > len(self.closed)

    def _list(self, desk: DeskClient, status: str) -> list[dict]:
        r = desk.http.get("/api/v1/orders", params={"status": status, "page_size": 200}, headers=desk.auth("admin"))
        return r.json()["items"] if r.status_code == 200 else []

    def _fate(self) -> str:
        return self.rng.choices([f for f, _ in FATES], weights=[w for _, w in FATES])[0]

    def _work(self, desk: DeskClient, order: dict, fate: str) -> None:
        number, unit, police = order["id"], order["unit"], desk.platform != "12345"
        handler = desk.unit_tokens[unit]
        if fate == "untouched":
            return
        if police:
            steps = [("arrive", {}, handler), ("handle", {"note": "到场处置"}, handler),
                     ("reply", {"note": "现场已处置完毕"}, handler), ("close", {}, desk.tokens["police"])]
        elif fate == "return":
            steps = [("sign", {}, handler), ("return", {"reason": "not_our_duty", "note": "不属本单位职责"}, handler),
                     ("approve_return", {"note": "同意退单，重新派单"}, desk.tokens["supervisor"])]
        else:
            steps = [("sign", {}, handler)]
            if fate != "sign_only":
                steps += [("handle", {"step": "核实", "note": "已到现场核实"}, handler),
                          ("reply", {"note": "已处理完毕并电话告知诉求人"}, handler)]
            if fate == "finish":
                satisfied = self.rng.random() > 0.12
                steps += [("close", {}, desk.tokens["dispatcher"]),
                          ("visit", {"satisfied": satisfied}, desk.tokens["operator"])]
                if satisfied:
                    steps.append(("evaluate", {"rating": self.rng.choice([4, 5, 5, 5])}, desk.tokens["operator"]))
        self._steps(desk, number, steps)

    def _steps(self, desk: DeskClient, number: str, steps: list[tuple[str, dict, str]]) -> bool:
        """Post the actions in order as their users; stop at the first refusal. True if all went through."""
        for action, fields, token in steps:
            r = desk.http.post(f"/api/v1/orders/{number}/actions", json={"action": action, **fields},
                               headers={"Authorization": f"Bearer {token}"})
            if r.status_code != 200:
                return False
            self.tally.actions += 1
        return True

    def _bounce(self, desk: DeskClient, order: dict) -> None:
        """An appeal where duties overlap: each unit sends it back, the centre passes it on (推诿)."""
        number, unit = order["id"], order["unit"]
        for nxt in [u for u in BOUNCE_UNITS if u != unit][:2]:
            steps = [("sign", {}, desk.unit_tokens[unit]),
                     ("return", {"reason": "not_our_duty", "note": "职责交叉，不属本单位"}, desk.unit_tokens[unit]),
                     ("approve_return", {"note": "同意退单，改派"}, desk.tokens["supervisor"]),
                     ("dispatch", {"unit": nxt, "note": "改派"}, desk.tokens["dispatcher"])]
            if not self._steps(desk, number, steps):
                return
            unit = nxt

    def supervise(self) -> str:
        """Run one supervision check on the 12345 desk through the API and summarise the supervisors' lists."""
        desk = self.desks["12345"]
        auth = desk.auth("supervisor")
        run = desk.http.post("/api/v1/supervision/run", headers=auth).json()
        o = desk.http.get("/api/v1/supervision/overview", headers=auth).json()
        return (f"督办检查：黄灯 {o['warning']}，红灯 {o['overdue']}，本轮催办 {run['chased']}、督办 {run['supervised']} | "
                f"推诿 {o['bounce']}，重复来电 {o['repeat']}（未解决 {o['repeat_unresolved']}），群诉 {o['mass']}，"
                f"疑似骚扰 {o['harass']}，待人工复核 {o['review']}")
