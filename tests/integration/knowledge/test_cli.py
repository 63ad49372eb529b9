import json

from typer.testing import CliRunner

from liandong.cli.main import app

YAML = """entries:
  - {id: K1, question: 护照怎么办理, answer: 到出入境接待大厅办理。, keywords: [护照, 办护照], visibility: public}
  - {id: K2, question: 水费怎么交, answer: 营业厅或线上缴纳。, keywords: [水费]}
"""


def test_import_search_and_export(db_url, tmp_path):
    runner = CliRunner()
    src = tmp_path / "k.yaml"
    src.write_text(YAML, encoding="utf-8")
    r = runner.invoke(app, ["knowledge", "import", str(src), "--publish", "--db", db_url])
    assert r.exit_code == 0 and "新建 2 条" in r.output
    r = runner.invoke(app, ["knowledge", "search", "我想办个护照", "--json", "--db", db_url])
    hits = json.loads(r.output)
    assert hits[0]["entry_id"] == "K1" and set(hits[0]) == {"entry_id", "version", "question", "answer", "score"}
    r = runner.invoke(app, ["knowledge", "search", "今天股票涨了吗", "--json", "--db", db_url])
    assert json.loads(r.output) == []
    r = runner.invoke(app, ["knowledge", "search", "护照", "--region", "12", "--json", "--db", db_url])
    assert r.exit_code == 2
    r = runner.invoke(app, ["knowledge", "import", str(src), "--db", db_url])  # same ids: new versions
    assert r.exit_code == 0 and "更新 2 条" in r.output
    out = tmp_path / "out.xlsx"
    assert runner.invoke(app, ["knowledge", "export", str(out), "--db", db_url]).exit_code == 0 and out.stat().st_size
