"""The training corpus the project ships (训练语料): colloquial phrasings for every list item.

Generated, deterministically, from each item's keywords and examples (in the list YAML) through
templates written the way callers speak and transcribers write, plus the hand-written examples.
"""

from __future__ import annotations

import random

from liandong.routing.lists import Item

PLACES = (
    "我们小区", "我家楼下", "我们村", "学校门口", "菜市场旁边", "解放路上", "我们单位附近", "公园里", "我们这条街",
    "开发区", "城东新区", "县城", "镇上", "我家对面", "火车站附近", "我住的楼", "医院门口", "商业街", "老城区", "高速路口",
)
OPENERS = ("", "你好，", "喂，你好，", "您好，", "我想反映一下，", "麻烦问一下，", "领导好，", "我要反映个事，", "那个，", "打扰一下，")
TAILS = (
    "", "麻烦尽快处理", "好几天了没人管", "希望有关部门管一管", "太影响生活了", "给我们解决一下", "谢谢", "已经反映过好几次了",
    "到底归谁管", "你们派人来看看吧", "请帮忙协调", "大家意见都很大", "一直拖着不解决", "能不能快点", "老百姓很着急",
)
TEMPLATES = (
    "{opener}{place}{kw}，{tail}",
    "{opener}{place}有{kw}的问题，{tail}",
    "{opener}我要反映{place}的{kw}，{tail}",
    "{opener}{kw}{tail}",
    "{opener}{place}那边{kw}，{tail}",
    "{opener}想问一下{kw}这个事找哪个部门",
    "{opener}{place}{kw}好长时间了，{tail}",
    "{opener}关于{kw}，{tail}",
    "{opener}{place}出现{kw}，{tail}",
    "{opener}请问{kw}怎么处理",
    "{opener}我投诉{place}{kw}，{tail}",
    "{opener}{kw}的事情{tail}",
)
PER_ITEM = 44


def build_corpus(items: tuple[Item, ...] | list[Item], *, seed: int = 12345,
                 phrasings: dict[str, tuple[str, ...]] | None = None) -> tuple[list[str], list[str]]:
    """(texts, labels): hand examples verbatim, keywords alone, templated sentences per item, then the city's
    hand-written phrasings (`corpus.yaml`), each twice: once as written, once after an opener."""
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    for item in items:
        if not item.keywords and not item.examples:
            continue
        own = list(item.examples) + list(item.keywords) + [item.name]
        for _ in range(3):
            own += [rng.choice(OPENERS) + ex for ex in item.examples]
        generated = []
        kws = list(item.keywords) or list(item.examples)
        for i in range(PER_ITEM):
            tpl = TEMPLATES[i % len(TEMPLATES)]
            generated.append(
                tpl.format(opener=rng.choice(OPENERS), place=rng.choice(PLACES), kw=kws[i % len(kws)], tail=rng.choice(TAILS))
            )
        written = (phrasings or {}).get(item.code, ())
        written = list(written) + [rng.choice(OPENERS[1:]) + t for t in written]
        for t in own + generated + written:
            texts.append(t)
            labels.append(item.code)
    return texts, labels
