"""The bounded schemathesis run (issue 15): every operation of `/openapi.json`, with each role's token,
every check schemathesis has, on a fixed seed. Part of `make test`: it must report no failure.

One test per login role (core.actors.Role without `system` and `citizen`, which are no accounts), each on
a fresh database with the demo city and users (`tests.builders.make_world`) and one order, so the
operations on an order have one to act on. The run is schemathesis's own engine (what `st run` runs:
probing, examples, coverage, fuzzing and stateful phases), in process over ASGI, deterministic
(`seed`, `deterministic`) and bounded (`MAX_EXAMPLES` per operation in the fuzzing phase; the
coverage phase is finite by construction): about 2,000 requests per role, 8–12 s each on one core.
`pytest tests/api/test_schemathesis.py -s` prints the requests made per role and phase.

schemathesis's pytest plugin (`schema.parametrize`) is not used: with pytest 9 it fails on
`Function._nodeid`, which pytest no longer has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import schemathesis
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from liandong.auth import service as auth
from tests.builders import World, make_world
from tests.fakes import ScriptedRouter

SEED = 15  # the issue's number: any fixed value; another one changes the requests, not the bound
MAX_EXAMPLES = 4  # per operation in the fuzzing phase
ROLES = {  # role → the user whose token it runs with
    "operator": "operator", "dispatcher": "dispatcher", "handler": "handler_urban", "supervisor": "supervisor",
    "police": "police", "knowledge_admin": "kadmin", "inspector": "inspector", "admin": "admin",
}

# Only the health checks about how fast Hypothesis generates data: some bodies of this API are large
# (an appeal with its caller and attachments, a knowledge entry with phrasings and keywords), and on a
# loaded 2-core machine building them can exceed Hypothesis's time budget — that says nothing of the
# server. No check of the server is suppressed.
SLOW_GENERATION = ["too_slow", "data_too_large", "large_base_example", "filter_too_much"]

# `positive_data_acceptance` expects a schema-valid request to be accepted. A few rules relate two
# fields or the calendar, which JSON Schema cannot state; there a schema-valid request may rightly get
# 422 (with its Chinese message). Each operation is named with its rule; every other check still runs.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis's default
MAY_REFUSE_VALID = {
    "POST /api/v1/appeals": "received_at must lie in a window around the server's clock (not before 2000, a few "
                            "minutes ahead at most), and a knowledge_entry needs its answer",
    "GET /api/v1/orders": "a region filter must be one of the city's codes (pattern-valid `110000` is no code of 明川市)",
    "POST /api/v1/orders/{number}/call-record": "a call record needs a transcript or the operator's notes (either)",
    "POST /api/v1/quality/calls/import": "each item needs a transcript or the operator's notes (either)",
    "POST /api/v1/surge": "switching surge mode on needs the incident's wording or keywords",
    "GET /api/v1/knowledge/search": "the region, when given, must be one of the city's codes",
    "POST /api/v1/knowledge/search": "the region, when given, must be one of the city's codes",
    "POST /api/v1/knowledge/entries": "expires_on must be after effective_from",
    "PUT /api/v1/knowledge/entries/{entry_id}": "expires_on must be after effective_from",
    "POST /api/v1/knowledge/entries/{entry_id}/actions": "action `edit` needs the new content of the entry",
    "POST /api/v1/knowledge/import": "the body is an XLSX workbook with the import columns: no JSON Schema says that",
    "GET /api/v1/analytics/kpis": "the period must exist in the calendar (2019-02-30, week 53 of a 52-week year)",
    "GET /api/v1/analytics/kpis/trend": "the period must exist in the calendar, and a trend spans at most a year",
    "GET /api/v1/analytics/kpis/{code}/orders": "the period must exist in the calendar",
    "GET /api/v1/analytics/streets/{code}/kpis": "the period must exist, and the code must be a street of the city",
    "GET /api/v1/analytics/reports/{kind}": "the period's grain must be the report's (a weekly report takes 2019-W46)",
    "GET /api/v1/analytics/warnings": "`to` must not be before `from`",
    "GET /api/v1/analytics/hotspots": "`to` must not be before `from`",
    "POST /api/v1/push/subscribers": "name, url, events and key are checked by `Push.add` (a URL with a host, "
                                     "known event names, a key of 16–128 characters), which names each field in Chinese",
    "POST /api/v1/quality/findings/{finding_id}/verdict": "verdict `overridden` needs the inspector's note",
    "POST /open311/v2/requests.{fmt}": "GeoReport v2 posts a form whose fields (service_code, api_key, …) the "
                                       "service reads itself; docs/open311.md describes it, the OpenAPI has no body",
}


def config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        "suppress-health-check": SLOW_GENERATION,
        "headers": {"Authorization": f"Bearer {token}"},
        "workers": 1,
        "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES, "mode": "all", "database": "none"},
        "checks": {"enabled": True},
        "operations": [{"include-name": name, "checks": {"positive_data_acceptance": {"expected-statuses": [
            *ACCEPTED, 400 if "/open311/" in name else 422]}}} for name in MAY_REFUSE_VALID],  # Open311 refuses with 400
    })


@dataclass
class Outcome:
    requests: dict[str, int] = field(default_factory=dict)  # per phase
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # an exception the engine met (a server error in process)


def run(world: World, user: str) -> Outcome:
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.client.app, config=config(world.tokens[user]))
    out = Outcome()
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            phase = event.phase.value
            out.requests[phase] = out.requests.get(phase, 0) + len(recorder.interactions)
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.status is engine.Status.FAILURE:
                        out.failures.append(_describe(recorder, case_id, check))
        elif isinstance(event, events.NonFatalError):
            out.errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            out.errors.append(f"fatal: {event.exception!r}")
    return out


def _describe(recorder, case_id: str, check) -> str:
    case = recorder.cases[case_id].value
    interaction = recorder.interactions.get(case_id)
    status = interaction.response.status_code if interaction and interaction.response else None
    title = check.failure_info.failure.title if check.failure_info else ""
    body = None if type(case.body).__name__ == "NotSet" else case.body
    return (f"{check.name} on {case.operation.label} → {status}: {title}; path={case.path_parameters} "
            f"query={case.query} body={str(body)[:200]}")


@pytest.fixture
def fuzzed(db_url, clock) -> World:
    world = make_world(db_url, clock, router=ScriptedRouter())
    with world.ctx.write() as session:
        for name, role in (("kadmin", "knowledge_admin"), ("inspector", "inspector")):
            auth.add_user(session, world.ctx.city, name=name, role=role, platform="12345", unit=None, region=None,
                          now=clock.now())
            world.tokens[name] = auth.issue_token(session, name, clock.now())
    r = world.post("operator", "/appeals", {"channel": "phone", "text": "路灯坏了好几天了", "region": "148802001"})
    assert r.status_code == 201, r.text
    yield world
    world.ctx.close()


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_operation_with_every_check(fuzzed: World, role: str):
    out = run(fuzzed, ROLES[role])
    print(f"schemathesis as {role}: {sum(out.requests.values())} requests {out.requests}")
    assert sum(out.requests.values()) > 1000  # the run did run: every operation, every phase
    assert not out.errors, "\n".join(out.errors)
    unique = sorted(set(out.failures))
    assert not unique, f"{len(out.failures)} failures, {len(unique)} distinct:\n" + "\n".join(unique[:40])
