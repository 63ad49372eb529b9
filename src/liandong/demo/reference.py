"""The reference lists the demo stream is built to span (分流转办事项参考清单).

Jincheng (晋市政办〔2023〕21号, appendix): 22 items 12345 → 110 (ids A1..A22) and 158 items
110 → 12345 (ids B1..B158), each under a numbered group (类别). Tibet (藏政办函〔2025〕11号):
17 categories of non-police appeals 12345 takes (T12345), 7 police categories 110 takes
(T110) and the 4 emergencies 12345 hands to 110 while dispatching departments (TEMERG).

The Jincheng items are read from `cities/lists/jincheng.yaml`, the same city data the router uses;
item B98 is missing from the published text and is kept there as an explicit gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from liandong.core.yamlfile import strip_lines
from liandong.routing.lists import LISTS_DIR, load_marked_yaml


@dataclass(frozen=True)
class RefItem:  # 清单事项
    id: str  # "A7", "B122"
    group: str  # "A·街面秩序类" — list letter + group
    group_label: str  # 街面秩序类
    label: str  # 违法停车


JINCHENG_FILE = LISTS_DIR / "jincheng.yaml"
_DIRECTION_LETTER = {"12345→110": "A", "110→12345": "B"}


def _load_jincheng(path: Path = JINCHENG_FILE) -> dict[str, RefItem]:
    """The two Jincheng lists from the city data the router uses (one transcription, not two).

    An item the source lost (B98) keeps its place, in the group of the item after it, so the
    stream can still illustrate the gap; its label says it is missing."""
    data = strip_lines(load_marked_yaml(path))
    items: dict[str, RefItem] = {}
    for lst in data["lists"]:
        letter = _DIRECTION_LETTER[lst["direction"]]
        raw_items = lst["items"]
        for i, raw in enumerate(raw_items):
            group = raw.get("group") or next((r.get("group") for r in raw_items[i + 1:] if r.get("group")), "")
            label = raw.get("name") or "（原文缺失）"
            item_id = f"{letter}{raw['num']}"
            items[item_id] = RefItem(item_id, f"{letter}·{group}", group, label)
    return items


JINCHENG_ITEMS: dict[str, RefItem] = _load_jincheng()
JINCHENG_12345_TO_110: dict[str, RefItem] = {k: v for k, v in JINCHENG_ITEMS.items() if k.startswith("A")}  # 22
JINCHENG_110_TO_12345: dict[str, RefItem] = {k: v for k, v in JINCHENG_ITEMS.items() if k.startswith("B")}  # 158
JINCHENG_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(i.group for i in JINCHENG_ITEMS.values()))

# Tibet (西藏) categories, referred to as "T:<label>".
TIBET_12345 = (  # 12345 应当受理的 17 类非警务类诉求
    "公共设施类", "市容环境类", "园林绿化类", "施工管理类", "环境保护类", "消费纠纷类", "经济纠纷类",
    "市场监管类", "文化新闻类", "卫生健康类", "教育类", "民生保障类", "野生动物类", "矛盾纠纷类",
    "突发事件类", "其他求助类", "其他事件类",
)
TIBET_110 = (  # 110 报警服务台应当受理的 7 类警务类诉求
    "违法犯罪行为", "群体性事件", "道路交通管理", "治安灾害事故", "群众救助服务", "抢险抗灾救援", "涉警投诉举报",
)
TIBET_EMERGENCIES = (  # 12345 第一时间移交 110 并转办属地的 4 类紧急事件
    "个人极端事件", "扬言报复社会事件", "群体性聚集事件", "危及公共、人身或财产安全事件",
)
TIBET_CATEGORIES: tuple[str, ...] = tuple(
    dict.fromkeys(f"T:{c}" for c in TIBET_12345 + TIBET_110 + TIBET_EMERGENCIES)
)
