"""Row and message ids: 32 hex digits, unique, and not repeated by a forked worker."""

import os
import re

from liandong.core.ids import new_id


def test_ids_are_32_hex_digits_and_unique():
    ids = [new_id() for _ in range(100_000)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids[:1000])
    assert len(set(ids)) == len(ids)


def test_a_forked_child_does_not_repeat_its_parents_ids():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write its next id and leave at once
        os.write(write, new_id().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    assert len(child) == 32 and child != new_id()
