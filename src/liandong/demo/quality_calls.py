"""Demo call records (演示来电记录) for 质检: speaker-labelled, timed transcripts, good and bad, with the truth.

`generate_call(rng, ...)` returns a transcript as the telephone system would send it, the order facts
the operator keyed in, and the set of rules that *should* fire — so the rules can be measured on
generated calls (`tests/unit/quality/test_generated_calls.py`). Every element has several good
wordings and several faulty ones, including near misses (a greeting without the 工号, a gap just under
the silence limit, a polite sentence that only resembles a forbidden one), so the figures mean more
than "the generator and the rules share a phrase list".
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PLACES = ("明川市东湖区滨江路88号", "明川市西城区建设街道幸福小区3栋", "明川市南山区文化路与人民路交叉口",
          "明川市北湖区锦绣花园东门", "明川市东湖区梧桐街道菜市场旁", "明川市高新区科技大道256号")
MATTERS = (  # (kind, category, what the caller says, the request)
    ("投诉", "噪声扰民", "楼下烧烤店每天半夜还在营业，噪声很大", "希望有关部门管一管"),
    ("投诉", "占道经营", "门口的摊贩把人行道全占了，走路只能走马路", "请城管来处理一下"),
    ("咨询", "社会保险", "我想问一下灵活就业人员社保怎么缴费", "需要带什么材料"),
    ("求助", "供水", "我们小区从昨天下午开始停水了，一直没来", "请尽快恢复供水"),
    ("投诉", "物业管理", "物业乱收停车费，一个月涨了两百块", "要求物业说明收费依据"),
    ("建议", "公共交通", "这边只有一路公交车，早上根本挤不上去", "建议增加班次"),
)
OPENINGS_GOOD = ("您好，{no}号话务员为您服务。", "你好，工号{no}，很高兴为您服务，请讲。",
                 "您好，明川12345，{no}号为您服务，请问有什么可以帮您？")
OPENINGS_BAD = ("喂，请讲。", "您好，请问有什么可以帮您？", "你好，这里是12345热线。")
ADDRESS_GOOD = ("您说的地址是{place}，对吗？", "我确认一下地址，是{place}，是吗？", "位置在{place}，对吧？")
PHONE_GOOD = ("您的联系电话是{phone}，对吗？", "回电号码尾号{last4}，对吧？", "我核对一下号码是{phone}。")
NO_READBACK = ("好的，我记下了。", "明白，我们会尽快处理。", "嗯，好的。")
SOOTHE = ("非常抱歉给您带来不便。", "理解您的心情，我们一定会督促处理。", "您先别着急，我马上帮您登记。")
FORBIDDEN = ("这个不归我们管。", "你烦不烦啊，说了好几遍了。", "爱找谁找谁去。")
NEAR_FORBIDDEN = ("这个问题我们会管的。", "不好意思让您说了好几遍。", "您可以找街道，我们也会转给他们。")
FURTHER = ("请问还有什么可以帮您？", "还有其他问题吗？", "您还有别的需要吗？")
CLOSING_GOOD = ("感谢您的来电，再见。", "好的，祝您生活愉快，再见。", "谢谢您的来电。")
CLOSING_BAD = ("好，就这样。", "行，那先这样吧。")
SECONDS_PER_CHAR = 0.22


@dataclass(frozen=True)
class DemoCall:  # 演示来电
    transcript: list[dict]
    hangup_by: str
    kind: str
    category: str
    address: str  # as recorded on the order
    text: str  # as recorded on the order
    phone: str
    truth: frozenset[str]  # the rules that should fire


def generate_call(rng: random.Random, *, operator_no: str = "3027", bad_share: float = 0.3,
                  place: str | None = None, issue: str | None = None, kind: str | None = None) -> DemoCall:
    """A call about a matter of `MATTERS` at one of `PLACES` — or, for a demo order, about its own words
    (`issue`) at its own address (`place`), so the order and the call agree unless a fault says otherwise."""
    kind_, category, issue_, request = rng.choice(MATTERS)
    kind, place = kind or kind_, place or rng.choice(PLACES)
    issue, request = (issue.rstrip("。！!"), "") if issue else (issue_, request)
    phone = f"13{rng.randint(100000000, 999999999)}"
    truth: set[str] = set()

    def bad(rule: str) -> bool:
        hit = rng.random() < bad_share
        if hit:
            truth.add(rule)
        return hit

    lines: list[tuple[str, str]] = []
    lines.append(("operator", rng.choice(OPENINGS_BAD) if bad("call.opening") else
                  rng.choice(OPENINGS_GOOD).format(no=operator_no)))
    lines.append(("caller", f"我在{place}，{issue}，{request}。" if request else f"我在{place}，{issue}。"))
    if kind == "投诉":
        lines.append(("operator", rng.choice(NO_READBACK) if bad("call.soothing") else rng.choice(SOOTHE)))
    if bad("call.forbidden"):
        lines.append(("operator", rng.choice(FORBIDDEN)))
    elif rng.random() < 0.3:
        lines.append(("operator", rng.choice(NEAR_FORBIDDEN)))
    lines.append(("caller", "你们一定要尽快处理啊。"))
    lines.append(("operator", rng.choice(NO_READBACK) if bad("call.readback_address") else
                  rng.choice(ADDRESS_GOOD).format(place=place)))
    lines.append(("caller", "对的。"))
    lines.append(("operator", rng.choice(NO_READBACK) if bad("call.readback_phone") else
                  rng.choice(PHONE_GOOD).format(phone=phone, last4=phone[-4:])))
    lines.append(("caller", "是的。"))
    if not bad("call.further_help"):
        lines.append(("operator", rng.choice(FURTHER)))
        lines.append(("caller", "没有了。"))
    lines.append(("operator", rng.choice(CLOSING_BAD) if bad("call.closing") else rng.choice(CLOSING_GOOD)))
    transcript, overlapped = _timed(lines, rng, silence=bad("call.silence"), overlap=bad("call.overlap"))
    if not overlapped:
        truth.discard("call.overlap")
    recorded_place = place if not bad("call.consistency_place") else rng.choice([p for p in PLACES if p != place])
    recorded_text = (f"{issue}，{request}" if request else issue) if not bad("call.consistency_request") else \
        next(f"{m[2]}，{m[3]}" for m in rng.sample(MATTERS, len(MATTERS)) if m[2] != issue)
    hangup = "operator" if bad("call.hangup_first") else "caller"
    return DemoCall(transcript, hangup, kind, category, recorded_place, recorded_text, phone, frozenset(truth))


def _timed(lines: list[tuple[str, str]], rng: random.Random, *, silence: bool, overlap: bool
           ) -> tuple[list[dict], bool]:
    """Timestamps as a telephone system would give them: gaps of a second or two, one long pause or one
    interruption when asked for (and near misses of each otherwise)."""
    t, out = 0.0, []
    turns_of = [len(text) * SECONDS_PER_CHAR for _, text in lines]
    overlap_at = None
    if overlap:
        fits = [i for i in range(1, len(lines)) if lines[i][0] != lines[i - 1][0] and turns_of[i - 1] >= 2.6
                and turns_of[i] >= 2.6]
        overlap_at = rng.choice(fits) if fits else None
    near_overlap = None if overlap else rng.choice([i for i in range(1, len(lines)) if lines[i][0] != lines[i - 1][0]])
    silence_at = rng.choice([i for i in range(1, len(lines)) if i not in (overlap_at, near_overlap)]) if silence else None
    near_gap = rng.random() < 0.3
    for i, (speaker, text) in enumerate(lines):
        gap = rng.uniform(0.3, 1.8)
        if i == silence_at:
            gap = rng.uniform(10, 25)
        elif near_gap and i == 2 and i != overlap_at:
            gap = rng.uniform(5, 7)
        start = t + gap
        if i == overlap_at:
            start = out[-1]["end"] - rng.uniform(1.8, min(2.5, out[-1]["end"] - out[-1]["start"] - 0.1))
        elif i == near_overlap and rng.random() < 0.5:
            start = out[-1]["end"] - 0.6
        end = start + max(0.8, len(text) * SECONDS_PER_CHAR)
        out.append({"speaker": speaker, "start": round(start, 2), "end": round(end, 2), "text": text})
        t = max(t, end)
    return out, overlap_at is not None
