"""Appeal text → content, place keys and hashed features (the text half of the similarity index).

See `liandong.supervision.similarity` for why the pieces are what they are.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib

import numpy as np

MAX_CHARS = 400  # only the beginning counts: the matter is told first, and memory stays bounded
_MULT = np.uint64(0x9E3779B97F4A7C15)

_BOILERPLATE = re.compile(
    r"(市民|群众|来电人|来电者|诉求人|热线)?(来电|致电)?(反映|反应|称|表示|咨询|投诉|举报)[：:，,]"
    r"|尊敬的[^，。,.!！]{0,6}[：:，,]?|您好|你好|谢谢|麻烦(你们|您|了)?|望(领导)?(重视|回复)|请(相关部门|尽快)?(处理|解决)"
)
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十]+")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SYNONYMS = (
    ("噪声", "噪音"), ("号楼", "栋"), ("幢", "栋"), ("吵闹", "噪音"), ("很吵", "噪音"), ("太吵", "噪音"),
    ("物业公司", "物业"), ("业主", "居民"), ("住户", "居民"), ("夜里", "夜间"), ("晚上", "夜间"),
    ("没有水", "停水"), ("没水", "停水"), ("断水", "停水"), ("不发工资", "拖欠工资"), ("欠薪", "拖欠工资"),
    ("电瓶车", "电动车"), ("反应", "反映"), ("股份有限公司", "公司"), ("有限责任公司", "公司"), ("有限公司", "公司"),
)
_SYNONYM_MAP = dict(_SYNONYMS)
_SYNONYM_RE = re.compile("|".join(sorted(map(re.escape, _SYNONYM_MAP), key=len, reverse=True)))
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
# Street-level names repeat the region the appeal is filed under, and transcribers add or omit them.
_STREET = re.compile(r"[\u4e00-\u9fff]{2}(?:街道|镇|乡)")
# A place key is the two characters before a place suffix: 锦绣花园, 解放路, 宏达建筑公司 → 建筑公司.
_PLACE = re.compile(r"([\u4e00-\u9fff]{2})(小区|花园|新村|家园|公寓|名邸|华庭|大厦|公司|大道|苑|路(?![边面人况线费过口灯])|街(?![道边上头])|厂)")
_NOT_A_PLACE = set("走在的了过修这那条有个到回半出道是与去从满")
_GENERIC = {"供水", "供电", "电力", "热力", "燃气", "物业", "保洁", "快递", "公交", "出租", "房产", "开发", "装修", "家政", "保险", "银行", "自来"}
_SEP = " "


def _cn_number(text: str) -> str:
    if "十" not in text:
        return "".join(str(_DIGITS[c]) for c in text)
    tens, _, ones = text.partition("十")
    return str((_DIGITS.get(tens[-1:], 1) if tens else 1) * 10 + (_DIGITS.get(ones[:1], 0) if ones else 0))


def analyse(text: str) -> tuple[str, tuple[str, ...]]:
    """Fold the differences between transcribers; return (content text, place keys).

    Place names stay in the content (they are part of the matter) and are also returned as keys,
    so that two appeals naming different places can be told apart (see PLACE_MISMATCH).
    """
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _BOILERPLATE.sub("", text)
    text = _NUMERAL.sub(lambda m: _cn_number(m.group()), text)
    text = _SYNONYM_RE.sub(lambda m: _SYNONYM_MAP[m.group()], text)
    content = _STREET.sub(_SEP, _KEEP.sub(_SEP, text))[:MAX_CHARS]
    places = [
        m.group()
        for m in _PLACE.finditer(content)
        if _NOT_A_PLACE.isdisjoint(m.group(1)) and m.group(1) not in _GENERIC
    ]
    return content, tuple(dict.fromkeys(places))


def normalize(text: str) -> str:
    """The content text of `analyse`, separators removed (for display and tests)."""
    return analyse(text)[0].replace(_SEP, "")


_SEP_CP = np.uint64(ord(_SEP))


def batch_features(contents: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of many analysed content texts at once: (features, counts, features per text).

    Per text: the sorted unique 32-bit hashes of its bigrams (no bigram spans a separator) and of its
    characters (unigrams help short retellings that share few bigrams), with their counts.
    """
    n = len(contents)
    if n == 0:
        return np.empty(0, np.uint32), np.empty(0, np.uint8), np.zeros(0, np.int64)
    joined = _SEP.join(contents) + _SEP
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(n, dtype=np.uint64), [len(c) + 1 for c in contents])
    kept = cp != _SEP_CP
    pair = kept[:-1] & kept[1:]
    keys = np.concatenate([((cp[:-1] << np.uint64(21)) | cp[1:])[pair], cp[kept]])
    docs = np.concatenate([doc[:-1][pair], doc[kept]])
    hashed = (keys * _MULT) >> np.uint64(32)
    uniq, counts = np.unique((docs << np.uint64(32)) | hashed, return_counts=True)
    lens = np.bincount((uniq >> np.uint64(32)).astype(np.int64), minlength=n).astype(np.int64)
    return (uniq & np.uint64(0xFFFFFFFF)).astype(np.uint32), np.minimum(counts, 255).astype(np.uint8), lens


def features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique hashed features (uint32) and their counts (uint8) of one analysed content text.

    The same result as `batch_features([text])`, in fewer numpy calls (a check does this once per appeal).
    """
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    kept = cp != _SEP_CP
    pair = kept[:-1] & kept[1:]
    keys = np.concatenate([((cp[:-1] << np.uint64(21)) | cp[1:])[pair], cp[kept]])
    uniq, counts = np.unique(((keys * _MULT) >> np.uint64(32)).astype(np.uint32), return_counts=True)
    return uniq, np.minimum(counts, 255).astype(np.uint8)


def place_hashes(places: tuple[str, ...]) -> np.ndarray:
    return np.unique(np.array([zlib.crc32(p.encode("utf-8")) for p in places], np.uint32))


@functools.lru_cache(maxsize=256)
def prepared(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of a text; cached because one check asks the repeat and the mass question."""
    content, places = analyse(text)
    feats, counts = features(content)
    for a in (feats, counts):
        a.flags.writeable = False
    hashes = place_hashes(places)
    hashes.flags.writeable = False
    return feats, counts, hashes
