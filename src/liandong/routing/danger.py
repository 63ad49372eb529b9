"""Danger to people, recognised compositionally (人身危险组合研判): who is at risk × what harm × how near.

The signal lexicon (`lexicon.py`) knows the alarm words callers use (救命, 着火, 被打). Callers in real danger
often use none: 底下好像压着一个工人, 三天没见她出门了, 招牌一边已经脱落了，底下人来人往. Each pattern here is
built from named parts — a person (`PERSON`), a harm, an exposure — so that any person word combines with any
harm word, rather than listing phrases. A composed hit counts as its `base` signal (so negation, time, the
city's list items and the category work as for that signal), brings the services in `services`, and is marked
for review: the danger is plausible, not certain, and a person checks it (better a needless dispatch checked by
an operator than a missed emergency).

Animals are not people: a harm whose subject is an animal (小狗被车撞了，腿断了) does not bring 119/120
(`ANIMAL`, used by `signals.detect`).
"""

from __future__ import annotations

from liandong.routing.lexicon import SignalSpec

PERSON = (r"(有人|一个人|个人|人|老人|老太太|老太|老大爷|大爷|大妈|老头|老奶奶|老爷子|孤寡老人|孩子|小孩|婴儿|宝宝|小朋友|孕妇|工人|师傅|"
          r"司机|男的|女的|男子|女子|男人|女人|小伙子|姑娘|邻居|我爸|我妈|爸爸|妈妈|父亲|母亲|爷爷|奶奶|姥姥|姥爷|外公|外婆|老公|老婆|"
          r"丈夫|妻子|爱人|女儿|儿子|朋友|同事|室友|他|她|我|行人|路人|学生|住户|人家|居民|家人|病人|工友|保安|环卫工|乘客|游客|顾客|"
          r"(一|个|名|位)[\u4e00-\u9fa5]{1,3}(工|员|师傅))")
ANIMAL = r"(狗|猫|鸡(?!蛋)|鸭(?!脖)|鹅|鸟|鹦鹉|宠物|牛(?!奶|肉)|羊(?!水|肉)|猪(?!肉)|兔子|乌龟|松鼠|刺猬)"
CHILD = r"(小孩|孩子|宝宝|小朋友|婴儿|小学生)"
_NEAR = r"[^，。！？]{0,6}"  # within the same clause, a few characters apart
_SPAN = r"[^。！？]{0,20}"  # within the same sentence
_UNRESPONSIVE = r"(没(有)?反应|不答应|醒不过来|叫不醒|拍不醒|推不醒|不醒|一动不动|不吭声|不出声|没(有)?声音了)"
_CLOSED = r"(车里|车内|屋里|房间里|家里|卫生间|厕所|浴室|里面|里头|屋内|房内)"
_SHUT = r"(反锁|锁着|关着|锁在|关在|门关着|窗关着|敲不开|打不开|进不去)"
_HEAVY = r"(钢管|钢筋|架子|脚手架|墙|围墙|砖|水泥板|预制板|楼板|模板|柜子|货架|货物|石头|土方|树|大树|电线杆|广告牌|招牌|门|铁门|卷帘门|车)"
_HANGING = (r"(招牌|广告牌|牌子|灯箱|外墙|墙皮|墙面|水泥块|水泥|瓷砖|玻璃|空调外机|外机|雨棚|遮阳棚|脚手架|塔吊|吊篮|大树|树|树枝|"
            r"电线杆|线杆|路灯杆|灯杆|围墙|防盗窗|花盆|钢管|铁皮|彩钢板|屋顶|阳台)")
_LOOSE = r"(脱落|松动|松了|晃|摇|歪|倾斜|裂开|裂了|开裂|翘起|翘了|悬着|吊着|挂着|耷拉|要倒|快倒|要掉|快掉|掉渣|往下掉)"
_EXPOSED = (r"(底下|下面|下方|正对|人来人往|行人|路人|学生|孩子|小孩|等车|公交站|站台|小学|幼儿园|学校门口|人很多|人多|"
            r"过往的人|路过的人)")
_WATER = r"(河|塘|鱼塘|水塘|池塘|湖|江|水库|水沟|沟|井|坑|基坑|粪池|化粪池|水池|泳池|海)"
_GOODS = r"(汽油|柴油|炸药|雷管|火药|烟花爆竹|烟花|鞭炮|液化气罐|煤气罐|液化气瓶|气罐|化工原料|天那水|硫酸|酒精桶|危化品)"
_STOCK = r"(堆|囤|存放|存了|存着|藏|放了|放着|搬|私存|私藏|做|生产|加工|灌装|分装|倒卖)"
_NATURAL = (r"(山体滑坡|滑坡|泥石流|塌方|落石|掉石头|滚石|山洪|洪水|发大水|河水(涨|漫|倒灌)|水(漫|淹)(到|进)|水位(涨|上涨)|内涝|"
            r"决堤|溃坝|堤坝(裂|渗|漏|垮)|(山|坡)[^，。]{0,4}(裂|塌|垮))")
