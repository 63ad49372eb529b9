"""The demo appeal stream (演示诉求) that `make demo` plays and benchmarks load."""

from liandong.demo.appeals import DemoAppeal, generate, iter_stream, to_api_payload

__all__ = ["DemoAppeal", "generate", "iter_stream", "to_api_payload"]
