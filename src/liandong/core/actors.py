"""Who acts (操作人): the roles of the people and systems that act on orders, and the actor of one action."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from liandong.core.errors import Forbidden


class Role(StrEnum):
    OPERATOR = "operator"  # 话务员
    DISPATCHER = "dispatcher"  # 派单员
    HANDLER = "handler"  # 承办人
    SUPERVISOR = "supervisor"  # 督办员
    POLICE = "police"  # 110 接警员
    KNOWLEDGE_ADMIN = "knowledge_admin"  # 知识库管理员
    INSPECTOR = "inspector"  # 质检员
    ADMIN = "admin"  # 管理员
    SYSTEM = "system"  # 平台对接（交换报文、定时任务）
    CITIZEN = "citizen"  # 市民（市民端：本人诉求的补充、撤诉、评价；不是登录账号）


ROLE_LABELS = {
    Role.OPERATOR: "话务员", Role.DISPATCHER: "派单员", Role.HANDLER: "承办人", Role.SUPERVISOR: "督办员",
    Role.POLICE: "110接警员", Role.KNOWLEDGE_ADMIN: "知识库管理员", Role.INSPECTOR: "质检员", Role.ADMIN: "管理员",
    Role.SYSTEM: "系统", Role.CITIZEN: "市民",
}


@dataclass(frozen=True)
class Actor:  # 操作人
    name: str
    role: Role
    unit: str | None = None
    region: str | None = None


SYSTEM = Actor(name="system", role=Role.SYSTEM)


def require_role(actor: Actor, *roles: Role) -> None:
    """Refuse (403) unless the actor has one of `roles`; an admin has every role."""
    if actor.role is not Role.ADMIN and actor.role not in roles:
        raise Forbidden(f"此操作需要角色：{'、'.join(ROLE_LABELS[r] for r in roles)}")
