"""Places and people of the demo city 明川市: a small gazetteer (地名) and caller identities.

A `Place` is where an appeal happens: a 小区 (region: the 12-digit community it belongs to),
a road (region: the 9-digit street) or a rural spot (村组、水库, region: the 9-digit town).
The gazetteer is keyed by the region codes of `cities/demo/city.yaml`; for another city the
places are made up from its registry's own streets and communities.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from liandong.regions.registry import CityRegistry


@dataclass(frozen=True)
class Place:  # 地点
    kind: str  # home (小区) / road / rural
    name: str  # what a caller says: 幸福里小区 / 人民路 / 下湾村
    street: str  # 9-digit street/town code
    region: str  # 12-digit community for estates, else the street code
    roads: tuple[str, ...]  # the street's roads, for {road}/{road2}
    estate: str  # an estate of the same street, for {estate} in road texts


# street code → (estates — one per community 001..003, roads, rural spots)
GAZETTEER: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "148802001": (("幸福里小区", "东门花园", "锦绣家园"), ("东门大街", "人民路", "朝阳街"), ()),
    "148802002": (("钟鼓苑", "文昌小区", "鼓楼新村"), ("鼓楼大街", "文昌路", "钟楼巷"), ()),
    "148802003": (("滨江一号", "江畔名城", "望江小区"), ("滨江大道", "沿江路", "码头街"), ()),
    "148802004": (("新华小区", "书香门第", "新华里"), ("新华路", "建设路", "学府街"), ()),
    "148803001": (("湖滨花园", "西湖雅苑", "碧水湾"), ("湖滨路", "西湖大道", "荷花街"), ()),
    "148803002": (("柳岸家园", "柳荫小区", "春晖苑"), ("柳岸路", "春晖街", "杨柳巷"), ()),
    "148803003": (("金山小区", "金山御府", "机械厂宿舍"), ("金山路", "工业大道", "矿区路"), ()),
    "148821001": (("清河小区", "县医院家属院", "城关新苑"), ("城关大街", "清河路", "北关街"), ("北关村", "清河滩")),
    "148821002": (("石桥新村", "石桥嘉园", "桥西小区"), ("石桥街", "省道213线", "桥东路"), ("下湾村", "石桥水库", "上河村")),
    "148821003": (("白水安置小区", "乡政府家属院", "白水新苑"), ("白水街", "白河路"), ("上坪村", "白水河", "后沟村")),
    "148881001": (("望山华府", "山水苑", "望山小区"), ("望山大道", "迎宾路", "新城路"), ()),
    "148881002": (("龙泉小区", "温泉花园", "龙泉新村"), ("龙泉街", "温泉路"), ("后山林场", "龙泉水库", "泉水村")),
}


def build_places(registry: CityRegistry) -> dict[str, list[Place]]:
    """All places of the city by kind, in a fixed order (deterministic sampling needs it)."""
    places: dict[str, list[Place]] = {"home": [], "road": [], "rural": []}
    streets = [c for c in registry.regions if len(c) == 9]
    known = [s for s in streets if s in GAZETTEER]
    if known:
        for street in known:
            estates, roads, rural = GAZETTEER[street]
            for i, estate in enumerate(estates, start=1):
                community = f"{street}{i:03d}"
                region = community if community in registry.regions else street
                places["home"].append(Place("home", estate, street, region, roads, estate))
            for road in roads:
                places["road"].append(Place("road", road, street, street, roads, estates[0]))
            for spot in rural:
                places["rural"].append(Place("rural", spot, street, street, roads, estates[0]))
    else:  # another city: names made from its registry
        for street in streets:
            base = registry.regions[street].name[:2]
            roads = (f"{base}路", f"{base}大街")
            communities = [c for c in registry.regions if len(c) == 12 and c.startswith(street)]
            estates = [f"{registry.regions[c].name[:2]}{'花园' if j % 2 else '小区'}{j + 1}期" for j, c in enumerate(communities)]
            for c, estate in zip(communities, estates):
                places["home"].append(Place("home", estate, street, c, roads, estate))
            first = estates[0] if estates else f"{base}小区"
            if not estates:
                places["home"].append(Place("home", first, street, street, roads, first))
            for road in roads:
                places["road"].append(Place("road", road, street, street, roads, first))
    if not places["rural"]:
        places["rural"] = list(places["road"])
    return places


def street_prefix(registry: CityRegistry, street: str) -> str:
    """区县 + 街道 names, e.g. 东城区东门街道 (the city's own name left off)."""
    return registry.region_path(street).removeprefix(registry.name)


def format_address(registry: CityRegistry, place: Place, rng: random.Random) -> str:
    prefix = street_prefix(registry, place.street)
    if place.kind == "home":
        building = f"{rng.randint(1, 24)}栋"
        r = rng.random()
        if r < 0.45:
            return f"{prefix}{place.name}{building}{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}"
        if r < 0.8:
            return f"{prefix}{place.name}{building}"
        return f"{prefix}{place.name}"
    if place.kind == "road":
        if rng.random() < 0.3 and len(place.roads) > 1:
            other = rng.choice([r for r in place.roads if r != place.name])
            return f"{prefix}{place.name}与{other}交叉口"
        return f"{prefix}{place.name}{rng.randint(1, 300)}号"
    if place.name.endswith("村"):
        return f"{prefix}{place.name}{rng.randint(1, 9)}组"
    return f"{prefix}{place.name}{rng.choice(('附近', '东侧', '西岸', '下游', ''))}"


# --------------------------------------------------------------------------- people (来电人)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志文辉鹏飞斌宇浩凯秀云海燕丹雪琴波林春梅晓东亮婷慧建华永德淑珍凤兰荣子涵梓轩思雨欣怡"
_SURNAME_CUM = tuple(sum(1 / (k + 8) for k in range(i + 1)) for i in range(len(SURNAMES)))  # Zipf-like: 王 ~5%
PHONE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
    "185", "186", "187", "188", "189", "191", "198", "199",
)


def caller_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
    r = rng.random()
    if r < 0.2:  # caller would not give a full name
        return surname + rng.choice(("先生", "女士", "师傅", "大爷", "阿姨"))
    if r < 0.55:
        return surname + rng.choice(GIVEN)
    return surname + rng.choice(GIVEN) + rng.choice(GIVEN)


def caller_phone(rng: random.Random, used: set[str]) -> str:
    while True:
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in used:
            used.add(phone)
            return phone
