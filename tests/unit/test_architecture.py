"""The dependency rules of docs/architecture.md, checked so that they stay true.

Read from the source (which packages a module imports) and from a fresh interpreter (what importing a
package really loads), so an import hidden inside a function is caught as well as one at the top.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "liandong"
SHELLS = {"api", "console", "cli", "demo", "app", "storage.migrations"}  # may know every capability
DOMAIN = {"appeals", "orders", "intake", "linkage", "supervision", "routing", "auth", "regions", "knowledge", "analytics",
          "quality", "share", "open311", "push"}
LAYERS = {  # package → the liandong packages it may import (besides itself)
    "core": set(),
    "config": {"core"},
    "regions": {"core"},
    "routing": {"core"},
    "storage": {"core"},
    "exchange": {"core", "storage"},
    "appeals": {"core", "storage"},
    "auth": {"core", "config", "regions", "storage"},
    "orders": {"core", "regions", "routing", "storage", "appeals"},
    "supervision": {"core", "storage", "appeals", "orders"},
    "linkage": {"core", "config", "regions", "routing", "storage", "appeals", "orders", "exchange"},
    "intake": {"core", "regions", "routing", "storage", "appeals", "orders", "supervision", "linkage"},
    "knowledge": {"core", "regions", "routing", "storage", "appeals", "orders", "intake"},
    "analytics": {"core", "regions", "routing", "storage", "appeals", "orders", "supervision"},
    "quality": {"core", "storage", "appeals", "orders", "supervision"},
    "share": {"core", "regions", "storage", "appeals", "orders", "exchange"},
    "open311": {"core", "regions", "routing", "appeals", "orders", "intake", "share"},
    "push": {"core", "storage", "orders"},
    "ops": {"core", "storage"},
    "portal": {"core", "regions", "storage", "appeals", "orders", "supervision", "intake"},
}


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    if rel.parts[:2] == ("storage", "migrations"):
        return "storage.migrations"
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        found |= {n.split(".")[1] for n in names if n and n.startswith("liandong.")}
    return found


def _sources():
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_each_package_imports_only_the_layers_below_it(package):
    wrong = {}
    for path in _sources():
        if _package_of(path) == package:
            extra = _imports(path) - LAYERS[package] - {package}
            if extra:
                wrong[str(path.relative_to(SRC))] = sorted(extra)
    assert wrong == {}


def test_linkage_is_the_only_capability_that_knows_both_orders_and_the_exchange():
    both = {}
    for path in _sources():
        package = _package_of(path)
        if package not in SHELLS and package != "linkage" and {"orders", "exchange"} <= _imports(path):
            both[str(path.relative_to(SRC))] = package
    assert both == {}


def _loaded_by(module: str) -> set[str]:
    code = f"import sys, json, {module}; print(json.dumps(sorted(m for m in sys.modules if m.startswith('liandong.'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {m.split(".")[1] for m in json.loads(out)}


def test_importing_the_order_core_loads_no_listener_and_no_shell():
    loaded = _loaded_by("liandong.orders.service, liandong.orders.present, liandong.orders.queries")
    assert not loaded & {"linkage", "supervision", "intake", "api", "app", "exchange"}


def test_the_exchange_protocol_loads_no_domain_package():
    modules = ", ".join(f"liandong.exchange.{p.stem}" for p in sorted((SRC / "exchange").glob("*.py"))
                        if p.stem != "__init__")
    assert not _loaded_by(modules) & DOMAIN


def test_no_import_inside_a_function_in_the_domain():
    """An import inside a function is how a circle is dodged; the domain has none (shells may defer heavy ones)."""
    inner = []
    for path in _sources():
        if _package_of(path) in SHELLS:
            continue
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner += [f"{path.relative_to(SRC)}:{n.lineno}" for n in ast.walk(fn)
                          if isinstance(n, (ast.Import, ast.ImportFrom)) and (getattr(n, "module", "") or "").startswith("liandong")]
    assert inner == []


def test_no_service_locator():
    """Capabilities get their collaborators passed in; none probes the application object."""
    probing = [f"{p.relative_to(SRC)}" for p in _sources() if "getattr(ctx" in p.read_text(encoding="utf-8")]
    assert probing == []


def test_every_source_file_fits_in_a_readers_head():
    long = {str(p.relative_to(SRC)): n for p in _sources() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
