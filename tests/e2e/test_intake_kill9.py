"""Exactly-once intake across kill -9 (issue 15, Done-when 3): a real `liandong serve` desk takes 2,000
appeals from many concurrent clients, is killed with SIGKILL twice part-way through and restarted on the
same database; every client retries with its Idempotency-Key until it has an answer.

Then, from the database: every appeal text is stored exactly once (0 lost, 0 duplicated), each has its
order, each client's answer (appeal id, order numbers) is the one stored for its key, and
`liandong audit verify` finds the audit trail whole.

The kills happen when a known number of answers has arrived (never after a sleep); the desk is known to
be down when its process has exited, and up again when /healthz answers. A client's pause between two
attempts is its retry back-off (what a phone system does), not a synchronisation.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from exchange_procs import Proc, free_port, wait_until
from sqlalchemy import create_engine, func, select

from liandong.app import Liandong
from liandong.appeals.tables import AppealRow
from liandong.auth import service as auth
from liandong.config import Settings
from liandong.core.clock import CST, SystemClock
from liandong.demo.appeals import generate, to_api_payload
from liandong.orders.tables import OrderRow
from liandong.storage.idempotency import IdempotencyRow

APPEALS = 2000
CLIENTS = 48  # phone lines posting at once, each with a connection of its own
KILL_AT = (650, 1350)  # kill -9 the desk when this many answers have arrived
ATTEMPTS = 80  # per appeal: enough to ride out two restarts with the back-off below
REQUEST_TIMEOUT_S = 30.0
IMPATIENT = 4  # of the lines: these give up waiting for an answer after 200 ms, doubling on each retry (to 30 s),
# so that some of their retries arrive while the first attempt is still queued or just stored (a retry in flight)
RUN_TIMEOUT_S = 600.0  # the whole run, a bound for a very loaded machine (≈ 40–90 s on 2 idle cores)
REPO = Path(__file__).resolve().parents[2]
RETRYABLE = (httpx.TransportError,)  # refused / reset / timed out / closed mid-answer


def _operator_token(db_url: str) -> str:
    ctx = Liandong(Settings(database_url=db_url), clock=SystemClock())
    try:
        with ctx.write() as session:
            now = ctx.clock.now()
            auth.add_user(session, ctx.city, name="phone_system", role="operator", platform="12345", unit=None,
                          region=None, now=now)
            return auth.issue_token(session, "phone_system", now)
    finally:
        ctx.close()


def _payloads() -> list[tuple[str, dict]]:
    """2,000 realistic appeals (the demo generator's), each text made unique, each with its own key."""
    start = datetime.now(CST) - timedelta(days=10)
    out = []
    for i, appeal in enumerate(generate(APPEALS, seed=15, start=start)):
        body = to_api_payload(appeal)
        body["text"] = f"{body['text']}（话务流水 KT-{i:04d}）"
        out.append((f"kill9-call-{i:04d}", body))
    return out


@dataclass
class Run:  # what the clients saw
    answers: dict[str, dict] = field(default_factory=dict)  # key → the 2xx body
    replayed: set[str] = field(default_factory=set)  # keys answered with Idempotent-Replayed: true
    retried: Counter = field(default_factory=Counter)  # key → attempts that failed and were retried
    failures: Counter = field(default_factory=Counter)  # why an attempt was retried
    refused: dict[str, str] = field(default_factory=dict)  # key → a 4xx that must not happen
    given_up: list[str] = field(default_factory=list)
    interrupted_at_kill: list[int] = field(default_factory=list)  # per kill, attempts that failed around it
    events: list = field(default_factory=list)  # (monotonic time, what): kills and restarts, for the report
    slow: list = field(default_factory=list)  # (sent at, seconds, outcome, key) of attempts over 5 s


async def _client(base: str, token: str, work: asyncio.Queue, run: Run, progress: asyncio.Condition, tls,
                  impatient: bool) -> None:
    """One phone line: take the next appeal, post it until a 2xx answer, retrying with the same key and body."""
    rng = random.Random()
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S, limits=limits, verify=tls) as http:
        while True:
            try:
                key, body = work.get_nowait()
            except asyncio.QueueEmpty:
                return
            for attempt in range(ATTEMPTS):
                sent = time.monotonic()
                outcome = "?"
                try:
                    wait = min(REQUEST_TIMEOUT_S, 0.2 * 2 ** attempt) if impatient else REQUEST_TIMEOUT_S
                    r = await http.post("/api/v1/appeals", json=body, headers={**headers, "Idempotency-Key": key},
                                        timeout=httpx.Timeout(REQUEST_TIMEOUT_S, read=wait))
                except RETRYABLE as exc:
                    why = outcome = type(exc).__name__
                else:
                    outcome = str(r.status_code)
                    if r.is_success:
                        run.answers[key] = r.json()
                        if r.headers.get("Idempotent-Replayed") == "true":
                            run.replayed.add(key)
                        async with progress:
                            progress.notify_all()
                        break
                    if r.status_code != 429 and r.status_code < 500:
                        run.refused[key] = f"{r.status_code} {r.text[:300]}"
                        break
                    why = str(r.status_code)
                finally:
                    if time.monotonic() - sent > 5:
                        run.slow.append((sent, time.monotonic() - sent, outcome, key))
                run.failures[why] += 1
                run.retried[key] += 1
                # back-off of a real client: 50 ms doubling to 1 s, with jitter (the desk is restarting)
                await asyncio.sleep(min(1.0, 0.05 * 2 ** min(attempt, 5)) * rng.uniform(0.5, 1.0))
            else:
                run.given_up.append(key)


