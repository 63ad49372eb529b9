"""The intermediate database (中间库) as a department sees it: masked, documented tables in a database of
their own, which Liandong keeps up to date (`liandong share sync`), and one table they write back to.

    ld_orders     one row per order, as the consumer may see it (personal data masked)
    ld_events     one row per accepted step of an order (办理过程)
    ld_stats      orders opened and closed per day, region, platform and category (replaced each sync)
    ld_watermark  how far the sync has read the change feed (水位), written with the rows it covers
    ld_inbound    the department's own rows: a handling result to apply (回写), answered in place

Every column carries a comment (PostgreSQL `COMMENT ON`), so a department's developer reads the meaning
in their own SQL client.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()


def _c(name: str, type_, comment: str, **kw) -> Column:
    return Column(name, type_, comment=comment, **kw)


TS = DateTime(timezone=True)

ORDER_COLUMNS = {  # field → (type, comment)
    "number": (String(40), "工单/警单编号"), "platform": (String(8), "平台：12345 或 110"),
    "status": (String(24), "状态代码（见 docs/open-data.md 状态表）"), "title": (String(120), "标题（诉求摘要）"),
    "category_code": (String(64), "事项分类代码"), "category_name": (String(128), "事项分类名称"),
    "kind": (String(8), "诉求类型：咨询/求助/投诉/举报/建议"), "level": (String(8), "事件等级"),
    "unit": (String(32), "承办单位代码"), "region": (String(12), "行政区划代码（GB/T 2260）"),
    "warning": (String(8), "预警灯：yellow/red"), "satisfied": (String(8), "回访是否满意：true/false"),
    "created_at": (String(40), "受理时间（ISO 8601，北京时间）"), "updated_at": (String(40), "最后变更时间"),
    "dispatched_at": (String(40), "派单时间"), "replied_at": (String(40), "答复时间"), "closed_at": (String(40), "办结时间"),
    "reply_due": (String(40), "答复时限"), "close_due": (String(40), "办结时限"),
    "caller_name": (String(64), "诉求人姓名（脱敏：姓*）"), "caller_phone": (String(32), "联系电话（脱敏：138****1234）"),
    "address": (String(256), "地址（脱敏：只到街道）"),
}
orders = Table("ld_orders", metadata, *[_c(n, t, c, primary_key=n == "number") for n, (t, c) in ORDER_COLUMNS.items()],
               comment="工单（脱敏）：每单一行，随变更流更新")
EVENT_COLUMNS = {
    "order_number": (String(40), "工单编号"), "seq": (Integer(), "该单第几步（审计序号）"), "action": (String(24), "操作代码"),
    "from_status": (String(24), "操作前状态"), "to_status": (String(24), "操作后状态"), "at": (String(40), "操作时间"),
    "unit": (String(32), "承办单位代码"), "role": (String(16), "操作人角色"), "region": (String(12), "行政区划代码"),
}
events = Table("ld_events", metadata,
               *[_c(n, t, c, primary_key=n in ("order_number", "seq")) for n, (t, c) in EVENT_COLUMNS.items()],
               comment="办理过程：每一步一行")
STAT_COLUMNS = {
    "day": (String(10), "受理日期（北京时间）"), "region": (String(12), "行政区划代码"), "platform": (String(8), "平台"),
    "category_code": (String(64), "事项分类代码"), "category_name": (String(128), "事项分类名称"),
    "opened": (Integer(), "受理单数"), "closed": (Integer(), "其中已办结单数"),
}
stats = Table("ld_stats", metadata, Column("id", Integer, primary_key=True, autoincrement=True, comment="行号"),
              *[_c(n, t, c) for n, (t, c) in STAT_COLUMNS.items()], comment="统计：每次同步整体替换")
watermark = Table(
    "ld_watermark", metadata,
    _c("name", String(32), "水位名称（feed）", primary_key=True), _c("tx", BigInteger(), "变更流位置：事务键"),
    _c("pos", BigInteger(), "变更流位置：行号"), _c("synced_at", TS, "最近一次同步时间"), _c("rows", Integer(), "累计同步的变更数"),
    comment="同步水位：与其覆盖的数据在同一事务中写入")
inbound = Table(
    "ld_inbound", metadata,
    _c("id", Integer(), "行号（自增）", primary_key=True, autoincrement=True),
    _c("order_number", String(40), "工单编号", nullable=False), _c("action", String(24), "操作：sign/handle/reply/return/request_extension", nullable=False),
    _c("unit", String(32), "回写单位代码（须为工单当前承办单位）", nullable=False), _c("note", Text(), "办理说明"),
    _c("reason", String(64), "退单原因代码（return 时）"), _c("days", Integer(), "申请延期工作日数（request_extension 时）"),
    _c("submitted_at", TS, "部门写入时间"), _c("status", String(16), "pending 待处理 / applied 已办理 / refused 已拒收", default="pending"),
    _c("outcome", Text(), "处理结果或拒收原因（中文）"), _c("processed_at", TS, "联动平台处理时间"),
    comment="部门回写：办理结果，经校验后作为正常的留痕操作执行，或拒收并写明原因")
