"""The CLI contracts: `route --jsonl`, `model train`, `model eval`."""

import csv
import json

import typer
from typer.testing import CliRunner

from liandong.cli.model import app as model_app
from liandong.cli.route import route_command

runner = CliRunner()


def route_app() -> typer.Typer:
    app = typer.Typer()
    app.command("route")(route_command)
    app.command("noop")(lambda: None)  # keep "route" a sub-command, as in the real CLI
    return app


def test_route_jsonl(tmp_path, router):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join([
            json.dumps({"id": "a", "text": "商场里着火了", "channel": "12345", "extra": 1}, ensure_ascii=False),
            json.dumps({"id": "b", "text": "", "channel": "12345"}),
            "{not json",
            json.dumps({"id": "c", "text": "路灯坏了", "channel": "carrier-pigeon"}, ensure_ascii=False),
            json.dumps({"id": "d", "text": "停水两天了", "channel": "110"}, ensure_ascii=False),
        ]) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(route_app(), ["route", "--jsonl", str(src)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", None, "c", "d"]
    assert out[0]["services"] == ["119"] and out[0]["category"]["code"] == "NA-F01"
    assert set(out[0]) >= {"id", "services", "category", "unit", "level", "confidence", "review", "reasons"}
    assert "为空" in out[1]["error"] and "JSON" in out[2]["error"] and "渠道" in out[3]["error"]
    assert out[4]["services"] == ["12345"] and out[4]["unit"] == "water_supply"


def test_route_unknown_city(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("", encoding="utf-8")
    result = runner.invoke(route_app(), ["route", "--jsonl", str(src), "--city", "atlantis"])
    assert result.exit_code == 2


def _csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["msg", "cat"])
        w.writerows(rows)


def test_model_train_and_eval(tmp_path):
    water = ["家里停水了", "自来水管爆了", "水压太低", "水龙头没水", "自来水发黄", "小区停水两天"]
    noise = ["工地噪音太大", "半夜施工很吵", "楼上装修太吵", "广场舞声音大", "工厂机器轰鸣", "夜里打桩扰民"]
    rows = [(t, "供水") for t in water] + [(t, "噪声") for t in noise]
    _csv(tmp_path / "train.csv", rows * 3)
    _csv(tmp_path / "test.csv", [("我们这里停水了", "供水"), ("晚上施工噪音", "噪声")])
    out = tmp_path / "model"
    r = runner.invoke(model_app, ["train", "--csv", str(tmp_path / "train.csv"), "--text-col", "msg", "--label-col", "cat", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "model.pkl").exists()
    r = runner.invoke(model_app, ["eval", "--model", str(out), "--csv", str(tmp_path / "test.csv"), "--text-col", "msg", "--label-col", "cat", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["accuracy"] == 1.0 and res["macro_f1"] == 1.0
    r = runner.invoke(model_app, ["eval", "--model", str(out), "--csv", str(tmp_path / "test.csv"), "--text-col", "msg", "--label-col", "cat"])
    assert "macro-F1" in r.stdout and "混淆矩阵" in r.stdout


def test_model_train_missing_column(tmp_path):
    _csv(tmp_path / "t.csv", [("停水", "供水")])
    r = runner.invoke(model_app, ["train", "--csv", str(tmp_path / "t.csv"), "--text-col", "text", "--label-col", "cat", "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "没有列" in r.output
