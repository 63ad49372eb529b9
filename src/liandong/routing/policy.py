"""Routing policy (分流规则): signals, list keywords and the model's ranking → a decision.

Plain functions over plain data. The order of precedence follows the seeds:
1. an active emergency signal decides the services (110/119/120 act first — 沪/津: 危及人身财产安全由110先行处置);
   items that claim the signal in the city's lists add their services (e.g. the four joint emergencies add 12345);
2. otherwise the reference-list item (keywords, then the model) decides;
3. what neither platform takes is explained and referred (services = ()).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from liandong.routing import lexicon
from liandong.routing.conventions import exposure_casualty, rescue_casualty, self_harm_casualty
from liandong.routing.danger_model import BESIDE_THRESHOLD, REFER, REFER_THRESHOLD, THRESHOLDS, doubts, suspected
from liandong.routing.decision import RoutingDecision
from liandong.routing.failsafe import plausible_danger
from liandong.routing.joint import learned_joint, settled
from liandong.routing.level import grade
from liandong.routing.lists import Item
from liandong.routing.referral import referral
from liandong.routing.signals import ACTIVE, ANY_SIGNAL as SIGNAL_WORDS, HYPOTHETICAL, NEGATED, PAST, RETRACTED, Hit

SAFETY_NET = 0.65  # the model alone may call an emergency (with review) from this probability
MODEL_TRUST = 0.8  # below this, the model alone does not refer a caller away
MODEL_ALONE = 0.8  # below this, an item picked by the model alone (no keyword) goes to review
POLICE_TRUST = 0.9  # below this, a police item picked by the model alone (no keyword, no signal) is not trusted
DANGER_PLAUSIBLE = 0.35
FAILSAFE = True  # plausible danger (failsafe.py) adds the emergency service, with review
AFTER_INJURY = {**THRESHOLDS, "110": 0.9}  # the detector after a rule's 120: a needless police dispatch costs the offload
LEARNED = True  # the learned danger detector (danger_model.py) adds the emergency service, with review
LEARNED_JOINT = True  # with LEARNED: its JOINT output decides 12345 beside an emergency service (joint.py)
_EMERGENCY = frozenset({"110", "119", "120"})  # from this, the model's emergency item is dispatched (with review) rather than dropped
_KIND_RULES = (
    ("举报", re.compile(r"举报|检举|有人(在|正在)?[^，。,]{0,8}(偷|卖|赌|吸毒|电鱼|排污|偷排|砍树|盗|传销|非法)")),
    ("投诉", re.compile(r"投诉|不给|不管|不处理|没人管|没人修|不修|态度(很|太|特别)?(差|恶劣)|乱收费|一直不|也不|不退|拖欠|欠.{0,4}不|推诿|扰民|太吵|吵得|不作为")),
    ("建议", re.compile(r"建议|希望(能|可以)?(增设|增加|修建|多建|多设|开通|设置|安装|规划)|能不能(增加|增设|多建|多设|开通)|提个意见")),
    ("咨询", re.compile(r"想问|请问|咨询|问一下|问问|怎么办理|如何办理|怎么申请|如何申请|需要(什么|哪些)|在哪(里|儿)?办|多久|是否|能不能.{0,8}吗|吗[？?]?$|怎么(办|弄|处理)[？?]?$|政策")),
)
_NOW = re.compile(lexicon.NOW_MARKERS)
_PAST_FRAME = re.compile(lexicon.PAST_MARKERS)
_STILL = re.compile(lexicon.NOW_MARKERS + r"|到现在|至今|还没|仍然|一直没|一直不")  # a past start, still going on
_ALREADY_REPORTED = re.compile(r"报过警|已经报警|报了警|报警了|立案|派出所(说|已经|在查)|警察(已经|说|在查)")
_KW_NEGATED = re.compile(r"(不是|没有|没|并非|无)(人|人在)?$")
_BURIED = re.compile(r"坍塌|塌了|倒塌|塌方|压在|被压|压住|被埋|埋在|埋了")
_BUILDING_DOWN = re.compile(r"(房|楼|厂房|建筑|宿舍|仓库)[^，。！？]{0,6}(坍塌|塌|倒塌)")  # a building down: police secure the area
_REPAIR_GROUPS = ("公共设施", "电力", "通信", "水气热", "施工", "林水", "环境", "邻里纠纷", "征地拆迁", "产权权属")  # 110 secures, a department repairs or mediates
_SUPPORT_GROUPS = ("电力", "通信", "水气热", "公共设施", "民政", "突发")


@dataclass(frozen=True)
class CityIndex:  # 城市清单索引
    items: dict[str, Item]
    claims: dict[str, list[Item]]  # signal id → items that claim it, in list order
    keywords: ahocorasick.Automaton  # every keyword, found in one pass over the text (overlaps included)
    keyword_items: dict[str, list[str]]  # keyword → item codes
    signal_words: frozenset[str]  # keywords the signal lexicon also knows (it alone judges their negation and time)
    review_below: float


def build_index(items: tuple[Item, ...], review_below: float) -> CityIndex:
    claims: dict[str, list[Item]] = {}
    kw: dict[str, list[str]] = {}
    for it in items:
        for s in it.signals:
            claims.setdefault(s, []).append(it)
        if it.signals and "+" in it.direction or {"119", "120"} & set(it.services):
            continue  # emergency-only items are reached by signals, never by a bare keyword
        for k in it.keywords:
            if it.signals and SIGNAL_WORDS.search(k):
                continue  # the signal lexicon owns this word (and knows negation and time)
            kw.setdefault(k.lower(), []).append(it.code)
    automaton = ahocorasick.Automaton()
    for k in kw:
        automaton.add_word(k, (len(k), k))
    automaton.make_automaton()
    owned = frozenset(k for k in kw if SIGNAL_WORDS.search(k))
    return CityIndex({it.code: it for it in items}, claims, automaton, kw, owned, review_below)


def keyword_hits(index: CityIndex, text: str) -> dict[str, list[str]]:
    """item code → keywords found (longer matches first; overlapping shorter ones are dropped)."""
    out: dict[str, list[str]] = {}
    found = [(end - n + 1, -n, k) for end, (n, k) in index.keywords.iter(text)]  # (start, -length, keyword)
    if not found:
        return out
    taken: list[tuple[int, int]] = []
    correcting = "不是" in text or "不对" in text or "说错" in text  # a self-correction is possible at all
    for start, neg_len, k in sorted(found, key=lambda f: (f[1], f[0])):  # longest first, then leftmost; no overlaps
        end = start - neg_len
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if _KW_NEGATED.search(text, max(0, start - 3), start) or correcting and RETRACTED.search(text[end : end + 16]):  # 不是报警; 被打了，不对，…
            continue
        for code in index.keyword_items[k]:
            out.setdefault(code, []).append(k)
    return out


def _kind(text: str, active: list[str], item: Item | None, reported_past: bool) -> str:
    for kind, rx in _KIND_RULES:
        if kind == "举报" and rx.search(text):
            return kind
    if active:
        return "求助"
    if reported_past:
        return "举报"
    for kind, rx in _KIND_RULES[1:]:
        if rx.search(text):
            return kind
    if item is None or not item.services:
        return "咨询"
    if item.direction.startswith("12345→110"):
        return "求助" if "突发" in item.group else "举报"
    if item.code.endswith("B01") or "咨询" in item.group:
        return "咨询"
    return "求助" if any(g in item.group for g in _SUPPORT_GROUPS) else "投诉"


def _describe(it: Item) -> str:
    return f"清单：{it.direction} {it.code} {it.group}·{it.name[:30]}"


def decide(
    text: str, hits: list[Hit], kw: dict[str, list[str]], ranked: list[tuple[str, float]], index: CityIndex, desk: str,
    *, danger: dict[str, float] | None = None,
) -> RoutingDecision:
    """Combine what fired into one decision; `ranked` is the model's (code, probability), best first; `danger`
    the learned detector's probability per emergency service (danger_model.py), if the city has one."""
    reasons: list[str] = []
    review = False
    fired = {h.signal for h in hits if h.state == ACTIVE}
    active = [s for s in lexicon.PRIORITY if s in fired] if fired else []
    strong = [s for s in active if lexicon.BY_ID[s].strong]
    composed = [h for h in hits if h.state == ACTIVE and h.composed]
    for h in hits:
        spec = lexicon.BY_ID[h.signal]
        if h.state == ACTIVE and h.composed:
            reasons.append(f"组合研判：{h.composed}「{h.phrase}」→ {'+'.join(sorted(set(spec.services) | set(h.adds)))}")
        elif h.state == ACTIVE:
            reasons.append(f"规则：{spec.label}「{h.phrase}」→ {'+'.join(spec.services)}")
        elif h.state == NEGATED:
            reasons.append(f"否定：「{h.cue}…{h.phrase}」不计为{spec.label}")
        elif h.state == HYPOTHETICAL:
            reasons.append(f"隐患/假设：「{h.cue}…{h.phrase}」尚未发生，不计为紧急")
        elif h.state == PAST:
            reasons.append(f"时间：「{h.cue}」{h.phrase}为过去发生，按报案/反映处理，非紧急")
    model_code, model_p = ranked[0] if ranked else (None, 0.0)
    prob = dict(ranked)
    if model_code:
        reasons.append(f"模型：{model_code} {index.items[model_code].name[:20]} p={model_p:.2f}")
    for code, words in sorted(kw.items(), key=lambda kv: -max(map(len, kv[1])))[:3]:
        reasons.append(f"关键词：「{'、'.join(dict.fromkeys(words))}」→ {code}")

    services: set[str] = set()
    item: Item | None = None
    confidence: float
    reported_past = False
    if strong:
        top = strong[0]
        top_services = set(lexicon.BY_ID[top].services)
        keyword_items = [index.items[c] for c in kw if top_services <= set(index.items[c].services)]
        claimed = index.claims.get(top, [])
        plain_claims = [it for it in claimed if "+" not in it.direction]
        if keyword_items:
            item = max(keyword_items, key=lambda it: (max(map(len, kw[it.code])), prob.get(it.code, 0.0)))
        elif plain_claims:
            item = plain_claims[0]
        elif claimed:
            item = claimed[0]
        for s in active:
            services |= set(lexicon.BY_ID[s].services)
            for it in index.claims.get(s, []):
                services |= set(it.services)
                if "+" in it.direction:
                    reasons.append(f"紧急事件：{it.name}（{it.direction}，移交110并同步转办属地和部门）")
        if "trapped" in active and (active_any(active, "traffic_accident", "explosion") or _BUILDING_DOWN.search(text)):
            services |= {"110", "119", "120"}
            reasons.append("组合：事故/爆炸/房屋倒塌致人员被困 → 110+119+120")
        elif "trapped" in active and _BURIED.search(text):
            services |= {"119", "120"}
            reasons.append("组合：坍塌/被压/被埋致人员被困 → 119+120")
        if "fire" in active and active_any(active, "injury", "trapped") and "injury" in active:
            services.add("120")
        confidence = 0.9 if len(strong) == 1 or item is not None else 0.8
        if model_code and model_p >= 0.8 and not (set(index.items[model_code].services) & services) and not kw:
            review = True
            reasons.append("熔断：规则判为紧急，模型判为非紧急事项，需人工确认")
    else:
        # without an active signal, a police item is not reached through a word the signals judged (没有人打架)
        kw = {c: ws for c, ws in ((c, [w for w in ws if "110" not in index.items[c].services or w not in index.signal_words])
                                  for c, ws in kw.items()) if ws}
        past_reports = [h for h in hits if h.state == PAST and lexicon.BY_ID[h.signal].report_when_past]
        topic_kw = {c: w for c, w in kw.items() if "110" not in index.items[c].services}
        already = _ALREADY_REPORTED.search(text) or _KIND_RULES[3][1].search(text)  # reported before, or just asking
        if past_reports and not topic_kw and not already:
            claimed = [it for it in index.claims.get(past_reports[0].signal, []) if "+" not in it.direction]
            if claimed:
                item = claimed[0]
                reported_past = True
                confidence = 0.75
                reasons.append("过去发生的违法犯罪：向110报案（非紧急）")
        asking = bool(_KIND_RULES[3][1].search(text))
        doubted = LEARNED and model_code is not None and doubts(danger, index.items[model_code].services, "safety_net")
        if item is None and model_code and model_p >= SAFETY_NET and _is_emergency_item(index.items[model_code]) and not (
            asking and not _NOW.search(text) or doubted  # 想问下怎么考急救证: a question about the topic, not an emergency
        ):
            related = set(index.items[model_code].signals)
            own_kw = model_code in kw
            quiet = not any(h.signal in related for h in hits)  # rules that saw negation or time win
            if own_kw or quiet and (not kw or model_p >= 0.9):
                item, confidence, review = index.items[model_code], round(model_p * 0.8, 3), True
                reasons.append(f"安全网：模型判为紧急事项（{model_code} p={model_p:.2f}），规则未命中，先按紧急派警/派车并人工复核")
        if item is None and not active and not past_reports and (found := referral(text)) and (refer := _referral_item(index)):
            item, confidence = refer, 0.7
            reasons.append(f"引导解释：{found[0]}「{found[1]}」")
        p_refer = (danger or {}).get(REFER, 0.0)
        if item is None and LEARNED and not active and not past_reports and p_refer >= REFER_THRESHOLD and (
                refer := _referral_item(index)):
            item, confidence = refer, round(p_refer * 0.8, 3)
            reasons.append(f"引导解释（模型研判）：按本市已标注来电训练的模型，不属12345和110受理范围（p={p_refer:.2f}）")
        if item is None:
            denied = [h for h in hits if h.state != ACTIVE]
            item, confidence = _pick_item(kw, ranked, index, reasons, denied, asking=asking, doubted=doubted)
        services |= set(item.services)
        if past_reports and topic_kw:
            reasons.append("过去发生的警情仅作背景，按所反映的事项办理")
        for s in active:  # weak signals (public danger) add their services to the topic's
            services |= set(lexicon.BY_ID[s].services)
            for it in index.claims.get(s, []):
                services |= set(it.services)
                reasons.append(f"紧急事件：{it.name}（{it.direction}，110先行处置并同步转办部门）")
        if not item.services and services:
            services.add("12345")
        if not kw and not past_reports and confidence < MODEL_ALONE:
            confidence = min(confidence, index.review_below - 0.01)  # the model alone, and not sure: a person decides
        if confidence < index.review_below:
            review = True
            reasons.append(f"熔断：把握不足（{confidence:.2f} < {index.review_below:.2f}），需人工确认")
    if composed:
        services |= {s for h in composed for s in h.adds}
        if not any(h.state == ACTIVE and not h.composed and h.signal == c.signal for h in hits for c in composed):
            review = True
            reasons.append("熔断：人身危险为组合研判所得（无明确报警用语），先按紧急派警/派车并人工复核")
    if any(h.state == ACTIVE for h in hits) and any(h.state in (NEGATED,) and h.signal in active for h in hits):
        review = True
        reasons.append("熔断：同一信号既有肯定又有否定表述，需人工确认")
    dispatched = False  # an emergency service added by the fail-safe or the learned detector
    undisputed = not any(h.state != ACTIVE for h in hits)  # no rule judged a signal negated, past, hypothetical, an animal's
    if FAILSAFE and not services & _EMERGENCY and undisputed:
        found = plausible_danger(text)
        if found and not (LEARNED and doubts(danger, {s for _, s, _ in found}, "failsafe")):
            dispatched = True
            added = sorted({s for _, s, _ in found})
            services |= set(added)
            review = True
            cues = "、".join(dict.fromkeys(f"{fam}「{cue}」" for fam, _, cue in found))
            reasons.append(f"熔断（兜底）：疑似人身危险 {cues}，规则与模型均无把握，不按仅12345处理："
                           f"加派{'+'.join(added)}并人工复核")
    # an injury alone (120) does not close the question: who hurt them, or what holds them, may still need 110/119
    if LEARNED and danger and not services & {"110", "119"} and undisputed and (
        added := [s for s in suspected(danger, AFTER_INJURY if services & _EMERGENCY else THRESHOLDS)
                  if s not in services and not (s == "110" and _told_of_past(text))]
    ):
        dispatched = True
        services |= set(added)
        review = True
        odds = "，".join(f"{s} p={danger[s]:.2f}" for s in added)
        reasons.append(f"熔断（模型研判）：按本市已标注来电训练的模型，可能需要{'+'.join(added)}（{odds}），"
                       "规则未命中：加派并人工复核")
    elif LEARNED and danger and services & _EMERGENCY and undisputed and (
            beside := [s for s in ("119", "120") if s not in services and danger.get(s, 0.0) >= BESIDE_THRESHOLD]):
        services |= set(beside)  # 打架有人头破了 → 110 by the rules, 120 by the detector
        review = True
        odds = "，".join(f"{s} p={danger[s]:.2f}" for s in beside)
        reasons.append(f"模型研判：按本市已标注来电训练的模型，另需{'+'.join(beside)}（{odds}）：同时派出并人工复核")
    if dispatched and "12345" in services and item is not None and "+" not in item.direction and (
        item.code not in kw or services & _EMERGENCY == {"110"} and not any(g in item.group for g in _REPAIR_GROUPS)
    ):  # a harm being done now, next to a department word (学校门口, 出租车上): 110 takes it; a facility to repair keeps 12345
        services.discard("12345")  # the department matter was only the model's guess: the emergency service takes the call
        reasons.append("转警/转急救：所派紧急服务接手，事项仅为模型推测或无需部门同时处置，不另派12345")
    if cue := rescue_casualty(text, services):
        services.add("120")
        reasons.append(f"惯例：被困人员有伤情「{cue}」→ 救援同时派120")
    if cue := self_harm_casualty(text, services, active):
        services.add("120")
        reasons.append(f"惯例：轻生行为已实施「{cue}」→ 同时派120")
    if cue := exposure_casualty(text, services, active):
        services.add("120")
        reasons.append(f"惯例：有毒有害气体/烟雾致人员出现症状「{cue}」→ 同时派120")
    if LEARNED and LEARNED_JOINT and danger and (joint := learned_joint(services, danger, settled(item, kw, index, active, composed))):
        reasons.append(joint)
    if not services:
        reasons.append("不属于12345和110受理范围：做好引导解释")
    level, level_reasons = grade(text, hits)
    if item is not None:
        reasons.insert(0, _describe(item))
    return RoutingDecision(
        services=tuple(sorted(services)),
        category_code=item.code if item else None,
        category_name=item.name if item else None,
        category_group=item.group if item else None,
        category_list=item.direction if item else None,
        kind=_kind(text, active, item, reported_past),
        unit_function=item.unit_function if item else None,
        level=level,
        level_reasons=level_reasons,
        confidence=round(float(confidence), 3),
        review=review,
        reasons=reasons + ([f"首接：{desk}受理"] if review else []),
    )


