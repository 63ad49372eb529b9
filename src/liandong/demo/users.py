"""Demo accounts: one user of every role on each desk, and a handler for every unit that gets orders.

The named desk users can also sign in to the console (`/console/`): each gets a fresh random password,
written beside its token in var/demo-users.json (`username`, `password`).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from liandong.app import Liandong
from liandong.auth import passwords
from liandong.auth import service as auth

DESK_USERS = {  # role → (name, unit) on each platform
    "12345": [("operator", "话务员小王", None), ("dispatcher", "派单员小李", None), ("handler", "城管承办人老张", "URBAN"),
              ("supervisor", "督办员赵科长", None), ("admin", "管理员", None)],
    "110": [("police", "接警员小刘", None), ("handler", "东城分局民警老陈", "PS-148802"), ("supervisor", "110督办员", None),
            ("admin", "110管理员", None)],
    "119": [("police", "119接警员小周", None), ("handler", "消防救援支队队员小吴", "FIRE"), ("admin", "119管理员", None)],
    "120": [("police", "120调度员小郑", None), ("handler", "急救中心医生小孙", "AMB"), ("admin", "120管理员", None)],
}


def create_demo_users(ctx: Liandong, platform_users: dict[str, list] | None = None) -> tuple[list[dict], dict[str, str]]:
    """Users for the listed desks in `ctx`'s database; returns (demo-users.json rows, unit → handler token)."""
    rows: list[dict] = []
    unit_tokens: dict[str, str] = {}
    now = ctx.clock.now()
    with ctx.write() as session:
        for platform, users in (platform_users or {p: DESK_USERS[p] for p in ("12345", "110")}).items():
            for role, name, unit in users:
                user = auth.add_user(session, ctx.city, name=name, role=role, platform=platform, unit=unit, region=None, now=now)
                token = auth.issue_token(session, name, now)
                password = demo_password()
                passwords.set_password(session, name, password, now)
                rows.append({"name": name, "role": role, "platform": platform, "unit": unit, "region": user.region,
                             "token": token, "username": name, "password": password})
                if unit:
                    unit_tokens[unit] = token
        for unit in ctx.city.city.units:
            if unit.code in unit_tokens or unit.kind.value in ("hotline_centre", "command_centre"):
                continue
            platform = "110" if unit.platform == "110" else "12345"
            name = f"承办人-{unit.code}"
            auth.add_user(session, ctx.city, name=name, role="handler", platform=platform, unit=unit.code, region=None, now=now)
            unit_tokens[unit.code] = auth.issue_token(session, name, now)
    return rows, unit_tokens


def demo_password() -> str:
    """Random per demo run (never a fixed, guessable demo password); passes the strength rule."""
    return f"Ld-{secrets.token_hex(5)}"


def write_users_file(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