def _kill_with_appeals_unanswered(desk: Proc, engine, run: Run) -> None:
    """SIGKILL the desk at a moment when the database holds more appeals than the clients have answers:
    at least one appeal is committed and its client has not had the answer (the case a retry must not
    double). Polls the database, bounded; kills anyway if that moment does not come within 20 s."""
    def unanswered() -> bool:
        with engine.connect() as c:
            return c.scalar(select(func.count()).select_from(AppealRow)) > len(run.answers)

    try:
        wait_until(unanswered, timeout=20, interval=0.002, what="an appeal stored and not yet answered")
    except TimeoutError:
        run.events.append((time.monotonic(), "no unanswered appeal seen: killed anyway"))
    desk.kill9()  # SIGKILL, then wait for the process to have exited


async def _drive(base: str, token: str, payloads, desk: Proc, run: Run, restart_s: list[float], engine) -> None:
    work: asyncio.Queue = asyncio.Queue()
    for item in payloads:
        work.put_nowait(item)
    progress = asyncio.Condition()
    tls = httpx.create_ssl_context()  # one for all the lines (plain HTTP here; making one per client costs 0.1 s)
    async def line(impatient: bool) -> None:
        try:
            await _client(base, token, work, run, progress, tls, impatient)
        finally:  # a line that stops also wakes the controller (it must not wait for answers that cannot come)
            async with progress:
                progress.notify_all()

    clients = [asyncio.create_task(line(i < IMPATIENT)) for i in range(CLIENTS)]
    try:
        for threshold in KILL_AT:
            async with progress:  # a real condition: this many answers have arrived
                await progress.wait_for(lambda t=threshold: len(run.answers) >= t or all(c.done() for c in clients))
            assert len(run.answers) >= threshold, f"the clients stopped at {len(run.answers)} answers"
            failed_before = sum(run.failures.values())
            run.events.append((time.monotonic(), f"kill at {len(run.answers)}"))
            await asyncio.to_thread(_kill_with_appeals_unanswered, desk, engine, run)
            with engine.connect() as c:
                stored = c.scalar(select(func.count()).select_from(AppealRow))
            run.events.append((time.monotonic(), f"exited with {stored} appeals stored, {len(run.answers)} answered"))
            t0 = time.monotonic()
            await asyncio.to_thread(desk.start, 180)  # same argv, same database; ready when /healthz answers
            restart_s.append(time.monotonic() - t0)
            run.events.append((time.monotonic(), "ready"))
            run.interrupted_at_kill.append(sum(run.failures.values()) - failed_before)
        await asyncio.gather(*clients)
    finally:
        for c in clients:
            c.cancel()


def _audit_verify(db_url: str, tmp_path) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-c", "from liandong.cli.main import app; app()", "audit", "verify", "--db", db_url,
            "--roots", str(tmp_path / "audit-roots.jsonl")]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, env={**os.environ})


