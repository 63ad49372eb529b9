"""Matters outside both platforms (referral.py): new phrasings of each kind, and the real 12345 matters kept."""

import pytest

from liandong.routing.referral import referral
from liandong.routing.router import load_router


@pytest.fixture(scope="module")
def router():
    return load_router("demo")


@pytest.mark.parametrize("text", [
    "我的信用卡被银行停了额度，打客服也说不清，怎么弄",
    "车险到期了保险公司一直打电话让我续保，烦死了",
    "在证券公司买的基金亏了一半，他们当初说保本的",
    "今天黄金价格多少一克",
    "美元兑人民币汇率现在是多少",
    "深圳那边的人才补贴政策是怎样的，我明年想过去",
    "你帮我查查我前女友现在住在哪个小区",
    "我们科长逢年过节就收下面人的红包，这个怎么举报",
    "我想问一下今年国庆放几天假",
    "刘德华演唱会门票在哪买",
    "帮我问问顺丰快递公司的电话",
])
def test_a_matter_outside_both_platforms_is_referred(router, text):
    d = router.route(text)
    assert d.services == (), (text, d.services, d.reasons)
    assert any(r.startswith("引导解释：") for r in d.reasons)


@pytest.mark.parametrize("text, must", [
    ("我想把外地的社保转到我们明川来，怎么办理", {"12345"}),
    ("网贷公司天天打电话给我爸妈催收，还骂人", {"12345"}),
    ("我的银行卡被人盗刷了五千块", {"110"}),
    ("有人冒充银行客服让我转账", {"110"}),
    ("前几天被人撞了车，对方保险一直拖着不赔", {"12345"}),
    ("养老保险到期了怎么领取", {"12345"}),
    ("医院乱收费，医保报销审核了三个月还没下来", {"12345"}),
])
def test_real_matters_near_the_referral_words_are_kept(router, text, must):
    d = router.route(text)
    assert must <= set(d.services), (text, d.services, d.reasons)


def test_a_referral_word_deep_in_a_long_letter_is_a_detail():
    letter = "尊敬的领导：我们小区门口的路灯坏了三个月，晚上一片漆黑，老人孩子出行很不安全，" * 2 + "听说别的城市那边的政策是一周内修好"
    assert referral(letter) is None
    assert referral("为什么别的省的公务员都有户籍限制，我们这里没有") is None


import pytest  # noqa: E402

from liandong.routing.referral import referral as _referral_kind  # noqa: E402


@pytest.mark.parametrize("text", [
    "喂？喂？有人吗，能听到吗",                                   # a call with no matter in it
    "不好意思我就是试下能不能打通，没事没事",
    "我儿子明天过生日，送他什么礼物好",                           # private life, shopping
    "你们知道哪家月子中心比较靠谱吗",
    "想请个家政每周来打扫两次",
    "我的房贷官司下个月开庭，传票上的地址在哪",                   # a case before a court
    "成都那边的公租房要什么条件，我女儿在成都上班",               # another city's matter
])
def test_new_referral_kinds(text):
    assert _referral_kind(text) is not None


@pytest.mark.parametrize("text", [
    "我家孩子被同学打了，老师说没啥事，我想找教育局",             # a matter, said to be minor
    "法院判了对方赔钱，到现在都不执行",                           # enforcement: 12345's matter
    "哪个部门管小区门口占道经营",                                  # which department: not advice
    "我在成都打工，现在回来了，社保能不能转到我们这边",            # the matter is brought here
])
def test_new_referral_kinds_keep_real_matters(text):
    assert _referral_kind(text) is None