_AT_RISK = r"(人家|住户|老人|孩子|小孩|村民|房子|房屋|学校|家里进水|屋里进水|没出来|没撤|被困|还有人|有人在)"
_FUMES = r"(热水器|煤炉|炭火|炭盆|燃气|煤气|蜂窝煤|烧炭|火锅炭|发电机)"
_FUME_SIGNS = r"(头晕|头疼|头痛|恶心|想吐|吐了|晕倒|昏|没力气|站不稳|犯困|嘴唇发紫)"


def _spec(id_: str, base: str, label: str, services: tuple[str, ...], *patterns: str, exclude: tuple[str, ...] = (),
          strong: bool = True) -> SignalSpec:
    return SignalSpec(id_, label, services, patterns, exclude=exclude, strong=strong, base=base, review=True,
                      anchor=ANCHORS[id_])


# The harm part of each composed pattern, searched first: most texts name no harm, and then the person and
# exposure parts (which start with any of a hundred characters) are never tried.
ANCHORS = {
    "pinned": r"[压埋卡砸]", "unresponsive": r"反应|答应|不醒|不动|吭声|出声|声音", "locked_in": r"打不开|开不了|出不|关上|锁|困",
    "welfare": r"没(见|看到|看见|出门|露面|动静|开门|下楼|人影|出来)|不开|不接|打不通|反应|答应|不醒|不动|吭声|出声",
    "fell_in": r"[摔掉跌滑栽翻冲]|上不来|够不着", "child_alone": r"一个人|自己|独自|大人|没人", "stranger_child": r"陌生",
    "self_harm_intent": r"拖累|连累|麻烦|活着|遗书|后事|告别|永别|药|[伸悬探挂]", "overhead": r"[脱松晃摇歪斜裂翘悬吊挂倒掉]|耷拉|井盖",
    "hazard_goods": _GOODS, "natural_hazard": _NATURAL, "fumes": _FUME_SIGNS,
}


