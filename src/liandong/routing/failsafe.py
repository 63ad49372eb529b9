"""Fail-safe emergency recognition (疑似人身危险兜底, issue 11): plausible danger is never '12345 only'.

When neither an alarm word (`lexicon.py`) nor a full composed pattern (`danger.py`) fired, but the text names
a person together with a harm cue in the same clause — 不会动、喘不上气、血止不住、出不来、要跳、转账 — the danger
is plausible though not certain. Then the emergency service of that harm is added to the decision and the
decision goes to review with the reason: better a dispatch an operator cancels than a missed emergency.

Not applied when the rules judged a signal negated, past or hypothetical (没人受伤、上个月、会不会), when the caller
only asks (想问、怎么办理), or when an emergency service is already in the decision.
"""

from __future__ import annotations

import re

from liandong.routing.danger import ANIMAL, PERSON

# harm cue → the service that must act; grouped by family so the reason can name it
HARMS: tuple[tuple[str, str, str], ...] = (
    ("身体危急", "120", r"(不会动|不能动|动不了|起不来|爬不起来|站不起来|喘不上|喘不过|上不来气|憋得|憋红|憋紫|发紫|噎住|卡住喉咙|"
                       r"抽搐|抽筋了|口吐白沫|晕过去|晕倒|昏过去|昏迷|倒地|倒在地上|躺在地上|躺地上|血止不住|流了好多血|一直流血|"
                       r"满脸血|满身血|脸肿|胸口(闷|疼|痛)|心口疼|肚子疼得|疼得打滚|高烧|烧到四十|迷糊|说不出话|意识不清|要生了|羊水破)"),
    ("误服中毒", "120", r"(吃了|喝了|误吃|误服|吞了)[^，。！？]{0,8}(药|农药|老鼠药|洗衣液|消毒液|电池|敌敌畏|百草枯)"
                       r"|(农药|老鼠药|洗衣液|消毒液|敌敌畏|百草枯)[^，。！？]{0,8}(喝了|吃了|吞了|喝下去|吃下去)"),
    ("被困待救", "119", r"(出不来|出不去|下不来|上不来|爬不出|拔不出|卡在|卡住了|卡里头|困在|被困|关在里面|掉下去|掉进|掉到|"
                       r"掉河里|掉水里|滑下去|沉下去|在扑腾|没上来|漂着)"),
    ("轻生", "110", r"(不想活|要跳|跳下去|跳楼|寻死|自杀|同归于尽|割腕|一了百了)"),
    ("侵害正在发生", "110", r"(打我|打她|打他|在打人|拿刀|持刀|拿着刀|拿着菜刀|拿棍子|拿了根棍|捅了|被捅|砍人|追着[^，。]{0,4}(打|砍|咬)|跟着我|跟着她|一直跟着|"
                          r"堵着我|堵着学生|要弄死|弄死你|收拾我|威胁我|扬言|勒索|敲诈|在撬|偷拍|露阴|抢了)"),
    ("诈骗进行中", "110", r"(转账|打钱|汇款|交钱解冻|冒充|骗子|被骗|让我转|催我转|还在通话|还在催)"),
)
_PERSON = re.compile(PERSON)
_ANIMAL_ONLY = re.compile(ANIMAL)
_CLAUSE = re.compile(r"[，。！？；,.!?;]")
_ASKING = re.compile(r"想问|请问|咨询|问一下|问问|怎么(办理|申请|领|补)|如何|政策|补贴|补助|津贴|投诉")
_COMPILED = tuple((family, service, re.compile(rx)) for family, service, rx in HARMS)


def _animal_subject(before: str) -> bool:
    """Whether the harm's nearest subject is an animal (我家猫卡在…): the last animal word comes after the last person."""
    animals = [m.end() for m in _ANIMAL_ONLY.finditer(before)]
    people = [m.end() for m in _PERSON.finditer(before)]
    return bool(animals) and (not people or animals[-1] > people[-1])


def plausible_danger(text: str) -> list[tuple[str, str, str]]:
    """(family, service, cue) for each harm cue that shares a sentence with a person word, in order."""
    if _ASKING.search(text):
        return []
    found: list[tuple[str, str, str]] = []
    sentences = [s for s in re.split(r"[。！？!?]", text) if s]
    for i, sentence in enumerate(sentences):
        window = sentence if i == 0 else sentences[i - 1] + "，" + sentence  # the person may be named just before
        if not _PERSON.search(window):
            continue
        for family, service, rx in _COMPILED:
            m = rx.search(sentence)
            if m and not _animal_subject(sentence[: m.start()]):
                found.append((family, service, m.group(0)))
    return found
