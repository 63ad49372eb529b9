"""Matters outside both platforms (引导解释), recognised by kind rather than by phrase.

沪/津: what is neither 12345's nor 110's duty is explained and the caller referred. The list item 引导解释
(`national.yaml`) holds the specific words (航班, 彩票); this module recognises whole kinds, each from two
parts — who or what the matter is about × what is asked — so that any institution word combines with any
request word:

- **a financial institution's own business** (a bank, an insurer, a broker, a fund: a frozen card, a claim, a
  product that lost money) — the financial consumer's channel is the institution and the financial regulator's
  12378, not the city hotline; a fraud, a theft, a collector's harassment or a third party's insurer after a
  collision stay where they were;
- **market prices and quotes** (金价, 汇率, 股价, 行情);
- **another jurisdiction's policy or authorities** (北京那边的社保, 外省交警扣的车) — unless the matter is
  being moved here (转过来, 迁到我们这);
- **discipline inspection** (a cadre taking gifts or bribes: 纪委监委, 12388);
- **a private person's whereabouts** (帮我查前妻住哪) — not a missing person;
- **commercial and leisure information** (演唱会什么时候, 放几天假, 分数线, 开网店, 某公司的电话);
- **a call with no matter in it** (silence, a test call, chatting: 喂喂能听见吗, 打着玩的, 没什么事), short calls only;
- **advice on private life or shopping** (送什么礼物, 哪家整形好, 请家政, 看风水);
- **a case already before a court** (开庭, 传票, 上诉) — unless it is about a lawyer, enforcement or a debt.

`referral(text)` returns the kind and the words that made it, or None. It is only consulted when no emergency
signal is active (policy.decide).
"""

from __future__ import annotations

import re

_FIN_WHO = r"(银行|保险公司|商业保险|车险|信用卡|证券公司|券商|基金公司|信托公司)"  # an institution, not a product (理财 alone is list B 115)
_FIN_WHAT = (r"(冻结|解冻|理赔|不赔|拒赔|赔付|赔我|要赔|亏(了|损)|利率|利息|额度|还款|年费|分期|办卡|开户|销户|挂失|"
             r"审核|保单|退保|续保|到期)")
_FIN_KEEP = re.compile(r"骗|诈|盗刷|冒充|被偷|被抢|抢劫|催收|爆通讯录|高利贷|对方(的)?保险|撞|监管局|监管部门|社保|医保|养老|医疗保险|失业|工伤|公积金|低保")
_FINANCE = re.compile(_FIN_WHO + r"[^。！？]{0,16}" + _FIN_WHAT + "|" + _FIN_WHAT + r"[^。！？]{0,8}" + _FIN_WHO)

_QUOTES = re.compile(r"(金价|黄金价格|金子(多少钱|什么价)|汇率|美元(兑|换)|股价|币价|比特币)")

_ELSEWHERE = (r"(外省|外地|外市|省外|别的(省|市|城市)|其他(省|市|城市)|北京|上海|天津|重庆|广州|深圳|杭州|南京|武汉|成都|西安|"
              r"河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|"
              r"内蒙古?|广西|西藏|宁夏|新疆|香港|澳门|台湾)")
_THERE = r"(那边|那里|那儿|当地|的)"
_AUTHORITY = (r"(政策|社保|医保|公积金|落户|户口|户籍|学籍|交警|派出所|法院|政府|房子|买房|限购|人才|补贴|驾照|违章|扣了?(我的)?车|"
              r"公租房|廉租房|保障房|物业|工地|摇号|车牌|老年卡|居住证|入学|房产证|不动产|税务|城管)")
_OTHER_PLACE = re.compile(_ELSEWHERE + r"[^，。！？]{0,3}" + _THERE + r"[^。！？]{0,10}" + _AUTHORITY)
_COMPARED = re.compile(r"为什么|凭什么|人家|都(可以|能|有|已经|开始)|学习|借鉴|参照|看齐|等地|各地|全省|全国")  # 别的城市都可以，我们为什么不行
_BROUGHT_HERE = re.compile(r"(外地|外省)来的|(?<!人)(?<!现在)在(这边|这里|本地|本市|我们这|咱们这)|(转|迁|调|转移|接续)(到|回|来|过来|进来)?(我们|咱们|本地|这边|这里|明川|本市)|(转|迁)(过来|回来|进来)")

_DISCIPLINE = re.compile(r"(领导|干部|官员|书记|局长|处长|科长|主任|乡长|镇长|村长|支书|公务员)[^。！？]{0,10}"
                         r"(收[^，。！？]{0,6}(红包|礼金|购物卡|好处费)|收礼|受贿|收受|贪污|腐败|吃回扣|公款吃喝|违纪|作风问题)")