def _told_of_past(text: str) -> bool:
    """前几天被撞了车，对方保险一直拖着不赔: a report of something past with nothing still going on, not a dispatch."""
    return bool(_PAST_FRAME.search(text)) and not _STILL.search(text)


def _referral_item(index: CityIndex) -> Item | None:
    """The city's 引导解释 item (services = ()), if it has one."""
    return next((it for it in index.items.values() if not it.services and not it.signals), None)


def active_any(active: list[str], *ids: str) -> bool:
    return any(i in active for i in ids)


def _about(item: Item, hit: Hit) -> bool:
    """Whether a signal hit speaks of this item: the item claims the signal, or one of its keywords is the phrase."""
    return hit.signal in item.signals or any(k in hit.phrase or hit.phrase in k for k in item.keywords)


def _is_emergency_item(item: Item) -> bool:
    """An item that stands for an emergency: it claims a signal and brings 110, 119 or 120."""
    return bool(item.signals) and "+" not in item.direction and bool({"110", "119", "120"} & set(item.services))


def _needs_evidence(item: Item) -> bool:
    """Police and emergency items are never chosen on the model's word alone (keeps non-police appeals off 110)."""
    return bool({"110", "119", "120"} & set(item.services))


def _pick_item(
    kw: dict[str, list[str]], ranked: list[tuple[str, float]], index: CityIndex, reasons: list[str], denied: list[Hit] = (),
    *, asking: bool = False, doubted: bool = False,
) -> tuple[Item, float]:
    """The list item for a non-emergency appeal: keywords and model together; police only when sure.

    `denied` are signals the rules found negated, hypothetical or past: the model may not bring them back.
    """
    prob = dict(ranked)
    model_code, model_p = ranked[0]
    if model_code not in kw and any(_about(index.items[model_code], h) for h in denied):
        alt = next(((c, p) for c, p in ranked if index.items[c].services and not _needs_evidence(index.items[c])), None)
        if alt:
            reasons.append(f"模型指向 {model_code}，但规则已判其信号为否定/过去/假设，取 {alt[0]}")
            model_code, model_p = alt
    if kw:
        best = max(kw, key=lambda c: (max(map(len, kw[c])) / 4 + prob.get(c, 0.0)))
        if best == model_code:
            return index.items[best], max(model_p, 0.85)
        short = max(map(len, kw[best]))
        model_item = index.items[model_code]
        curated = not index.items[best].services  # referral keywords are specific (航班, 彩票)
        if (model_p >= 0.7 and short <= 2 or model_p >= 0.95 and short <= 3) and not _needs_evidence(model_item) and not curated:
            reasons.append("模型与关键词不一致，取模型结果")
            return index.items[model_code], model_p * 0.8
        conf = 0.55 + 0.3 * prob.get(best, 0.0) + 0.05 * min(max(map(len, kw[best])), 4)
        if model_p >= 0.6 and set(index.items[model_code].services) != set(index.items[best].services):
            reasons.append(f"熔断：关键词指向 {best}，模型指向 {model_code}（服务不同）")
            conf = min(conf, 0.5)
        return index.items[best], conf
    item = index.items[model_code]
    if _is_emergency_item(item) and model_p >= DANGER_PLAUSIBLE and not asking and not doubted and not any(_about(item, h) for h in denied):
        reasons.append(f"模型倾向紧急事项（{model_code} p={model_p:.2f}），无明确报警用语：人身安全可能受威胁，"
                       "先按紧急派警/派车并人工复核")
        return item, min(model_p, 0.45)
    if {"119", "120"} & set(item.services) or item.signals and (model_p < MODEL_TRUST or doubted):  # doubted: by the detector
        alt = next(((c, p) for c, p in ranked if index.items[c].services and not _needs_evidence(index.items[c])), None)
        if alt:
            reasons.append(f"模型倾向紧急事项（{model_code} p={model_p:.2f}）但无紧急信号，先按非紧急事项并人工复核")
            return index.items[alt[0]], min(alt[1], 0.45)
    if "110" in item.services and model_p < POLICE_TRUST:
        alt = next(((c, p) for c, p in ranked if index.items[c].services and not _needs_evidence(index.items[c])), None)
        if alt:
            reasons.append(f"模型倾向公安类（{model_code} p={model_p:.2f}）但无关键词或紧急信号佐证，先按非警务事项并人工复核")
            return index.items[alt[0]], min(alt[1], 0.45)
    if not item.services and model_p < MODEL_TRUST:
        alt = next(((c, p) for c, p in ranked if index.items[c].services), None)
        if alt:
            reasons.append(f"模型倾向引导解释（p={model_p:.2f}）但把握不足，按首接负责受理并人工复核")
            return index.items[alt[0]], min(alt[1], 0.45)
    return item, model_p