COMPOSED: tuple[SignalSpec, ...] = (
    _spec("pinned", "trapped", "人员被压（组合研判）", ("110", "119", "120"),
          r"(底下|下面|下头)" + _NEAR + r"(压|埋|卡)(着|住|了)" + r"[^，。！？]{0,4}" + PERSON,
          r"(倒|塌|掉|砸|翻)(下来|了|下去)" + r"[^。！？]{0,12}" + r"(压|砸|埋)(到|住|着|在)(了)?" + r"[^，。！？]{0,3}" + PERSON,
          PERSON + _NEAR + r"被" + r"[^，。！？]{0,8}" + r"(压|砸|埋)(住|在|着|倒|伤)",
          _HEAVY + r"[^，。！？]{0,8}(压|砸)(在|住|到|着)(了)?" + r"[^，。！？]{0,3}" + PERSON,
          exclude=(r"(会|要|可能|随时|怕|担心)[^，。]{0,4}(掉|倒|塌|砸|压)", r"没(有)?(砸|压|伤|埋)(到|着|住)")),
    _spec("unresponsive", "injury", "呼之不应（组合研判）", ("120",),
          r"(叫|喊|推|拍|摇|拉)" + r"[^，。！？]{0,8}" + _UNRESPONSIVE,
          r"(怎么|咋)(叫|喊|推|拍|摇|弄)(都|也)(叫|喊|推|拍|摇)?(不|没)(醒|动|应|答应|反应)",
          PERSON + _NEAR + r"(一动不动|昏睡不醒|醒不过来|叫不醒|没(有)?反应了)"),
    _spec("welfare", "distress", "独居/关闭空间内人员失联（组合研判）", ("110", "120"),
          r"(好几|几|[两三四五六七八九十]|多|一两|两三|三四|四五)(天|日)" + r"[^，。！？]{0,4}" + r"没(见|看到|看见|出门|露面|动静|开门|下楼|人影|出来)",
          r"(独居|一个人住|孤寡|空巢)" + _SPAN + r"(敲门|打电话|叫门|联系)" + r"[^，。！？]{0,6}" + r"(没人应|没人开|不开|没人接|不接|打不通|没反应|没动静)",
          _SHUT + _SPAN + _UNRESPONSIVE, _UNRESPONSIVE + _SPAN + _SHUT),
    _spec("locked_in", "trapped", "人员被关/锁（组合研判）", ("110", "119"),
          r"(门|车门|库门|冷库门|房门)" + r"[^，。！？]{0,4}" + r"(关上|锁上|锁|反锁|卡住|锁死)(了)?" + r"[^，。！？]{0,6}" + r"(打不开|开不了|出不来|出不去)",
          _CLOSED + r"[^，。！？]{0,4}被?(锁|关|困)住",
          r"(冷库|冷柜|冰库|地窖|车厢|集装箱|罐体|储罐)" + _SPAN + r"(打不开|出不来|出不去|关上)"),
    _spec("fell_in", "drowning", "人员落入水/坑（组合研判）", ("110", "119", "120"),
          PERSON + r"[^。！？]{0,10}" + _WATER + r"(边|里|旁|沿)?" + r"[^，。！？]{0,4}" + r"(摔|掉|跌|滑|栽|翻)(了)?(进去|下去|进|下|入)",
          r"连人带车" + r"[^，。！？]{0,4}" + r"(掉|摔|翻|冲)(下去|进去|进|下)",
          PERSON + r"[^，。！？]{0,10}" + r"(爬不上来|上不来|够不着岸)"),
    _spec("child_alone", "distress", "无人看护的儿童临险（组合研判）", ("110",),
          CHILD + r"[^。！？]{0,12}" + r"(一个人|自己|独自|没有?大人|没人看|没人管)" + r"[^。！？]{0,16}" + r"(" + _WATER[1:-1] + r"|水边|马路|窗台|阳台|铁轨|工地|楼顶|天台)",
          r"(河|水边|池塘|马路中间|窗台|阳台外|铁轨|楼顶|天台)" + r"[^。！？]{0,10}" + CHILD + r"[^。！？]{0,12}" + r"(一个人|独自|没有?大人|没人看|周围没人)"),
    _spec("stranger_child", "crime", "陌生人接近儿童（组合研判）", ("110",),
          r"陌生(人|男子|男的|女的|女子|面孔|大叔)" + _SPAN + r"(幼儿园|学校|小学|" + CHILD[1:-1] + r")" + r"[^。！？]{0,12}" +
          r"(拿糖|给糖|给吃的|搭讪|跟着|拉|抱|转悠|徘徊|拍照|问路|带走)",
          CHILD + r"[^。！？]{0,12}" + r"陌生(人|男子|男的|女的|女子)" + r"[^。！？]{0,12}" + r"(拿糖|给糖|搭讪|跟着|拉|抱|带走)"),
    _spec("self_harm_intent", "self_harm", "轻生意图（组合研判）", ("110",),
          r"不想(再)?(拖累|连累|麻烦)", r"活着(太|好)?(累|没意思|没劲|没意义)", r"遗书", r"交代后事", r"(告别|永别)(的)?(信|短信|消息|话)",
          r"(说|扬言)?要?(吃|喝)(一整瓶|一瓶|整瓶|一把|好多|很多|一盒)" + r"[^，。！？]{0,3}" + r"(药|安眠药|农药|药片)",
          r"(腿|脚|身子|半个身子|半边身子)" + r"[^，。！？]{0,3}" + r"(伸|悬|探|挂)(到|在|出)" + r"[^，。！？]{0,2}" + r"(外面|外边|窗外|栏杆外|楼外)"),
    _spec("overhead", "public_danger", "悬挂物危及行人（组合研判）", ("110",),
          _HANGING + r"[^。！？]{0,12}" + _LOOSE + r"[^。！？]{0,20}" + _EXPOSED,
          _EXPOSED + r"[^。！？]{0,12}" + _HANGING + r"[^。！？]{0,12}" + _LOOSE,
          r"(马路|路中间|路口|车道|大路)" + r"[^。！？]{0,8}" + r"井盖" + r"[^，。！？]{0,4}" + r"(没了|丢了|不见了|掀开|敞开|没盖)",
          r"(马路|路中间|路口|车道|大路)" + r"[^。！？]{0,8}" + r"井盖" + r"[^，。！？]{0,4}" + r"(没了|丢了|不见了|掀开|敞开)" + r"[^。！？]{0,16}" + r"(车|看不见|黑洞|大洞)",
          exclude=(r"(已经|已)(修好|处理|换好|补上)",), strong=False),
    _spec("hazard_goods", "hazchem", "民宅存放危险物品（组合研判）", ("110", "119"),
          _STOCK + r"[^，。！？]{0,8}" + _GOODS,
          _GOODS + r"[^，。！？]{0,6}" + r"(堆|囤|存放|藏|放)(在|满|了)" + r"[^，。！？]{0,6}" + r"(家|屋|楼道|房间|地下室|车库|院子|宿舍|出租屋)"),
    _spec("natural_hazard", "public_danger", "自然灾害危及人员（组合研判）", ("110", "119"),
          _NATURAL + _SPAN + _AT_RISK, _AT_RISK + _SPAN + _NATURAL, strong=False),
    _spec("fumes", "gas_leak", "疑似一氧化碳中毒（组合研判）", ("119", "120"),
          _FUMES + r"[^。！？]{0,16}" + _FUME_SIGNS),
)
