"""The command line as a newcomer uses it: migrate, add users, get a token, and clear errors."""

import json

from typer.testing import CliRunner

from liandong.cli.main import app

runner = CliRunner()


def test_db_upgrade_user_add_and_token(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    r = runner.invoke(app, ["db", "upgrade", "--db", db])
    assert r.exit_code == 0 and "数据库已升级" in r.output
    r = runner.invoke(app, ["user", "add", "王芳", "--role", "handler", "--unit", "URBAN", "--db", db])
    assert r.exit_code == 0 and "已添加用户 王芳" in r.output
    r = runner.invoke(app, ["token", "王芳", "--db", db])
    assert r.exit_code == 0 and r.output.strip().startswith("ld_")


def test_clear_errors_exit_2(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner.invoke(app, ["db", "upgrade", "--db", db])
    r = runner.invoke(app, ["user", "add", "x", "--role", "pilot", "--db", db])
    assert r.exit_code == 2 and "角色「pilot」无效" in r.output
    r = runner.invoke(app, ["user", "add", "x", "--role", "handler", "--db", db])
    assert r.exit_code == 2 and "必须指定所属单位" in r.output
    r = runner.invoke(app, ["user", "add", "x", "--role", "handler", "--unit", "NOPE", "--db", db])
    assert r.exit_code == 2 and "NOPE" in r.output
    r = runner.invoke(app, ["token", "nobody", "--db", db])
    assert r.exit_code == 2 and "不存在" in r.output


def test_schemas_command_writes_json_schema(tmp_path):
    r = runner.invoke(app, ["schemas", "--out", str(tmp_path)])
    assert r.exit_code == 0
    appeal = json.loads((tmp_path / "appeal.json").read_text(encoding="utf-8"))
    assert "text" in appeal["required"] and "channel" in appeal["required"]


def test_help_is_there_for_every_command():
    for args in (["--help"], ["serve", "--help"], ["demo", "--help"], ["user", "add", "--help"], ["db", "upgrade", "--help"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0 and "Usage" in r.output
