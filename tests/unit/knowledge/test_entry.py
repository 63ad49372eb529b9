from datetime import date

import pytest

from liandong.core.actors import Actor, Role
from liandong.core.errors import Forbidden, IllegalTransition, InvalidInput
from liandong.knowledge.entry import (
    Content,
    EntryState,
    ReviewAction,
    allowed,
    next_state,
)

UNIT = Actor("h", Role.HANDLER, unit="HRSS")
OTHER_UNIT = Actor("x", Role.HANDLER, unit="SAMR")
KADMIN = Actor("k", Role.KNOWLEDGE_ADMIN)
SUP = Actor("s", Role.SUPERVISOR)


def test_the_unit_drafts_and_submits_a_reviewer_publishes():
    assert next_state(EntryState.DRAFT, ReviewAction.SUBMIT, UNIT, unit="HRSS") is EntryState.PENDING
    assert next_state(EntryState.PENDING, ReviewAction.APPROVE, KADMIN, unit="HRSS") is EntryState.PUBLISHED
    assert next_state(EntryState.PENDING, ReviewAction.REJECT, SUP, unit="HRSS") is EntryState.DRAFT
    assert next_state(EntryState.PUBLISHED, ReviewAction.WITHDRAW, SUP, unit="HRSS") is EntryState.WITHDRAWN
    assert next_state(EntryState.PUBLISHED, ReviewAction.EDIT, UNIT, unit="HRSS") is EntryState.DRAFT


def test_a_unit_cannot_publish_its_own_wording_nor_touch_another_units():
    with pytest.raises(Forbidden, match="知识库管理员"):
        next_state(EntryState.PENDING, ReviewAction.APPROVE, UNIT, unit="HRSS")
    with pytest.raises(Forbidden, match="本单位"):
        next_state(EntryState.DRAFT, ReviewAction.SUBMIT, OTHER_UNIT, unit="HRSS")
    with pytest.raises(Forbidden):
        next_state(EntryState.DRAFT, ReviewAction.EDIT, Actor("o", Role.OPERATOR), unit="HRSS")


def test_a_refused_step_names_the_state_and_what_is_allowed():
    with pytest.raises(IllegalTransition) as err:
        next_state(EntryState.DRAFT, ReviewAction.APPROVE, KADMIN, unit=None)
    assert "草稿" in err.value.message and "提交审核" in err.value.message
    assert allowed(EntryState.WITHDRAWN, Role.KNOWLEDGE_ADMIN) == [ReviewAction.EDIT]


def test_content_is_trimmed_and_checked():
    c = Content("  公积金  怎么提取 ", " 答 ", phrasings=("公积金怎么提取", "取公积金", "取公积金", " ")).checked()
    assert c.question == "公积金 怎么提取" and c.answer == "答" and c.phrasings == ("公积金怎么提取", "取公积金")
    for bad, msg in ((Content("", "a"), "标准问题"), (Content("q", " "), "答复口径"), (Content("q" * 201, "a"), "200"),
                     (Content("q", "a", effective_from=date(2026, 2, 1), expires_on=date(2026, 1, 1)), "失效日期")):
        with pytest.raises(InvalidInput, match=msg):
            bad.checked()


def test_in_force_runs_from_the_effective_day_until_the_expiry_day():
    c = Content("q", "a", effective_from=date(2026, 1, 1), expires_on=date(2026, 7, 1))
    assert not c.in_force(date(2025, 12, 31)) and c.in_force(date(2026, 1, 1)) and c.in_force(date(2026, 6, 30))
    assert not c.in_force(date(2026, 7, 1))
