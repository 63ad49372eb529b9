"""Backups that restore (备份与恢复): PostgreSQL through its own tools, SQLite through its online-backup API.

    backup(url, out_dir)   → out_dir/{liandong.pgdump | liandong.sqlite3, manifest.json}
    restore(out_dir, url)  → the database as it was, then `check` compares every table's row count
                             with the manifest (the CLI then verifies the audit chain, `orders.audit`)

PostgreSQL: `pg_dump --format=custom` is one consistent snapshot (a repeatable-read transaction) taken
while the desk serves; `pg_restore --clean --if-exists --single-transaction` replaces the target's
objects and data, all or nothing. The password goes to the tools in PGPASSWORD, never on their command
line. SQLite: `sqlite3.Connection.backup` copies a consistent image page by page while others write;
restoring writes it back the same way (stop the desk first: its open connections hold the old pages).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import MetaData, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from liandong.core.errors import InvalidInput

FORMAT = "liandong-backup/1"
MANIFEST = "manifest.json"
PG_FILE = "liandong.pgdump"
SQLITE_FILE = "liandong.sqlite3"


@dataclass(frozen=True)
class Manifest:  # 备份清单
    format: str
    dialect: str
    created_at: str
    schema_version: list[str]
    counts: dict[str, int]
    file: str

    @classmethod
    def read(cls, directory: Path) -> "Manifest":
        path = directory / MANIFEST
        if not path.exists():
            raise InvalidInput(f"{directory} 不是联动备份目录：缺少 {MANIFEST}")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise InvalidInput(f"备份格式「{data.get('format')}」不受支持，应为 {FORMAT}")
        return cls(**data)


def table_counts(url: str) -> tuple[dict[str, int], list[str]]:
    """Rows per table (every table in the database, counted in SQL) and the schema version."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            md = MetaData()
            md.reflect(conn, only=names)
            counts = {name: conn.scalar(select(func.count()).select_from(md.tables[name])) for name in names}
            version = sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))) \
                if "alembic_version" in names else []
    finally:
        engine.dispose()
    return counts, version


def backup(url: str, out_dir: Path) -> Manifest:
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise InvalidInput(f"备份目录 {out_dir} 不是空目录，请换一个新目录")
    sqlite = url.startswith("sqlite")
    target = out_dir / (SQLITE_FILE if sqlite else PG_FILE)
    counts, version = table_counts(url)  # before the copy: with the desk serving, the copy may hold more
    if sqlite:
        _sqlite_copy(_sqlite_path(url), target)
        counts, version = table_counts(f"sqlite:///{target}")  # the copy itself is the truth for SQLite
    else:
        libpq, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), libpq], env)
    manifest = Manifest(FORMAT, "sqlite" if sqlite else "postgresql", datetime.now(timezone.utc).isoformat(),
                        version, counts, target.name)
    (out_dir / MANIFEST).write_text(json.dumps(vars(manifest), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def restore(in_dir: Path, url: str) -> Manifest:
    manifest = Manifest.read(in_dir)
    source = in_dir / manifest.file
    if not source.exists():
        raise InvalidInput(f"备份文件 {source} 不存在")
    sqlite = url.startswith("sqlite")
    if sqlite != (manifest.dialect == "sqlite"):
        raise InvalidInput(f"备份来自 {manifest.dialect}，不能恢复到 {'SQLite' if sqlite else 'PostgreSQL'}")
    if sqlite:
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)
    else:
        libpq, env = _libpq(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", "--dbname", libpq, str(source)], env)
    return manifest


def check(manifest: Manifest, url: str) -> dict[str, tuple[int, int]]:
    """Tables whose row count differs from the manifest's: name → (in the backup, now). Empty when all are back.
    On PostgreSQL the manifest's counts were taken just before the dump: a desk that kept writing
    meanwhile has more rows in the dump, never fewer."""
    counts, _ = table_counts(url)
    exact = manifest.dialect == "sqlite"
    return {name: (n, counts.get(name, 0)) for name, n in manifest.counts.items()
            if (counts.get(name, 0) != n if exact else counts.get(name, 0) < n)}


def _sqlite_path(url: str) -> Path:
    path = url.split("///", 1)[-1]
    if not path or path == ":memory:":
        raise InvalidInput("内存数据库不能备份或恢复")
    return Path(path)


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    u = make_url(url)
    env = {**os.environ}
    if u.password:
        env["PGPASSWORD"] = u.password
    return u.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(argv: list[str], env: dict[str, str]) -> None:
    if shutil.which(argv[0]) is None:
        raise InvalidInput(f"找不到 {argv[0]}：请安装 PostgreSQL 客户端（Debian: postgresql-client）")
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise InvalidInput(f"{argv[0]} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-800:]}")
