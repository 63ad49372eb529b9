"""ASGI entry for `uvicorn --factory liandong.api.asgi:app_factory` (several worker processes)."""

from __future__ import annotations

from liandong.api.app import create_app
from liandong.app import Liandong
from liandong.config import settings_from_env


def app_factory():
    return create_app(Liandong(settings_from_env()), background=True)
