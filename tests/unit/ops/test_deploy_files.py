"""The alert rules and the dashboard in deploy/ name only metrics the code exports, and every alert has a runbook."""

import json
import re
from pathlib import Path

import yaml

from liandong.ops import metrics  # noqa: F401 — registers the process metrics

ROOT = Path(__file__).resolve().parents[3]
SQL_METRICS = {"liandong_orders", "liandong_outbox_messages", "liandong_outbox_oldest_pending_age_seconds",
               "liandong_outbox_failed_attempts", "liandong_job_lag_seconds", "liandong_job_runs_total",
               "liandong_job_failures_total"}


def _exported() -> set[str]:
    from prometheus_client import REGISTRY
    names = set()
    for family in REGISTRY.collect():
        names |= {family.name, f"{family.name}_total", f"{family.name}_bucket", f"{family.name}_count",
                  f"{family.name}_sum"}
    return names | SQL_METRICS


def _names(expr: str) -> set[str]:
    return set(re.findall(r"\bliandong_[a-z_]+", expr))


def test_alert_rules_use_exported_metrics_and_each_has_a_runbook_section():
    rules = yaml.safe_load((ROOT / "deploy" / "alerts.yml").read_text(encoding="utf-8"))["groups"][0]["rules"]
    ops_doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    exported = _exported()
    for rule in rules:
        assert _names(rule["expr"]) <= exported, rule["alert"]
        assert f"### {rule['alert']}" in ops_doc, f"no runbook for {rule['alert']}"


def test_dashboard_is_grafana_json_over_exported_metrics():
    dash = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text(encoding="utf-8"))
    exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
    assert dash["uid"] and len(exprs) >= 10
    assert set().union(*map(_names, exprs)) <= _exported()
