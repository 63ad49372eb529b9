"""A too-large body gets a readable 413 (issue 15 #6) from a real uvicorn server, for a client that sends
the whole body before it reads, and for chunked bodies — driven over a raw socket."""

from __future__ import annotations

import json
import socket
import threading
from urllib.parse import urlsplit

import pytest

from liandong.api.app import create_app
from tests.builders import make_world
from tests.fakes import ScriptedRouter
from tests.servers import serving

MiB = 1024 * 1024


@pytest.fixture
def server(db_url, clock):
    world = make_world(db_url, clock, router=ScriptedRouter())
    with serving(create_app(world.ctx)) as url:
        parts = urlsplit(url)
        yield world, (parts.hostname, parts.port)
    world.ctx.close()


def exchange(address, head: bytes, body_parts: list[bytes]) -> tuple[int, dict]:
    """Send the head and every body part (from a thread, all of it, before reading), then read the answer."""
    failed: list[OSError] = []
    with socket.create_connection(address, timeout=30) as sock:
        def send_all() -> None:
            try:
                sock.sendall(head)
                for part in body_parts:
                    sock.sendall(part)
            except OSError as exc:  # a reset while sending: urllib and most clients give up here, 413 unread
                failed.append(exc)
        sender = threading.Thread(target=send_all)
        sender.start()
        sender.join(60)  # the whole body is out before the first read, as urllib does
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head_, _, rest = data.partition(b"\r\n\r\n")
                length = int(next((line.split(b":")[1] for line in head_.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), b"-1"))
                if 0 <= length <= len(rest):
                    break
    assert not failed, f"the connection was reset while the client was still sending: {failed[0]!r}"
    head_, _, rest = data.partition(b"\r\n\r\n")
    status = int(head_.split(b" ")[1])
    return status, json.loads(rest.decode("utf-8"))


def request_head(path: str, extra: str, token: str = "x") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\n{extra}\r\n").encode()


def chunked(body: bytes, size: int = 64 * 1024) -> list[bytes]:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return parts + [b"0\r\n\r\n"]


@pytest.mark.parametrize("size", [2 * MiB, 4 * MiB])
def test_a_client_that_sends_everything_first_reads_the_413(server, size):
    _, address = server
    body = b'{"text": "' + b"x" * size + b'"}'
    for _ in range(5):
        head = request_head("/api/v1/appeals", f"Content-Length: {len(body)}\r\nConnection: close\r\n")  # as urllib
        status, answer = exchange(address, head, [body])
        assert status == 413 and answer["message"] == "请求体过大：不超过 256 KB"


@pytest.mark.parametrize("size", [300 * 1024, 2 * MiB])
def test_a_chunked_body_over_the_limit_gets_the_same_413(server, size):
    _, address = server
    body = b'{"text": "' + b"x" * size + b'"}'
    status, answer = exchange(address, request_head("/api/v1/appeals", "Transfer-Encoding: chunked\r\n"), chunked(body))
    assert status == 413 and answer["error"] == "payload_too_large" and "请求体过大" in answer["message"]


def test_a_chunked_body_under_the_limit_is_taken(server):
    world, address = server
    body = json.dumps({"channel": "phone", "text": "幸福路路灯不亮了", "region": "148802001"},
                      ensure_ascii=False).encode()
    head = request_head("/api/v1/appeals", "Transfer-Encoding: chunked\r\nConnection: close\r\n",
                        token=world.tokens["operator"])
    status, answer = exchange(address, head, chunked(body, size=7))
    assert status == 201, answer
    assert answer["orders"]
