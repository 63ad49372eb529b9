"""What a caller says, read for search (来电口语): the matter it is about and what it asks.

Two tables, both city-independent:

- `synonyms.yaml` (口语同义词表): groups of names of one matter, the standard name first. Wherever a member
  occurs, in a question and in an entry alike, the standard name is added next to it (`subject`), so the
  words views meet whichever name either side used; the caller's own word stays, for the character and
  sound views (a homophone of a colloquial word still matches it).
- `INTENTS` (问法意图, a hotline knowledge base's 同义问法 table): what a question asks — 时限, 收费, 地点,
  材料, 条件, 流程 — however it is put ("要等几天" asks what "办理时限" answers). Search matches the subject
  with these phrases taken out, and the intent separately (`search.py`). A bare "怎么/咋" or a yes-no
  "能…吗" is a weak sign (流程, 条件), counted only when no phrase of any intent is there.

A synonym-group member is read as one name before any intent phrase in it: "乱收费" and "免费乘车卡" ask
nothing about a fee.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

INTENTS = {
    "〈时限〉": "多长时间|多久|几天|多天|多少天|几个工作日|几工作日|工作日|时限|什么时候能|啥时候能|什么时候可以|多快|"
              "要等|等多长|得等|花多少天|办完|办好|弄好|能拿到|拿到手|当天|当场|马上能|立等|几点|几号|哪天|几个月|"
              "周期|期限|截止|开放时间|营业时间|上班时间|办公时间|几点开门|几点下班|开门|关门|休息",
    "〈收费〉": "收费|费用|多少钱|花钱|付费|交钱|要钱|贵不贵|贵吗|免费|掏钱|收钱|收不收|要不要钱|花多少|几块钱|多少块|"
              "价格|价钱|工本费|自己出钱|不要钱|交费|缴费|手续费|买票|票价",
    "〈地点〉": "哪里|哪儿|哪去|哪个地方|什么地方|地点|上哪|去哪|在哪|网上办|窗口|到哪|哪个部门|哪个单位|找哪|"
              "打什么电话|哪个电话|电话多少|电话是多少|联系电话|地址|线上办|在线办|手机上办|网上能办|网上可以办",
    "〈材料〉": "材料|资料|证件|带什么|带啥|带些|拿什么|拿啥|准备什么|准备啥|要什么证|要带|得带|需要带|提供什么|"
              "提供啥|提供哪些|需要啥|需要什么(?!条件|要求|资格)|要啥东西|要什么东西|复印件|原件|证明材料|证据|拍照|照片",
    "〈条件〉": "条件|要求|资格|能不能办|我能办|可以办|谁能|哪些人|什么人|啥样的人|啥人|限制|符合|能不能|可不可以|"
              "有没有资格|够不够|算不算|行不行|让不让|允许|够格",
    "〈流程〉": "怎么办|咋办|怎么弄|咋弄|怎么搞|咋搞|咋整|怎么整|流程|手续怎么走|手续|步骤|如何申请|怎么申请|"
              "怎么办理|如何办理|怎样办|怎么走|怎么处理|咋处理|怎么操作|怎么做|办理方式|途径",
}
WEAK = {  # a sign of what is asked, read only when no phrase of `INTENTS` is in the question
    "〈条件〉": re.compile(r"(?:能|可以|可不可以)[\u3400-\u9fffA-Za-z0-9]{1,12}(?:吗|么|嘛|不[？?。]?$)"),
    "〈流程〉": re.compile("怎么|怎样|如何|咋"),
}
SYNONYMS = Path(__file__).with_name("synonyms.yaml")
RELATIVE_YEARS = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "明年": 1}
_RELATIVE_YEAR = re.compile("|".join(RELATIVE_YEARS))


def fold(text: str) -> str:
    """Full-width to half-width, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


class Reading:
    """The synonym table and the intent phrases as one scanner: at each position a synonym-group member
    (longest first) before an intent phrase."""

    def __init__(self, groups: list[list[str]]) -> None:
        standard: dict[str, str] = {}
        for group in groups:
            for member in group:
                standard[fold(member)] = fold(group[0])
        # the standard name a member adds (none for the standard name itself); a member inside a longer one
        # is not read there (the scan takes the longest): 社保卡 is 社会保障卡, not also 社保
        self.adds = {member: (name,) if name != member else () for member, name in standard.items()}
        self.members = tuple(sorted(standard, key=len, reverse=True))
        members = "|".join(re.escape(m) for m in self.members)
        self._names = list(INTENTS)
        self.scan = re.compile(f"(?P<m>{members})|" + "|".join(f"(?P<i{k}>{p})" for k, p in enumerate(INTENTS.values())))

    def read(self, text: str, strip: bool = True) -> tuple[str, tuple[str, ...]]:
        """(the subject — synonyms added, intent phrases out unless not `strip` —, the intents asked) of `text`."""
        text = fold(text)
        asked: list[str] = []

        def one(m: re.Match) -> str:
            member = m.group("m")
            if member is None:
                name = self._names[int(m.lastgroup[1:])]
                if name not in asked:
                    asked.append(name)
                return " " if strip else f" {m.group()} "
            adds = " ".join(self.adds[member])
            return f"{member} {adds} " if adds else member

        about = self.scan.sub(one, text)
        if not asked:
            asked = [name for name, weak in WEAK.items() if weak.search(text)]
        return about, tuple(sorted(asked, key=self._names.index))


def absolute_years(text: str, year: int) -> str:
    """`text` with the years callers count from now (去年, 前年…) written as entries date them: on 2026-11-23
    "去年冬天的暖气补贴" is "2025年冬天的暖气补贴", the matter of an entry "2025年冬季供暖补贴" now out of force."""
    return _RELATIVE_YEAR.sub(lambda m: f"{year + RELATIVE_YEARS[m.group()]}年", text)


@lru_cache(maxsize=1)
def reading() -> Reading:
    return Reading(yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))["groups"])


@lru_cache(maxsize=65536)
def _read(text: str, strip: bool = True) -> tuple[str, tuple[str, ...]]:
    return reading().read(text, strip)


def expand(text: str) -> str:
    """`text` with the standard names of its words added (intent phrases kept)."""
    return _read(text, False)[0]


def subject(text: str) -> str:
    """What `text` is about (事项): the standard names of its words added, what it asks taken out."""
    return _read(text)[0]


def intents(text: str) -> tuple[str, ...]:
    """What `text` asks (keys of `INTENTS`), in their order."""
    return _read(text)[1]
