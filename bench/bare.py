"""The bare-insert ceiling for bench/intake.py: the same JSON validated, one row inserted, committed.

    LIANDONG_BARE_URL=postgresql+psycopg://… uvicorn --app-dir bench bare:app --workers 2

No routing, no orders, no audit, no token look-up: what this machine, this Python stack (uvicorn, FastAPI,
pydantic, SQLAlchemy, psycopg) and this PostgreSQL with its durability settings can do at most per request.
Each request is its own transaction, so every 201 waits for its commit to reach the disk (PostgreSQL flushes
commits that arrive together in one WAL write).
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI

from liandong.intake.schemas import AppealCreate

meta = sa.MetaData()
bare_appeals = sa.Table(
    "bench_bare_appeals", meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

engine = None


@asynccontextmanager
async def lifespan(_app: FastAPI):
    """The table is created by bench/intake.py before the workers start (two workers must not race to create it)."""
    global engine
    engine = sa.create_engine(os.environ["LIANDONG_BARE_URL"], pool_size=40, max_overflow=0)
    yield
    engine.dispose()


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
def healthz() -> dict:
    return {"ok": True}


@app.post("/api/v1/appeals", status_code=201)
def create(body: AppealCreate) -> dict:
    with engine.begin() as c:
        new_id = c.execute(sa.insert(bare_appeals).values(body=body.model_dump_json()).returning(bare_appeals.c.id)).scalar_one()
    return {"appeal_id": str(new_id)}
