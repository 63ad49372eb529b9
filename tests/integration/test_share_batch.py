"""Batch files (批量文件): export with a signed manifest; import verifies the manifest before any row is read,
then applies handling results as audited actions, or refuses each with a reason."""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from liandong.cli.main import app as cli
from liandong.exchange.signing import Key
from liandong.orders.service import get_order
from liandong.share import batch
from tests.builders import make_world
from tests.fakes import ScriptedRouter
from tests.share_kit import add_consumer, open_appeal

SECRET = "share-test-secret-0123456789"


@pytest.fixture
def world(db_url, clock, monkeypatch):
    monkeypatch.setenv("LIANDONG_DATABASE_URL", db_url)
    monkeypatch.setenv("LIANDONG_SHARE_SECRET", SECRET)
    monkeypatch.setenv("LIANDONG_SHARE_KEY_ID", "share-test")
    w = make_world(db_url, clock, router=ScriptedRouter())
    yield w
    w.ctx.close()


def run(*args):
    return CliRunner().invoke(cli, ["share", *args])


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_writes_masked_rows_and_a_signed_manifest(world, tmp_path, fmt):
    open_appeal(world)
    add_consumer(world, "城管局", unit="URBAN", datasets="orders", fields="number,status,caller_phone,address")
    r = run("export", "--dataset", "orders", "--consumer", "城管局", "--format", fmt, "--out", str(tmp_path),
            "--since", "2026-11-01", "--until", "2026-12-01")
    assert r.exit_code == 0, r.output
    [manifest_path] = tmp_path.glob("*.manifest.json")
    manifest = json.loads(manifest_path.read_text())
    body = (tmp_path / f"orders-20261101-20261201.{fmt}").read_bytes()
    assert manifest["rows"] == 1 and manifest["sha256"] == hashlib.sha256(body).hexdigest()
    assert manifest["schema_version"] == batch.SCHEMA_VERSION and manifest["key_id"] == "share-test"
    assert manifest["period"]["since"].startswith("2026-11-01") and manifest["masked"] is True
    assert manifest["fields"] == ["number", "status", "caller_phone", "address"]
    assert b"13812345678" not in body and "138****5678".encode() in body
    verified = batch.verify_manifest(manifest_path, {"share-test": Key("share-test", SECRET.encode())})
    assert batch.rows_of(verified)[0]["status"] == "dispatched"
    log = run("log", "--consumer", "城管局", "--export", "jsonl")
    [entry] = [json.loads(x) for x in log.output.splitlines()]
    assert entry["interface"] == "export" and entry["rows"] == 1 and entry["masked"] is True


def results_file(tmp_path, world, rows, *, key=Key("share-test", SECRET.encode())):
    body = batch.render(rows, ["order_number", "action", "unit", "note"], "jsonl")
    (tmp_path / "results-1.jsonl").write_bytes(body)
    manifest = batch.make_manifest(body=body, dataset="results", fmt="jsonl", fields=["order_number", "action", "unit",
                                   "note"], rows=len(rows), since=None, until=None, consumer="城管局", masked=True,
                                   key=key, now=world.ctx.clock.now())
    path = tmp_path / "results-1.manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False))
    return path


def test_import_applies_results_after_verifying_and_refuses_tampered_files_whole(world, tmp_path):
    number = open_appeal(world)["orders"][0]["id"]
    add_consumer(world, "城管局", unit="URBAN", datasets="orders")
    path = results_file(tmp_path, world, [{"order_number": number, "action": "sign", "unit": "URBAN", "note": "签收"},
                                          {"order_number": number, "action": "sign", "unit": "NOPE", "note": ""}])
    data = tmp_path / "results-1.jsonl"
    original = data.read_bytes()
    data.write_bytes(original.replace(b"NOPE", b"URBA"))
    r = run("import", str(path), "--consumer", "城管局")
    assert r.exit_code == 2 and "SHA-256" in r.output
    data.write_bytes(original)
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "rows": 1}))
    r = run("import", str(path), "--consumer", "城管局")
    assert r.exit_code == 2 and "签名校验失败" in r.output
    with world.ctx.read() as s:
        assert get_order(s, number).status == "dispatched"  # nothing read, nothing applied
    path.write_text(json.dumps(manifest))
    r = run("import", str(path), "--consumer", "城管局")
    assert r.exit_code == 0, r.output
    assert "已办理 1 条，拒收 1 条" in r.output and "单位代码「NOPE」不存在" in r.output
    with world.ctx.read() as s:
        assert get_order(s, number).status == "signed"
    again = run("import", str(path), "--consumer", "城管局")  # the same file again: nothing applied twice
    assert again.exit_code == 0 and "已办理 1 条" in again.output
    with world.ctx.read() as s:
        assert get_order(s, number).version == 3


def test_import_refuses_unknown_keys_other_datasets_and_missing_files(world, tmp_path):
    add_consumer(world, "城管局", unit="URBAN", datasets="orders")
    path = results_file(tmp_path, world, [], key=Key("other", b"x" * 20))
    r = run("import", str(path), "--consumer", "城管局")
    assert r.exit_code == 2 and "密钥编号「other」未登记" in r.output
    r = run("import", str(tmp_path / "nope.manifest.json"), "--consumer", "城管局")
    assert r.exit_code == 2 and "无法读取清单文件" in r.output
    open_appeal(world)
    run("export", "--dataset", "orders", "--consumer", "城管局", "--out", str(tmp_path / "o"))
    [exported] = (tmp_path / "o").glob("*.manifest.json")
    r = run("import", str(exported), "--consumer", "城管局")
    assert r.exit_code == 2 and "只能导入办理结果" in r.output
    assert run("import", str(exported), "--consumer", "城管局", "--verify-only").exit_code == 0
    r = run("export", "--dataset", "secrets", "--consumer", "城管局")
    assert r.exit_code == 2 and "未知数据集" in r.output
    r = run("export", "--dataset", "orders", "--consumer", "城管局", "--since", "last week")
    assert r.exit_code == 2 and "ISO 8601" in r.output
