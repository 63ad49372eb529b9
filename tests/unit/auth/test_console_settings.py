"""The console's idle timeout is a setting (LIANDONG_CONSOLE_IDLE_MINUTES), checked when read."""

import pytest

from liandong.config import settings_from_env
from liandong.core.errors import ConfigError


def test_idle_minutes_default_and_from_the_environment():
    assert settings_from_env({}).console_idle_minutes == 30
    assert settings_from_env({"LIANDONG_CONSOLE_IDLE_MINUTES": "5"}).console_idle_minutes == 5


@pytest.mark.parametrize("raw,text", [("abc", "应为整数分钟"), ("0", "1 到 1440 分钟"), ("100000", "1 到 1440 分钟")])
def test_bad_idle_minutes_are_refused_in_chinese(raw, text):
    with pytest.raises(ConfigError) as err:
        settings_from_env({"LIANDONG_CONSOLE_IDLE_MINUTES": raw})
    assert text in err.value.message and "LIANDONG_CONSOLE_IDLE_MINUTES" in err.value.message
