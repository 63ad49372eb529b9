"""The knowledge service (知识库服务): entries, versions and review in the database; search over what is served.

Writes take the caller's session (one transaction, the caller's); search needs none: it reads the served
versions through `read` into an in-memory index, rebuilt when this process wrote or, at most every
`refresh_s` seconds, when another process's write shows in the entries' count and latest change.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Callable, Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from liandong.core.actors import Actor, Role
from liandong.core.clock import Clock
from liandong.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from liandong.core.ids import new_id
from liandong.knowledge.entry import (
    ACTION_LABELS,
    Content,
    EntryState,
    ReviewAction,
    Visibility,
    next_state,
    normal_question,
)
from liandong.knowledge.search import IndexDoc, KnowledgeHit, KnowledgeIndex
from liandong.knowledge.tables import (
    KnowledgeEntryRow,
    KnowledgeReviewRow,
    KnowledgeVersionRow,
)
from liandong.knowledge.text import Segmenter
from liandong.orders.events import OrderChanged
from liandong.orders.states import Action
from liandong.regions.registry import CityRegistry

log = logging.getLogger("liandong.knowledge")

MAX_QUERY = 500  # characters searched; a longer text (a whole transcript) is refused by the API, cut here


def question_key(question: str, region: str | None) -> str:
    return f"{normal_question(question)[:200]}@{region or ''}"


def content_of(v: KnowledgeVersionRow) -> Content:
    return Content(v.question, v.answer, tuple(v.phrasings or ()), v.basis or "", v.document or "", v.region, v.unit,
                   v.effective_from, v.expires_on, tuple(v.keywords or ()), Visibility(v.visibility))


@dataclass
class Knowledge:  # 知识库
    city: CityRegistry
    read: Callable[[], AbstractContextManager[Session]]
    clock: Clock
    refresh_s: float = 2.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._index: KnowledgeIndex | None = None
        self._stamp: tuple | None = None
        self._looked = 0.0
        self._dirty = True
        self._segmenter: Segmenter | None = None
        self._refresher: threading.Thread | None = None  # the background rebuild running, if any
        self._lock_refresher = threading.Lock()  # starts at most one

    # -- writing ----------------------------------------------------------------------------------------
    def create(self, session: Session, content: Content, *, actor: Actor, now: datetime, note: str = "",
               publish: bool = False, entry_id: str | None = None) -> KnowledgeEntryRow:
        """A new entry as a draft (version 1); `publish` (a reviewer importing an approved list) publishes it."""
        content = self._checked(content, actor)
        if actor.role not in (Role.HANDLER, Role.KNOWLEDGE_ADMIN, Role.SUPERVISOR, Role.ADMIN):
            raise Forbidden("只有责任单位承办人、知识库管理员或督办员可以新建知识条目")
        self._unique(session, content, None)
        if entry_id is not None and (len(entry_id) > 32 or session.get(KnowledgeEntryRow, entry_id) is not None):
            raise Conflict(f"条目编号「{entry_id[:40]}」已存在或过长（最多 32 个字符）")
        entry = KnowledgeEntryRow(id=entry_id or new_id(), state=EntryState.DRAFT.value, latest_version=1, served_version=None,
                                  question_key=question_key(content.question, content.region), question=content.question,
                                  unit=content.unit, region=content.region, usage_count=0, solved_count=0,
                                  unsolved_count=0, created_by=actor.name, created_at=now, updated_at=now)
        session.add(entry)
        session.flush()
        self._add_version(session, entry, content, actor, now, note)
        self._trail(session, entry, ReviewAction.EDIT, None, EntryState.DRAFT, actor, now, note or "新建")
        if publish:
            self.act(session, entry.id, ReviewAction.SUBMIT, actor=actor, now=now, note="导入")
            self.act(session, entry.id, ReviewAction.APPROVE, actor=actor, now=now, note="导入发布")
        self._dirty = True
        return entry

    def edit(self, session: Session, entry_id: str, content: Content, *, actor: Actor, now: datetime,
             expected_version: int | None = None, note: str = "") -> KnowledgeEntryRow:
        """A new version; the entry goes back to draft, the served version stays in service until approval."""
        entry = self.entry(session, entry_id, lock=True)
        if expected_version is not None and expected_version != entry.latest_version:
            raise Conflict(f"知识条目已被他人修改（当前版本 {entry.latest_version}），请刷新后重试")
        content = self._checked(content, actor)
        target = next_state(EntryState(entry.state), ReviewAction.EDIT, actor, unit=entry.unit)
        self._unique(session, content, entry.id)
        entry.latest_version += 1
        self._add_version(session, entry, content, actor, now, note)
        before = EntryState(entry.state)
        entry.state, entry.question, entry.unit, entry.region = target.value, content.question, content.unit, content.region
        entry.question_key = question_key(content.question, content.region)
        entry.updated_at = now
        self._trail(session, entry, ReviewAction.EDIT, before, target, actor, now, note)
        self._dirty = True
        return entry

    def act(self, session: Session, entry_id: str, action: ReviewAction, *, actor: Actor, now: datetime,
            note: str = "") -> KnowledgeEntryRow:
        """One review step (提交审核 / 审核发布 / 退回 / 下线) by the transition table."""
        if action is ReviewAction.EDIT:
            raise InvalidInput("修改请提交新的条目内容")
        entry = self.entry(session, entry_id, lock=True)
        before = EntryState(entry.state)
        target = next_state(before, action, actor, unit=entry.unit)
        if action is ReviewAction.REJECT and not note.strip():
            raise InvalidInput("退回修改须写明原因")
        entry.state = target.value
        if action is ReviewAction.APPROVE:
            entry.served_version = entry.latest_version
        elif action is ReviewAction.WITHDRAW:
            entry.served_version = None
        entry.updated_at = now
        self._trail(session, entry, action, before, target, actor, now, note)
        self._dirty = True
        return entry

    def record_use(self, session: Session, entry_id: str, version: int) -> KnowledgeVersionRow:
        """An operator answered a call from this entry's `version`: the version must exist; usage + 1."""
        row = self.version(session, entry_id, version)
        session.execute(update(KnowledgeEntryRow).where(KnowledgeEntryRow.id == entry_id)
                        .values(usage_count=KnowledgeEntryRow.usage_count + 1))
        return row

    def record_feedback(self, session: Session, entry_id: str, *, solved: bool) -> None:
        """回访: whether the answer from this entry solved the caller's question."""
        column = KnowledgeEntryRow.solved_count if solved else KnowledgeEntryRow.unsolved_count
        session.execute(update(KnowledgeEntryRow).where(KnowledgeEntryRow.id == entry_id).values({column: column + 1}))

    def on_order_event(self, session: Session, event) -> None:
        """回访 of an order answered from an entry: count whether it solved the caller's question."""
        if isinstance(event, OrderChanged) and event.action is Action.VISIT and event.order.knowledge_entry \
                and event.cmd.satisfied is not None:
            self.record_feedback(session, event.order.knowledge_entry, solved=bool(event.cmd.satisfied))

    def _checked(self, content: Content, actor: Actor) -> Content:
        content = content.checked()
        if content.region:
            self.city.region(content.region)
            if content.region == self.city.city.code:
                content = Content(**{**content.__dict__, "region": None})
        if actor.role is Role.HANDLER:
            if content.unit and content.unit != actor.unit:
                raise Forbidden("承办人只能为本单位起草知识条目")
            content = Content(**{**content.__dict__, "unit": actor.unit})
        if content.unit:
            self.city.unit(content.unit)
        return content

    def _unique(self, session: Session, content: Content, entry_id: str | None) -> None:
        key = question_key(content.question, content.region)
        clash = session.scalar(select(KnowledgeEntryRow.id).where(KnowledgeEntryRow.question_key == key))
        if clash is not None and clash != entry_id:
            raise Conflict(f"已有相同的标准问题「{content.question}」（条目 {clash}），请修改该条目而不是重复新建",
                           details={"entry_id": clash})

    def _add_version(self, session, entry, content: Content, actor, now, note) -> None:
        session.add(KnowledgeVersionRow(
            entry_id=entry.id, version=entry.latest_version, question=content.question, phrasings=list(content.phrasings),
            answer=content.answer, basis=content.basis, document=content.document, region=content.region,
            unit=content.unit, effective_from=content.effective_from, expires_on=content.expires_on,
            keywords=list(content.keywords), visibility=content.visibility.value, edited_by=actor.name, edited_at=now,
            note=note[:500]))

    def _trail(self, session, entry, action, before, after, actor, now, note) -> None:
        session.add(KnowledgeReviewRow(entry_id=entry.id, version=entry.latest_version, action=action.value,
                                       from_state=before.value if before else None, to_state=after.value,
                                       actor=actor.name, role=actor.role.value, at=now,
                                       note=(note or ACTION_LABELS[action])[:500]))

    # -- reading ----------------------------------------------------------------------------------------
    def entry(self, session: Session, entry_id: str, *, lock: bool = False) -> KnowledgeEntryRow:
        stmt = select(KnowledgeEntryRow).where(KnowledgeEntryRow.id == entry_id)
        row = session.scalar(stmt.with_for_update() if lock else stmt)
        if row is None:
            raise NotFound(f"知识条目「{entry_id}」不存在")
        return row

    def version(self, session: Session, entry_id: str, version: int) -> KnowledgeVersionRow:
        row = session.scalar(select(KnowledgeVersionRow).where(KnowledgeVersionRow.entry_id == entry_id,
                                                               KnowledgeVersionRow.version == version))
        if row is None:
            raise NotFound(f"知识条目「{entry_id}」没有第 {version} 版")
        return row

    def versions(self, session: Session, entry_id: str) -> list[KnowledgeVersionRow]:
        self.entry(session, entry_id)
        return list(session.scalars(select(KnowledgeVersionRow).where(KnowledgeVersionRow.entry_id == entry_id)
                                    .order_by(KnowledgeVersionRow.version)))

    def trail(self, session: Session, entry_id: str) -> list[KnowledgeReviewRow]:
        return list(session.scalars(select(KnowledgeReviewRow).where(KnowledgeReviewRow.entry_id == entry_id)
                                    .order_by(KnowledgeReviewRow.id)))

    # -- search -----------------------------------------------------------------------------------------
    def search(self, text: str, *, region: str | None = None, public_only: bool = False, limit: int = 3,
               now=None) -> list[KnowledgeHit]:
        """The best served, in-force entries for `text` (at most `limit`), or [] for "no answer" (暂无口径)."""
        text = (text or "").strip()[:MAX_QUERY]
        if not text or limit <= 0:
            return []
        return self.index().search(text, region=region, public_only=public_only, limit=min(limit, 20),
                                   now=now or self.clock.now())

    def index(self) -> KnowledgeIndex:
        """The current index. Built by the caller when there is none yet or this process changed entries
        (its own publish is searchable at once); when another process may have changed them (every `refresh_s`),
        checked and rebuilt in a background thread while callers go on with the current index (over 20,000
        entries a rebuild takes tens of seconds; see docs/performance.md)."""
        current = self._index
        if current is not None and not self._dirty:
            if time.monotonic() - self._looked > self.refresh_s:
                self._refresh_in_background()
            return current
        if not self._lock.acquire(blocking=current is None):
            refresher = self._refresher
            if refresher is None or not refresher.is_alive():
                return current  # another caller is rebuilding it for this process's change: the old one meanwhile
            self._lock.acquire()  # a background refresh may predate our change: wait for it, then build
        try:
            if self._index is None or self._dirty:
                self._reload(own=True)
        finally:
            self._lock.release()
        return self._index

    def invalidate(self) -> None:
        self._dirty = True

    def wait_for_rebuild(self, timeout: float | None = None) -> bool:
        """Wait for the background rebuild, if one runs; whether none runs any more (for tests and shutdown)."""
        refresher = self._refresher
        if refresher is not None:
            refresher.join(timeout)
            return not refresher.is_alive()
        return True

    def _refresh_in_background(self) -> None:
        with self._lock_refresher:
            if self._refresher is not None and self._refresher.is_alive():
                return
            self._looked = time.monotonic()  # the next look is `refresh_s` after this one, failed or not
            self._refresher = threading.Thread(target=self._refresh, name="knowledge-index", daemon=True)
            self._refresher.start()

    def _refresh(self) -> None:
        try:
            with self._lock:
                self._reload(own=False)
        except Exception:  # noqa: BLE001 - a search goes on with the current index; retried on the next look
            log.exception("knowledge index rebuild failed; searching the current index until the next look")

    def _reload(self, *, own: bool) -> None:
        """Rebuild under `_lock`; `own`: for this process's change (clears `_dirty`), else a periodic refresh
        (which leaves `_dirty` alone: a change made meanwhile is rebuilt by its next caller)."""
        with self.read() as session:
            stamp = tuple(session.execute(select(func.count(), func.max(KnowledgeEntryRow.updated_at),
                                                 func.count(KnowledgeEntryRow.served_version))).one())
            self._looked = time.monotonic()
            if self._index is not None and not self._dirty and stamp == self._stamp:
                return
            if own:
                self._dirty = False
            docs = list(_served(session))
        if self._segmenter is None:
            self._segmenter = shared_segmenter(tuple(self.dictionary()))
        self._segmenter.add(k for d in docs for k in d.keywords)
        index = KnowledgeIndex(docs, self._segmenter, city_region=self.city.city.code)
        self._stamp = stamp
        self._index = index  # one assignment: a search holds either the old index or the whole new one
        # like the API at start (api/app.py): keep the index's millions of objects out of the collector's
        # full passes, which otherwise pause a search now and then for tens of milliseconds
        gc.collect()
        gc.freeze()

    def dictionary(self) -> Iterable[str]:
        return city_dictionary(self.city)


