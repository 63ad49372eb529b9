"""The console's navigation, by role. Each per-role page adds its entry here when it is built."""

from __future__ import annotations

from dataclasses import dataclass

from liandong.core.actors import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str


HOME_LABELS = {  # the order list of the home page, named as each role thinks of it
    Role.OPERATOR: "受理工单", Role.DISPATCHER: "派单工单", Role.HANDLER: "本单位工单", Role.SUPERVISOR: "辖区工单",
    Role.POLICE: "警单", Role.ADMIN: "全部工单",
}


EXTRA = [  # (label, path, roles) of the per-role pages, after the home list
    ("派单台", "/console/dispatch", {Role.DISPATCHER, Role.SUPERVISOR, Role.POLICE, Role.ADMIN}),
    ("本单位待办", "/console/inbox", {Role.HANDLER}),
    ("受理台", "/console/intake", {Role.OPERATOR, Role.DISPATCHER, Role.POLICE, Role.ADMIN}),
    ("接警台", "/console/police", {Role.POLICE, Role.ADMIN}),
    ("督办台", "/console/board", {Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN}),
    ("城运大屏", "/console/wall", {Role.SUPERVISOR, Role.ADMIN}),
    ("知识库", "/console/knowledge", {Role.SUPERVISOR, Role.KNOWLEDGE_ADMIN, Role.ADMIN}),
    ("查询", "/console/search", set(Role) - {Role.SYSTEM}),
    ("统计分析", "/console/analytics", {Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN}),
    ("质检台", "/console/quality", {Role.SUPERVISOR, Role.INSPECTOR, Role.ADMIN}),
    ("数据访问留痕", "/console/share/access-log", {Role.ADMIN}),
    ("事件推送", "/console/push", {Role.ADMIN}),
]


def nav_for(role: Role) -> list[NavItem]:
    extra = [NavItem(label, path) for label, path, roles in EXTRA if role in roles]
    if role is Role.POLICE:  # the 110 desk comes first for the police
        extra.sort(key=lambda item: item.path != "/console/police")
    return [NavItem(HOME_LABELS.get(role, "工单"), "/console/"), *extra, NavItem("修改密码", "/console/password")]
