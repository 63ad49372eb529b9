"""Category mapping tables (分类编码对照表) between our codes and each peer's, like EIDO's
internal code ↔ common registry. Data, not code: `cities/<city>/exchange_mapping.yaml`.

A code with no row is never an error at run time: it travels as `unmapped` with the original
code kept, and a person maps it by hand on the receiving side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from liandong.core.errors import ConfigError
from liandong.exchange import yamlio
from liandong.exchange.messages import CategoryRef

_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,63}$")


@dataclass(frozen=True)
class MappingRow:
    ours: str
    theirs: str
    label: str
    line: int | None = None


@dataclass(frozen=True)
class LocalCategory:  # 收到的事项分类，按我方编码
    code: str | None
    original: str
    unmapped: bool


class MappingTable:  # 对照表 (one peer)
    def __init__(self, peer: str, rows: list[MappingRow]) -> None:
        self.peer = peer
        self.rows = rows
        self._out = {r.ours: r for r in rows}
        self._in = {r.theirs: r for r in rows}

    def outgoing(self, our_code: str) -> CategoryRef:
        """Our code → the category block of a message to this peer."""
        row = self._out.get(our_code)
        if row is None:
            return CategoryRef(sender_code=our_code, receiver_code=None, unmapped=True)
        return CategoryRef(sender_code=our_code, receiver_code=row.theirs, label=row.label)

    def incoming(self, category: CategoryRef | None) -> LocalCategory | None:
        """A received category block → our code, trusting our own table over the sender's guess."""
        if category is None:
            return None
        row = self._in.get(category.sender_code)
        if row is not None:
            return LocalCategory(code=row.ours, original=category.sender_code, unmapped=False)
        if category.receiver_code and category.receiver_code in self._out:
            return LocalCategory(code=category.receiver_code, original=category.sender_code, unmapped=False)
        return LocalCategory(code=None, original=category.sender_code, unmapped=True)


class Mappings:
    def __init__(self, local_platform: str, tables: dict[str, MappingTable]) -> None:
        self.local_platform = local_platform
        self.tables = tables

    def for_peer(self, peer: str) -> MappingTable:
        return self.tables.get(peer) or MappingTable(peer, [])


def load_mappings(path: str | Path) -> Mappings:
    """Load and validate a mapping file; ConfigError names the file and line of the first problem."""
    p = str(path)
    data = yamlio.load(path)
    local = data.get("local_platform")
    if not isinstance(local, str) or not local:
        raise ConfigError(p, "缺少 local_platform（本方平台编号）", line=yamlio.line_of(data))
    tables_raw = data.get("tables")
    if not isinstance(tables_raw, list) or not tables_raw:
        raise ConfigError(p, "tables 必须是非空列表", line=yamlio.line_of(data))
    tables: dict[str, MappingTable] = {}
    for t in tables_raw:
        tline = yamlio.line_of(t)
        if not isinstance(t, dict) or not isinstance(t.get("peer"), str):
            raise ConfigError(p, "每张对照表需要 peer（对端平台编号）", line=tline)
        peer = t["peer"]
        if peer in tables:
            raise ConfigError(p, f"对端「{peer}」的对照表重复", line=tline)
        rows: list[MappingRow] = []
        seen_ours: dict[str, int | None] = {}
        seen_theirs: dict[str, int | None] = {}
        for r in t.get("rows") or []:
            line = yamlio.line_of(r)
            if not isinstance(r, dict):
                raise ConfigError(p, "对照行必须是映射", line=tline)
            unknown = set(r) - {"ours", "theirs", "label", yamlio.LINE}
            if unknown:
                raise ConfigError(p, f"未知字段：{', '.join(sorted(unknown))}", line=line)
            ours, theirs, label = r.get("ours"), r.get("theirs"), r.get("label", "")
            for name, value in (("ours", ours), ("theirs", theirs)):
                if not isinstance(value, str) or not _CODE.match(value):
                    raise ConfigError(p, f"{name} 编码无效：{value!r}", line=line)
            if ours in seen_ours:
                raise ConfigError(p, f"我方编码 {ours} 重复（首次出现在第 {seen_ours[ours]} 行）", line=line)
            if theirs in seen_theirs:
                raise ConfigError(p, f"对方编码 {theirs} 重复（首次出现在第 {seen_theirs[theirs]} 行）", line=line)
            seen_ours[ours], seen_theirs[theirs] = line, line
            rows.append(MappingRow(ours=ours, theirs=theirs, label=str(label), line=line))
        if not rows:
            raise ConfigError(p, f"对端「{peer}」的对照表没有任何行", line=tline)
        tables[peer] = MappingTable(peer, rows)
    return Mappings(local, tables)


def routing_code_aliases(path: Path) -> dict[str, str]:
    """Prefixes of routing-list codes → prefixes of the exchange codes for the same items (city data)."""
    raw = yamlio.load(path).get("routing_codes") or {}
    return {str(k): str(v) for k, v in raw.items() if k != yamlio.LINE}


def exchange_category(code: str | None, *, aliases: dict[str, str], table: MappingTable) -> str:
    """Our code for the category of an order, as the mapping table knows it: a routing-list code is
    respelt (JC-A21 → jc-12345to110-021); a 12345-side code on another desk becomes that desk's own."""
    if not code:
        return "unclassified"
    for prefix, target in aliases.items():
        rest = code[len(prefix):]
        if code.startswith(prefix) and rest.isdigit():
            code = target + rest.zfill(3)
            break
    ours = {r.ours for r in table.rows}
    if code in ours:
        return code
    row = next((r for r in table.rows if r.theirs == code), None)
    return row.ours if row else code


def mappings_for(path: Path, local: str) -> Mappings:
    """The city's mapping file is written from one desk's side; the other desk reads it mirrored."""
    data = load_mappings(path)
    if data.local_platform == local:
        return data
    tables = {}
    if local in data.tables:
        rows = [MappingRow(ours=r.theirs, theirs=r.ours, label=r.label, line=r.line) for r in data.tables[local].rows]
        tables[data.local_platform] = MappingTable(data.local_platform, rows)
    return Mappings(local, tables)
