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


ROLE_PAGES = {  # each role's own pages, after its order list
    Role.DISPATCHER: [NavItem("派单台", "/console/dispatch")],
    Role.SUPERVISOR: [NavItem("派单台", "/console/dispatch")],
    Role.ADMIN: [NavItem("派单台", "/console/dispatch")],
    Role.HANDLER: [NavItem("本单位待办", "/console/inbox")],
}


def nav_for(role: Role) -> list[NavItem]:
    return [NavItem(HOME_LABELS.get(role, "工单"), "/console/"), *ROLE_PAGES.get(role, []),
            NavItem("修改密码", "/console/password")]
