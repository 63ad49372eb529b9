"""Rate-limit buckets and log scrubbing, without a server or a database."""

import json
import logging

from liandong.core import trace
from liandong.ops.logs import JsonFormatter, scrub
from liandong.ops.ratelimit import Buckets, IntakeLimiter, Limits


def test_a_bucket_spends_its_burst_then_refills_at_its_rate():
    b = Buckets(rate_per_s=1.0, burst=2)
    assert [b.take("k", 0.0)[0] for _ in range(3)] == [True, True, False]
    ok, wait = b.take("k", 0.5)
    assert not ok and 0.4 < wait <= 0.5
    assert b.take("k", 1.0)[0] is True
    assert b.take("other", 1.0)[0] is True


def test_operator_channels_are_flagged_and_self_service_is_slowed():
    lim = IntakeLimiter(Limits(caller_burst=1, per_caller_per_hour=1))
    assert lim.check(token_key="t", caller_key="c", channel="phone", now=0).allowed
    v = lim.check(token_key="t", caller_key="c", channel="phone", now=1)
    assert v.allowed and v.flagged and v.limit == "caller"
    v = lim.check(token_key="t", caller_key="c", channel="web", now=2)
    assert not v.allowed and v.retry_after >= 3500 and v.limit == "caller"
    assert lim.check(token_key="t", caller_key=None, channel="web", now=3).allowed  # no number: no caller limit


def test_phone_numbers_are_masked_wherever_they_appear():
    assert scrub("来电 13912345678 与 0351-2345678，工单 GD20261202000123") == \
        "来电 139****5678 与 035****5678，工单 GD20261202000123"
    assert scrub("id 9f0190818163690ab 与 0.017834654424") == "id 9f0190818163690ab 与 0.017834654424"


def test_json_lines_carry_the_request_id_and_mask_named_fields():
    record = logging.LogRecord("liandong.t", logging.INFO, __file__, 1, "call from %s", ("13800001111",), None)
    record.name_ = None
    record.caller_name = "张三丰"
    record.phone = "13800002222"
    with trace.bound("rid-1"):
        line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "rid-1" and line["msg"] == "call from 138****1111"
    assert line["caller_name"] == "张**" and line["phone"] == "138****2222"
