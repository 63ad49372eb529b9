"""Helpers shared by CLI commands: settings from options + environment, errors as messages."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator

import typer

from liandong.config import Settings, settings_from_env
from liandong.core.errors import LiandongError


def settings(db: str | None = None, **overrides) -> Settings:
    if db:
        os.environ["LIANDONG_DATABASE_URL"] = db  # so worker processes and sub-commands see the same database
    return settings_from_env(database_url=db, **overrides)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Print the domain error's message (Chinese) and exit 2, instead of a traceback."""
    try:
        yield
    except LiandongError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        sys.exit(2)
