"""The knowledge entry (知识条目) and its review workflow (审核流程), as plain data.

An entry's content lives in versions: every edit writes a new version and never touches an old one, so
the wording an operator read out on a call (entry id + version, recorded on the order) stays readable.
The entry's `state` is the workflow state of its latest version; `served_version` is the version search
offers — an edit of a published entry goes through review while the approved wording stays in service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from liandong.core.actors import ROLE_LABELS, Actor, Role
from liandong.core.errors import Forbidden, IllegalTransition, InvalidInput

MAX_QUESTION = 200
MAX_ANSWER = 4000
MAX_PHRASINGS = 30
MAX_KEYWORDS = 30


class EntryState(StrEnum):
    DRAFT = "draft"  # 草稿: the responsible unit writes it
    PENDING = "pending"  # 待审核: waits for a 知识库管理员 or supervisor
    PUBLISHED = "published"  # 已发布: offered by search while effective
    WITHDRAWN = "withdrawn"  # 已下线: never offered


STATE_LABELS = {EntryState.DRAFT: "草稿", EntryState.PENDING: "待审核", EntryState.PUBLISHED: "已发布",
                EntryState.WITHDRAWN: "已下线"}


class ReviewAction(StrEnum):
    EDIT = "edit"  # 修改 (a new version)
    SUBMIT = "submit"  # 提交审核
    APPROVE = "approve"  # 审核通过并发布
    REJECT = "reject"  # 退回修改
    WITHDRAW = "withdraw"  # 下线


ACTION_LABELS = {ReviewAction.EDIT: "修改", ReviewAction.SUBMIT: "提交审核", ReviewAction.APPROVE: "审核发布",
                 ReviewAction.REJECT: "退回修改", ReviewAction.WITHDRAW: "下线"}


class Visibility(StrEnum):
    STAFF = "staff"  # 仅内部（话务员）
    PUBLIC = "public"  # 可对公众公开（门户、自动答复）


_AUTHORS = frozenset({Role.HANDLER, Role.KNOWLEDGE_ADMIN, Role.SUPERVISOR})
_REVIEWERS = frozenset({Role.KNOWLEDGE_ADMIN, Role.SUPERVISOR})

# (state, action) → (next state, roles that may do it). The responsible unit (承办人 of that unit) drafts and
# submits; only a 知识库管理员 or supervisor publishes, sends back or withdraws.
TRANSITIONS: dict[tuple[EntryState, ReviewAction], tuple[EntryState, frozenset[Role]]] = {
    (EntryState.DRAFT, ReviewAction.EDIT): (EntryState.DRAFT, _AUTHORS),
    (EntryState.DRAFT, ReviewAction.SUBMIT): (EntryState.PENDING, _AUTHORS),
    (EntryState.PENDING, ReviewAction.APPROVE): (EntryState.PUBLISHED, _REVIEWERS),
    (EntryState.PENDING, ReviewAction.REJECT): (EntryState.DRAFT, _REVIEWERS),
    (EntryState.PUBLISHED, ReviewAction.EDIT): (EntryState.DRAFT, _AUTHORS),
    (EntryState.PUBLISHED, ReviewAction.WITHDRAW): (EntryState.WITHDRAWN, _REVIEWERS),
    (EntryState.WITHDRAWN, ReviewAction.EDIT): (EntryState.DRAFT, _AUTHORS),
}


def allowed(state: EntryState, role: Role) -> list[ReviewAction]:
    return [a for (s, a), (_, roles) in TRANSITIONS.items() if s == state and (role is Role.ADMIN or role in roles)]


def next_state(state: EntryState, action: ReviewAction, actor: Actor, *, unit: str | None) -> EntryState:
    """The state after `action`, or a refusal naming what is allowed (409) or who may do it (403).

    A 承办人 acts only on the entries of their own unit."""
    row = TRANSITIONS.get((state, action))
    if row is None:
        raise IllegalTransition(state.value, action.value, [ACTION_LABELS[a] for a in allowed(state, actor.role)],
                                state_label=STATE_LABELS[state], action_label=ACTION_LABELS[action])
    target, roles = row
    if actor.role is not Role.ADMIN and actor.role not in roles:
        raise Forbidden(f"「{ACTION_LABELS[action]}」需要角色：{'、'.join(ROLE_LABELS[r] for r in sorted(roles))}")
    if actor.role is Role.HANDLER and unit and actor.unit != unit:
        raise Forbidden("只能修改本单位负责的知识条目")
    return target


@dataclass(frozen=True)
class Content:  # 条目内容（一个版本）
    question: str  # 标准问题
    answer: str  # 答复口径
    phrasings: tuple[str, ...] = ()  # 其他问法
    basis: str = ""  # 政策依据
    document: str = ""  # 依据文件文号
    region: str | None = None  # None = 全市通用; else a district/street code
    unit: str | None = None  # 责任单位
    effective_from: date | None = None  # 生效日期
    expires_on: date | None = None  # 失效日期 (the first day it no longer applies)
    keywords: tuple[str, ...] = ()
    visibility: Visibility = Visibility.STAFF
    extra: dict = field(default_factory=dict, compare=False)

    def checked(self) -> "Content":
        """The content trimmed, deduplicated and checked; every refusal names the field in Chinese."""
        question = " ".join(self.question.split())
        answer = self.answer.strip()
        if not question:
            raise InvalidInput("标准问题不能为空")
        if len(question) > MAX_QUESTION:
            raise InvalidInput(f"标准问题不能超过 {MAX_QUESTION} 字")
        if not answer:
            raise InvalidInput("答复口径不能为空")
        if len(answer) > MAX_ANSWER:
            raise InvalidInput(f"答复口径不能超过 {MAX_ANSWER} 字")
        phrasings = _unique(p for p in self.phrasings if p.strip() and p.strip() != question)
        keywords = _unique(self.keywords)
        if len(phrasings) > MAX_PHRASINGS:
            raise InvalidInput(f"其他问法最多 {MAX_PHRASINGS} 条")
        if len(keywords) > MAX_KEYWORDS:
            raise InvalidInput(f"关键词最多 {MAX_KEYWORDS} 个")
        if any(len(p) > MAX_QUESTION for p in phrasings):
            raise InvalidInput(f"其他问法每条不能超过 {MAX_QUESTION} 字")
        if self.effective_from and self.expires_on and self.expires_on <= self.effective_from:
            raise InvalidInput("失效日期必须晚于生效日期")
        return Content(question, answer, phrasings, self.basis.strip(), self.document.strip(), self.region or None,
                       self.unit or None, self.effective_from, self.expires_on, keywords, Visibility(self.visibility))

    def in_force(self, day: date) -> bool:
        """在有效期内: from its effective date (inclusive) until its expiry date (exclusive)."""
        return (self.effective_from is None or self.effective_from <= day) and (self.expires_on is None or day < self.expires_on)


def _unique(items) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        item = " ".join(str(item).split())
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def normal_question(question: str) -> str:
    """The form two questions are compared in for duplicates: no spaces, no punctuation, lower case."""
    return "".join(ch for ch in question.lower() if ch.isalnum())