def test_kill9_twice_during_2000_concurrent_retrying_appeals_loses_and_doubles_nothing(db_url, tmp_path):
    token = _operator_token(db_url)
    payloads = _payloads()
    port = free_port()
    env = {**os.environ, "LIANDONG_VAR_DIR": str(REPO / "var"),  # where the trained routing model is cached
           "LIANDONG_LOG_FORMAT": "text", "LIANDONG_LOG_LEVEL": "WARNING",
           "LIANDONG_RATE_TOKEN_PER_MIN": "100000000", "LIANDONG_RATE_CALLER_PER_HOUR": "100000000"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.pop("LIANDONG_PEERS_FILE", None)
    argv = [sys.executable, "-c", "from liandong.cli.main import app; app()", "serve", "--db", db_url,
            "--port", str(port), "--no-migrate"]
    desk = Proc(argv, env, f"http://127.0.0.1:{port}/healthz", tmp_path / "desk.log")
    run, restart_s = Run(), []
    engine = create_engine(db_url)
    try:
        desk.start(timeout=180)
        started = time.monotonic()
        asyncio.run(asyncio.wait_for(_drive(f"http://127.0.0.1:{port}", token, payloads, desk, run, restart_s, engine),
                                     RUN_TIMEOUT_S))
    finally:
        desk.stop()
        engine.dispose()
    elapsed = time.monotonic() - started
    print(f"\n{APPEALS} appeals, {CLIENTS} clients, {len(KILL_AT)} kills in {elapsed:.1f}s "
          f"(restarts {', '.join(f'{s:.1f}s' for s in restart_s)}); attempts retried {sum(run.failures.values())} "
          f"{dict(run.failures)}; appeals retried {len(run.retried)}; replayed answers {len(run.replayed)}; "
          f"attempts failed per kill {run.interrupted_at_kill}")

    for t, what in run.events:
        print(f"  {t - started:7.2f} {what}")
    if run.slow:
        print(f"  {len(run.slow)} attempts took over 5 s (longest {max(d for _, d, _, _ in run.slow):.1f}s)")
    assert not run.refused, f"refused: {list(run.refused.items())[:5]}"
    assert not run.given_up, f"no answer after {ATTEMPTS} attempts: {run.given_up[:10]}"
    assert len(run.answers) == APPEALS
    assert desk.restarts == 1 + len(KILL_AT)
    assert all(n > 0 for n in run.interrupted_at_kill), "a kill interrupted no request: it tested nothing"
    if run.failures["ReadTimeout"]:  # a line gave up waiting; what it had sent was stored, and its retry
        assert run.replayed, "was answered with the first answer, from the stored key"

    engine = create_engine(db_url)  # what is stored, read after the desk has stopped
    try:
        with engine.connect() as c:
            appeals = c.execute(select(AppealRow.id, AppealRow.text)).all()
            orders = c.execute(select(OrderRow.appeal_id, OrderRow.number)).all()
            keys = {k: json.loads(resp) for k, resp in c.execute(
                select(IdempotencyRow.key, IdempotencyRow.response)
                .where(IdempotencyRow.scope == "phone_system|POST /appeals")).all()}
    finally:
        engine.dispose()

    by_text = Counter(text for _, text in appeals)
    sent = {body["text"] for _, body in payloads}
    lost = sent - set(by_text)
    doubled = {t: n for t, n in by_text.items() if n > 1}
    assert (len(lost), len(doubled)) == (0, 0), f"lost {sorted(lost)[:3]}, doubled {list(doubled.items())[:3]}"
    assert len(appeals) == APPEALS  # and nothing else was stored

    appeal_of_text = {text: appeal_id for appeal_id, text in appeals}
    numbers_of = defaultdict(set)
    for appeal_id, number in orders:
        numbers_of[appeal_id].add(number)
    assert set(keys) == {k for k, _ in payloads}
    for key, body in payloads:
        stored_id = appeal_of_text[body["text"]]
        answer = run.answers[key]
        assert numbers_of[stored_id], f"appeal {stored_id} ({key}) has no order"
        assert answer["appeal_id"] == stored_id, f"{key}: answered {answer['appeal_id']}, stored {stored_id}"
        assert {o["id"] for o in answer["orders"]} == numbers_of[stored_id], key
        assert keys[key] == answer, f"{key}: the stored answer is not the one given"

    verify = _audit_verify(db_url, tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "审计记录完整" in verify.stdout
