import pytest
from typer.testing import CliRunner

from liandong.cli.sla import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["due", *args])


def test_working_days_across_national_day():
    result = run("--start", "2026-09-30 16:00", "--working-days", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2026-10-10 17:30\n"


def test_working_hours_with_lunch_break_and_city():
    result = run("--start", "2026-11-02 11:00", "--working-hours", "2", "--city", "demo")
    assert result.exit_code == 0
    assert result.stdout == "2026-11-02 14:30\n"


def test_provisional_note_goes_to_stderr_only():
    result = run("--start", "2026-12-31 10:00", "--working-days", "1")
    assert result.exit_code == 0
    assert result.stdout == "2027-01-04 17:30\n"  # 2027-01-01 is a city holiday override
    assert "可能变动" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--start", "2026/09/30", "--working-days", "3"), "开始时间格式"),
        (("--start", "2026-09-30 16:00"), "二选一"),
        (("--start", "2026-09-30 16:00", "--working-days", "3", "--working-hours", "2"), "二选一"),
        (("--working-days", "3"), "--start"),
        (("--start", "2026-09-30 16:00", "--working-days", "三"), "整数"),
        (("--start", "2026-09-30 16:00", "--working-days", "0"), "大于 0"),
        (("--start", "2026-09-30 16:00", "--working-days", "-2"), "大于 0"),
        (("--start", "2026-09-30 16:00", "--working-hours", "abc"), "数字"),
        (("--start", "2026-09-30 16:00", "--working-days", "100000"), "不能超过"),
        (("--start", "2026-09-30 16:00", "--working-days", "1", "--city", "atlantis"), "未找到城市"),
    ],
)
def test_bad_input_is_explained_in_chinese_with_exit_code_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
