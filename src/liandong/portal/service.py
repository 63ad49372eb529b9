"""The portal's use cases for a citizen without an account: verify a phone, report, ask.

Following an appeal, rating it and the public list are in `cases.py` and `public.py`. A report goes
through the ordinary intake (channel `web`) — the intake queue for an ordinary appeal, a transaction of
its own at once for an emergency, which is never left waiting behind a batch."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Protocol

from sqlalchemy.orm import Session

from liandong.core.actors import Actor, Role
from liandong.core.clock import as_cst
from liandong.core.errors import InvalidInput
from liandong.core.ids import new_id
from liandong.core.masking import caller_key
from liandong.core.types import Channel, Platform
from liandong.intake.queue import IntakeQueue, Pending
from liandong.intake.schemas import AppealCreate, AttachmentRef, Caller
from liandong.intake.service import Intake
from liandong.portal import challenge, limits, otp, store
from liandong.portal.adapters import PhotoStore, SmsSender
from liandong.portal.photos import CleanPhoto, clean_photo
from liandong.portal.rules import PortalRules
from liandong.portal.tables import OtpRow, PhotoRow
from liandong.regions.places import Gazetteer
from liandong.regions.registry import CityRegistry
from liandong.supervision.calendar import WorkingCalendar, add_working_days
from liandong.supervision.limits import TimeLimitPolicy

CITIZEN = Actor(name="citizen-portal", role=Role.CITIZEN)  # 市民端
EMERGENCY_SERVICES = frozenset({Platform.POLICE, Platform.FIRE, Platform.MEDICAL})
MAX_TEXT = 2000


class Knowledge(Protocol):  # 知识库 (knowledge.search)
    def search(self, text: str, *, region: str | None = None, public_only: bool = False, limit: int = 3,
               now: datetime | None = None) -> list: ...


@dataclass(frozen=True)
class ReportInput:  # 市民填写的诉求
    text: str
    address: str = ""
    region: str = ""
    happened: str = ""  # datetime-local text, optional
    name: str = ""
    consent: bool = False
    honeypot: str = ""  # a field people never see; filled only by scripts
    challenge_token: str = ""
    challenge_answer: str = ""


@dataclass(frozen=True)
class ReportResult:  # 提交结果
    number: str
    emergency: bool
    services: tuple[str, ...]
    reply_by: date | None  # expected reply, from the city's limits and working calendar
    reply_days: int | None


@dataclass(frozen=True)
class AskResult:  # 即问即答
    confident: bool
    hits: list = field(default_factory=list)


@dataclass
class Portal:  # 市民端
    rules: PortalRules
    city: CityRegistry
    places: Gazetteer
    intake: Intake
    queue: IntakeQueue
    time_policy: TimeLimitPolicy
    calendar: WorkingCalendar
    sms: SmsSender
    photos: PhotoStore
    secret: str
    phone_salt: str
    write: Callable[[], AbstractContextManager[Session]]
    read: Callable[[], AbstractContextManager[Session]]
    knowledge: Knowledge | None = None

    # -- phone verification ------------------------------------------------------------------
    def send_code(self, phone_raw: str, *, address: str, now: datetime) -> str:
        phone = otp.normal_phone(phone_raw)
        code = otp.new_code()
        with self.write() as s:
            store.forget_expired(s, now)  # windows past and codes a day old: the tables stay the size of the hour
            store.limit(s, "code_addr", address, self.rules.limits.code_per_address, now)
            store.limit(s, "code_phone", phone, self.rules.limits.code_per_phone, now)
            s.add(OtpRow(id=new_id(), phone_key=self.phone_key(phone), code_hash=otp.code_hash(self.secret, phone, code),
                         created_at=now, expires_at=now + timedelta(seconds=self.rules.otp.ttl_seconds), attempts=0,
                         used=False))
        minutes = self.rules.otp.ttl_seconds // 60
        self.sms.send(phone, f"【{self.city.name}12345】您的验证码为 {code}，{minutes} 分钟内有效。请勿告诉他人。", now=now)
        return phone

    def verify_code(self, phone_raw: str, code: str, *, now: datetime) -> str:
        """The signed token of the verified phone; a wrong code counts as an attempt and is refused."""
        phone = otp.normal_phone(phone_raw)
        with self.write() as s:
            row = store.latest_code(s, self.phone_key(phone))
            stored = otp.StoredCode(row.code_hash, as_cst(row.expires_at), row.attempts, row.used) if row else None
            refusal = otp.check_code(stored, secret=self.secret, phone=phone, code=code, now=now,
                                     max_attempts=self.rules.otp.max_attempts)
            if row is not None:
                row.attempts += 1
                row.used = row.used or refusal is None
        if refusal:
            raise InvalidInput(refusal)
        return otp.sign_phone(self.secret, phone, now, self.rules.otp.session_minutes)

    def phone_of(self, token: str | None, now: datetime) -> str | None:
        return otp.verified_phone(self.secret, token, now)

    def phone_key(self, phone: str) -> str:
        return caller_key(phone, self.phone_salt) or ""

    # -- the burst challenge -------------------------------------------------------------------
    def needs_challenge(self, address: str, now: datetime) -> bool:
        with self.read() as s:
            seen = store.peek(s, "report_addr", address, self.rules.limits.report_per_address, now)
        return seen >= self.rules.limits.challenge_after

    def new_challenge(self, now: datetime) -> challenge.Challenge:
        return challenge.make(self.secret, now)

    # -- report ------------------------------------------------------------------------------------
    def report(self, form: ReportInput, photos: list[tuple[str, bytes]], *, phone: str, address: str,
               now: datetime) -> ReportResult:
        """Check everything, then store the photos and the appeal; a refusal at any step stores nothing."""
        body = self._appeal(form, phone, now)
        if form.honeypot.strip():
            raise InvalidInput("提交未通过校验，请刷新页面后重新填写")
        with self.write() as s:  # counted before anything else: a refused burst is still a burst
            seen, over = _count_report(s, self.rules, phone, address, now)
        if seen >= self.rules.limits.challenge_after and not challenge.solved(
                self.secret, form.challenge_token, form.challenge_answer, now):
            raise InvalidInput("提交较频繁，请先回答页面上的验证问题", details={"challenge": True})
        if len(photos) > self.rules.photos.max_count:
            raise InvalidInput(f"最多上传 {self.rules.photos.max_count} 张照片")
        cleaned = [clean_photo(raw, name, self.rules.photos) for name, raw in photos]
        body = body.model_copy(update={"attachments": [
            AttachmentRef(uri=f"portal:photo/{p.sha256}", name=p.name, sha256=p.sha256) for p in cleaned]})
        self.intake.check(body, now=now)
        routing = self.intake.route([body])[0]
        emergency = bool(EMERGENCY_SERVICES & set(routing.services))
        if over and not emergency:  # an emergency is never refused: the desk must hear of it
            raise InvalidInput(over, details={"rate_limited": True})
        created = [p.sha256 for p in cleaned if self.photos.put(p.sha256, p.data)]
        try:
            if emergency:
                with self.write() as s:
                    appeal, orders = self.intake.submit(s, body, actor=CITIZEN, platform=Platform.GOV, now=now,
                                                        routing=routing)
                    _photo_rows(s, cleaned, now)
            else:  # routed above: the queue does not route it again, and stores its photos with it
                _, orders = self.queue.put(Pending(body, CITIZEN, Platform.GOV, now, routing=routing,
                                                   also=lambda s: _photo_rows(s, cleaned, now))).result(timeout=60)
        except BaseException:
            for sha in created:
                self.photos.remove(sha)
            raise
        primary = orders[0]
        days = self.time_policy.limits_for(primary.category_code, primary.category_group, primary.level).reply_within_days
        return ReportResult(primary.number, emergency, tuple(routing.services),
                            as_cst(add_working_days(now, days, self.calendar)).date(), days)

    def _appeal(self, form: ReportInput, phone: str, now: datetime) -> AppealCreate:
        text = (form.text or "").strip()
        if len(text) < 5:
            raise InvalidInput("请描述您反映的问题（至少 5 个字）")
        if len(text) > MAX_TEXT:
            raise InvalidInput(f"问题描述不超过 {MAX_TEXT} 字（现为 {len(text)} 字）")
        if not form.consent:
            raise InvalidInput("请阅读并勾选个人信息使用说明后提交")
        if len(form.address) > 200 or len(form.name) > 32:
            raise InvalidInput("地址不超过 200 字，姓名不超过 32 字")
        region = form.region.strip() or None
        if region:
            self.city.region(region)
        happened = _happened(form.happened, now)
        full = f"{text}\n（发生时间：{happened:%Y-%m-%d %H:%M}）" if happened else text
        return AppealCreate(channel=Channel.WEB, text=full, address=form.address.strip() or None, region=region,
                            caller=Caller(name=form.name.strip() or None, phone=phone))

    # -- ask ---------------------------------------------------------------------------------------
    def ask(self, text: str, *, now: datetime) -> AskResult:
        text = (text or "").strip()
        if len(text) < 2 or len(text) > 500:
            raise InvalidInput("请输入您要咨询的问题（2 至 500 字）")
        if self.knowledge is None:
            return AskResult(False)
        hits = self.knowledge.search(text, public_only=True, limit=3, now=now)
        return AskResult(bool(hits) and hits[0].score >= self.rules.ask.min_score, list(hits))


def _count_report(s: Session, rules: PortalRules, phone: str, address: str, now: datetime) -> tuple[int, str | None]:
    """Reports seen from the address in its window before this one, and the limit this one breaks (if any)."""
    by_address = store.count(s, "report_addr", address, rules.limits.report_per_address, now)
    by_phone = store.count(s, "report_phone", phone, rules.limits.report_per_phone, now)
    for kind, seen, rule in (("report_addr", by_address, rules.limits.report_per_address),
                             ("report_phone", by_phone, rules.limits.report_per_phone)):
        if not limits.allowed(seen, rule):
            return by_address, limits.refusal(kind, rule)
    return by_address, None


def _photo_rows(s: Session, cleaned: list[CleanPhoto], now: datetime) -> None:
    for p in {p.sha256: p for p in cleaned}.values():
        if s.get(PhotoRow, p.sha256) is None:
            s.add(PhotoRow(sha256=p.sha256, bytes=len(p.data), width=p.width, height=p.height, created_at=now))


def _happened(raw: str, now: datetime) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        when = as_cst(datetime.fromisoformat(raw))
    except ValueError:
        raise InvalidInput("发生时间格式不正确") from None
    if when > now + timedelta(minutes=5) or when < now - timedelta(days=366):
        raise InvalidInput("发生时间应在过去一年之内，且不晚于现在")
    return when