_PRIVATE_PERSON = re.compile(r"(查|找|知道)[^，。！？]{0,6}(前妻|前夫|前女友|前男友|老同学|初恋|仇人|欠我钱的人|那个人)"
                             r"[^，。！？]{0,8}(住(在)?哪|在哪|地址|电话|手机号|下落|开房)")

_LEISURE = re.compile(r"(演唱会|球赛|电影|综艺|明星)[^。！？]{0,8}(什么时候|几点|哪天|在哪|门票)|放几天假|(哪天|什么时候)放假|"
                      r"调休(怎么|几天)|分数线|(开|做)(个|一个)?(网店|淘宝店|微店)|淘宝上开|抽奖平台|"
                      r"(快递公司|物流公司|航空公司|酒店|饭店|商场|4S店)的?(电话|客服电话|号码)")


# A call with no matter in it: silence, a test, chatting (喂喂能听见吗, 打着玩的, 没什么事就想聊聊).
_NO_MATTER = re.compile(r"无人(说话|应答|讲话)|无声|能听(见|到)吗|打着玩|打错了|试(一)?下[^，。！？]{0,6}(通|打)|能不能打通|"
                        r"(我|也)没(别的|其他|啥|什么)事|没什么事[^，。！？]{0,4}(你们忙|挂了|就这样)|没事没事|是不是机器人|(真|是)(的)?人(工)?接的|听听人说话|找人(聊聊|说说话)(?![^。！？]{0,12}(药|死|跳|活))")
# Advice on private life or shopping (送什么礼物, 哪家整形好, 哪个网课比较好): nobody's public duty.
_ADVICE = re.compile(r"(哪家|哪个|哪里的?)[^，。！？]{0,10}(好|比较好|靠谱|好吃|便宜|划算)(?!像)|送(她|他|女朋友|男朋友|老婆|老公)?什么(礼物|好)|"
                     r"(怎么|咋)哄|风水|(招人|招工)的?(公司|单位)|哪个公司招人|(预约|请|找)(个)?家政|翻译一下")
# A case already before a court (开庭, 传票, 上诉): the court answers for its own procedure.
# Cheap gates, a character class each: a character every match of the pattern behind it holds.
_NO_MATTER_GATE = re.compile(r"[无听玩错试通别啥机聊么其没接说]")
_ADVICE_GATE = re.compile(r"[哪礼哄风招政译送]")
_COURT_GATE = re.compile(r"[庭票诉判]")
_COURT = re.compile(r"(官司|案子)[^。！？]{0,12}(开庭|判|上诉|传票)|开庭|传票|上诉(状)?|(判决|判)[^。！？]{0,6}不服")
_COURT_KEEP = re.compile(r"律师|执行|不执行|赔|欠|拖欠|派出所|调解|打(了|人)|被打|骗")

HEAD = 60  # the matter is said first: a referral word further into a long message is a detail of another matter


def referral(text: str) -> tuple[str, str] | None:
    """(kind, words) when the appeal is a matter outside both platforms, else None."""
    found = _referral(text[:HEAD])
    return found if found and (len(text) <= HEAD or not _LONG_MESSAGE.search(text)) else None


_LONG_MESSAGE = re.compile(r"尊敬的|领导[:：，,]|您好|你好|局长|书记|厅长|市长")  # a letter to an official, not a call


def _referral(text: str) -> tuple[str, str] | None:
    m = _FINANCE.search(text)
    if m and not _FIN_KEEP.search(text):
        return "金融机构自身业务（引导至金融机构或12378）", m.group(0)
    if m := _QUOTES.search(text):
        return "市场行情（非政务）", m.group(0)
    m = _OTHER_PLACE.search(text)
    if m and not _BROUGHT_HERE.search(text) and not _COMPARED.search(text):
        return "外地政策/外地机关事务（引导至当地）", m.group(0)
    if m := _DISCIPLINE.search(text):
        return "纪检监察事项（引导至纪委监委12388）", m.group(0)
    if m := _PRIVATE_PERSON.search(text):
        return "查询他人隐私信息（不予查询）", m.group(0)
    if m := _LEISURE.search(text):
        return "商业/文娱信息（非政务）", m.group(0)
    if len(text) <= 40 and _NO_MATTER_GATE.search(text) and (m := _NO_MATTER.search(text)):
        return "无具体诉求（测试、无声或闲聊来电）", m.group(0)
    if _ADVICE_GATE.search(text) and (m := _ADVICE.search(text)):  # cheap gates: a character each needs
        return "私人生活或消费建议（非政务）", m.group(0)
    if _COURT_GATE.search(text) and (m := _COURT.search(text)) and not _COURT_KEEP.search(text):
        return "已在法院的案件程序（引导至受理法院）", m.group(0)
    return None