def city_dictionary(city: CityRegistry) -> Iterable[str]:
    """The city's words for jieba: region and unit names (with and without their suffix)."""
    for region in city.regions.values():
        yield region.name
        yield region.name.rstrip("区县市镇乡街道社区") if len(region.name) > 3 else region.name
    for unit in city.units.values():
        yield unit.name.removeprefix(city.name)


@lru_cache(maxsize=4)
def shared_segmenter(words: tuple[str, ...]) -> Segmenter:
    """One jieba tokenizer per city dictionary and process (loading one takes about a second)."""
    return Segmenter(words)


def _served(session: Session):
    rows = session.execute(select(KnowledgeVersionRow).join(
        KnowledgeEntryRow, (KnowledgeEntryRow.id == KnowledgeVersionRow.entry_id)
        & (KnowledgeEntryRow.served_version == KnowledgeVersionRow.version))
        .where(KnowledgeEntryRow.state != EntryState.WITHDRAWN.value).order_by(KnowledgeVersionRow.entry_id)).scalars()
    for v in rows:
        yield IndexDoc(v.entry_id, v.version, v.question, v.answer, tuple(v.phrasings or ()), tuple(v.keywords or ()),
                       v.region, v.unit, v.visibility == Visibility.PUBLIC.value, v.effective_from, v.expires_on,
                       v.basis or "", v.document or "")
