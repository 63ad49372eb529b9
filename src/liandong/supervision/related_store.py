"""Near-duplicate candidates in the database (重复来电/群诉候选): what each stored appeal gives the repeat and
mass searches, so that no serving process holds the history.

Two tables, written in the same transaction as the appeal by a `before_flush` hook, so every path that
stores an appeal (intake, a transfer from a peer desk, the portal) gives it its rows:
  appeal_features  one row per appeal: caller key, region, matter (the reference-list item a 群诉 is grouped
                   by), time, and the appeal's hashed text features, their counts and its place keys —
                   the arrays of `appeal_text.prepared`, stored as bytes (about 0.5 kB an appeal)
  appeal_places    one row per (appeal, place key), 0 when the text names no place, keyed by region and time.
                   Two texts that both name places and share none score at most `PLACE_MISMATCH` (0.1), under
                   any threshold in use, so the mass search reads only the region's appeals that share a
                   place key with the query or name none (the whole region window when the query names none).
The features are a pure function of the text; `FEATURES_VERSION` names the function, so that a change to
`appeal_text` can come with a migration that refills the rows of another version (`fill`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, SmallInteger, String, event, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from liandong.appeals.tables import AppealRow
from liandong.storage.base import Base, Moment
from liandong.storage.staged import stage
from liandong.supervision.appeal_text import analyse, batch_features, place_hashes, prepared

FEATURES_VERSION = 1
NO_PLACE = 0  # the place key of an appeal whose text names no place


class AppealFeatureRow(Base):  # 相似检索特征
    __tablename__ = "appeal_features"

    appeal_id: Mapped[str] = mapped_column(String(32), ForeignKey("appeals.id", ondelete="CASCADE"), primary_key=True)
    caller_key: Mapped[str | None] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(12))
    matter: Mapped[str | None] = mapped_column(String(64))  # category code, none for referrals (引导解释)
    received_at: Mapped[datetime] = mapped_column(Moment())
    version: Mapped[int] = mapped_column(SmallInteger)
    feats: Mapped[bytes] = mapped_column(LargeBinary)  # uint32, sorted unique hashed features
    counts: Mapped[bytes] = mapped_column(LargeBinary)  # uint8, one per feature
    places: Mapped[bytes] = mapped_column(LargeBinary)  # uint32, place-key hashes

    __table_args__ = (
        Index("ix_appeal_features_caller_received", "caller_key", "received_at"),
        Index("ix_appeal_features_matter", "region", "matter", "received_at"),
        Index("ix_appeal_features_received", "received_at"),
        Index("ix_appeal_features_region_received", "region", "received_at"),  # a batch's regions' mass windows
    )


class AppealPlaceRow(Base):  # 诉求地点键
    __tablename__ = "appeal_places"

    region: Mapped[str] = mapped_column(String(12), primary_key=True)
    place: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(Moment(), primary_key=True)
    appeal_id: Mapped[str] = mapped_column(String(32), primary_key=True)


def matter_of(routing: dict | None, region: str | None) -> str | None:
    """The reference-list item a mass complaint is grouped by (with the region); none for referrals."""
    category = (routing or {}).get("category_code")
    if not category or not region or (routing or {}).get("category_list") == "引导解释":
        return None
    return str(category)


def _rows(appeal_id: str, caller_key: str | None, region: str | None, routing: dict | None, at: datetime,
          feats: np.ndarray, counts: np.ndarray, places: np.ndarray) -> tuple[dict, list[dict]]:
    feature = {"appeal_id": appeal_id, "caller_key": caller_key or None, "region": region or None,
               "matter": matter_of(routing, region), "received_at": at, "version": FEATURES_VERSION,
               "feats": feats.astype("<u4").tobytes(), "counts": counts.astype(np.uint8).tobytes(),
               "places": places.astype("<u4").tobytes()}
    keys = [int(p) for p in places] or [NO_PLACE]
    return feature, [{"region": region, "place": p, "received_at": at, "appeal_id": appeal_id} for p in keys] if region else []


def derive(appeal: AppealRow) -> tuple[dict, list[dict]]:
    """The candidate rows of one appeal (its features are cached: intake has just checked it)."""
    feats, counts, places = prepared(appeal.text or "")
    return _rows(appeal.id, appeal.caller_key, appeal.region, appeal.routing, appeal.received_at, feats, counts, places)


def derive_many(items: list[tuple[str, str, str | None, str | None, dict | None, datetime]]) -> tuple[list[dict], list[dict]]:
    """The candidate rows of many appeals (id, text, caller_key, region, routing, received_at) at once."""
    analysed = [analyse(text or "") for _, text, *_ in items]
    feats, counts, lens = batch_features([content for content, _ in analysed])
    ends = np.cumsum(lens)
    features, places = [], []
    for k, (appeal_id, _, key, region, routing, at) in enumerate(items):
        a, b = int(ends[k] - lens[k]), int(ends[k])
        f, p = _rows(appeal_id, key, region, routing, at, feats[a:b], counts[a:b], place_hashes(analysed[k][1]))
        features.append(f)
        places += p
    return features, places


def decode(feats: bytes, counts: bytes, places: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.frombuffer(feats, "<u4").astype(np.uint32), np.frombuffer(counts, np.uint8),
            np.frombuffer(places, "<u4").astype(np.uint32))


@event.listens_for(Session, "before_flush")
def _candidates_of_new_appeals(session: Session, _context, _instances) -> None:
    """Every appeal about to be inserted gets its candidate rows in the same flush (same transaction)."""
    for obj in list(session.new):
        if isinstance(obj, AppealRow):
            feature, places = derive(obj)  # staged: written right after this flush has inserted the appeal
            stage(session, AppealFeatureRow.__table__, feature)
            for p in places:
                stage(session, AppealPlaceRow.__table__, p)


def fill(connection: Connection, since: datetime, chunk: int = 20_000) -> int:
    """Candidate rows for the stored appeals received since `since` that have none (a migration's backfill)."""
    appeals, features = AppealRow.__table__, AppealFeatureRow.__table__
    done = 0
    while True:
        have = select(features.c.appeal_id).where(features.c.appeal_id == appeals.c.id)
        batch = connection.execute(
            select(appeals.c.id, appeals.c.text, appeals.c.caller_key, appeals.c.region, appeals.c.routing,
                   appeals.c.received_at)
            .where(appeals.c.received_at >= since, ~have.exists()).limit(chunk)).all()
        if not batch:
            return done
        rows, places = derive_many([tuple(r) for r in batch])
        connection.execute(insert(features), rows)
        if places:
            connection.execute(insert(AppealPlaceRow.__table__), places)
        done += len(batch)


BACKFILL_DAYS = 31  # the repeat window (30 days) and a day


def backfill_since(now: datetime) -> datetime:
    return now - timedelta(days=BACKFILL_DAYS)
