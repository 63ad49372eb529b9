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


def _signs_in(db: str, name: str, password: str) -> bool:
    from liandong.app import Liandong
    from liandong.auth import passwords
    from liandong.config import Settings

    ctx = Liandong(Settings(database_url=db))
    try:
        with ctx.write() as s:
            return passwords.attempt_sign_in(s, name, password, ctx.clock.now()).ok
    finally:
        ctx.close()


def test_user_add_with_password_stdin_and_passwd(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner.invoke(app, ["db", "upgrade", "--db", db])
    r = runner.invoke(app, ["user", "add", "王芳", "--role", "operator", "--password-stdin", "--db", db],
                      input="Hotline-12345\n")
    assert r.exit_code == 0 and "可登录控制台" in r.output and "Hotline-12345" not in r.output
    assert _signs_in(db, "王芳", "Hotline-12345")
    r = runner.invoke(app, ["user", "passwd", "王芳", "--db", db], input="Another-2026\n")
    assert r.exit_code == 0 and "已设置 王芳 的控制台密码" in r.output
    assert _signs_in(db, "王芳", "Another-2026") and not _signs_in(db, "王芳", "Hotline-12345")


def test_weak_or_missing_passwords_are_refused_and_nothing_is_stored(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner.invoke(app, ["db", "upgrade", "--db", db])
    r = runner.invoke(app, ["user", "add", "王芳", "--role", "operator", "--password-stdin", "--db", db], input="abc\n")
    assert r.exit_code == 2 and "新密码至少 8 个字符" in r.output
    r = runner.invoke(app, ["user", "add", "王芳", "--role", "operator", "--password-stdin", "--db", db], input="")
    assert r.exit_code == 2 and "标准输入中没有密码" in r.output
    r = runner.invoke(app, ["user", "add", "王芳", "--role", "operator", "--db", db])
    assert r.exit_code == 0  # the failed attempts left no user behind
    r = runner.invoke(app, ["user", "passwd", "王芳", "--db", db], input="王芳的密码2026\n")
    assert r.exit_code == 2 and "不能包含用户名" in r.output
    r = runner.invoke(app, ["user", "passwd", "无此人", "--db", db], input="Another-2026\n")
    assert r.exit_code == 2 and "用户「无此人」不存在" in r.output
