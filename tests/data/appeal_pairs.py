"""A labelled set of appeal pairs for near-duplicate search, generated deterministically from a seed.

Nothing here is copied from real data. An appeal is a *matter instance* — a problem type, a place and
its details — told through one of several paraphrase templates and then passed through a
"transcriber": a different opening and closing formula, fillers, punctuation, numerals written as
digits or characters, swapped clauses, a dropped clause and homophone typos.

Positive pairs (label 1) are two tellings of one matter instance:
    paraphrase    two templates, clean
    transcriber   two templates, both transcribed with noise
    typo          the same template, one copy with 1–3 typos and noise
    retold        two templates, one shortened and reordered (the same matter told differently)
Negative pairs (label 0) look alike on purpose:
    same_place    the same street and compound, a different problem
    same_problem  the same problem type and wording family, another compound of the same street
    unrelated     any two matter instances

`make_pairs(seed, n)` returns the list; `synthetic_appeal(rng, streets)` feeds the 1M-history benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

STREETS = ["东门街道", "鼓楼街道", "滨江街道", "新华街道", "西湖街道", "柳岸街道", "金山街道", "城关镇"]
COMPOUND_HEADS = ["幸福", "阳光", "金桂", "锦绣", "翠湖", "东方", "和平", "龙湾", "紫荆", "春晓", "盛世", "怡景", "枫林", "桃源", "银河", "丽都"]
COMPOUND_TAILS = ["小区", "花园", "新村", "家园", "公寓", "苑", "名邸", "华庭"]
ROADS = ["解放路", "人民路", "建设路", "长江路", "中山路", "胜利路", "文化路", "滨河路", "朝阳路", "新华路", "光明街", "东风大道"]
COMPANIES = ["明川宏达建筑公司", "恒信物流有限公司", "金鼎装饰公司", "华兴电子厂", "顺发餐饮公司", "新世纪保洁公司"]

# Each matter: slots and several tellings. {place} is a compound, {road} a road, {b} a building number.
MATTERS: dict[str, dict] = {
    "night_noise": {
        "slots": {"hour": ["十一", "十二", "凌晨一", "凌晨两"], "site": ["工地", "建筑工地", "在建楼盘"]},
        "tellings": [
            "{place}旁边的{site}每天晚上施工到{hour}点多，噪音很大，严重影响居民休息",
            "反映{place}附近有个{site}夜间施工，{hour}点以后还在打桩，吵得睡不着觉",
            "{place}边上{site}夜里偷偷施工，机器声音太吵了，到{hour}点都不停，希望城管去查一下",
            "{site}在{place}对面，夜间违规施工扰民，{hour}点了还有噪音，老人小孩都没法睡",
        ],
    },
    "water_outage": {
        "slots": {"since": ["昨天下午", "今天早上", "前天晚上", "三天前"], "b": ["3", "5", "8", "12", "16"]},
        "tellings": [
            "{place}{b}号楼从{since}开始停水，到现在还没有来水，也没有提前通知",
            "{place}{b}栋{since}就停水了，一直没恢复，居民做饭洗漱都成问题",
            "反映{place}{b}号楼停水，{since}到现在没水，打物业电话没人管",
            "{since}起{place}{b}号楼没有水，供水公司也没有发停水通知，请尽快恢复供水",
        ],
    },
    "street_light": {
        "slots": {"seg": ["东段", "西段", "与人民路交叉口", "靠近公交站的一段"], "days": ["一个星期", "半个月", "好几天", "一个多月"]},
        "tellings": [
            "{road}{seg}的路灯坏了{days}了，晚上黑漆漆的，行人走路很不安全",
            "{road}{seg}路灯不亮已经{days}，夜间出行有安全隐患，希望尽快维修",
            "反映{road}{seg}一排路灯全都不亮，持续{days}了，没人来修",
            "{days}以来{road}{seg}晚上没有路灯照明，电动车差点撞到人",
        ],
    },
    "vendors": {
        "slots": {"what": ["卖菜的", "水果摊", "烧烤摊", "小吃摊"], "when": ["每天早上", "每天傍晚", "周末", "晚上"]},
        "tellings": [
            "{road}菜市场门口{when}都有{what}占道经营，把路都堵死了，车过不去",
            "{when}{road}菜场附近{what}摆摊占道，交通拥堵，还留下很多垃圾",
            "反映{road}菜市场边上{what}占用人行道和车道经营，{when}特别严重",
            "{road}菜市场门口占道经营问题，{what}{when}摆满路边，行人只能走机动车道",
        ],
    },
    "wage_arrears": {
        "slots": {"months": ["两个月", "三个月", "半年", "四个月"], "amount": ["8000", "12000", "2万", "3万5"], "company": COMPANIES},
        "tellings": [
            "我在{company}上班，公司已经拖欠我{months}工资共{amount}元，多次讨要都不给",
            "{company}拖欠工资{months}，欠我{amount}元，老板一直推脱，请劳动监察部门帮忙",
            "反映{company}欠薪问题，{months}没发工资了，总共{amount}元，要求尽快支付",
            "{company}不发工资已经{months}，我的{amount}元工资到现在一分没拿到",
        ],
    },
    "garbage": {
        "slots": {"days": ["三天", "一个星期", "好几天", "五天"], "spot": ["垃圾站", "垃圾桶", "垃圾房"]},
        "tellings": [
            "{place}的{spot}已经{days}没有清运了，垃圾堆成山，臭气熏天",
            "{place}{spot}垃圾{days}没人收，天气热气味很大，苍蝇蚊子很多",
            "反映{place}{spot}的垃圾长时间不清运，已经{days}了，严重影响环境卫生",
            "{days}了{place}{spot}的垃圾都没拉走，满地都是，居民意见很大",
        ],
    },
    "fire_lane": {
        "slots": {"b": ["2", "6", "9", "11"], "when": ["每天晚上", "长期", "一到晚上", "周末"]},
        "tellings": [
            "{place}{b}号楼前的消防通道{when}被私家车占用，万一着火消防车根本进不来",
            "{place}{b}栋楼下消防通道{when}停满了车，物业不管，存在很大安全隐患",
            "反映{place}{b}号楼消防通道被违停车辆堵塞，{when}都是这样",
            "{when}{place}{b}号楼边的消防通道都被车堵着，希望交警来处理违章停车",
        ],
    },
    "oil_smoke": {
        "slots": {"shop": ["烧烤店", "火锅店", "小饭馆", "餐馆"], "floor": ["一楼", "底楼", "楼下"]},
        "tellings": [
            "{place}{floor}的{shop}油烟直接排到居民楼里，家里窗户都不敢开",
            "{place}{floor}新开了一家{shop}，没有装油烟净化设备，油烟味道很重",
            "反映{place}{floor}{shop}油烟扰民，油烟管道直接对着楼上住户",
            "{place}{floor}那个{shop}每天排放大量油烟，呛得人受不了，请环保部门处理",
        ],
    },
    "leak": {
        "slots": {"b": ["4", "7", "10", "15"], "room": ["卫生间", "厨房", "客厅", "卧室"]},
        "tellings": [
            "{place}{b}号楼我家{room}天花板漏水，是楼上住户的水管问题，楼上不配合维修",
            "我住{place}{b}栋，楼上往下漏水，{room}墙面都发霉了，协商多次没有结果",
            "反映{place}{b}号楼楼上漏水到我家{room}，物业协调不了，请求帮助",
            "{place}{b}号楼{room}被楼上渗水泡坏了，找了楼上邻居好几次都不管",
        ],
    },
    "elevator": {
        "slots": {"b": ["1", "5", "13", "18"], "days": ["三天", "一个星期", "十来天", "两周"]},
        "tellings": [
            "{place}{b}号楼电梯坏了{days}，一直没人修，老人上下楼非常困难",
            "{place}{b}栋的电梯故障停运{days}了，物业说在等配件，住高层的居民很不方便",
            "反映{place}{b}号楼电梯经常出故障，这次已经停了{days}，还有人被困过",
            "{days}了{place}{b}号楼电梯还是不能用，物业一直拖着不维修",
        ],
    },
    "manhole": {
        "slots": {"seg": ["东段", "西段", "学校门口", "公交站旁"], "what": ["井盖丢失", "井盖破损", "路面塌陷", "大坑"]},
        "tellings": [
            "{road}{seg}有个{what}，晚上看不清很危险，已经有电动车摔倒了",
            "{road}{seg}出现{what}，没有任何警示标志，请尽快处理",
            "反映{road}{seg}{what}的问题，存在安全隐患，希望市政部门尽快修复",
            "{road}{seg}那里{what}好几天了，车辆和行人经过都很危险",
        ],
    },
    "square_dance": {
        "slots": {"hour": ["九", "十", "九点半", "十点多"], "where": ["广场", "小公园", "空地"]},
        "tellings": [
            "{place}旁边{where}的广场舞音响开得很大声，每晚跳到{hour}点，严重扰民",
            "{place}{where}每天晚上跳广场舞，音乐太响，到{hour}点还不结束，学生没法写作业",
            "反映{place}附近{where}广场舞噪音扰民，音量太大，一直到{hour}点",
            "{place}边上{where}有人跳广场舞，喇叭声音很大，晚上{hour}点都还在放",
        ],
    },
    "ebike_charging": {
        "slots": {"b": ["3", "6", "8", "14"], "how": ["从楼上拉电线", "在楼道里", "飞线"]},
        "tellings": [
            "{place}{b}号楼有居民{how}给电动车充电，很容易引发火灾",
            "{place}{b}栋经常有人{how}充电动车，物业劝了也不听，存在消防隐患",
            "反映{place}{b}号楼电动车{how}充电的问题，晚上充一整夜，太危险了",
            "{place}{b}号楼{how}给电瓶车充电现象严重，请消防部门管一管",
        ],
    },
    "heating": {
        "slots": {"temp": ["十二", "十五", "十四", "十三"], "b": ["2", "9", "11", "17"]},
        "tellings": [
            "{place}{b}号楼暖气不热，室内温度只有{temp}度，家里老人孩子都冻感冒了",
            "{place}{b}栋供暖温度不达标，屋里才{temp}度，交了暖气费却不热",
            "反映{place}{b}号楼供暖问题，暖气片冰凉，室温{temp}度左右",
            "{place}{b}号楼今年暖气一直不热，只有{temp}度，找热力公司也没解决",
        ],
    },
}

PREFIXES = ["", "", "市民来电反映：", "来电人称，", "市民反映", "您好，我想反映一下，", "诉求人表示：", "你好，"]
SUFFIXES = ["", "", "希望相关部门尽快处理。", "请尽快解决。", "望领导重视！", "谢谢。", "要求给个说法。", "麻烦你们管一管。"]
FILLERS = ["那个", "就是", "嗯", "然后", "现在"]
TYPOS = {
    "噪音": "燥音", "影响": "影向", "休息": "休习", "停水": "亭水", "施工": "施公", "严重": "严种",
    "物业": "物页", "电梯": "电题", "维修": "维休", "垃圾": "拉圾", "清运": "清云", "油烟": "油炎",
    "消防": "消方", "通道": "通到", "工资": "工姿", "拖欠": "拖谦", "路灯": "路登", "安全": "按全",
    "居民": "居明", "处理": "处里", "广场": "广厂", "充电": "冲电", "暖气": "暖器", "漏水": "露水",
}
DIGITS_CN = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


@dataclass(frozen=True)
class Instance:  # one matter in one place
    matter: str
    street: str
    place: str
    road: str
    slots: tuple[tuple[str, str], ...]


def compound(rng: random.Random) -> str:
    return rng.choice(COMPOUND_HEADS) + rng.choice(COMPOUND_TAILS)


def instance(rng: random.Random, *, matter: str | None = None, street: str | None = None, place: str | None = None,
             road: str | None = None) -> Instance:
    name = matter or rng.choice(sorted(MATTERS))
    slots = tuple((k, rng.choice(v)) for k, v in sorted(MATTERS[name]["slots"].items()))
    return Instance(name, street or rng.choice(STREETS), place or compound(rng), road or rng.choice(ROADS), slots)


def identity(inst: Instance) -> str:
    """What tells two instances of one problem type apart: the compound, the road or the company."""
    template = MATTERS[inst.matter]["tellings"][0]
    if "{company}" in template:
        return dict(inst.slots)["company"]
    return inst.road if "{road}" in template else inst.place


def tell(inst: Instance, template: int) -> str:
    tellings = MATTERS[inst.matter]["tellings"]
    text = tellings[template % len(tellings)].format(place=inst.place, road=inst.road, **dict(inst.slots))
    return text + "。"


def transcribe(rng: random.Random, text: str, *, noise: float = 0.5, typos: int = 0, street: str = "") -> str:
    """What a different call taker would have typed: formulas, fillers, numerals, punctuation, typos."""
    clauses = [c for c in text.rstrip("。").split("，") if c]
    if len(clauses) > 2 and rng.random() < noise:
        i = rng.randrange(1, len(clauses) - 1)
        clauses[i], clauses[i + 1] = clauses[i + 1], clauses[i]
    if rng.random() < noise:
        i = rng.randrange(len(clauses))
        clauses[i] = rng.choice(FILLERS) + clauses[i]
    if street and rng.random() < noise:
        clauses[0] = street + clauses[0]
    sep = rng.choice(["，", ",", "，", " "]) if rng.random() < noise else "，"
    out = sep.join(clauses) + rng.choice(["。", "!", "。", "."])
    if rng.random() < noise:
        out = "".join(DIGITS_CN.get(c, c) for c in out)
    for _ in range(typos):
        options = [w for w in TYPOS if w in out]
        if options:
            word = rng.choice(options)
            out = out.replace(word, TYPOS[word], 1)
    return rng.choice(PREFIXES) + out + rng.choice(SUFFIXES)


def retell(rng: random.Random, text: str) -> str:
    """The same matter told differently: a clause dropped, the rest reordered."""
    clauses = [c for c in text.rstrip("。").split("，") if c]
    if len(clauses) > 2:
        clauses.pop(rng.randrange(1, len(clauses)))
    rest = clauses[1:]
    rng.shuffle(rest)
    return "，".join([clauses[0], *rest]) + "。"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    label: int  # 1 = same matter
    kind: str


def _two_templates(rng: random.Random, inst: Instance) -> tuple[int, int]:
    n = len(MATTERS[inst.matter]["tellings"])
    i = rng.randrange(n)
    return i, (i + rng.randrange(1, n)) % n


def make_pairs(seed: int = 12345, n: int = 800) -> list[Pair]:
    """n pairs, half positive and half negative, in four positive and three negative kinds."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for k in range(n // 2):
        inst = instance(rng)
        i, j = _two_templates(rng, inst)
        kind = ("paraphrase", "transcriber", "typo", "retold")[k % 4]
        if kind == "paraphrase":
            a, b = tell(inst, i), tell(inst, j)
        elif kind == "transcriber":
            a = transcribe(rng, tell(inst, i), noise=0.7, street=inst.street)
            b = transcribe(rng, tell(inst, j), noise=0.7, street=inst.street)
        elif kind == "typo":
            a = tell(inst, i)
            b = transcribe(rng, tell(inst, i), noise=0.5, typos=rng.randint(1, 3))
        else:
            a = transcribe(rng, tell(inst, i), noise=0.3)
            b = transcribe(rng, retell(rng, tell(inst, j)), noise=0.3, typos=rng.randint(0, 1))
        pairs.append(Pair(a, b, 1, kind))
    for k in range(n - n // 2):
        first = instance(rng)
        kind = ("same_place", "same_problem", "unrelated")[k % 3]
        if kind == "same_place":
            other = sorted(m for m in MATTERS if m != first.matter)
            second = instance(rng, matter=rng.choice(other), street=first.street, place=first.place, road=first.road)
        elif kind == "same_problem":
            second = instance(rng, matter=first.matter, street=first.street)
            while identity(second) == identity(first):
                second = instance(rng, matter=first.matter, street=first.street)
        else:
            second = instance(rng)
            while second.matter == first.matter:
                second = instance(rng)
        a = transcribe(rng, tell(first, rng.randrange(4)), noise=0.5, street=first.street)
        b = transcribe(rng, tell(second, rng.randrange(4)), noise=0.5, street=second.street)
        pairs.append(Pair(a, b, 0, kind))
    return pairs


def retell_real(rng: random.Random, text: str) -> str:
    """A retelling of a real message ("subject。body"): greeting dropped, 50–90 % of the sentences kept,
    maybe without the subject, two swapped, then transcribed with noise and two typos."""
    subject, _, body = text.partition("。")
    sentences = [s for s in body.replace("！", "。").replace("？", "。").split("。") if len(s) > 12 and "好" not in s[:6]]
    if rng.random() < 0.5 or not sentences:
        sentences = [subject, *sentences]
    kept = sentences[: max(1, int(len(sentences) * rng.uniform(0.5, 0.9)))]
    return transcribe(rng, "，".join(kept)[:300], noise=0.7, typos=2)


def synthetic_appeal(rng: random.Random, streets: list[str]) -> tuple[str, str]:
    """(street, text) of one random appeal for building a large synthetic history."""
    inst = instance(rng, street=rng.choice(streets))
    text = transcribe(rng, tell(inst, rng.randrange(4)), noise=0.5, typos=rng.randint(0, 1))
    return inst.street, text


def many_streets(count: int, seed: int = 7) -> list[str]:
    """Street names for a big city: the eight of the demo city and made-up others."""
    rng = random.Random(seed)
    heads = "东西南北中新老上下前后江河湖山桥塘港湾城关"
    tails = "门楼林园坊桥湾口岗坪营堡洲寺阁巷铺圩"
    names = set(STREETS)
    while len(names) < count:
        names.add(rng.choice(heads) + rng.choice(tails) + rng.choice(["街道", "镇", "乡"]))
    return sorted(names)
