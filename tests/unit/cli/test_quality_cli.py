"""`liandong quality check` on a small CSV export: a summary in Chinese, or one JSON line per reply; bad input exits 2."""

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from liandong.cli.main import app

ROWS = [
    {"id": "1", "subject": "滨江路烧烤店噪声扰民", "text": "楼下烧烤店半夜营业，噪声很大",
     "reply": "您好！经现场核实，滨江路烧烤店确有夜间噪声扰民情况，依据《噪声污染防治法》，我局已责令其整改，目前已于每晚22时停止营业。感谢您的支持！",
     "received_at": "2019/4/25 9:32:09", "replied_at": "2019/5/6 10:00:00"},
    {"id": "2", "subject": "小区停水", "text": "小区停水一天了", "reply": "网友：您好！留言已收悉",
     "received_at": "2019/4/25 9:32:09", "replied_at": "2019/8/6 10:00:00"},
]


def write(tmp_path, rows=ROWS):
    path = tmp_path / "replies.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


ARGS = ["--text-col", "text", "--reply-col", "reply", "--subject-col", "subject", "--id-col", "id",
        "--received-col", "received_at", "--replied-col", "replied_at"]


def test_json_lines_per_reply_with_findings_and_spans(tmp_path):
    result = CliRunner().invoke(app, ["quality", "check", "--csv", str(write(tmp_path)), *ARGS, "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["1", "2"]
    assert lines[0]["outcome"] == "pass"
    second = {f["rule"]: f for f in lines[1]["findings"]}
    assert lines[1]["outcome"] == "fail" and {"reply.non_answer", "reply.timeliness"} <= set(second)
    assert second["reply.non_answer"]["spans"][0]["source"] == "reply"


def test_summary_in_chinese(tmp_path):
    result = CliRunner().invoke(app, ["quality", "check", "--csv", str(write(tmp_path)), *ARGS])
    assert result.exit_code == 0
    assert "共 2 条答复" in result.stdout and "不合格：1" in result.stdout and "以转代答" in result.stdout


def test_a_missing_column_or_file_exits_2_with_a_chinese_message(tmp_path):
    bad = CliRunner().invoke(app, ["quality", "check", "--csv", str(write(tmp_path)), "--text-col", "正文",
                                   "--reply-col", "reply"])
    assert bad.exit_code == 2 and "CSV 中没有这些列：--text-col 正文" in bad.stderr
    missing = CliRunner().invoke(app, ["quality", "check", "--csv", str(tmp_path / "none.csv"), "--text-col", "t",
                                       "--reply-col", "r"])
    assert missing.exit_code == 2 and "无法读取文件" in missing.stderr


def test_a_rules_file_with_an_unknown_rule_exits_2_naming_the_rule_file_and_line(tmp_path):
    demo = (Path(__file__).resolve().parents[3] / "src" / "liandong" / "cities" / "demo" / "quality.yaml")
    text = demo.read_text(encoding="utf-8")
    own = tmp_path / "quality.yaml"
    own.write_text(text, encoding="utf-8")
    good = CliRunner().invoke(app, ["quality", "check", "--csv", str(write(tmp_path)), *ARGS, "--rules", str(own)])
    assert good.exit_code == 0 and "共 2 条答复" in good.stdout
    own.write_text(text.replace("  reply.relevance:", "  reply.mood:\n  reply.relevance:", 1), encoding="utf-8")
    line = own.read_text(encoding="utf-8").splitlines().index("  reply.mood:") + 1
    bad = CliRunner().invoke(app, ["quality", "check", "--csv", str(write(tmp_path)), *ARGS, "--rules", str(own)])
    assert bad.exit_code == 2 and bad.stdout == ""
    assert f"{own}:{line}" in bad.stderr and "未知的质检规则「reply.mood」" in bad.stderr and "可用的规则" in bad.stderr
    gone = CliRunner().invoke(app, ["quality", "check", "--csv", str(write(tmp_path)), *ARGS, "--rules",
                                    str(tmp_path / "none.yaml")])
    assert gone.exit_code == 2 and "找不到质检规则文件" in gone.stderr
